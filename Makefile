# The two commands: `make book` and `make test`. Each sets up .venv first (Python 3.11).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book test bench check-views assignments clean help setup

help:
	@echo "make book   build the HTML book into _build/html (executes the chapters whose inputs changed)"
	@echo "make test   lint and format checks (ruff), then the whole test suite (models, data, notebooks, book build)"
	@echo "make bench  the speed and weight goals (README, How fast): redraws, cohort, builds, bytes"
	@echo "make check-views  every view at each parameter's ends, its text measured at 390 and 1280 px"
	@echo "make assignments  student, instructor and nbgrader copies of every chapter"
	@echo "make clean  remove _build (keeps .venv)"

# Set-up: create .venv if missing and install the pinned requirements and the package.
$(STAMP): requirements.txt pyproject.toml
	@if [ ! -x $(BIN)/python ]; then \
	  echo "Creating $(VENV) with $(PYTHON)"; \
	  $(PYTHON) -m venv $(VENV); \
	fi
	@$(BIN)/python -c 'import sys; v=sys.version_info[:2]; print("Python %d.%d in .venv" % v); \
	  (v == (3, 11)) or print("warning: the book is pinned and tested on Python 3.11")'
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

setup: $(STAMP)

# Notebooks run first, in parallel, into the execution cache (only those whose code or inputs
# changed: see scripts/execute_notebooks.py); jupyter-book then re-reads only the changed pages
# and builds strictly (scripts/build_book.py).
book: $(STAMP)
	$(BIN)/python scripts/build_book.py
	@echo
	@echo "The book is built. Open it in a browser:"
	@echo "    file://$(CURDIR)/_build/html/index.html"

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/execute_notebooks.py
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

# Every view's figure with each parameter at the ends of its range, drawn in Chromium at a
# phone and a desktop width: no text may overlap or run off (a few minutes; not in make test).
check-views: $(STAMP)
	$(BIN)/python scripts/check_views.py

# Student copies (solutions removed, checks kept), instructor copies (solutions, nbgrader
# markup) and an nbgrader course (source/ and the release nbgrader generates from it).
assignments: $(STAMP)
	$(BIN)/python -m widgets.assignments --out _build/assignments

clean:
	rm -rf _build .jupyter_cache
