"""Advantage: how well a model has done on prompts like this one, from human (or judge) ratings.

advantage = (E · m + s · p) / (E + s), where over the k most similar rated prompts of that model (similarity ≥
floor), E = Σ sim_i is the evidence, m = Σ sim_i · r_i / E the similarity-weighted mean rating, p the model's prior
and s the shrinkage strength (a pseudo-count). With no neighbours the advantage is the prior; with much close
evidence it approaches the mean. Ratings and priors live in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

NEUTRAL_PRIOR = 0.5


@dataclass(frozen=True)
class AdvantageParams:
    k: int = 8
    min_similarity: float = 0.5
    strength: float = 2.0


@dataclass(frozen=True)
class Advantage:
    value: float
    mean: float | None
    evidence: float
    neighbours: int
    prior: float


def advantage(
    neighbours: list[tuple[float, float]], prior: float | None, params: AdvantageParams = AdvantageParams()
) -> Advantage:
    """`neighbours` are (similarity, rating) pairs for one model, in any order."""
    p = NEUTRAL_PRIOR if prior is None else prior
    used = sorted((n for n in neighbours if n[0] >= params.min_similarity), reverse=True)[: params.k]
    evidence = sum(s for s, _ in used)
    if evidence <= 0:
        return Advantage(value=p, mean=None, evidence=0.0, neighbours=0, prior=p)
    mean = sum(s * r for s, r in used) / evidence
    value = (evidence * mean + params.strength * p) / (evidence + params.strength)
    return Advantage(value=value, mean=mean, evidence=evidence, neighbours=len(used), prior=p)
