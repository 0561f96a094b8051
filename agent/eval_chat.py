"""`dgpt eval chat`: how well each LLM mode follows a conversation and reads styles, on labelled sets written for
this project by separate writers who did not see the rules: tools/data/eval_chat_a.yaml (the tuning half),
eval_chat_c.yaml to eval_chat_g.yaml and eval_chat_i.yaml to eval_chat_l.yaml (development sets with deliberately
varied phrasing, each measured blind first and then tuned on; the learned readers' training data),
eval_chat_h.yaml and eval_chat_m.yaml (written blind and never read nor trained on: checks of the readers) and
eval_chat_b.yaml (the held-out half: never read while the rules were written; its figure is the one that counts). The format is in
tools/data/eval_chat_format.md.

Each conversation is replayed as the chat graph would: every message is read by `graphs.chat.intent.read_intent`
against the last drawn picture's core prompt; a new request, style or content change goes through the selection
graph (`Selector.select`, whose parse gives the core prompt drawn); a local change draws the merged prompt; reseed
and next model draw the same prompt again; revert shows an earlier picture; rate and chat draw nothing. Nothing is
drawn here: the figures are about reading, not pictures.

Metrics (each with the number of turns or items it is taken over):
- action_accuracy: the action read == the label, over every turn after the first.
- merge_accuracy: over turns labelled style, content, local or revert: the prompt of that turn contains every `must`
  phrase and no `must_not` phrase (whole words, case-insensitive).
- new_accuracy: the same check over turns labelled new (the request's own scene survives the parse).
- style_accuracy: over the style requests, the chosen hub model's tags share one of the labelled styles.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any, Callable, Literal

from pydantic import BaseModel, Field, ValidationError, model_validator

from tools.errors import all_errors
from tools.vocabulary import STYLE

DATA = Path(__file__).resolve().parent.parent / "tools" / "data"
HALVES = {name: DATA / f"eval_chat_{name}.yaml" for name in [*"abcdefghijklmnopqrstuvwxyz", "aa"]}
ChatAction = Literal["new", "style", "content", "local", "reseed", "next_model", "revert", "rate", "chat"]
MERGED = ("style", "content", "local", "revert")  # actions whose prompt is the last one with a change applied
SILENT = ("reseed", "next_model", "rate", "chat")  # actions that write no new prompt


class Turn(BaseModel):
    message: str = Field(min_length=1)
    action: ChatAction
    must: list[str] = Field(default_factory=list)
    must_not: list[str] = Field(default_factory=list)


class Conversation(BaseModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    catalog: Literal["starter", "hub"]
    turns: list[Turn] = Field(min_length=2, max_length=4)

    @model_validator(mode="after")
    def _starts_new(self) -> Conversation:
        if self.turns[0].action != "new":
            raise ValueError("the first turn of a conversation is a new request (action: new)")
        return self


class StyleItem(BaseModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    catalog: Literal["hub"] = "hub"
    request: str = Field(min_length=1)
    styles: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _known(self) -> StyleItem:
        unknown = [s for s in self.styles if s not in STYLE]
        if unknown:
            raise ValueError(f"{unknown} are not style tags; use words from tools/vocabulary.py STYLE")
        return self


class ChatSet(BaseModel):
    conversations: list[Conversation] = Field(default_factory=list)
    styles: list[StyleItem] = Field(default_factory=list)


class ChatSetError(ValueError):
    pass


def spread(chat_set: ChatSet, limit: int | None) -> ChatSet:
    """At most `limit` conversations and `limit` style requests, evenly spaced through the set (both catalogs and
    every writer's stretch of it, not only the first ones): for a slow mode, such as a CPU-hosted LLM."""
    if limit is None:
        return chat_set
    if limit < 1:
        raise ValueError(f"--limit {limit}: give a positive number of conversations")

    def pick(items: list) -> list:
        if len(items) <= limit:
            return list(items)
        return [items[i * len(items) // limit] for i in range(limit)]

    return ChatSet(conversations=pick(chat_set.conversations), styles=pick(chat_set.styles))


def load_chat_set(ref: str | Path) -> tuple[str, ChatSet]:
    """(name, set) for a half's letter (a, b) or a path; every problem is reported at once, by item."""
    import yaml

    path = HALVES.get(str(ref).lower(), Path(ref))
    name = str(ref).lower() if str(ref).lower() in HALVES else path.stem
    if not path.is_file():
        raise ChatSetError(
            f"chat eval set '{ref}' does not exist; use one of {', '.join(HALVES)} or a path to a YAML file"
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise ChatSetError(f"{path} is not valid YAML: {e}") from e
    problems: list[str] = []
    out = ChatSet()
    for key, model, bucket in (("conversations", Conversation, out.conversations), ("styles", StyleItem, out.styles)):
        for n, entry in enumerate(data.get(key) or [], 1):
            try:
                bucket.append(model.model_validate(entry))
            except ValidationError as e:
                name_ = entry.get("id", f"#{n}") if isinstance(entry, dict) else f"#{n}"
                problems += [f"{key} '{name_}', field {f}: {m}" for f, m in all_errors(e, empty="(item)")]
    ids = [c.id for c in out.conversations] + [s.id for s in out.styles]
    problems += [f"id '{i}' is used twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if problems:
        raise ChatSetError(f"{path}: {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    return name, out


def contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase.lower().strip())}(?!\w)", text.lower()) is not None


def prompt_ok(prompt: str, turn: Turn) -> bool:
    return all(contains(prompt, w) for w in turn.must) and not any(contains(prompt, w) for w in turn.must_not)


def replay(conversation: Conversation, select: Callable[[str], dict], llm: Any) -> list[dict]:
    """Each turn's row: the action read, the prompt it draws (None when nothing is drawn), whether it passes."""
    from graphs.chat.intent import new_request, read_intent
    from graphs.chat.refine import revert_target

    pictures: list[str] = []  # core prompts of the pictures shown, oldest first
    originals: list[str] = []  # the same without the reverts (what a revert chooses among, as in the graph)
    rows = []
    for n, turn in enumerate(conversation.turns):
        text = " ".join(turn.message.split())
        previous = pictures[-1] if pictures else None
        intent, fallbacks = read_intent(llm, text, previous, n)
        action = intent.action if (previous or intent.action == "new") else "answer"
        prompt = None
        if action == "new":
            prompt = select(new_request(turn.message, intent))["core_prompt"]
        elif action in ("style", "content") and intent.prompt.strip():
            prompt = select(intent.prompt)["core_prompt"]
        elif action == "local":
            prompt = intent.prompt
        elif action in ("reseed", "next_model"):
            prompt = previous
        elif action == "revert":
            index = revert_target(originals, intent)
            prompt = originals[index] if index is not None else None
        if prompt is not None:
            pictures.append(prompt)
            if action != "revert":
                originals.append(prompt)
        row = {
            "turn": n + 1,
            "label": turn.action,
            "action": intent.action,
            "prompt": prompt,
            "action_ok": intent.action == turn.action if n else None,
            "fallbacks": len(fallbacks),
        }
        if turn.action in MERGED or turn.action == "new":
            row["prompt_ok"] = prompt is not None and prompt_ok(prompt, turn)
        rows.append(row)
    return rows


def _share(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def evaluate_chat(
    mode: str,
    chat_set: ChatSet,
    home: str | Path | None = None,
    chat_model: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """One mode over one half. An unavailable mode is reported, not raised."""
    from agent.evaluate import CountingChat, ModeUnavailable, chat_model_for_mode
    from agent.selector import Selector

    try:
        llm = chat_model_for_mode(mode, "hub", chat_model)
    except ModeUnavailable as e:
        return {"mode": mode, "available": False, "reason": str(e)}
    counted = CountingChat(llm) if llm is not None else None
    selectors = {
        c: Selector(catalog=c, llm="none" if llm is None else "auto", home=home, chat_model=counted)
        for c in {conv.catalog for conv in chat_set.conversations} | ({"hub"} if chat_set.styles else set())
    }
    total, done = len(chat_set.conversations) + len(chat_set.styles), 0
    conv_rows, ms = [], []
    for conv in chat_set.conversations:
        start = time.perf_counter()
        rows = replay(conv, selectors[conv.catalog].select, counted)
        ms.append((time.perf_counter() - start) * 1000 / len(rows))
        conv_rows.append({"id": conv.id, "catalog": conv.catalog, "turns": rows})
        done += 1
        if progress:
            progress(done, total)
    style_rows = []
    for item in chat_set.styles:
        r = selectors["hub"].select(item.request)
        style_rows.append({"id": item.id, "model": r["model"], "ok": bool(set(item.styles) & set(r["tags"]))})
        done += 1
        if progress:
            progress(done, total)
    turns = [t for c in conv_rows for t in c["turns"]]
    merged = [t["prompt_ok"] for t in turns if t["label"] in MERGED]
    out = {
        "mode": mode,
        "available": True,
        "action_accuracy": _share([t["action_ok"] for t in turns if t["action_ok"] is not None]),
        "action_n": sum(t["action_ok"] is not None for t in turns),
        "merge_accuracy": _share(merged),
        "merge_n": len(merged),
        "new_accuracy": _share([t["prompt_ok"] for t in turns if t["label"] == "new"]),
        "new_n": sum(t["label"] == "new" for t in turns),
        "style_accuracy": _share([r["ok"] for r in style_rows]),
        "style_n": len(style_rows),
        "ms_per_turn_p50": round(sorted(ms)[len(ms) // 2], 2) if ms else None,
        "per_action": {
            a: {
                "action": _share([t["action_ok"] for t in turns if t["label"] == a and t["action_ok"] is not None]),
                "merge": _share([t["prompt_ok"] for t in turns if t["label"] == a and "prompt_ok" in t]),
            }
            for a in ("new", "style", "content", "local", "reseed", "next_model", "revert", "rate", "chat")
            if any(t["label"] == a for t in turns)
        },
        "conversations": conv_rows,
        "styles": style_rows,
    }
    calls = counted.counts if counted else None
    out.update(llm_calls=calls.calls if calls else 0, invalid_outputs=calls.invalid if calls else 0)
    return out


def format_chat_table(results: list[dict]) -> str:
    """One row per (half, mode)."""
    head = ["half", "mode", "action acc", "merge acc", "new-request match", "style acc", "ms/turn"]
    rows = [head]
    for r in results:
        if not r.get("available"):
            rows.append([r["half"], r["mode"], "unavailable: " + r["reason"], "", "", "", ""])
            continue
        pct = lambda v, n: "-" if v is None else f"{100 * v:.1f}% (n={n})"  # noqa: E731
        rows.append(
            [
                r["half"],
                r["mode"],
                pct(r["action_accuracy"], r["action_n"]),
                pct(r["merge_accuracy"], r["merge_n"]),
                pct(r["new_accuracy"], r["new_n"]),
                pct(r["style_accuracy"], r["style_n"]),
                f"{r['ms_per_turn_p50']}",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows)
