# Lupus Biologics Assistant. `make help` lists the targets.
# Every target sets up what it needs first (.venv with Python 3.10, spaCy pipeline, model).

VENV        := .venv
PYTHON      := $(VENV)/bin/python
RASA        := $(VENV)/bin/rasa
MODEL       := models/lupus-biologics.tar.gz
SPACY_STAMP := $(VENV)/.spacy-pipeline
# (The sentence-embedding regression reads the training examples through lupus_faq/language/
# and the vocabulary: its fingerprint_addon tells Rasa's cache when that reading changed.)
TRAINING_INPUTS := config.yml domain.yml $(wildcard data/*.yml) $(wildcard nlu_components/*.py) \
                   $(wildcard lupus_faq/language/*.py) knowledge/vocabulary.yml

# Quieter start-up: TensorFlow's and SQLAlchemy's notices and the deprecation warnings of
# Rasa 3.6's dependencies. Set these yourself to see everything. (Sanic 21.12, which every
# `rasa` command imports, turns deprecation warnings back on, so `rasa train` still shows some;
# the shell of `make chat` hides them, scripts/rasa_shell.py.)
export TF_CPP_MIN_LOG_LEVEL ?= 2
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
export PYTHONWARNINGS ?= ignore::DeprecationWarning,ignore::PendingDeprecationWarning
export PYTHONDONTWRITEBYTECODE ?= 1
# No usage telemetry leaves the machine.
export RASA_TELEMETRY_ENABLED ?= false

.DEFAULT_GOAL := help
.PHONY: help setup setup-test setup-web setup-tools spacy train run chat serve test lint explain validate report purge load bench eval audit docker-build compose-up lock clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-11s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: ## Create .venv (Python 3.10) and install the pinned runtime dependencies
	@scripts/setup.sh runtime

setup-test: setup-web ## Same, plus the test dependencies and Chromium for the browser test
	@scripts/setup.sh test
	@scripts/install-system-packages.sh

setup-web: web/node_modules/.package-lock.json ## Install the chat widget's pinned npm packages

setup-tools: ## The audit tools' own venv, .venv-tools (pip-audit, requirements-tools.txt)
	@scripts/setup.sh tools

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	@echo "==> Installing the chat widget's npm packages (web/package-lock.json)"
	@npm ci --prefix web --no-audit --no-fund

# The spaCy pipeline is rebuilt when the vocabulary changes, or when .venv was recreated.
$(SPACY_STAMP): knowledge/vocabulary.yml $(wildcard lupus_faq/language/*.py) scripts/build_spacy_pipeline.py $(VENV)/pyvenv.cfg
	@echo "==> Building the spaCy pipeline from knowledge/vocabulary.yml"
	@$(PYTHON) scripts/build_spacy_pipeline.py
	@touch $@

spacy: setup $(SPACY_STAMP) ## Build the spaCy pipeline and install it into .venv

# Retrained only when the NLU data, domain, config or custom NLU components change.
$(MODEL): $(TRAINING_INPUTS) | $(SPACY_STAMP)
	@echo "==> Training the model (about 17 minutes on 2 cores; a few when only the dialogue or the regression changed)"
	@$(RASA) train --fixed-model-name lupus-biologics --out models
	@touch $@

train: setup spacy $(MODEL) ## Train the model if its inputs changed
	@echo "==> Model ready: $(MODEL)"

run: train setup-web ## Demo page with the chat widget on :8000 + all servers, until Ctrl-C
	@$(PYTHON) -m scripts.launch run

chat: train ## Chat in the terminal (starts and stops the action server itself)
	@$(PYTHON) -m scripts.launch chat

serve: train ## Action server + Rasa server (REST, socketio) on :5005 until Ctrl-C
	@$(PYTHON) -m scripts.launch serve

test: setup-test spacy $(MODEL) ## Run the whole test suite: lint and types first, then unit, data, NLU, stories, servers
	@scripts/test.sh

lint: setup-test ## ruff (lint and format check) and mypy; the first step of make test
	@scripts/lint.sh

explain: train ## Why a message gets its reply: make explain TEXT="..." [PREVIOUS="..."] [CONTEXT='{"drugs":["belimumab"]}']
	@$(PYTHON) -m scripts.explain "$(TEXT)" $(if $(PREVIOUS),--previous "$(PREVIOUS)") $(if $(CONTEXT),--context '$(CONTEXT)')

validate: setup ## rasa data validate
	@$(RASA) data validate --fail-on-warnings

report: setup ## Unanswered questions and unhelpful answers, e.g. make report FROM=2026-11-01 TO=2026-11-30
	@$(PYTHON) -m scripts.report $(if $(FROM),--from $(FROM)) $(if $(TO),--to $(TO))

purge: setup ## Delete conversations older than RETENTION_DAYS (30), or make purge DAYS=7
	@$(PYTHON) -m scripts.retention $(if $(DAYS),--days $(DAYS))

load: train ## Load run: 50 simulated users x 20 turns over REST (USERS=, TURNS= to change)
	@$(PYTHON) -m scripts.load --users $(or $(USERS),50) --turns $(or $(TURNS),20)

bench: train ## Speed and cost vs a bare `rasa init` server; writes docs/benchmarks.md (QUICK=1: smoke run)
	@$(PYTHON) -m scripts.bench $(if $(QUICK),--quick --out build/bench-quick)

eval: train ## Accuracy: held-out and blind sets through the server, vs baselines (3 h+); docs/benchmarks-accuracy.md (QUICK=1: smoke run; FRESH=1: also the fresh blind batch; FOLDS=0: no cross-validation, about 1 h)
	@$(PYTHON) -m eval.run $(if $(QUICK),--quick) $(if $(FRESH),--fresh) $(if $(FOLDS),--folds $(FOLDS))

audit: setup setup-tools ## Pinned Python and npm packages against public advisory databases, one table
	@.venv-tools/bin/python -m scripts.audit

docker-build: ## Build the deployment image (needs a Docker engine)
	docker build -f deploy/Dockerfile -t lupus-biologics-assistant:0.1.0 .

compose-up: setup-web ## 2 Rasa + 2 action servers, PostgreSQL, Redis, nginx (needs Docker; deploy/.env)
	cd deploy && docker compose up -d --build

lock: ## Re-resolve requirements*.txt: constraints.txt, constraints-tools.txt, the image's Python
	@scripts/lock.sh

clean: ## Remove build output, models, logs, reports and test results (keeps .venv and var/)
	rm -rf build models logs results reports tests/output .pytest_cache
