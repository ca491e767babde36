# GD Catalog Search — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-cluster venv es-start es-stop es-status es-logs sample browser-deps test-deps clean

$(STAMP): setup.cfg pyproject.toml requirements/constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements/constraints.txt -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

es-start: venv
	$(BIN)/gdc-es start
es-stop: venv
	$(BIN)/gdc-es stop
es-status: venv
	$(BIN)/gdc-es status
es-logs: venv
	$(BIN)/gdc-es logs

# Load the bundled sample catalogue when the alias is missing or empty.
sample: venv
	@count=$$($(BIN)/gdc-index count 2>/dev/null || echo 0); \
	if [ "$$count" != "0" ]; then \
	  echo "sample: index already holds $$count datasets"; \
	else \
	  $(BIN)/gdc-index load --declare data_category=ข้อมูลสาธารณะ data/datagoth-sample-836.jsonl && \
	  $(BIN)/gdc-index load data/sample-sensitive.jsonl; \
	fi

run: venv
	@if [ -z "$$GDC_ES_URL" ]; then $(BIN)/gdc-es start; fi
	$(MAKE) --no-print-directory sample
	$(BIN)/python -m portal

# The production server (gunicorn, docs/serving.md): starts the local node when GDC_ES_URL is unset, loads nothing.
.PHONY: serve
serve: venv
	@if [ -z "$$GDC_ES_URL" ]; then $(BIN)/gdc-es start; fi
	exec $(BIN)/python -m portal.serve

CHROMIUM := /usr/bin/chromium
APT := $$( [ "$$(id -u)" = 0 ] || echo sudo ) env DEBIAN_FRONTEND=noninteractive apt-get

browser-deps:
	@test -x $(CHROMIUM) || { echo "installing Debian's chromium for the browser tests"; \
	  $(APT) install -y -q chromium fonts-thai-tlwg >/dev/null 2>&1 || \
	  { $(APT) update -q >/dev/null && $(APT) install -y -q chromium fonts-thai-tlwg >/dev/null; }; }
	@test -d tests/browser/node_modules/axe-core || (cd tests/browser && npm ci --silent --no-audit --no-fund)

# Debian's redis-server for the cross-worker rate-limit test (tests/integration/test_serve_rate_limit.py).
test-deps: browser-deps
	@command -v redis-server >/dev/null || { echo "installing Debian's redis-server for the rate-limit test"; \
	  $(APT) install -y -q redis-server >/dev/null 2>&1 || \
	  { $(APT) update -q >/dev/null && $(APT) install -y -q redis-server >/dev/null; }; }

# The whole suite against a real node: start one if none answers, stop only what we started.
# Both stages print their slowest tests (PYTEST_DURATIONS) so CI logs show where the time goes.
# The first stage runs in PYTEST_WORKERS processes (pytest-xdist), one test module per worker at a time:
# most of its time is spent waiting for the node, and two workers keep both cores of a 2-core machine busy.
PYTEST_DURATIONS := --durations=25
PYTEST_WORKERS ?= 2
# Tests start many Python processes (workers, portal servers, gdc-index): let them keep their compiled
# bytecode (and pytest its rewritten modules) even where the environment sets PYTHONDONTWRITEBYTECODE.
test test-cluster: export PYTHONDONTWRITEBYTECODE :=
# schemathesis gives all its generated tests (one per API operation) the same node id, which pytest-xdist
# would collapse into one test: those modules run in one process after the workers.
SINGLE_PROCESS_TESTS := tests/integration/test_api_schemathesis.py
test: venv test-deps
	@started=0; \
	if [ -z "$$GDC_ES_URL" ] && ! $(BIN)/gdc-es status >/dev/null 2>&1; then $(BIN)/gdc-es start && started=1; fi; \
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_DURATIONS) $(SINGLE_PROCESS_TESTS:%=--ignore=%) && \
	$(BIN)/pytest $(PYTEST_DURATIONS) $(SINGLE_PROCESS_TESTS); rc=$$?; \
	if [ $$started = 1 ]; then $(BIN)/gdc-es stop; fi; \
	exit $$rc
	$(MAKE) --no-print-directory test-cluster

# Second stage of `make test`: a three-node cluster and a spare node of the tests' own (ports
# 9230–9234, transport +100), then a secured node (free ports: tests/cluster/test_secure_node.py, ~70 s),
# started and stopped by tests/cluster itself; ~4–5 minutes.
test-cluster: venv
	$(BIN)/pytest $(PYTEST_DURATIONS) -m cluster tests/cluster

clean:
	rm -rf $(VENV) build *.egg-info
