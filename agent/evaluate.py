"""`dgpt eval llm`: how well each LLM mode reads requests, on the labelled set in tools/data/llm_eval.yaml.

For every request the selection graph runs as `dgpt select` would (Selector.select); for every conversation message
the interpret step runs as `dgpt chat` would (the LLM, falling back to rules; rules alone in mode none). The labels
and the core-prompt score are described at the top of the YAML file. Metrics (each with the number of items it is
taken over, `*_n`):

- kind_accuracy: parsed kind == label, over non-refinement items.
- action_accuracy: TurnIntent action == label, over refinement items.
- core_f1 / core_match: mean content-word F1 of the produced core prompt against the label (best over the label's
  alternatives), and the share with F1 >= 0.8; over items with a labelled core (reseed, next_model, revert and rate
  messages draw no new prompt and are left out).
- style_accuracy: share of items whose chosen model's tags meet the labelled styles, over non-refinement items that
  name a style (`styles: []` means any model is acceptable; counting those would only pad the score).
- invalid_output_rate: LLM calls whose reply was not a valid instance of the asked schema (no tool call, bad JSON,
  schema violation) / LLM calls; transport failures (timeouts, HTTP errors) are counted apart as llm_errors. Each
  attempt is a call, so a failed parse that is retried counts twice. None in mode none (no calls).
- fallbacks_per_item: mean number of steps per item where the LLM's answer was not used and a rule took over
  (the `fallbacks` the graph reports: failed calls and answers that failed a check, such as a rewrite that drops a
  content word).
- latency_ms p50 / p95 / max: wall time of each item's select or interpret call, after the Selector is warmed up (embedder
  loaded, index synced), so start-up is not in it.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any, Callable, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from graphs.context import LLM_MODES
from tools.errors import all_errors
from tools.vocabulary import STYLE

DEFAULT_SET = Path(__file__).resolve().parent.parent / "tools" / "data" / "llm_eval.yaml"
MODES = tuple(m for m in LLM_MODES if m != "auto")  # the modes that run; `auto` resolves to one of them
CATEGORIES = ("prompt", "instruction", "inspiration", "hypothesis", "refinement", "long", "messy", "steering")
Category = Literal["prompt", "instruction", "inspiration", "hypothesis", "refinement", "long", "messy", "steering"]
ItemKind = Literal["prompt", "instruction", "inspiration", "hypothesis", "refinement"]
ItemAction = Literal["new", "style", "content", "local", "reseed", "next_model", "revert", "rate"]
NO_PROMPT_ACTIONS = ("reseed", "next_model", "revert", "rate")  # TurnIntent.prompt is empty for these
MATCH_F1 = 0.8
# The interpret prompt states how many turns the thread has; three lets "go back to the second one" make sense.
TURNS_BEFORE = 3


class EvalSetError(ValueError):
    pass


class EvalItem(BaseModel):
    """One labelled request; see the header of tools/data/llm_eval.yaml."""

    id: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]*$", description="Short unique slug, lowercase letters, digits and dashes."
    )
    category: Category = Field(
        description="What the item exercises: one of the four kinds, refinement, long, messy, steering."
    )
    request: str = Field(min_length=1, description="The user's text, exactly as typed.")
    kind: ItemKind = Field(description="The correct parse kind; `refinement` for conversation messages.")
    core: str = Field(
        default="", description="The core prompt a correct parse yields (refinements: the merged prompt)."
    )
    core_alternatives: list[str] = Field(default_factory=list, description="Further cores that are just as right.")
    styles: list[str] = Field(description="Acceptable style tags for the chosen model; [] when no style was asked.")
    previous: str | None = Field(default=None, description="Refinement only: the previous picture's core prompt.")
    action: ItemAction | None = Field(default=None, description="Refinement only: the expected TurnIntent action.")

    @field_validator("styles")
    @classmethod
    def _known_styles(cls, v: list[str]) -> list[str]:
        unknown = [s for s in v if s not in STYLE]
        if unknown:
            raise ValueError(
                f"{unknown} are not style tags; use words from tools/vocabulary.py STYLE: {', '.join(STYLE)}"
            )
        return v

    @model_validator(mode="after")
    def _consistent(self) -> "EvalItem":
        refinement = self.category == "refinement"
        if refinement != (self.kind == "refinement"):
            raise ValueError(
                "category refinement and kind refinement go together; a request's kind is one of "
                "prompt, instruction, inspiration, hypothesis"
            )
        if refinement:
            if not self.previous or not self.action:
                raise ValueError("a refinement item needs `previous` (the last picture's core prompt) and `action`")
            if self.action in NO_PROMPT_ACTIONS and self.core.strip():
                raise ValueError(f"action {self.action} draws no new prompt: leave `core` empty")
            if self.action not in NO_PROMPT_ACTIONS and not self.core.strip():
                raise ValueError(f"action {self.action} needs `core`: the merged prompt to draw now")
        else:
            if self.previous is not None or self.action is not None:
                raise ValueError("`previous` and `action` belong to refinement items only")
            if not self.core.strip():
                raise ValueError("`core` is empty: write the scene the request asks for")
            if self.category in ("prompt", "instruction", "inspiration", "hypothesis") and self.kind != self.category:
                raise ValueError(f"an item of category {self.category} must have kind {self.category}")
        return self


def load_eval_set(path: str | Path | None = None) -> list[EvalItem]:
    """Read and check a labelled set; every problem is reported at once, by item id and field."""
    import yaml

    path = Path(path) if path else DEFAULT_SET
    if not path.is_file():
        raise EvalSetError(f"eval set '{path}' does not exist; the shipped one is {DEFAULT_SET}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise EvalSetError(f"{path} is not valid YAML: {e}") from e
    raw = data.get("items") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not raw:
        raise EvalSetError(f"{path}: expected a mapping with a non-empty list `items:` of requests")
    items, problems, seen = [], [], set()
    for n, entry in enumerate(raw, 1):
        name = entry.get("id") if isinstance(entry, dict) and entry.get("id") else f"#{n}"
        try:
            item = EvalItem.model_validate(entry)
        except ValidationError as e:
            problems += [f"item '{name}' (#{n}), field {field}: {msg}" for field, msg in all_errors(e, empty="(item)")]
            continue
        if item.id in seen:
            problems.append(f"item '{item.id}' (#{n}), field id: duplicate id; give each item its own")
        seen.add(item.id)
        items.append(item)
    if problems:
        raise EvalSetError(f"{path}: {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    return items


def sample(items: list[EvalItem], limit: int | None) -> list[EvalItem]:
    """The first `limit` items taken round-robin over the categories (file order within each), so a short run still
    sees every category."""
    if limit is None or limit >= len(items):
        return list(items)
    if limit < 1:
        raise ValueError(f"--limit {limit}: give a positive number of items")
    queues = {c: [it for it in items if it.category == c] for c in CATEGORIES}
    out: list[EvalItem] = []
    while len(out) < limit:
        for c in CATEGORIES:
            if queues[c] and len(out) < limit:
                out.append(queues[c].pop(0))
    return out


# ------------------------------------------------------------------------------------------------ core-prompt match

_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]|[^\W_]+")  # one CJK character is one word
STOP_WORDS = frozenset(
    """
a an the this that these those of in on at to with without and or but nor for by from into onto over under above
below between through across along around near by as is are was were be been being am has have had do does did
will would shall should can could may might must i me my mine you your yours he him his she her hers it its we us
our ours they them their theirs there here then than so very just also
le la les un une des du de d l et à au aux en sur sous dans avec pour par
""".split()
)


def content_words(text: str) -> set[str]:
    out = set()
    for w in _TOKEN.findall(text.lower()):
        if w in STOP_WORDS or (len(w) == 1 and w.isascii()):
            continue
        out.add(_singular(w))
    return out


def _singular(w: str) -> str:
    """Fold regular English plurals ("trees", "foxes", "berries"), so number alone does not cost a match."""
    if not w.isascii() or len(w) <= 3 or not w.endswith("s") or w.endswith(("ss", "us", "is")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("xes", "ches", "shes", "sses", "zes")):
        return w[:-2]
    return w[:-1]


def word_f1(produced: str, label: str) -> float:
    p, g = content_words(produced), content_words(label)
    if not p and not g:
        return 1.0
    hit = len(p & g)
    if not hit:
        return 0.0
    precision, recall = hit / len(p), hit / len(g)
    return 2 * precision * recall / (precision + recall)


def core_f1(produced: str, item: EvalItem) -> float:
    return max(word_f1(produced, ref) for ref in [item.core, *item.core_alternatives])


# ------------------------------------------------------------------------------------------------ counting LLM calls


class _Counter:
    def __init__(self) -> None:
        self.calls = self.invalid = self.errors = 0


class CountingChat:
    """Wraps a chat model to count structured calls and how many came back invalid. The graph only reaches the model
    through `graphs.llm.structured.structured`, which calls `with_structured_output(schema)` on what it is given."""

    passes_timeout = True  # graphs.llm.structured hands each call's timeout (the budget's share) through to inner

    def __init__(self, inner: Any):
        self.inner = inner
        self.counts = _Counter()

    def with_structured_output(self, schema, timeout: float | None = None, **kwargs):
        from graphs.llm.structured import bind_structured

        # The structured-output method the real path uses (function calling for OpenAI-style servers).
        return _CountedRunnable(bind_structured(self.inner, schema, timeout), schema, self.counts)


class _CountedRunnable:
    def __init__(self, bound, schema, counts: _Counter):
        self.bound, self.schema, self.counts = bound, schema, counts

    def invoke(self, messages, *args, **kwargs):
        self.counts.calls += 1
        try:
            out = self.bound.invoke(messages, *args, **kwargs)
        except (ValueError, TypeError, KeyError):  # parser and schema errors (pydantic, JSON, OutputParserException)
            self.counts.invalid += 1
            raise
        except Exception:  # timeouts, refused connections, HTTP errors: no output to judge
            self.counts.errors += 1
            raise
        if not self._valid(out):
            self.counts.invalid += 1
        return out

    def _valid(self, out) -> bool:
        if isinstance(out, self.schema):
            return True
        if isinstance(out, dict):
            try:
                self.schema.model_validate(out)
                return True
            except ValidationError:
                return False
        return False


# ------------------------------------------------------------------------------------------------ running a mode


class ModeUnavailable(RuntimeError):
    pass


def chat_model_for_mode(mode: str, catalog: str, chat_model: Any):
    """The chat model a mode runs with: the given one (tests, embedding apps), else the graph's own factory."""
    if mode == "none":
        return None
    if chat_model is not None:
        return chat_model
    from graphs.context import Context
    from graphs.llm.factory import chat_model_for
    from graphs.llm.settings import LlmUnavailable

    try:
        llm, label, _ = chat_model_for(Context(catalog=catalog, llm=mode))
    except LlmUnavailable as e:
        raise ModeUnavailable(str(e)) from e
    if llm is None:
        raise ModeUnavailable(f"mode {mode} resolved to {label}: no chat model to evaluate")
    return llm


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    pos = (len(s) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return round(s[lo] + (s[hi] - s[lo]) * (pos - lo), 2)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def summarise(rows: list[dict]) -> dict:
    """Metrics over per-item rows (see the module docstring)."""
    kinds = [r["kind_ok"] for r in rows if r["kind_ok"] is not None]
    actions = [r["action_ok"] for r in rows if r["action_ok"] is not None]
    f1s = [r["core_f1"] for r in rows if r["core_f1"] is not None]
    styles = [r["style_ok"] for r in rows if r["style_ok"] is not None]
    ms = [r["ms"] for r in rows]
    return {
        "items": len(rows),
        "kind_accuracy": _mean(kinds),
        "kind_n": len(kinds),
        "action_accuracy": _mean(actions),
        "action_n": len(actions),
        "core_f1": _mean(f1s),
        "core_match": _mean([f >= MATCH_F1 for f in f1s]),
        "core_n": len(f1s),
        "style_accuracy": _mean(styles),
        "style_n": len(styles),
        "fallbacks_per_item": _mean([r["fallbacks"] for r in rows]),
        "latency_ms": {
            "p50": _percentile(ms, 0.5),
            "p95": _percentile(ms, 0.95),
            "max": round(max(ms), 2) if ms else None,
        },
    }


def evaluate(
    mode: str,
    items: list[EvalItem],
    catalog: str = "hub",
    home: str | Path | None = None,
    chat_model: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Run one mode over the items. An unavailable mode (no endpoint, no local backend) is reported, not raised:
    {"mode", "available": False, "reason"}. `chat_model` replaces the mode's own model (a fake in tests)."""
    if mode not in MODES:
        raise ValueError(f"unknown LLM mode '{mode}'; use one or more of {', '.join(MODES)}")
    try:
        llm = chat_model_for_mode(mode, catalog, chat_model)
    except ModeUnavailable as e:
        return {"mode": mode, "available": False, "reason": str(e)}

    from agent.selector import Selector
    from graphs.chat.intent import read_intent

    counted = CountingChat(llm) if llm is not None else None
    selector = Selector(catalog=catalog, llm="none" if llm is None else "auto", home=home, chat_model=counted)
    selector.warm_up()
    rows = []
    for n, item in enumerate(items, 1):
        row: dict[str, Any] = {
            "id": item.id,
            "category": item.category,
            "kind_ok": None,
            "action_ok": None,
            "core_f1": None,
            "style_ok": None,
        }
        start = time.perf_counter()
        if item.category == "refinement":
            text = " ".join(item.request.split())
            # Exactly the chat graph's interpret step: the LLM's reading, else the rules'.
            intent, fallbacks = read_intent(counted, text, item.previous, TURNS_BEFORE)
            row["ms"] = round((time.perf_counter() - start) * 1000, 2)
            row.update(
                action=intent.action,
                action_ok=intent.action == item.action,
                core=intent.prompt,
                fallbacks=len(fallbacks),
                fallback_reasons=[f["reason"] for f in fallbacks],
            )
            if item.action not in NO_PROMPT_ACTIONS:
                row["core_f1"] = round(core_f1(intent.prompt, item), 4)
        else:
            result = selector.select(item.request)
            row["ms"] = round((time.perf_counter() - start) * 1000, 2)
            row.update(
                kind=result["kind"],
                kind_ok=result["kind"] == item.kind,
                core=result["core_prompt"],
                core_f1=round(core_f1(result["core_prompt"], item), 4),
                model=result["model"],
                fallbacks=len(result["fallbacks"]),
                fallback_reasons=[f.get("reason", "") for f in result["fallbacks"]],
            )
            if item.styles:
                row["style_ok"] = bool(set(item.styles) & set(result["tags"]))
        rows.append(row)
        if progress:
            progress(n, len(items))

    out = {"mode": mode, "available": True, "catalog": catalog, **summarise(rows)}
    calls = counted.counts if counted else _Counter()
    out.update(
        llm_calls=calls.calls,
        invalid_outputs=calls.invalid,
        llm_errors=calls.errors,
        invalid_output_rate=round(calls.invalid / calls.calls, 4) if calls.calls else None,
    )
    out["by_category"] = {
        c: summarise([r for r in rows if r["category"] == c])
        for c in CATEGORIES
        if any(r["category"] == c for r in rows)
    }
    out["per_item"] = rows
    return out


def record_verdict(results: list[dict], full_set: bool, catalog: str, path: Path | None = None):
    """When `none` and `local` both ran over the whole shipped set on the hub catalog, record whether the local model
    beat the no-LLM mode: the evidence `--llm auto` reads (graphs.llm.verdicts). Anything less decides nothing."""
    by_mode = {r["mode"]: r for r in results if r.get("available")}
    if not full_set or catalog != "hub" or not {"none", "local"} <= by_mode.keys():
        return None
    from graphs.llm.factory import local_model
    from graphs.llm.verdicts import record

    model, _ = local_model()
    return record(model.key(), by_mode["none"], by_mode["local"], path=path) if model else None


# ------------------------------------------------------------------------------------------------ printing


def _fmt(v, pct: bool = False) -> str:
    if v is None:
        return "-"
    if pct:
        return f"{100 * v:.1f}%"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def _ms(v) -> str:
    return "-" if v is None else f"{v:.1f}"


_ROWS: list[tuple[str, Callable[[dict], str]]] = [
    ("items", lambda r: _fmt(r["items"])),
    ("kind accuracy", lambda r: f"{_fmt(r['kind_accuracy'], True)} (n={r['kind_n']})"),
    ("action accuracy", lambda r: f"{_fmt(r['action_accuracy'], True)} (n={r['action_n']})"),
    ("core F1 (mean)", lambda r: f"{_fmt(r['core_f1'])} (n={r['core_n']})"),
    (f"core match (F1>={MATCH_F1})", lambda r: _fmt(r["core_match"], True)),
    ("style accuracy", lambda r: f"{_fmt(r['style_accuracy'], True)} (n={r['style_n']})"),
    ("LLM calls", lambda r: _fmt(r.get("llm_calls"))),
    ("invalid output rate", lambda r: _fmt(r.get("invalid_output_rate"), True)),
    ("LLM errors", lambda r: _fmt(r.get("llm_errors"))),
    ("fallbacks per item", lambda r: _fmt(r["fallbacks_per_item"])),
    ("latency p50 ms", lambda r: _ms(r["latency_ms"]["p50"])),
    ("latency p95 ms", lambda r: _ms(r["latency_ms"]["p95"])),
    ("latency max ms", lambda r: _ms(r["latency_ms"].get("max"))),
]


def _category_rows(cat: str) -> list[tuple[str, Callable[[dict], str]]]:
    def get(key, pct):
        return lambda r: _fmt((r.get("by_category", {}).get(cat) or {}).get(key), pct)

    if cat == "refinement":  # the interpret step chooses no model, so there is no style to score
        return [(f"{cat}: action accuracy", get("action_accuracy", True)), (f"{cat}: core F1", get("core_f1", False))]
    return [
        (f"{cat}: kind accuracy", get("kind_accuracy", True)),
        (f"{cat}: core F1", get("core_f1", False)),
        (f"{cat}: style accuracy", get("style_accuracy", True)),
    ]


def format_table(results: list[dict]) -> str:
    """Metrics as rows, modes side by side; an unavailable mode's column says so and its reason follows the table."""
    header = ["metric"] + [r["mode"] for r in results]
    available = [r for r in results if r.get("available")]
    cats = [c for c in CATEGORIES if any(c in r.get("by_category", {}) for r in available)]
    specs = _ROWS + [row for c in cats for row in _category_rows(c)]
    body = [[name] + [fn(r) if r.get("available") else "unavailable" for r in results] for name, fn in specs]
    widths = [max(len(row[i]) for row in [header] + body) for i in range(len(header))]
    line = lambda row: "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()  # noqa: E731
    rule = "  ".join("-" * w for w in widths)
    out = [line(header), rule] + [line(row) for row in body[: len(_ROWS)]]
    if cats:
        out += [rule] + [line(row) for row in body[len(_ROWS) :]]
    notes = [f"{r['mode']}: unavailable: {r['reason']}" for r in results if not r.get("available")]
    return "\n".join(out + ([""] + notes if notes else []))
