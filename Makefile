# Two commands set everything up on a fresh machine: `make demo` and `make test`.
# Each builds .venv from the pinned requirements.txt when it is missing or older
# than requirements.txt (the stamp file), so a second run installs nothing.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_DIR ?= runs/demo
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: venv demo test bench reproduce clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(PY) -m demo --workdir=$(DEMO_DIR)

# Both cores: pytest-xdist runs each test file in one of two workers, in the order of
# tests/conftest.py (the longest first).
test: $(STAMP)
	$(PY) -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder tests

# Speed ratios, minutes in all. The reproduce_* scripts train for hours: `make reproduce`.
bench: $(STAMP)
	@set -e; for script in bench/*.py; do case $$script in bench/reproduce_*|bench/__init__.py|bench/*_util.py) continue;; esac; \
	  echo "== $$script"; $(PY) $$script; done

reproduce: $(STAMP)
	$(PY) bench/reproduce_binarized_mnist.py

clean:
	rm -rf runs bench/results
