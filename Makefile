# The helpline's two commands: `make run` and `make test`. Everything they need is built here.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# --- Every Rasa path, spelled out once ------------------------------------------------------
BOT_VENV       := .venv-bot
RASA           := $(BOT_VENV)/bin/rasa
RASA_CONFIG    := --config bot/config.yml
RASA_DOMAIN    := --domain bot/domain.yml
RASA_DATA      := --data data/nlu data/rules data/stories
RASA_ENDPOINTS := --endpoints bot/endpoints.yml
RASA_TESTS     := tests/stories
MODEL          := models/helpline.tar.gz
# The gateway's backstop reader, which reads for the bot when the bot is down (helpline.backstop).
BACKSTOP       := models/backstop/model.json
NLU_FILES      := $(shell find data/nlu -name '*.yml')
WORDLLAMA      := wordllama==0.4.0.post1
# Only these are training data: data/content/ and data/safety/ never are.
TRAINING_FILES := bot/config.yml bot/domain.yml $(wildcard bot/components/*.py) src/helpline/vectors.py $(shell find data/nlu data/rules data/stories -name '*.yml')

# Rasa and TensorFlow are noisy and would phone home; neither is wanted.
RASA_ENV       := RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1 \
                  PYTHONWARNINGS=ignore::DeprecationWarning

# --- The gateway ------------------------------------------------------------------------------
VENV           := .venv
GATEWAY        := $(VENV)/bin

# Interpreters: Python 3.11+ for the gateway, 3.10 for Rasa (pyenv's versions are looked up
# directly, since its shims only answer for the selected version).
find_python = $(firstword $(foreach p,$(1),$(shell $(p) -c 'import sys; sys.exit(0 if sys.version_info[:2] $(2) else 1)' >/dev/null 2>&1 && echo $(p))))
PYENV_ROOT     := $(shell pyenv root 2>/dev/null || echo $$HOME/.pyenv)
PYTHON_GATEWAY ?= $(call find_python,python3.11 python3.12 python3 $(wildcard $(PYENV_ROOT)/versions/3.11*/bin/python3.11),>= (3, 11))
PYTHON_BOT     ?= $(call find_python,python3.10 $(wildcard $(PYENV_ROOT)/versions/3.10*/bin/python3.10) /usr/bin/python3.10,== (3, 10))

# Settings for make run / make bench come from .env when there is one (see .env.example).
LOAD_ENV := set -a; [ ! -f .env ] || . ./.env; set +a

.PHONY: help run test train backstop bench-backstop validate test-stories test-actions test-gateway bench bench-screen eval browser-deps clean

help:
	@echo "make run    start the whole helpline (creates what is missing first)"
	@echo "make test   run every test: Rasa data checks and stories, actions, gateway, end to end, browser"
	@echo "make bench  benchmark the gateway against Rasa directly, and print the figures"
	@echo "make bench-screen  the safety screen's throughput on one core"
	@echo "make bench-backstop  the backstop reader's load time, throughput and memory"
	@echo "make eval   measure the triage on tests/data/eval.tsv through the running pipeline"
	@echo "make backstop  train the gateway's backstop reader (also done by run and test)"

# --- Environments -----------------------------------------------------------------------------
$(VENV)/.installed: pyproject.toml
	@[ -n "$(PYTHON_GATEWAY)" ] || { echo "Python 3.11 or newer is needed for the gateway: install it (for example 'pyenv install 3.11') and run make again."; exit 1; }
	@echo "==> creating the gateway's environment in $(VENV) with $(PYTHON_GATEWAY)"
	$(PYTHON_GATEWAY) -m venv $(VENV)
	$(GATEWAY)/pip install --progress-bar on --disable-pip-version-check -e '.[test]'
	@touch $@

$(BOT_VENV)/.installed: requirements-bot.txt pyproject.toml
	@[ -n "$(PYTHON_BOT)" ] || { echo "Python 3.10 is needed for Rasa 3.6, which does not install on 3.11: install it (for example 'pyenv install 3.10') and run make again."; exit 1; }
	@echo "==> creating the bot's environment in $(BOT_VENV) with $(PYTHON_BOT) (Rasa is large: about 3 minutes)"
	$(PYTHON_BOT) -m venv $(BOT_VENV)
	$(BOT_VENV)/bin/pip install --progress-bar on --disable-pip-version-check -r requirements-bot.txt
	# Only the vector files of wordllama are used (bot/components/sentence_vectors.py).
	$(BOT_VENV)/bin/pip install --disable-pip-version-check --no-deps $(WORDLLAMA)
	# The actions share helpline.keys and helpline.content with the gateway: one definition.
	$(BOT_VENV)/bin/pip install --disable-pip-version-check --no-deps -e .
	@touch $@

# --- The model: trained when bot/ or the training data changed since the last one -------------
$(MODEL): $(TRAINING_FILES) | $(BOT_VENV)/.installed
	@echo "==> training the Rasa model (5 to 17 minutes on 2 quiet cores, depending on the machine)"
	$(RASA_ENV) $(RASA) train $(RASA_CONFIG) $(RASA_DOMAIN) $(RASA_DATA) \
		--out models --fixed-model-name helpline
	@touch $@

train: $(MODEL)

# Seconds, on the same examples and the bot's fallback threshold (bot/config.yml).
$(BACKSTOP): $(NLU_FILES) bot/config.yml src/helpline/vectors.py $(wildcard src/helpline/backstop/*.py) | $(VENV)/.installed
	@echo "==> training the gateway's backstop reader"
	$(GATEWAY)/helpline train-backstop

backstop: $(BACKSTOP)

# --- Run --------------------------------------------------------------------------------------
run: $(VENV)/.installed $(BOT_VENV)/.installed $(MODEL) $(BACKSTOP)
	@$(LOAD_ENV); exec $(GATEWAY)/helpline run

bench: $(VENV)/.installed $(BOT_VENV)/.installed $(MODEL) $(BACKSTOP)
	@$(LOAD_ENV); exec $(GATEWAY)/helpline bench $(BENCH_ARGS)

bench-screen: $(VENV)/.installed
	@exec $(GATEWAY)/helpline bench-screen

bench-backstop: $(BACKSTOP)
	@exec $(GATEWAY)/helpline bench-backstop

eval: $(VENV)/.installed $(BOT_VENV)/.installed $(MODEL) $(BACKSTOP)
	@$(LOAD_ENV); exec $(GATEWAY)/helpline eval tests/data/eval.tsv

# --- Tests ------------------------------------------------------------------------------------
validate: $(BOT_VENV)/.installed
	@echo "==> rasa data validate (warnings fail)"
	$(RASA_ENV) $(RASA) data validate $(RASA_CONFIG) $(RASA_DOMAIN) $(RASA_DATA) --fail-on-warnings

test-stories: $(MODEL)
	@echo "==> Rasa test stories"
	$(RASA_ENV) $(RASA) test core --model $(MODEL) \
		--stories $(RASA_TESTS) --fail-on-prediction-errors --out var/rasa-test-results

test-actions: $(BOT_VENV)/.installed
	@echo "==> action server and NLU component tests (bot environment, real Redis)"
	$(BOT_VENV)/bin/python -m pytest -c tests/actions/pytest.ini --rootdir . --confcutdir . tests/actions tests/bot

# Chromium for the browser tests comes from Debian's packages (never a browser download).
browser-deps:
	@[ -x /usr/bin/chromium ] || { echo "==> installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }

test-gateway: $(VENV)/.installed $(BOT_VENV)/.installed $(MODEL) $(BACKSTOP) browser-deps
	@echo "==> gateway unit, end-to-end and browser tests (real Redis, Rasa, action server, Chromium)"
	$(GATEWAY)/python -m pytest

test: validate test-stories test-actions test-gateway

clean:
	rm -rf models var/rasa-test-results
