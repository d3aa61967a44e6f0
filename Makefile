# The two commands: `make run` and `make test`. Each creates .venv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
EXAMPLES := $(wildcard configs/examples/*.yaml)
WORKERS ?= auto

.PHONY: run test test-all bench clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(INSTALLED)
	@for config in $(EXAMPLES); do \
		echo "== $$config"; \
		$(BIN)/pathways run $$config --replications 10 --seed 0 || exit $$?; \
	done
	@echo "Results are under results/ (one folder per example: summary.csv, replications.parquet, manifest.json)."

test: $(INSTALLED)
	$(BIN)/python -m pytest -n $(WORKERS) -q

test-all: $(INSTALLED)
	$(BIN)/python -m pytest -n $(WORKERS) -q -m "slow or not slow"

bench: $(INSTALLED)
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) results/*/ .pytest_cache
