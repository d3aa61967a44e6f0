# The two commands: `make run` and `make test`. Each creates .venv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEV := $(VENV)/.dev
PIP_INSTALL = $(BIN)/python -m pip install --quiet -c constraints.txt
EXAMPLES := $(wildcard configs/examples/*.yaml)
WORKERS ?= auto
REPLICATIONS ?= 10

.PHONY: run examples test test-all test-slow test-browser lint mutate constraints chromium \
	screenshot bench clean

$(INSTALLED): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(PIP_INSTALL) -e '.[test]'
	touch $@

# The developer tools (ruff, mypy, mutmut) on top of the test extras.
$(DEV): $(INSTALLED)
	$(PIP_INSTALL) -e '.[dev]'
	touch $@

# Style and types: ruff (rules in pyproject.toml) on everything, mypy on pathways/.
lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/mypy

# Mutation testing (mutmut; modules and tests in pyproject.toml's [tool.mutmut]): each
# mutant is one small change to the code; a test must fail for it to count as killed.
# Slow (tens of minutes on 2 cores); writes mutants/ (git-ignored).
mutate: $(DEV)
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(shell nproc) > mutants.log 2>&1 \
		|| { tail -c 2000 mutants.log; exit 1; }
	$(BIN)/python scripts/mutation_score.py

# constraints.txt pins every installed package; regenerate it after changing a dependency.
constraints: $(DEV)
	{ sed -n '1,2p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable; } > constraints.tmp
	mv constraints.tmp constraints.txt

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

# The slow checks alone (statistical validation, scaling, killed and resumed sweeps),
# without the browser tests (test-browser) or the default suite: about 10 minutes on 2
# cores; CI runs it after the rest.
test-slow: $(INSTALLED)
	$(BIN)/python -m pytest -n $(WORKERS) -q -m "slow and not timing" \
		$(addprefix --ignore=,$(BROWSER_TESTS))

# Debian's Chromium, installed where it is missing (as root: CI, .ci/run, runs `make chromium`).
INSTALL_CHROMIUM = command -v chromium >/dev/null || { export DEBIAN_FRONTEND=noninteractive; \
	apt-get install -y -q chromium || { apt-get update -q && apt-get install -y -q chromium; }; }

chromium:
	$(INSTALL_CHROMIUM)

# The browser tests (tests/report/test_*browser*.py and test_first_screen.py: slow, in
# headless Chromium) on their own; without Chromium they fail here (PATHWAYS_REQUIRE_BROWSER=1)
# where `make test-all` skips them. CI runs this after `make test` and `make chromium`.
BROWSER_TESTS := $(wildcard tests/report/test_*browser*.py) tests/report/test_first_screen.py
test-browser: $(INSTALLED)
	PATHWAYS_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q -m "slow or not slow" $(BROWSER_TESTS)

# The README's picture of the report's first screen, docs/report-first-screen.png (under
# 300 KB): the demo comparison's report (`make run` first where its results are missing),
# rebuilt from the stored results so that it shows the report as it is now.
DEMO := results/integrated-vs-competitive
screenshot: $(INSTALLED)
	test -f $(DEMO)/manifest.json || $(MAKE) run
	$(BIN)/pathways report $(DEMO)
	$(BIN)/python scripts/screenshot.py $(DEMO)/report.html docs/report-first-screen.png

# The browser tests need Chromium; here they skip without it.
test-all: $(INSTALLED)
	$(INSTALL_CHROMIUM) || echo "chromium not installed: browser tests will be skipped"
	$(BIN)/python -m pytest -n $(WORKERS) -q -m "(slow or not slow) and not timing"
	$(BIN)/python -m pytest -q -m timing

# Where one demo replication's time goes, by mechanism; then the cost of a change, as
# ratios anyone can compare across machines: the engine against
# bare SimPy and Ciw on one network, the demo economy at 57k / 250k / 1M registered
# patients against bare SimPy timed in the same process, and a sweep's parallel
# efficiency (BENCH_WORKERS, default 2; `--dask` in the script for a LocalCluster).
# A few minutes on 2 cores.
BENCH_WORKERS ?= 2
bench: $(INSTALLED)
	$(BIN)/python benchmarks/profile_replication.py
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/economy_scaling.py
	$(BIN)/python benchmarks/sweep_scaling.py --workers $(BENCH_WORKERS)

clean:
	rm -rf $(VENV) results/*/ .pytest_cache
