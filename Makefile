# ESAT: `make run` sets up and starts the app on the demo; `make test` sets up and runs every test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.esat-installed

.PHONY: setup run test test-slow demo forms bench clean screenshots

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

# the merge's kill test 200 times and many more property-test examples
test-slow: setup
	ESAT_SLOW=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest tests/test_merge_kill.py tests/test_merge_properties.py

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
	$(BIN)/python bench/merge.py
