# The two commands: `make run` and `make test`. Each creates .venv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
EXAMPLES := $(wildcard configs/examples/*.yaml)
WORKERS ?= auto
REPLICATIONS ?= 10

.PHONY: run examples test test-all bench clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(INSTALLED)
	$(BIN)/pathways compare models/integrated.yaml models/competitive.yaml \
		--replications $(REPLICATIONS) --seed 0 --workers 0 --out results/integrated-vs-competitive
	@echo "Each model's results and the paired differences are in results/integrated-vs-competitive/; open the report: results/integrated-vs-competitive/report.html"

examples: $(INSTALLED)
	@for config in $(EXAMPLES); do \
		echo "== $$config"; \
		$(BIN)/pathways run $$config --replications 10 --seed 0 || exit $$?; \
	done

# Wall-clock checks (marked timing) run alone after the rest, so that the other tests'
# load does not count against their limits.
test: $(INSTALLED)
	$(BIN)/python -m pytest -n $(WORKERS) -q -m "not slow and not timing"
	$(BIN)/python -m pytest -q -m "timing and not slow"

# The browser tests (tests/report/test_browser.py) need Chromium; they skip without it.
test-all: $(INSTALLED)
	command -v chromium >/dev/null || (apt-get install -y chromium || echo "chromium not installed: browser tests will be skipped")
	$(BIN)/python -m pytest -n $(WORKERS) -q -m "(slow or not slow) and not timing"
	$(BIN)/python -m pytest -q -m timing

bench: $(INSTALLED)
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) results/*/ .pytest_cache
