# Set-up is part of every target: a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# A CPU wheel of torch first: a bare torch requirement would pull a multi-GB CUDA build on a CPU machine.
	$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Offline: the starter zoo's experts draw a real picture; the shipped judge ratings are its feedback (idempotent import).
demo: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/dgpt feedback import tools/catalogs/starter/ratings.jsonl --catalog starter
	OMP_NUM_THREADS=1 $(BIN)/dgpt generate "a yellow star on a purple background" --catalog starter --explain
	OMP_NUM_THREADS=1 $(BIN)/dgpt select "I want to see a watercolor painting of a fox in a snowy forest" --catalog hub --explain

test: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest

bench: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/bench_select.py
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/bench_generate.py
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/bench_routing.py

clean:
	rm -rf $(VENV) build *.egg-info
