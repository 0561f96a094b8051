"""Cold start: wall time of a fresh `dgpt` process, median of 5. A benchmark, not a test.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_coldstart.py [--runs 5] [--backends onnx,torch] [--json]

Commands on the starter catalog, no LLM: `dgpt --help`, `dgpt select PROMPT --json`, `dgpt generate PROMPT --json`.
Each backend (DGPT_EMBED_BACKEND: onnx, the default, and torch, sentence-transformers as before) gets its own data
home, prepared once by `dgpt index build --catalog starter` (the ONNX export and the index sync, timed and reported
as the first run in a fresh home); then every command runs `--runs` times, each in a new process.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DGPT = str(Path(sys.executable).with_name("dgpt"))
PROMPT = "a yellow star on a purple background"
COMMANDS = {
    "dgpt --help": ["--help"],
    "dgpt select": ["select", PROMPT, "--catalog", "starter", "--llm", "none", "--json"],
    "dgpt generate": ["generate", PROMPT, "--catalog", "starter", "--llm", "none", "--json", "--seed", "1"],
}


def wall(argv: list[str], env: dict) -> float:
    t = time.perf_counter()
    subprocess.run([DGPT, *argv], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--backends", default="onnx,torch")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="dgpt-bench-cold-") as root:
        for backend in args.backends.split(","):
            home = Path(root) / backend
            env = {
                **os.environ,
                "DGPT_HOME": str(home),
                "DGPT_EMBED_BACKEND": backend,
                "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"),
                "HF_HUB_OFFLINE": "1",
                "ANONYMIZED_TELEMETRY": "False",
            }
            env.pop("DGPT_LLM", None)
            first = wall(["index", "build", "--catalog", "starter"], env)
            row = {"backend": backend, "first_index_build_s": first}
            for name, cmd in COMMANDS.items():
                times = [wall(cmd, env) for _ in range(args.runs)]
                row[name] = statistics.median(times)
                print(f"{backend} {name}: median {row[name]:.2f}s of {times}", file=sys.stderr, flush=True)
            rows.append(row)
    print("| command | " + " | ".join(f"{r['backend']} s" for r in rows) + " |")
    print("|---|" + "---:|" * len(rows))
    for name in COMMANDS:
        print(f"| `{name}` | " + " | ".join(f"{r[name]:.2f}" for r in rows) + " |")
    print(
        "| first `dgpt index build` in a fresh home | "
        + " | ".join(f"{r['first_index_build_s']:.2f}" for r in rows)
        + " |"
    )
    print(
        f"\nMedian of {args.runs} fresh processes each, starter catalog, no LLM, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}."
    )
    if args.json:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
