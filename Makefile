# Bootstraps everything from a bare machine that has only Python 3.11+:
# a private virtual environment holding uv (.tools), then the project's
# locked environment (.venv) built by uv with bytecode compiled, because
# `import prefect` costs twice as long without .pyc files.
PYTHON ?= python3
TOOLS  := .tools
UV     := $(TOOLS)/bin/uv
VENV   := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_COMPILE_BYTECODE := 1
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: demo test lint setup clean bench screenshot

demo: $(VENV)/.synced
	$(VENV)/bin/rte demo

# The static checks first (about 15 s), so a slip fails before the suite runs.
test: lint
	$(VENV)/bin/pytest

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

bench: $(VENV)/.synced
	$(VENV)/bin/python benchmarks/demo.py

setup: $(VENV)/.synced

# The README's picture of the health page: the demo's, as headless Chromium shows it at
# 1280 px (Debian's chromium package; not needed for anything else).
screenshot: $(VENV)/.synced
	$(VENV)/bin/rte demo --out out/screenshot --today 2026-11-20 > /dev/null
	mkdir -p docs/images
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir=$$(mktemp -d) --hide-scrollbars --window-size=1280,900 \
		--screenshot=docs/images/health-page.png file://$(CURDIR)/out/screenshot/health.html

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check 'uv>=0.5,<1'

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

clean:
	rm -rf $(TOOLS) $(VENV) out .pytest_cache .ruff_cache .mypy_cache
