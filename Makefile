# canvass: `make run` starts the app on a demo database, `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= $(CURDIR)/.local/demo.db
STAMP  := $(VENV)/.installed

.PHONY: run test test-long lint bench clean system-deps system-deps-test build bench-frozen

run: system-deps $(STAMP)
	@mkdir -p $(dir $(DB))
	@test -f $(DB) || $(BIN)/canvass --db $(DB) demo --electors 5000 --seed 7
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  echo "No display found: running under Xvfb (xvfb-run)."; \
	  xvfb-run -a -s "-screen 0 1400x900x24" $(BIN)/canvass --db $(DB) gui; \
	else $(BIN)/canvass --db $(DB) gui; fi

test: system-deps-test $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q -m "not slow"

# The long run: tests marked slow, and 20,000 Hypothesis examples per merge property.
test-long: system-deps-test $(STAMP)
	CANVASS_LONG_PROPERTIES=1 QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python -m bench

# Desktop builds with PyInstaller: dist/canvass/ (one folder) and dist/canvass-onefile, made in their own
# environment (build/venv) with the pinned tools of packaging/requirements-build.txt. Once a build is
# there, `make test` also runs its smoke test (tests/test_frozen.py).
build: system-deps
	PYTHON=$(PYTHON) packaging/build both

# Size of the builds against a bare PySide6 window frozen the same way, start time against .venv's canvass.
bench-frozen: system-deps $(STAMP)
	@test -x dist/canvass/canvass -a -x dist/canvass-onefile || $(MAKE) build
	$(BIN)/python -m bench.bench_frozen

system-deps:
	@scripts/install-system-deps run

system-deps-test:
	@scripts/install-system-deps test

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) .local .pytest_cache .mypy_cache .ruff_cache build *.egg-info src/*.egg-info
