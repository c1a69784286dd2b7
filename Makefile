# Every target runs inside .venv, which `make setup` creates.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The CPU wheel that lies on this kind of machine; installing it first keeps pip from pulling a CUDA build.
TORCH  ?= torch==2.13.0
# Debian packages for the real-browser test (tests/test_browser.py).
BROWSER_PKGS := chromium chromium-driver

.PHONY: setup test lint run bench bench-ray clean

setup:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(TORCH)
	$(BIN)/python -m pip install --quiet -e '.[dev,fast,ray]'
	@# tests/test_browser.py drives Debian's chromium through chromedriver (selenium is in the dev extra).
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	if [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(BROWSER_PKGS); \
	elif command -v sudo >/dev/null; then \
		sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(BROWSER_PKGS); \
	else \
		echo "make setup: not root and no sudo; install $(BROWSER_PKGS) (apt-get install $(BROWSER_PKGS))" \
			"for tests/test_browser.py" >&2; \
	fi

# One pytest worker per core (TEST_WORKERS=0 runs it in one process, as a plain `pytest` does). The tests
# of one file run in one worker (--dist loadfile), so a module fixture that runs a whole command (the
# Ray head, a brief, a reference run) is built once. Not --dist loadgroup: with pytest 9.2 it no longer
# groups anything (pytest-dev/pytest-xdist#1386). `pytest -m ray`: the Ray tests alone.
TEST_WORKERS ?= auto
test:
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

# ruff; mypy, strict on the package and the test fakes; the layer contract of pyproject.toml.
lint:
	$(BIN)/ruff check pipeline prompts tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# The main job on the example corpus: the daily briefings of its three days, in outputs/briefings.
# TRANSLATOR=DIR and SUMMARIZER=DIR use local model folders instead of the default hub models.
MODELS = $(if $(TRANSLATOR),--translator-model $(TRANSLATOR)) $(if $(SUMMARIZER),--summarizer-model $(SUMMARIZER))
run:
	for day in 2025-10-06 2025-10-07 2025-10-08; do \
		$(BIN)/nlbrief brief examples/nieuws --date $$day $(MODELS) || exit $$?; \
	done

# The speed benchmark (bench/README.md): about 15 minutes on 2 quiet cores; needs ../shared/data
# (BENCH_ARGS="--data DIR" elsewhere, "--full" for every row). Writes bench/results/latest.json and
# regenerates the README's performance section from it.
bench:
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The ray engine against the local one (bench/ray_engine.py): about 5 minutes; needs ../shared/data.
bench-ray:
	$(BIN)/python bench/ray_engine.py $(BENCH_ARGS)

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache
