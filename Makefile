# Parallax: `make run` builds stories on the embedded default (SQLite); `make test` runs every test.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
INPUT  ?=
DB     ?= parallax.db
export PARALLAX_DB ?= $(DB)

.PHONY: setup run test eval bench browser postgres newsboat screenshots lint docs clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,dask]'
	touch $(STAMP)

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: apt-get install chromium (browser tests will skip)"; fi; }

# Debian's PostgreSQL server binaries for the PostgreSQL half of the tests (a throwaway cluster in a temporary
# folder on a free port, started by the test session; the packaged service is not used).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else echo "postgresql missing: apt-get install postgresql (the PostgreSQL half of the tests will skip)"; fi; }

# Debian's newsboat (and tmux to drive it) for the real feed-reader test of the Google Reader API.
newsboat:
	@{ command -v newsboat && command -v tmux; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq newsboat tmux >/dev/null; \
	  else echo "newsboat or tmux missing: apt-get install newsboat tmux (the real-client test will skip)"; fi; }

# The main job: poll the default feeds (or those already in the database), build stories, serve the
# web app on http://127.0.0.1:8000 until Ctrl-C. `make run INPUT=dir` first adds the articles of a folder.
run: setup
ifneq ($(strip $(INPUT)),)
	$(VENV)/bin/parallax build $(INPUT) --db $(DB)
endif
	$(VENV)/bin/parallax run --db $(DB)

test: setup browser postgres newsboat
	$(PY) -m pytest -q

eval: setup
	OMP_NUM_THREADS=1 $(PY) bench/run_eval.py

bench: setup
	OMP_NUM_THREADS=1 $(PY) bench/run_bench.py

docs: setup
	$(PY) scripts/gen_cli_docs.py

# Re-render docs/screenshots/ from the browser tests (a plain `make test` writes them to a temporary folder).
screenshots: setup browser
	PARALLAX_SCREENSHOTS=$(CURDIR)/docs/screenshots $(PY) -m pytest -q tests/e2e/test_browser.py tests/e2e/test_reader.py tests/e2e/test_api_access.py

lint: setup
	$(VENV)/bin/ruff check src tests bench

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
