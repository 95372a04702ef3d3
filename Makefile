# The two commands of the README: `make run` (the main job, embedded default) and `make test` (every check).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONFIG ?= $(if $(wildcard khabardar.yaml),khabardar.yaml,khabardar.example.yaml)

.PHONY: run once test lint typecheck pytest bench clean

$(BIN)/khabardar: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(BIN)/khabardar
	$(BIN)/khabardar --config $(CONFIG) run

once: $(BIN)/khabardar
	$(BIN)/khabardar --config $(CONFIG) once

test: lint typecheck pytest

lint: $(BIN)/khabardar
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(BIN)/khabardar
	$(BIN)/mypy worker tasks

pytest: $(BIN)/khabardar
	$(BIN)/pytest

bench: $(BIN)/khabardar
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
