# Every target runs inside .venv, which `make setup` creates.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The CPU wheel that lies on this kind of machine; installing it first keeps pip from pulling a CUDA build.
TORCH  ?= torch==2.13.0

.PHONY: setup test lint run bench clean

setup:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(TORCH)
	$(BIN)/python -m pip install --quiet -e '.[dev]'

test:
	$(BIN)/python -m pytest -q

lint:
	$(BIN)/ruff check pipeline prompts tests bench

# The main job on the sample folder: translate examples/nieuws into outputs/translations.
# TRANSLATOR=DIR uses a local model folder instead of the default hub model.
run:
	$(BIN)/nlbrief translate examples/nieuws -o outputs/translations $(if $(TRANSLATOR),--translator-model $(TRANSLATOR))

bench:
	$(BIN)/python bench/run.py

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache
