"""Tree-of-Thought search over the model tree: a beam per level, and backtracking past weak branches.

The original searched greedily, one child per level. Here each level keeps the `beam_width` best children of the
current frontier; the rest are remembered. A kept leaf-level branch whose best model scores under `threshold` is
abandoned and replaced by the best remembered alternative (also while the kept branches hold fewer than
`min_models` distinct models) (deepest level first, i.e. the nearest sibling),
descending greedily from it, up to `max_backtracks` times. The search never returns nothing: if every branch is
abandoned, all branches examined are kept and the trace says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from tools.tree import ModelTree

Scorer = Callable[[list[str]], dict[str, float]]


@dataclass
class SearchResult:
    branches: list[str]
    relevance: dict[str, float]  # model id -> score, for every model under a surviving branch
    trace: list[dict] = field(default_factory=list)


def _round(x: float) -> float:
    return round(float(x), 4)


def tot_search(
    tree: ModelTree,
    score_nodes: Scorer,
    score_models: Scorer,
    beam_width: int = 2,
    threshold: float = 0.15,
    max_backtracks: int = 3,
    min_models: int = 2,
) -> SearchResult:
    if beam_width < 1:
        raise ValueError(f"beam_width must be at least 1, got {beam_width}")
    trace: list[dict] = []
    reserve: list[tuple[int, float, str]] = []  # (depth, score, node id) of pruned alternatives

    def descend(frontier: list[str], depth: int, width: int) -> list[str]:
        while True:
            children = [c for n in frontier for c in tree.nodes[n].children]
            if not children:
                return frontier
            scores = score_nodes(children)
            ranked = sorted(children, key=lambda c: (-scores[c], c))
            kept, pruned = ranked[:width], ranked[width:]
            reserve.extend((depth, scores[c], c) for c in pruned)
            trace.append(
                {
                    "step": "expand",
                    "level": tree.levels[depth] if depth < len(tree.levels) else depth,
                    "from": frontier,
                    "kept": [{"node": c, "score": _round(scores[c])} for c in kept],
                    "pruned": [{"node": c, "score": _round(scores[c])} for c in pruned],
                }
            )
            frontier, depth = kept, depth + 1

    relevance: dict[str, float] = {}

    def evaluate(branch: str) -> tuple[float, str]:
        models = tree.nodes[branch].models
        scores = score_models(models)
        relevance.update(scores)
        best = max(models, key=lambda m: (scores[m], m))
        return scores[best], best

    survivors: list[str] = []
    abandoned: list[tuple[float, str]] = []
    pending = descend(["root"], 0, beam_width)
    backtracks = 0
    while True:
        for branch in pending:
            best_score, best_model = evaluate(branch)
            ok = best_score >= threshold
            trace.append(
                {
                    "step": "evaluate",
                    "branch": branch,
                    "best_model": best_model,
                    "best_score": _round(best_score),
                    "status": "kept" if ok else "abandoned",
                }
            )
            (survivors.append(branch) if ok else abandoned.append((best_score, branch)))
        distinct = {m for b in survivors for m in tree.nodes[b].models}
        # Enough when the beam is full and the branches offer a real choice: two branches holding the same single
        # model would leave the advantage step nothing to weigh.
        if (
            (len(survivors) >= beam_width and len(distinct) >= min_models)
            or backtracks >= max_backtracks
            or not reserve
        ):
            break
        # Deepest alternatives first (siblings of the abandoned leaf branches), best score first within a depth.
        reserve.sort(key=lambda r: (-r[0], -r[1], r[2]))
        depth, score, node = reserve.pop(0)
        backtracks += 1
        trace.append({"step": "backtrack", "to": node, "score": _round(score)})
        pending = descend([node], depth + 1, 1)

    if not survivors:
        # Nothing reached the threshold: keep every branch examined rather than guess one, and say so.
        survivors = [b for _, b in sorted(abandoned, reverse=True)]
        trace.append({"step": "fallback", "branch": survivors[0], "reason": f"no branch reached threshold {threshold}"})
    keep = {m for b in survivors for m in tree.nodes[b].models}
    return SearchResult(branches=survivors, relevance={m: s for m, s in relevance.items() if m in keep}, trace=trace)
