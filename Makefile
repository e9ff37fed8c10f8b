# The two commands a new user needs: `make lab` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab instructor test setup lint lessons bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --progress-bar off -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# The student's Lab: the lessons, without nbgrader's instructor tools (create assignment,
# formgrader, course list and the Nbgrader menu are switched off by lab/student/labconfig).
lab: setup
	JUPYTER_CONFIG_PATH="$(CURDIR)/lab/student" PATH="$(CURDIR)/$(BIN):$$PATH" \
	  $(BIN)/jupyter lab --allow-root --ServerApp.root_dir="$(CURDIR)/lessons" \
	  $(if $(wildcard lessons/01_chain_rule/01_chain_rule.ipynb),01_chain_rule/01_chain_rule.ipynb)

# The instructor's Lab: the whole course (solutions/, nbgrader_config.py) with nbgrader's tools.
instructor: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyter lab --allow-root --ServerApp.root_dir="$(CURDIR)" \
	  $(if $(wildcard solutions/01_chain_rule/01_chain_rule.ipynb),solutions/01_chain_rule/01_chain_rule.ipynb)

# Includes the browser tests (tests/test_browser.py): they need Debian's chromium
# (`apt-get install -y chromium`) and skip without it, except under CI=true.
test: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check minigrad grader tests bench
	$(BIN)/mypy minigrad grader

LESSONS := $(notdir $(wildcard solutions/[0-9][0-9]_*))

# lessons/ is generated from solutions/ by nbgrader: never edit it by hand.
lessons: setup
	for l in $(LESSONS); do \
	  PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/nbgrader generate_assignment "$$l" --force --log-level=WARN || exit 1; \
	done

# OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE may be set on a machine for old OpenBLAS builds; they slow
# a current numpy, so the benchmark runs without them (RESULTS.md records the BLAS kernel used).
bench: setup
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PATH="$(CURDIR)/$(BIN):$$PATH" \
	  $(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build/browser
