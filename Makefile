# The two commands a new user needs: `make lab` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab instructor test setup lint lessons bench clean
.PHONY: lessons-zh lab-zh

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
	$(BIN)/ruff check minigrad grader tests bench i18n
	$(BIN)/mypy minigrad grader i18n

LESSONS := $(notdir $(wildcard solutions/[0-9][0-9]_*))

# lessons/ is generated from solutions/ by nbgrader: never edit it by hand.
lessons: setup
	for l in $(LESSONS); do \
	  PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/nbgrader generate_assignment "$$l" --force --log-level=WARN || exit 1; \
	done

# The Chinese edition (中文版): zh/ is a second nbgrader course root, built from solutions/ and the
# translations in i18n/zh/ (python -m i18n.build status: which translations are stale).
lessons: lessons-zh

lessons-zh: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m i18n.build

# The Chinese lessons in a Chinese JupyterLab: the student's Lab of `make lab` (lab/student), on
# zh/lessons, with the language pack (extra `zh`) and a private settings folder whose only
# setting is the interface locale (the user's own settings stay untouched).
ZH_LAB := zh/.lab
$(VENV)/.zh-installed: $(STAMP)
	$(BIN)/python -m pip install --progress-bar off -e '.[test,zh]'
	touch $@

lab-zh: $(VENV)/.zh-installed
	mkdir -p $(ZH_LAB)/settings/@jupyterlab/translation-extension $(ZH_LAB)/workspaces
	echo '{"locale": "zh_CN"}' \
	  > $(ZH_LAB)/settings/@jupyterlab/translation-extension/plugin.jupyterlab-settings
	JUPYTER_CONFIG_PATH="$(CURDIR)/lab/student" PATH="$(CURDIR)/$(BIN):$$PATH" \
	  $(BIN)/jupyter lab --allow-root --ServerApp.root_dir="$(CURDIR)/zh/lessons" \
	  --LabApp.user_settings_dir="$(CURDIR)/$(ZH_LAB)/settings" \
	  --LabApp.workspaces_dir="$(CURDIR)/$(ZH_LAB)/workspaces" \
	  $(if $(wildcard zh/lessons/01_chain_rule/01_chain_rule.ipynb),01_chain_rule/01_chain_rule.ipynb)

# OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE may be set on a machine for old OpenBLAS builds; they slow
# a current numpy, so the benchmark runs without them (RESULTS.md records the BLAS kernel used).
# One BLAS/OpenMP thread for every engine: on a small machine a second thread can wait a whole
# scheduler slice, which made single MLP steps 10x slower for numpy and torch alike.
bench: setup
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 \
	  MKL_NUM_THREADS=1 PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build/browser
