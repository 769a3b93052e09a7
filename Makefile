# Both targets create .venv on a fresh machine and install the project into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck models unit model clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/secure-base chat $(ARGS)

test: lint typecheck models unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# The committed skill package must match a fresh build and pass Alexa's model rules.
models: $(STAMP)
	$(BIN)/secure-base model check

# Regenerate interaction_models/ after changing a plugin's intents or samples.
model: $(STAMP)
	$(BIN)/secure-base model build

unit: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .secure-base .pytest_cache .mypy_cache .ruff_cache
