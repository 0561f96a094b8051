"""How long the rule-based reader takes per request (no-LLM mode's parse). A benchmark, not a test.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_rules.py [--repeat 200]

Target: 0.2 ms per call. Prints the median over `--rounds` rounds of `--repeat` passes over a few varied requests.
"""

from __future__ import annotations

import argparse
import statistics
import time

from graphs.reading.rules import rule_parse

TEXTS = [
    "generate an image of a dog",
    "I'd love to see dragons over a city",
    "If you gave me a toy, I would laugh",
    "a photorealistic portrait of an old fisherman, dramatic lighting, 85mm, bokeh, in a harbor town at dusk",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    for t in TEXTS:
        rule_parse(t)  # compile the patterns once
    per_call = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for _ in range(args.repeat):
            for t in TEXTS:
                rule_parse(t)
        per_call.append((time.perf_counter() - start) / (args.repeat * len(TEXTS)) * 1000)
    print(
        f"rule_parse: median {statistics.median(per_call):.3f} ms per call over {args.rounds} rounds "
        f"(min {min(per_call):.3f}, max {max(per_call):.3f}); target 0.2 ms"
    )


if __name__ == "__main__":
    main()
