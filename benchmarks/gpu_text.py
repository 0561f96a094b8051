"""Precompute the starter zoo's text conditioning for the GPU check, on a CPU with MiniLM installed.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/gpu_text.py OUT.npz

The lent GPU machine has torch but no MiniLM folder (it would not fit in what travels with the working tree), so
tests/test_gpu.py reads `tools.starter.text_condition`'s output for its prompts from this file (DGPT_GPU_TEXT):
`prompts` (N,), `hidden` (N, 16, 384) and `pooled` (N, 384), float32, about 25 KB a prompt.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.test_gpu import STARTER_PROMPTS  # noqa: E402
from tools.starter import text_condition  # noqa: E402


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit("usage: gpu_text.py OUT.npz")
    out = Path(argv[0])
    prompts = [*STARTER_PROMPTS, ""]  # "" too: an empty negative prompt may be encoded
    hidden, pooled = text_condition(prompts)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as f:
        np.savez(f, prompts=np.asarray(prompts), hidden=hidden.numpy(), pooled=pooled.numpy())
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB, {len(prompts)} prompts)")


if __name__ == "__main__":
    main(sys.argv[1:])
