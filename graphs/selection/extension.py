"""Prompt extension: the core prompt rewritten for one model, by the LLM when it keeps every content word, else by
the model's template; then its trigger words."""

from __future__ import annotations

import re
from collections.abc import Sequence

from graphs.llm import prompts
from graphs.llm.budget import Budget
from graphs.llm.schemas import ExtendedPrompt
from graphs.llm.structured import ask
from graphs.reading.rules import template_extend

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("a an the of in on at to with and or for by from into over under as is are very".split())


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def prompt_for(
    card, core: str, llm, styles: Sequence[str] | None = None, budget: Budget | None = None
) -> tuple[str, dict | None]:
    """The core prompt extended for `card`, and the fallback record when the LLM's rewrite was not used. `styles`:
    the requested styles the template keeps borrowed words compatible with (None: read from the core prompt);
    `budget`: the request's LLM time budget."""
    text, fallback = None, None
    if llm is not None:
        examples = "\n".join(f"- {p}" for p in card.example_prompts)
        user = prompts.EXTEND_USER.format(model=card.name, examples=examples, prompt=core)
        out, why = ask(llm, ExtendedPrompt, prompts.EXTEND_SYSTEM, user, budget)
        if out is not None:
            lost = content_words(core) - content_words(out.prompt)
            if lost:
                why = f"rewrite dropped content words {sorted(lost)}"
            else:
                text = out.prompt
        if text is None:
            fallback = {"node": "extend", "reason": why}
    if text is None:
        text = template_extend(core, card, styles)
    missing = [t for t in card.trigger_words if t.lower() not in text.lower()]
    if missing:
        text = ", ".join(missing + [text])
    return text, fallback
