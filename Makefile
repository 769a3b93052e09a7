# Both targets create .venv on a fresh machine and install the project into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Wheels for the Lambda package (the stack's target and this machine's), fetched once so that
# the packaging tests run offline.
WHEELS_STAMP := .secure-base/wheels/.fetched-stamp
# checkov, which tests/test_infra_checkov.py runs on the stack, pins boto3, botocore, networkx
# and packaging below the project's: it gets a virtualenv of its own. Its checks change between
# releases, even patch ones (a new check would fail a fresh machine's CI): it is pinned.
CHECKOV_VENV := .secure-base/checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed-stamp
CHECKOV_SPEC := checkov==3.3.30

.PHONY: run test lint typecheck models unit model package fuzz bench bench-speech clean checkov-install

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(WHEELS_STAMP): lambda/requirements.txt infra/skill-stack.yaml $(STAMP)
	$(BIN)/secure-base package --fetch-only
	$(BIN)/secure-base package --fetch-only --arch $$(uname -m | sed 's/aarch64/arm64/') \
		--python-version $$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
	touch $@

$(CHECKOV_STAMP): Makefile
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet '$(CHECKOV_SPEC)'
	touch $@

checkov-install: $(CHECKOV_STAMP)

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

unit: $(STAMP) $(WHEELS_STAMP) $(CHECKOV_STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

# 10,000 fuzzed envelopes through lambda_handler (make test runs a short, fixed set).
fuzz: $(STAMP)
	SECURE_BASE_FUZZ_EXAMPLES=10000 $(BIN)/pytest tests/test_fuzz.py -q

# The figures of benchmarks/results.md, each against a hello-world skill timed in the same run (the
# cold start both from the Lambda zip and from .venv), and the safety figures of
# benchmarks/safety-results.md.
bench: $(STAMP) $(WHEELS_STAMP)
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.safety

# Every exercise at every pace said by espeak-ng and measured, against what it announces and the
# estimate (benchmarks/speech-lengths.md). Installs Debian's espeak-ng and sox when missing.
bench-speech: $(STAMP)
	command -v espeak-ng >/dev/null && command -v sox >/dev/null || \
		(apt-get update && apt-get install -y espeak-ng sox)
	$(BIN)/python -m benchmarks.speech_lengths

# dist/lambda.zip for the stack's architecture and Python (see "Deploy to your AWS account").
package: $(STAMP)
	$(BIN)/secure-base package $(ARGS)

clean:
	rm -rf $(VENV) .secure-base .pytest_cache .mypy_cache .ruff_cache
