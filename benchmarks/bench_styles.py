"""Style accuracy of no-LLM routing on the hub catalog for style requests phrased without the tag words. A benchmark,
not a test.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_styles.py --set tools/data/eval_chat_a.yaml [--json]

Each item of the set's `styles:` section (format: tools/data/eval_chat_format.md) is routed with
`Selector(catalog="hub", llm="none")` in a throwaway data home; it scores when the chosen model's tags share one of
the item's acceptable `styles`. Prints the accuracy and every miss (request, acceptable styles, model and its tags,
the styles the parse read).
"""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ.setdefault("OMP_NUM_THREADS", "1")
for _var in ("DGPT_LLM", "DGPT_CHROMA_URL", "DGPT_CATALOG"):
    os.environ.pop(_var, None)

import argparse  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import yaml  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", dest="eval_set", required=True, type=Path, help="YAML with a `styles:` section")
    ap.add_argument("--json", action="store_true", help="print the figures and per-item rows as one JSON object")
    args = ap.parse_args()

    import torch

    torch.set_num_threads(1)
    from agent.selector import Selector

    items = [i for i in (yaml.safe_load(args.eval_set.read_text()) or {}).get("styles") or [] if i.get("request")]
    if not items:
        raise SystemExit(f"{args.eval_set}: no items under `styles:`")
    with tempfile.TemporaryDirectory(prefix="dgpt-bench-styles-") as home:
        selector = Selector(catalog="hub", llm="none", home=home)
        rows = []
        for item in items:
            r = selector.select(item["request"])
            ok = bool(set(item["styles"]) & set(r["tags"]))
            rows.append(
                {
                    "id": item.get("id"),
                    "request": item["request"],
                    "styles": item["styles"],
                    "model": r["model"],
                    "tags": r["tags"],
                    "parsed_styles": r["styles"],
                    "ok": ok,
                }
            )
    hits = sum(r["ok"] for r in rows)
    misses = [r for r in rows if not r["ok"]]
    if args.json:
        print(json.dumps({"set": str(args.eval_set), "items": len(rows), "accuracy": hits / len(rows), "rows": rows}))
        return
    print(f"{args.eval_set}: style accuracy {hits / len(rows):.1%} ({hits}/{len(rows)}), {len(misses)} misses")
    for r in misses:
        print(f"  miss {r['id']}: {r['request']!r} wants {r['styles']} -> {r['model']} {r['tags']}")
        print(f"       parsed styles {r['parsed_styles']}")


if __name__ == "__main__":
    main()
