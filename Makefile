# Two commands set everything up on a fresh machine with Python 3.11 and make:
#   make run   — virtual environment, install, database with demo data, app on 127.0.0.1:8501
#   make test  — virtual environment, install with dev tools, the whole suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run run-vendor test bench setup clean format

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@ $(VENV)/.installed-run

setup: $(VENV)/.installed-run
	$(BIN)/aivet setup --demo --refresh

run: setup
	$(BIN)/streamlit run streamlit_app.py

# The vendor-facing app for questionnaire links, apart from the staff app (AIVET_PUBLIC_URL points here).
run-vendor: setup
	$(BIN)/streamlit run vendor_app.py --server.port 8502

# The structure first (seconds): lint, format and the import contracts of DESIGN.md; then the suite.
test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/read_speed.py
	$(BIN)/python benchmarks/extract_speed.py
	$(BIN)/python benchmarks/extraction_accuracy.py
	$(BIN)/python benchmarks/extraction_accuracy.py --corpus benchmarks/own_corpus
	$(BIN)/python benchmarks/extraction_accuracy.py --corpus benchmarks/probe_corpus
	$(BIN)/python benchmarks/score_speed.py
	$(BIN)/python benchmarks/page_speed.py
	$(BIN)/python benchmarks/structure_report.py
	$(BIN)/python benchmarks/big_attachment.py
	$(BIN)/python benchmarks/hostile_variants.py
	$(BIN)/python benchmarks/hidden_scan.py
	$(BIN)/python benchmarks/criteria_coverage.py
	$(BIN)/python benchmarks/vendor_layouts.py
	$(BIN)/python benchmarks/llm_tokens.py

# Fix what ruff can fix by itself, and format.
format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) data/aivet.db* data/files
