"""State carried through the selection graph."""

from __future__ import annotations

import operator
from typing import Annotated, Any

from typing_extensions import TypedDict

from graphs.llm.schemas import ParsedPrompt


def merge_dicts(left: dict | None, right: dict | None) -> dict:
    return {**(left or {}), **(right or {})}


class SelectionInput(TypedDict, total=False):
    """What a caller (or a parent graph) hands the selection graph; nothing else of the parent's state leaks in."""

    request: str
    forced_model: str | None  # `--model`: skip the search, use this catalog id
    settings: dict[str, Any]  # generation overrides: seed, steps, guidance, width, height, num_images
    llm_clock: dict[str, float] | None  # the request's LLM time budget (graphs.llm.budget), from a parent's turn


class SelectionState(TypedDict, total=False):
    request: str
    forced_model: str | None  # `--model`: skip the search, use this catalog id
    settings: dict[str, Any]  # generation overrides: seed, steps, guidance, width, height, num_images
    parsed: ParsedPrompt
    llm_mode: str
    llm_reason: str  # why this LLM mode: the resolution order's step that decided it
    llm_clock: dict[str, float] | None  # deadline and seconds of the request's LLM time budget (graphs.llm.budget)
    candidates: list[dict[str, Any]]
    trace: list[dict[str, Any]]
    model: str
    extended_prompt: str
    negative_prompt: str
    fallbacks: Annotated[list[dict[str, str]], operator.add]
    generation: dict[str, Any]  # GenerationResult of the model that drew the images
    load_fallbacks: list[dict[str, str]]  # models that failed to load, in order, and why
    timings_ms: Annotated[dict[str, float], merge_dicts]
