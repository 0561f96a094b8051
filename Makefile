# Set-up is part of every target: a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test test-fast test-llm lint bench clean serve browser

# A dropped connection must not fail a build: pip resumes a cut download, and the whole install is tried three times
# (a CI run once died on a 53 MB wheel cut off five times at the same byte).
comma := ,
PIP_INSTALL := $(BIN)/python -m pip install -q --retries 10 --resume-retries 30
define retry
for attempt in 1 2 3; do $(1) && break; [ $$attempt = 3 ] && exit 1; echo "pip install failed (try $$attempt of 3); trying again in 15 s" >&2; sleep 15; done
endef

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(call retry,$(BIN)/python -m pip install -q --upgrade pip)
	# A CPU wheel of torch first: a bare torch requirement would pull a multi-GB CUDA build on a CPU machine.
	$(BIN)/python -c "import torch" 2>/dev/null || { $(call retry,$(PIP_INSTALL) torch==2.13.0); }
	$(call retry,$(PIP_INSTALL) -c constraints.txt -e '.[dev]')
	touch $(STAMP)

# Offline: the starter zoo's experts draw a real picture; the shipped judge ratings are its feedback (idempotent import).
demo: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/dgpt feedback import tools/catalogs/starter/ratings.jsonl --catalog starter
	OMP_NUM_THREADS=1 $(BIN)/dgpt generate "a yellow star on a purple background" --catalog starter --explain
	OMP_NUM_THREADS=1 $(BIN)/dgpt select "I want to see a watercolor painting of a fox in a snowy forest" --catalog hub --explain

# One warm process behind OpenAI's images and chat APIs, on loopback, starter catalog (HOST, PORT, CATALOG to change).
HOST ?= 127.0.0.1
PORT ?= 8000
CATALOG ?= starter
serve: $(STAMP)
	@echo "dgpt serve: the page at http://$(HOST):$(PORT)/ (open it in a browser); OpenAI base URL http://$(HOST):$(PORT)/v1 (catalog $(CATALOG)); Ctrl-C stops it"
	OMP_NUM_THREADS=1 $(BIN)/dgpt feedback import tools/catalogs/starter/ratings.jsonl --catalog starter
	OMP_NUM_THREADS=1 $(BIN)/dgpt serve --host $(HOST) --port $(PORT) --catalog $(CATALOG)

# What CI runs (.ci/run): the linters, then every offline test, the slow tier included (about 5 minutes on 2 cores).
# The browser test needs Debian's chromium: installed here when missing (idempotent; without apt-get the test skips).
test: lint browser
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest

browser:
	@.ci/install-chromium

# The inner loop: the same suite without the tests marked slow (notebooks, hub routing, time-outs, Chroma server).
test-fast: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -m "not slow and not gpu and not network and not local and not llm_server"

# The LLM path against a real server: llama.cpp's OpenAI-compatible server (llama-cpp-python[server], the `local`
# extra) with SmolLM2 on a free loopback port. Not part of `make test` or .ci/run: llama-cpp-python compiles from
# source (about 10 min on 2 cores the first time; the install is idempotent after that).
test-llm: $(STAMP)
	$(call retry,$(PIP_INSTALL) -c constraints.txt -e '.[dev$(comma)local]')
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -m llm_server

# ruff (lint and format) and import-linter's layer and cycle contracts, all configured in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

bench: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/bench_select.py
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/bench_generate.py
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/bench_routing.py
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/bench_rules.py
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/bench_serve.py
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/bench_coldstart.py
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/bench_feedback.py
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/bench_styles.py --set tools/data/eval_chat_a.yaml
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/bench_readers.py

clean:
	rm -rf $(VENV) build *.egg-info
