"""Cold start: wall time of a fresh `dgpt` process, median of 5. A benchmark, not a test.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_coldstart.py [--runs 5] [--backends onnx,torch] [--json]

Commands on the starter catalog, no LLM: `dgpt --help`, `dgpt select PROMPT --json`, `dgpt generate PROMPT --json`.
Each backend (DGPT_EMBED_BACKEND: onnx, the default, and torch, sentence-transformers as before) gets its own data
home, prepared once by `dgpt index build --catalog starter` (the ONNX export and the index sync, timed and reported
as the first run in a fresh home); then every command runs `--runs` times, each in a new process. With `--server`
(default on), `dgpt select` is also timed with DGPT_SERVER naming a `dgpt serve` started on the onnx home.
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
import urllib.request
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


def served_select(env: dict, runs: int) -> tuple[float, list[float]]:
    """Median wall time of a fresh `dgpt select` sent to a running `dgpt serve` (DGPT_SERVER), on the same home."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [DGPT, "serve", "--catalog", "starter", "--llm", "none", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("dgpt serve did not come up within 120 s")
                time.sleep(0.2)
        client = {**env, "DGPT_SERVER": url}
        cmd = ["select", PROMPT, "--catalog", "starter", "--json"]
        wall(cmd, client)  # the server's own first request loads its embedder; a user's server is warm
        times = [wall(cmd, client) for _ in range(runs)]
        return statistics.median(times), times
    finally:
        server.terminate()
        server.wait(30)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--backends", default="onnx,torch")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--server", action=argparse.BooleanOptionalAction, default=True)
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
            if args.server and backend == "onnx":
                row["served"], times = served_select(env, args.runs)
                print(f"{backend} served select: median {row['served']:.2f}s of {times}", file=sys.stderr, flush=True)
            rows.append(row)
    print("| command | " + " | ".join(f"{r['backend']} s" for r in rows) + " |")
    print("|---|" + "---:|" * len(rows))
    for name in COMMANDS:
        print(f"| `{name}` | " + " | ".join(f"{r[name]:.2f}" for r in rows) + " |")
    if any("served" in r for r in rows):
        cells = " | ".join(f"{r['served']:.2f}" if "served" in r else "-" for r in rows)
        print(f"| `dgpt select` with DGPT_SERVER (a warm `dgpt serve`) | {cells} |")
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
