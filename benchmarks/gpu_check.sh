#!/usr/bin/env bash
# The GPU check, ready to run on a lent GPU machine whose image has torch (with CUDA) and nothing else of the stack,
# and no network. Two phases:
#
#   benchmarks/gpu_check.sh --prepare [--dry-run]   on this CPU machine: fill build/gpu_carry/ (<= 64 MiB) with
#       the wheels the GPU image lacks (pinned by constraints.txt, no torch) and the starter zoo's text
#       conditioning precomputed with MiniLM (the MiniLM folder itself is not carried).
#   benchmarks/gpu_check.sh [--dry-run]             on the GPU machine, from the repository root, with build/gpu_carry
#       carried beside the working tree: install those wheels offline into a venv that sees the image's torch,
#       then run the gpu-marked tests (tests/test_gpu.py: device placement, CUDA memory release on eviction, CPU
#       offload over the budget, image-to-image, the starter zoo in fp16 and bf16, a throughput figure).
#
# --dry-run prints what each step would do and checks that the files it needs exist; it installs and runs nothing.
# GPU_PYTHON (e.g. 3.12) picks the Python version the wheels are downloaded for (default: this Python's).
# GPU_CARRY moves build/gpu_carry; PYTHON is the CPU side's interpreter (default .venv/bin/python).
set -euo pipefail

cd "$(dirname "$0")/.."
CARRY=${GPU_CARRY:-build/gpu_carry}
WHEELS=$CARRY/wheels
TEXT=$CARRY/starter_text.npz
LIMIT_MIB=64
PY=${PYTHON:-.venv/bin/python}
DRY=0
PREPARE=0
for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY=1 ;;
    --prepare) PREPARE=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "gpu_check.sh: unknown argument '$arg'; use --prepare and/or --dry-run" >&2; exit 2 ;;
  esac
done

say() { echo "gpu_check: $*"; }
run() { if [ "$DRY" = 1 ]; then echo "  would run: $*"; else "$@"; fi; }
missing=0
need() {  # need PATH WHAT: a file or folder the next step reads
  if [ -e "$1" ]; then say "found $2: $1"; else say "MISSING $2: $1"; missing=1; fi
}

# What the GPU tests import beyond torch: the loader and cache (diffusers, accelerate for offload), the tiny
# pipelines' CLIP text encoders and tokenizer (transformers), catalogs and tools (pydantic, yaml, langchain-core),
# images (pillow), and pytest. Their dependencies are listed from this venv so pip never resolves (and never
# downloads torch or CUDA libraries) on either machine. numpy is left to the image (every torch image has one; its
# wheel alone is 16 MiB) and checked there.
ROOTS="diffusers transformers accelerate langchain-core pydantic pyyaml pillow pytest"
SKIP="torch triton sympy mpmath networkx jinja2 markupsafe filelock fsspec setuptools numpy"

if [ "$PREPARE" = 1 ]; then
  need "$PY" "the project venv's Python"
  need constraints.txt "the pinned versions"
  need tools/catalogs/starter "the starter zoo (travels with the working tree)"
  [ "$missing" = 0 ] || { say "cannot prepare: files missing (run make test first to create .venv)"; exit 1; }
  PYV=${GPU_PYTHON:-$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')}
  PINS=$("$PY" - "$ROOTS" "$SKIP" <<'EOF'
import re, sys
from importlib.metadata import distribution, PackageNotFoundError
roots, skip = sys.argv[1].split(), set(sys.argv[2].split())
norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()
seen, todo = {}, [norm(r) for r in roots]
while todo:
    name = todo.pop()
    if name in seen or name in skip or name.startswith("nvidia-"):
        continue
    try:
        dist = distribution(name)
    except PackageNotFoundError:
        continue
    seen[name] = dist.version
    for req in dist.requires or []:
        if "extra ==" in req:
            continue
        todo.append(norm(re.split(r"[ ;<>=!~\[(]", req, maxsplit=1)[0]))
print(" ".join(f"{n}=={v}" for n, v in sorted(seen.items())))
EOF
)
  say "wheels for Python $PYV, manylinux x86_64, no dependencies resolved: $PINS"
  run mkdir -p "$WHEELS"
  run "$PY" -m pip download --quiet --no-deps --only-binary=:all: --python-version "$PYV" \
    --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 \
    --implementation cp -d "$WHEELS" $PINS
  if [ "$DRY" = 1 ]; then echo "  would write: $CARRY/requirements.txt"; else echo "$PINS" | tr ' ' '\n' > "$CARRY/requirements.txt"; fi
  run env OMP_NUM_THREADS=1 "$PY" benchmarks/gpu_text.py "$TEXT"
  if [ "$DRY" = 0 ]; then
    size=$(du -sm "$CARRY" | cut -f1)
    say "$CARRY holds ${size} MiB (limit ${LIMIT_MIB} MiB with everything else carried)"
    [ "$size" -le "$LIMIT_MIB" ] || { say "too big: drop a wheel or carry fewer"; exit 1; }
    say "ready: carry '$CARRY' and run benchmarks/gpu_check.sh on the GPU machine"
  fi
  exit 0
fi

# -- on the GPU machine ---------------------------------------------------------------------------------------
need "$WHEELS" "the wheels (benchmarks/gpu_check.sh --prepare makes them)"
need "$CARRY/requirements.txt" "the list of carried wheels"
need "$TEXT" "the precomputed starter text conditioning"
need tools/catalogs/starter/starter-shapes "the starter zoo's weights"
need tests/test_gpu.py "the gpu-marked tests"
if [ "$missing" = 1 ] && [ "$DRY" = 0 ]; then
  say "files are missing (above); run benchmarks/gpu_check.sh --prepare on the CPU machine and carry $CARRY"
  exit 1
fi
SYS_PY=${GPU_SYSTEM_PYTHON:-python3}
if [ "$DRY" = 1 ]; then
  say "this machine's python3: $(command -v "$SYS_PY" || echo none)"
else
  "$SYS_PY" -c 'import numpy, torch; assert torch.cuda.is_available(), "torch sees no CUDA device"; print("gpu_check: torch", torch.__version__, "on", torch.cuda.get_device_name(0))'
fi
VENV=build/gpu_venv
run "$SYS_PY" -m venv --system-site-packages "$VENV"  # the image's torch stays visible
run "$VENV/bin/python" -m pip install --quiet --no-index --find-links "$WHEELS" -r "$CARRY/requirements.txt"
run env PYTHONPATH=. DGPT_GPU_TEXT="$TEXT" HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 DGPT_HOME=build/gpu_home \
  "$VENV/bin/python" -m pytest -m gpu tests/test_gpu.py -p no:cacheprovider -q -rs -s \
  --deselect tests/test_gpu.py::test_real_hub_model_draws_on_the_gpu
if [ "$missing" = 1 ]; then
  say "dry run: files are missing (above); run benchmarks/gpu_check.sh --prepare on the CPU machine first"
  exit 1
fi
[ "$DRY" = 1 ] && say "dry run: every file is in place"
exit 0
