# diglot: coordinators drive the workflow with these targets (see README.md).
# The first run creates a virtual environment in .venv with everything diglot needs.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DIGLOT := $(BIN)/diglot
ENGINE ?= memory

.DEFAULT_GOAL := help
.PHONY: help setup extract update translate status check report editions draft align test lint bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

$(DIGLOT): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(DIGLOT)

setup: $(DIGLOT) ## create .venv and install diglot with its test tools

extract: $(DIGLOT) ## write locales/<doc>.pot from source/<lang>/
	$(DIGLOT) extract

update: extract ## create or merge locales/<lang>/LC_MESSAGES/<doc>.po
	$(DIGLOT) update

translate: update ## fill untranslated entries with fuzzy drafts (ENGINE=memory|deepl|llm)
	$(DIGLOT) translate --engine $(ENGINE)

status: $(DIGLOT) ## progress per document and language
	$(DIGLOT) status

report: $(DIGLOT) ## write reports/status.html
	$(DIGLOT) status --html

check: translate ## QA checks over every catalog (fails on errors)
	$(DIGLOT) check

editions: check ## the whole pipeline: extract, update, drafts, QA, then build the editions
	$(DIGLOT) build
	$(DIGLOT) status

draft: translate ## build marked drafts into editions-draft/, whatever is unreviewed
	$(DIGLOT) build --draft

align: $(DIGLOT) ## import published/<lang>/<doc>.txt|.md into the catalogs (see README)
	$(DIGLOT) align

test: $(DIGLOT) ## run the test suite
	$(BIN)/python -m pytest

lint: $(DIGLOT) ## ruff and mypy (strict, over src and tests)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src tests

bench: $(DIGLOT) ## segmentation and update benchmarks against the peers (slow)
	$(BIN)/python bench/segmentation.py
	$(BIN)/python bench/update.py

clean: ## remove generated editions, reports and caches (never catalogs)
	rm -rf editions editions-draft reports test-artifacts .pytest_cache .mypy_cache .ruff_cache .diglot/cache
