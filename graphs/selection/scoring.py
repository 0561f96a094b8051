"""How tree nodes and models are scored for one request. Pure functions over precomputed similarities."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from graphs.llm.schemas import ParsedPrompt
from tools.tree import ModelTree

# A node whose word the request names outright ("watercolor", "a dog") is very likely right; similarity alone
# can miss that when a node's description is dominated by its member models.
NODE_TAG_BONUS = 0.15
# A model tagged with a requested style gets this share-weighted bump over the plain card similarity.
MODEL_STYLE_BONUS = 0.1
# The same for a requested subject: a card's prose can sit nearer a request than the card of the model made for it
# ("a yellow 0 on white" reads like a flat-colour pattern card), while the tags say what each model was built for.
MODEL_SUBJECT_BONUS = 0.1
# When a request names no style, most users still expect a faithful, natural picture rather than a niche look
# (a "red sports car" should not go to a 3D-render checkpoint because "sports car" sits near "render" in
# embedding space). These styles get half the bonuses then.
DEFAULT_STYLES = frozenset({"general", "photorealistic"})
# With an LLM, its ranking of a level's children adds up to this much (first place) to their similarity.
VOTE_WEIGHT = 0.2
# A request that names a model ("ghibli style", "nvinkpunk", "like Juggernaut"; graphs/reading/naming.py) all but
# picks it. Its bonus outweighs what else can separate two candidates before feedback exists: a similarity gap of a
# few hundredths, both style and subject bonuses (0.2) and the widest prior gap (0.5 x (0.7 - 0.3) = 0.2 in select),
# yet stays below what consistent user ratings can move (0.5 x a full advantage gap of 1.0), so a named model that
# users keep rating badly can still lose.
MODEL_NAME_BONUS = 0.25
# A tree node holding a named model gets twice a named word's bonus, so the model stays reachable when the request
# also names subjects its tags lack: the nodes of those subjects get NODE_TAG_BONUS, and the named model's nodes
# must still outrank them unless their similarity is more than that bonus apart.
NODE_NAME_BONUS = 2 * NODE_TAG_BONUS
# A model with a house look ("elden ring", "van gogh") paints every picture that way, so a request that names
# another artist or movement ("a knight, cubist painting") should not go to it for its subject alone. The penalty
# outweighs the subject and style bonuses together (0.2), so a neutral model of the right style wins, and stays
# below the name bonus: "elden ring style, cubist" names the model and gets it.
LOOK_PENALTY = 0.15


def look_conflicts(look: str | None, asked: Collection[str]) -> bool:
    """Whether a model's house `look` differs from every look the request names (none named: no conflict).
    Either side may hold the other's words: "ghibli" asks for "studio ghibli", "vincent van gogh" for "van gogh"."""
    if not look or not asked:
        return False
    mine = set(look.lower().split())
    return not any(mine <= set(a.split()) or set(a.split()) <= mine for a in asked)


def node_scores(
    tree: ModelTree,
    node_row: dict[str, int],
    sims: np.ndarray,
    parsed: ParsedPrompt,
    children: list[str],
    named: Collection[str] = (),
    lexicon_styles: Collection[str] = (),
) -> dict[str, float]:
    """Similarity plus the word bonus, plus NODE_NAME_BONUS for a node holding a model the request `named`.
    `lexicon_styles` (the style lexicon's reading of the request) count as requested styles."""
    styles = set(parsed.styles) | set(lexicon_styles)
    wanted = styles | set(parsed.subjects)
    fallback = DEFAULT_STYLES if not styles else frozenset()
    named = set(named)

    def bonus(word: str | None) -> float:
        return NODE_TAG_BONUS if word in wanted else NODE_TAG_BONUS / 2 if word in fallback else 0.0

    def name_bonus(node_id: str) -> float:
        return NODE_NAME_BONUS if named and not named.isdisjoint(tree.nodes[node_id].models) else 0.0

    return {c: float(sims[node_row[c]]) + bonus(tree.nodes[c].word) + name_bonus(c) for c in children}


def model_scores(
    catalog,
    model_row: dict[str, int],
    sims: np.ndarray,
    parsed: ParsedPrompt,
    ids: list[str],
    named: Collection[str] = (),
    lexicon_styles: Collection[str] = (),
    looks: Collection[str] = (),
) -> dict[str, float]:
    """Card similarity plus the style and subject bonuses, plus MODEL_NAME_BONUS for a model the request `named`,
    minus LOOK_PENALTY for a model whose house look is not one of the artists or movements the request names
    (`looks`). `lexicon_styles` count as requested styles."""
    requested = set(parsed.styles) | set(lexicon_styles)
    named = set(named)
    styles, weight = (requested, 1.0) if requested else (DEFAULT_STYLES, 0.5)
    subjects = set(parsed.subjects)
    out = {}
    for m in ids:
        tags = set(catalog.get(m).tags)
        share = min(len(styles & tags), 1) if weight < 1 else len(styles & tags) / len(styles)
        subject_share = len(subjects & tags) / len(subjects) if subjects else 0.0
        out[m] = float(sims[model_row[m]]) + MODEL_STYLE_BONUS * weight * share + MODEL_SUBJECT_BONUS * subject_share
        if m in named:
            out[m] += MODEL_NAME_BONUS
        elif look_conflicts(catalog.get(m).look, looks):
            out[m] -= LOOK_PENALTY
    return out


def apply_vote(scores: dict[str, float], ranked: list[str]) -> dict[str, float]:
    """Add VOTE_WEIGHT · (1 − rank / n) for each ranked node; unranked nodes get nothing."""
    n = len(scores)
    bonus = {node: VOTE_WEIGHT * (1 - i / n) for i, node in enumerate(dict.fromkeys(r for r in ranked if r in scores))}
    return {c: s + bonus.get(c, 0.0) for c, s in scores.items()}
