# ESAT: `make run` sets up and starts the app on the demo; `make test` sets up and runs every test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.esat-installed

.PHONY: setup run test torture test-slow demo forms bench clean screenshots report-samples

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

setup: $(STAMP)

.PHONY: package-setup package package-test icons bench-package

# The build tools (PyInstaller, Pillow) are an extra: `make test` and `make run` do without them.
PACKAGE_STAMP := $(VENV)/.esat-package-installed
$(PACKAGE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,package]'
	@touch $@

package-setup: $(PACKAGE_STAMP)

run: setup
	$(BIN)/esat gui --demo

test: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# The slow target: the proof of docs/file-format.md's guarantees (200 writers killed at
# random moments, 200 files with bytes flipped in pages in use, 200 random Excel round
# trips), the background helper's stress test turned up, and the merge's kill test 200
# times with many more property-test examples (make test runs a few of each).
torture: setup
	ESAT_TORTURE=200 ESAT_HYPOTHESIS=200 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -s \
		tests/test_crash_recovery.py tests/test_fuzz_files.py tests/test_excel_long_text.py \
		tests/test_excel_safety.py
	QT_QPA_PLATFORM=offscreen ESAT_STRESS_ROUNDS=6000 $(BIN)/python -m pytest -q tests/test_gui_tasks.py
	ESAT_SLOW=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/test_merge_kill.py \
		tests/test_merge_properties.py

# the merge's part of the slow target alone
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
	xvfb-run -a -s "-screen 0 1024x768x24" env QT_QPA_PLATFORM=xcb $(BIN)/python packaging/screenshots.py docs --small
	xvfb-run -a -s "-screen 0 1400x900x24" env QT_QPA_PLATFORM=xcb $(BIN)/python packaging/coordinator_screenshots.py docs

report-samples: setup
	$(BIN)/python packaging/report_samples.py docs

bench: setup
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/excel.py
	$(BIN)/python bench/audit_growth.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/merge.py
	$(BIN)/python bench/search.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/coordinator_app.py

# The program a unit's IT hands out: dist/esat/ (PyInstaller one-folder; see packaging/).
package: $(PACKAGE_STAMP)
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/esat.spec
	@du -sh dist/esat | sed 's|\t| |; s|$$| (the folder to hand out)|'

# Builds the package in a temporary folder and runs the built program's --self-test
# (slow, so not part of `make test`; .ci/run runs both).
package-test: $(PACKAGE_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m package tests/test_package.py

# Redraws resources/icons/esat.{png,ico,icns} from esat.svg.
icons: $(PACKAGE_STAMP)
	$(BIN)/python packaging/make_icons.py

bench-package: $(PACKAGE_STAMP)
	$(BIN)/python bench/package_startup.py
