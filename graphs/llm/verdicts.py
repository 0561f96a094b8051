"""Whether a local model beat the no-LLM mode on the labelled set: the evidence `auto` needs before it uses one.

`dgpt eval llm` records a verdict whenever it has run both `none` and `local` over the whole shipped set, in
DATA_HOME/llm_verdicts.json; the project ships the verdicts it measured in tools/data/llm_verdicts.json. The user's
own measurement wins over the shipped one. A verdict counts only for the set it was measured on (by sha256): edit the
set and the old verdicts stop deciding anything until the models are measured again.

Score: the mean of kind accuracy, action accuracy, core-prompt F1 and style accuracy (each in [0, 1]); the local
model is better when its score is strictly higher than the no-LLM mode's on the same run.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

DATA = Path(__file__).resolve().parents[2] / "tools" / "data"
EVAL_SET = DATA / "llm_eval.yaml"
SHIPPED = DATA / "llm_verdicts.json"
USER_FILE = "llm_verdicts.json"
SCORE_KEYS = ("kind_accuracy", "action_accuracy", "core_f1", "style_accuracy")


class Verdict(BaseModel):
    model: str = Field(description="The local model's key: GGUF file name and size in bytes.")
    local: float = Field(ge=0, le=1, description="Score of the local mode on the set.")
    none: float = Field(ge=0, le=1, description="Score of the no-LLM mode in the same run.")
    items: int = Field(ge=1)
    set_sha256: str
    measured: str = Field(description="Date of the run, YYYY-MM-DD.")

    @property
    def better(self) -> bool:
        return self.local > self.none

    def describe(self) -> str:
        verb = "beat" if self.better else "did not beat"
        return f"{verb} the no-LLM mode on the labelled set ({self.local:.3f} vs {self.none:.3f}, {self.items} items, {self.measured})"


def score(summary: dict) -> float:
    values = [summary[k] for k in SCORE_KEYS if summary.get(k) is not None]
    return round(sum(values) / len(values), 4) if values else 0.0


def set_sha256(path: Path | None = None) -> str:
    path = path or EVAL_SET
    st = path.stat()
    return _sha256(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=4)
def _sha256(path: str, mtime_ns: int, size: int) -> str:
    # Asked on every `auto` request; the set is package data, edited by hand if at all, so mtime and size suffice.
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def user_file() -> Path:
    from tools.settings import data_home

    return data_home() / USER_FILE


@lru_cache(maxsize=8)
def _parse(text: str) -> dict[str, Verdict]:
    try:
        return {k: Verdict.model_validate(v) for k, v in json.loads(text).items()}
    except (ValueError, ValidationError, AttributeError):
        return {}  # an unreadable verdict file decides nothing; `dgpt eval llm` rewrites it whole


def _verdicts(path: Path) -> dict[str, Verdict]:
    """Cached by the file's text, not its mtime: a verdict written within one clock tick must not be missed."""
    return _parse(path.read_text(encoding="utf-8")) if path.is_file() else {}


def lookup(model_key: str) -> Verdict | None:
    """The verdict for this model on the current set: the user's, else the shipped one."""
    current = set_sha256()
    for path in (user_file(), SHIPPED):
        v = _verdicts(path).get(model_key)
        if v is not None and v.set_sha256 == current:
            return v
    return None


def record(model_key: str, none_summary: dict, local_summary: dict, path: Path | None = None) -> Verdict:
    from tools.files import atomic_write

    path = path or user_file()
    v = Verdict(
        model=model_key,
        local=score(local_summary),
        none=score(none_summary),
        items=local_summary["items"],
        set_sha256=set_sha256(),
        measured=date.today().isoformat(),
    )
    table = {k: x.model_dump() for k, x in _verdicts(path).items()}
    table[model_key] = v.model_dump()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(table, indent=1, sort_keys=True).encode("utf-8")
    atomic_write(path, lambda f: f.write(data))
    return v
