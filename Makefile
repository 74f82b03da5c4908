# ESAT: `make run` sets up and starts the app on the demo; `make test` sets up and runs every test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.esat-installed

.PHONY: setup run test torture demo forms bench clean screenshots

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

setup: $(STAMP)

run: setup
	$(BIN)/esat gui --demo

test: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# The slow proof of docs/file-format.md's guarantees: 200 writers killed at random
# moments, 200 files with bytes flipped in pages in use, 200 random Excel round trips
# (make test runs a few of each).
torture: setup
	ESAT_TORTURE=200 ESAT_HYPOTHESIS=200 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -s \
		tests/test_crash_recovery.py tests/test_fuzz_files.py tests/test_excel_long_text.py \
		tests/test_excel_safety.py

demo: setup
	$(BIN)/esat demo

clean:
	rm -rf $(VENV) .pytest_cache build dist

forms: setup
	$(BIN)/python packaging/compile_forms.py

screenshots: setup
	xvfb-run -a -s "-screen 0 1400x900x24" env QT_QPA_PLATFORM=xcb $(BIN)/python packaging/screenshots.py docs

bench: setup
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/excel.py
