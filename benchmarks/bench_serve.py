"""`dgpt serve` figures: process start to first answer, warm /v1/select latency at 1, 4 and 16 concurrent clients,
and starter-catalog images per minute through the drawing queue. The server runs as a subprocess on a free loopback
port (no LLM, starter catalog), as `make serve` starts it.

    python benchmarks/bench_serve.py [--requests 64] [--images 12] [--json]
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROMPTS = [
    "a red circle on a blue background",
    "the letter K in yellow on black",
    "green and white vertical stripes",
    "a sunset over the sea with hills",
    "a purple star on a white background",
    "polka dots, orange on blue",
    "the digit 7 in white on red",
    "snowy mountains under a night sky with the moon",
]


def post(url: str, body: dict, timeout: float = 600) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as r:
        return json.loads(r.read())


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=64, help="/v1/select requests per concurrency level")
    p.add_argument("--images", type=int, default=12, help="pictures drawn for the images-per-minute figure")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()

    sys.path.insert(0, str(ROOT))
    from agent.server.run import free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    env.setdefault("DGPT_HOME", tempfile.mkdtemp(prefix="dgpt-bench-serve-"))
    start = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "agent.cli", "serve", "--port", str(port), "--catalog", "starter", "--llm", "none"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while True:
            try:
                post(f"{base}/v1/select", {"prompt": PROMPTS[0]}, timeout=5)
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(f"the server exited: {server.stderr.read()[-2000:]}") from None
                time.sleep(0.1)
        first_answer_s = time.perf_counter() - start

        for prompt in PROMPTS:  # warm every path once
            post(f"{base}/v1/select", {"prompt": prompt})
        select = {}
        for clients in (1, 4, 16):

            def one(i: int) -> float:
                t0 = time.perf_counter()
                post(f"{base}/v1/select", {"prompt": PROMPTS[i % len(PROMPTS)]})
                return (time.perf_counter() - t0) * 1000

            t0 = time.perf_counter()
            with ThreadPoolExecutor(clients) as pool:
                times = list(pool.map(one, range(args.requests)))
            wall = time.perf_counter() - t0
            select[clients] = {
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(pct(times, 0.95), 1),
                "requests_per_s": round(args.requests / wall, 1),
            }

        post(f"{base}/v1/images/generations", {"prompt": PROMPTS[0]})  # the pipelines load once
        t0 = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            list(
                pool.map(
                    lambda i: post(f"{base}/v1/images/generations", {"prompt": PROMPTS[i % 8]}), range(args.images)
                )
            )
        images_per_minute = args.images / (time.perf_counter() - t0) * 60
    finally:
        server.terminate()
        server.wait(timeout=120)

    result = {
        "start_to_first_answer_s": round(first_answer_s, 1),
        "select": select,
        "images_per_minute": round(images_per_minute, 1),
        "image": "starter catalog, model defaults (20 steps, 256x256), 4 clients, CPU",
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"process start to first /v1/select answer: {result['start_to_first_answer_s']} s")
        print("| clients | p50 ms | p95 ms | requests/s |\n|---:|---:|---:|---:|")
        for clients, row in select.items():
            print(f"| {clients} | {row['p50_ms']} | {row['p95_ms']} | {row['requests_per_s']} |")
        print(f"starter images per minute ({result['image']}): {result['images_per_minute']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
