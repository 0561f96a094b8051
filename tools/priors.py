"""Per-model, per-style priors from the HPS v2.1 benchmark table (tools/data/hps_v2.yaml, mapping in
hps_v2_mapping.yaml; see tools/data/HPS_PRIORS.md).

Scores are min-max normalised per HPS style across the generators that the mapping uses (not all 22: the table's
floor is GLIDE, which would put every catalog model near the top), then compressed into [0.5 - SPREAD, 0.5 + SPREAD]
so that an unmapped model's neutral 0.5 sits mid-field and a benchmark measured on other versions and prompts
counts as weak evidence next to ratings of similar prompts.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data"
SPREAD = 0.2


class Priors:
    def __init__(self, by_model: dict[str, dict[str, float]]):
        # model id -> project style tag -> prior in [0, 1]
        self.by_model = by_model

    def prior(self, model_id: str, styles: list[str] | tuple[str, ...]) -> float | None:
        """Mean prior over the styles asked for that HPS informs; over all of them when none is asked for."""
        table = self.by_model.get(model_id)
        if not table:
            return None
        hits = [table[s] for s in styles if s in table]
        if not hits:
            hits = list(table.values())
        return sum(hits) / len(hits)


@lru_cache(maxsize=1)
def load_priors(data_dir: Path = DATA) -> Priors:
    scores_file, mapping_file = data_dir / "hps_v2.yaml", data_dir / "hps_v2_mapping.yaml"
    if not scores_file.is_file() or not mapping_file.is_file():
        return Priors({})
    scores = yaml.safe_load(scores_file.read_text(encoding="utf-8"))
    mapping = yaml.safe_load(mapping_file.read_text(encoding="utf-8"))
    table = scores["tables"][mapping["table"]]
    generators: dict[str, dict[str, float]] = table["generators"]
    used = {entry["generator"] for entry in (mapping.get("models") or {}).values()}
    unknown = used - set(generators)
    if unknown:
        raise ValueError(f"{mapping_file}: maps to generators not in table {mapping['table']}: {sorted(unknown)}")
    normalised: dict[str, dict[str, float]] = {g: {} for g in generators}
    for hps_style in table["styles"]:
        column = [generators[g][hps_style] for g in used]
        lo, hi = min(column), max(column)
        for g, row in generators.items():
            unit = (row[hps_style] - lo) / (hi - lo) if hi > lo else 0.5
            normalised[g][hps_style] = 0.5 + SPREAD * (2 * min(max(unit, 0.0), 1.0) - 1)
    by_model: dict[str, dict[str, float]] = {}
    for model_id, entry in (mapping.get("models") or {}).items():
        gen = entry["generator"]
        by_model[model_id] = {
            tag: normalised[gen][hps_style] for hps_style, tags in mapping["styles"].items() for tag in tags
        }
    return Priors(by_model)
