"""What a selection or a generation reports, as every surface shows it (CLI `--json`, Python, HTTP).

One mapping from a graph's final state to a result, written here once; the conversation's turn result extends it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_serializer


class Candidate(BaseModel):
    """A model the search kept, with the parts of its score. A pinned model (`--model`) has no scores."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Catalog model id.")
    relevance: float | None = Field(
        None, description="Similarity of the card (and its tree branch) to the prompt, with tag bonuses."
    )
    vote: float | None = Field(None, description="The LLM's branch-vote bonus, 0 without an LLM.")
    advantage: float | None = Field(
        None, description="Similarity-weighted mean rating of similar prompts, shrunk toward the prior."
    )
    prior: float | None = Field(None, description="The model's prior rating for the requested styles.")
    rated_neighbours: int | None = Field(None, description="How many rated similar prompts the advantage used.")
    score: float | None = Field(None, description="relevance + weight × (advantage − 0.5); the ranking key.")
    pinned: bool | None = Field(None, description="True when the user named the model and no search ran.")

    @model_serializer(mode="wrap")
    def _as_given(self, handler):
        # A candidate reports the fields its stage filled (a pinned one has no scores), as the graph wrote them.
        return {k: v for k, v in handler(self).items() if k in self.model_fields_set}


class SelectionResult(BaseModel):
    """`dgpt select --json`: the chosen model, why, and the prompt written for it."""

    request: str
    model: str | None = Field(description="The chosen catalog id.")
    model_name: str | None = None
    tags: list[str] = Field(default_factory=list)
    kind: str | None = Field(None, description="prompt, instruction, inspiration or hypothesis.")
    core_prompt: str | None = None
    styles: list[str] = Field(default_factory=list)
    subjects: list[str] = Field(default_factory=list)
    extended_prompt: str | None = Field(None, description="The prompt sent to the model (revised prompt).")
    negative_prompt: str | None = None
    llm_mode: str | None = Field(None, description="none, openai, local or custom.")
    llm_reason: str | None = Field(None, description="Why this LLM mode.")
    fallbacks: list[dict[str, Any]] = Field(
        default_factory=list, description="Steps where a rule took over from the LLM."
    )
    candidates: list[Candidate] = Field(default_factory=list)
    trace: list[dict[str, Any]] = Field(default_factory=list, description="The Tree-of-Thought search, step by step.")
    timings_ms: dict[str, float] = Field(default_factory=dict)
    catalog: str | None = None


class GenerateResult(SelectionResult):
    """`dgpt generate --json`: the selection plus what was drawn."""

    images: list[str] = Field(default_factory=list, description="PNG paths.")
    seed: int | None = None
    steps: int | None = None
    guidance: float | None = None
    size: list[int] | None = None
    cache_hit: bool | None = None
    evicted: list[str] = Field(default_factory=list)
    load_fallbacks: list[dict[str, str]] = Field(
        default_factory=list, description="Models that failed to load, and why."
    )


def _card_fields(catalog, model_id: str | None) -> dict[str, Any]:
    if not model_id:
        return {"model": model_id, "model_name": None, "tags": []}
    card = catalog.get(model_id)
    return {"model": card.id, "model_name": card.name, "tags": card.tags}


def drawing_fields(gen: dict[str, Any]) -> dict[str, Any]:
    """A GenerationResult's fields as results report them."""
    return {
        "images": gen["images"],
        "seed": gen["seed"],
        "steps": gen["steps"],
        "guidance": gen["guidance"],
        "size": [gen["width"], gen["height"]],
        "cache_hit": gen["cache_hit"],
        "evicted": gen["evicted"],
    }


def selection_result(state: dict[str, Any], catalog, total_ms: float) -> SelectionResult:
    parsed = state["parsed"]
    return SelectionResult(
        request=state["request"],
        **_card_fields(catalog, state["model"]),
        kind=parsed.kind,
        core_prompt=parsed.core_prompt,
        styles=parsed.styles,
        subjects=parsed.subjects,
        extended_prompt=state["extended_prompt"],
        negative_prompt=state["negative_prompt"],
        llm_mode=state["llm_mode"],
        llm_reason=state.get("llm_reason", ""),
        fallbacks=state.get("fallbacks", []),
        candidates=state["candidates"],
        trace=state["trace"],
        timings_ms={**state.get("timings_ms", {}), "total": round(total_ms, 2)},
        catalog=catalog.name,
    )


def generate_result(state: dict[str, Any], catalog, total_ms: float) -> GenerateResult:
    base = selection_result(state, catalog, total_ms)
    failures = state.get("load_fallbacks", [])
    return GenerateResult(
        **{k: getattr(base, k) for k in SelectionResult.model_fields},
        **drawing_fields(state["generation"]),
        load_fallbacks=failures,
    ).model_copy(update={"fallbacks": base.fallbacks + [{"node": "generate", **f} for f in failures]})
