"""Tree-of-Thought search over the model tree: a beam per level, and backtracking past weak branches.

The original searched greedily, one child per level. Here each level keeps the `beam_width` best children of the
current frontier; the rest are remembered. A kept leaf-level branch whose best model scores under `threshold` is
abandoned and replaced by the best remembered alternative (also while the kept branches hold fewer than
`min_models` distinct models) (deepest level first, i.e. the nearest sibling),
descending greedily from it, up to `max_backtracks` times. The search never returns nothing: if every branch is
abandoned, all branches examined are kept and the trace says so.

Constraints: what the request asks for outright (a style, a subject) is checked against the models' tags. A kept
leaf branch that offers no model meeting every constraint is abandoned whatever its score; backtracking then passes
over remembered alternatives with no such model under them (they could only fail again, so they cost no backtrack)
and descends to the best child that has one. A backtrack that replaces a branch abandoned for a constraint does not
count against `max_backtracks`; at most `beam_width` do, since only the first beam's branches can fail a constraint
(every backtrack lands where the constraints can be met), so the bound becomes `max_backtracks + beam_width`.
Only models meeting the constraints are returned (a kept branch may hold others too), and `min_models` counts
those, capped at how many the catalog has. Constraints come most important first; one that no catalog model can
meet together with those before it is relaxed before the search starts, and the trace says which and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

from tools.tree import ModelTree

Scorer = Callable[[list[str]], dict[str, float]]


@dataclass
class SearchResult:
    branches: list[str]
    relevance: dict[str, float]  # model id -> score, for every model under a surviving branch (meeting the constraints)
    trace: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Constraint:
    """A facet the request names outright. A model meets it when its tags carry one of `words`; `models` are the
    catalog's models that do."""

    facet: str
    words: tuple[str, ...]
    models: frozenset[str]

    @property
    def label(self) -> str:
        return f"{self.facet} {' or '.join(self.words)}"


def _round(x: float) -> float:
    return round(float(x), 4)


def _relax_step(c: Constraint, reason: str) -> dict:
    return {"step": "relax", "constraint": c.facet, "words": list(c.words), "reason": reason}


def _applicable(constraints: Sequence[Constraint], trace: list[dict]) -> tuple[frozenset[str] | None, list[Constraint]]:
    """The models meeting every constraint that the catalog can meet, taken most important first, and those
    constraints; each of the others is relaxed, with a `relax` step in the trace. (None, []) when none applies."""
    allowed: frozenset[str] | None = None
    kept: list[Constraint] = []
    for c in constraints:
        joint = c.models if allowed is None else allowed & c.models
        if joint:
            allowed, kept = joint, kept + [c]
            continue
        reason = f"no catalog model is tagged {' or '.join(c.words)}"
        if c.models:  # some are, but none of them meets the more important constraints kept before it
            reason += " and also " + " and ".join(" or ".join(k.words) for k in kept)
        trace.append(_relax_step(c, reason))
    return allowed, kept


def tot_search(
    tree: ModelTree,
    score_nodes: Scorer,
    score_models: Scorer,
    beam_width: int = 2,
    threshold: float = 0.15,
    max_backtracks: int = 3,
    min_models: int = 2,
    constraints: Sequence[Constraint] = (),
) -> SearchResult:
    if beam_width < 1:
        raise ValueError(f"beam_width must be at least 1, got {beam_width}")
    trace: list[dict] = []
    reserve: list[tuple[int, float, str]] = []  # (depth, score, node id) of pruned alternatives
    allowed, active = _applicable(constraints, trace)

    def meets(node: str) -> bool:
        return allowed is None or not allowed.isdisjoint(tree.nodes[node].models)

    def unmet(node: str) -> list[str]:  # the constraints a branch fails alone, else all (it fails them together)
        models = tree.nodes[node].models
        return [c.label for c in active if c.models.isdisjoint(models)] or [c.label for c in active]

    def descend(frontier: list[str], depth: int, width: int, constrained: bool = False) -> list[str]:
        while True:
            children = [c for n in frontier for c in tree.nodes[n].children]
            if not children:
                return frontier
            scores = score_nodes(children)
            if constrained:  # a backtrack goes where the constraints can be met, best score first
                ranked = sorted(children, key=lambda c: (not meets(c), -scores[c], c))
            else:
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
    meeting: list[tuple[float, str]] = []  # examined branches that meet the constraints, whatever their score
    # A real choice means two models meeting the constraints, unless the catalog has fewer.
    enough = min_models if allowed is None else min(min_models, len(allowed))
    pending = descend(["root"], 0, beam_width)
    backtracks = 0
    failed_constraints = extra = 0  # branches abandoned for a constraint; backtracks not counted for them
    while True:
        for branch in pending:
            best_score, best_model = evaluate(branch)
            met = meets(branch)
            ok = met and best_score >= threshold
            step = {
                "step": "evaluate",
                "branch": branch,
                "best_model": best_model,
                "best_score": _round(best_score),
                "status": "kept" if ok else "abandoned",
            }
            if not met:
                step["unmet"] = unmet(branch)
                failed_constraints += 1
            else:
                meeting.append((best_score, branch))
            trace.append(step)
            (survivors.append(branch) if ok else abandoned.append((best_score, branch)))
        distinct = {m for b in survivors for m in tree.nodes[b].models if allowed is None or m in allowed}
        free = extra < min(failed_constraints, beam_width)
        # Enough when the beam is full and the branches offer a real choice: two branches holding the same single
        # model would leave the advantage step nothing to weigh.
        if (len(survivors) >= beam_width and len(distinct) >= enough) or (backtracks >= max_backtracks and not free):
            break
        # Deepest alternatives first (siblings of the abandoned leaf branches), best score first within a depth;
        # an alternative with no model meeting the constraints under it is dropped unexamined.
        reserve.sort(key=lambda r: (-r[0], -r[1], r[2]))
        skipped = 0
        while reserve and not meets(reserve[0][2]):
            reserve.pop(0)
            skipped += 1
        if not reserve:
            break
        depth, score, node = reserve.pop(0)
        step = {"step": "backtrack", "to": node, "score": _round(score)}
        if skipped:
            step["skipped"] = skipped
        if free:
            extra += 1
            step["extra"] = True  # replaces a branch abandoned for a constraint: not counted against max_backtracks
        else:
            backtracks += 1
        trace.append(step)
        pending = descend([node], depth + 1, 1, constrained=allowed is not None)

    if not survivors:
        # Nothing reached the threshold: keep every branch examined that meets the constraints rather than guess
        # one, and say so; if none does, the constraints are relaxed too.
        pool = meeting or abandoned
        if not meeting:
            trace.extend(_relax_step(c, "no branch offering such a model was reached") for c in active)
        survivors = [b for _, b in sorted(pool, reverse=True)]
        why = f"no branch reached threshold {threshold}" if meeting else "no branch met the requirements"
        trace.append({"step": "fallback", "branch": survivors[0], "reason": why})
    keep = {m for b in survivors for m in tree.nodes[b].models}
    if allowed is not None and not allowed.isdisjoint(keep):
        keep &= allowed  # a kept branch may also hold models that miss the request: they are no candidates
    return SearchResult(branches=survivors, relevance={m: s for m, s in relevance.items() if m in keep}, trace=trace)
