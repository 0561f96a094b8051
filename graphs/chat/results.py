"""What one conversation turn reports (`dgpt chat --json`, ChatSession.send): the fields of a generation result
where the turn drew, plus the thread's own."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from graphs.selection.results import GenerateResult


class TurnResult(GenerateResult):
    status: Literal["done"] = "done"
    thread: str
    turn: int
    message: str
    action: str = Field(description="new, style, content, local, reseed, next_model, revert or rate.")
    refinement_of: int | None = Field(None, description="The turn whose picture this one refines.")
    reused_model: bool = False
    reply: str = ""
    init_image: str | None = None
    strength: float | None = None
    note: str = ""
    stars: int | None = None


class PausedTurn(BaseModel):
    """A turn waiting (`--confirm`) for yes, no or a model id before it draws."""

    status: Literal["confirm"] = "confirm"
    thread: str
    turn: int
    question: dict[str, Any]


def turn_result(turn: dict[str, Any], thread: str, catalog, total_ms: float) -> TurnResult:
    """A recorded turn as a result; `catalog` names the model's card (None when the turn chose no model)."""
    card = catalog.get(turn["model"]) if catalog is not None and turn.get("model") else None
    return TurnResult(
        thread=thread,
        turn=turn["turn"],
        message=turn["message"],
        action=turn["action"],
        refinement_of=turn.get("refinement_of"),
        reused_model=bool(turn.get("reused_model")),
        reply=turn.get("reply", ""),
        request=turn["message"],
        model=turn.get("model"),
        model_name=card.name if card else None,
        tags=card.tags if card else [],
        kind=turn.get("kind"),
        core_prompt=turn.get("core_prompt"),
        styles=turn.get("styles") or [],
        subjects=turn.get("subjects") or [],
        extended_prompt=turn.get("prompt"),
        negative_prompt=turn.get("negative_prompt"),
        llm_mode=turn.get("llm_mode"),
        llm_reason=turn.get("llm_reason"),
        fallbacks=turn.get("fallbacks") or [],
        candidates=turn.get("candidates") or [],
        trace=turn.get("trace") or [],
        images=turn.get("images") or [],
        seed=turn.get("seed"),
        steps=turn.get("steps"),
        guidance=turn.get("guidance"),
        size=turn.get("size"),
        cache_hit=turn.get("cache_hit"),
        evicted=turn.get("evicted") or [],
        load_fallbacks=turn.get("load_fallbacks") or [],
        init_image=turn.get("init_image"),
        strength=turn.get("strength"),
        note=turn.get("note", ""),
        stars=turn.get("stars"),
        catalog=catalog.name if card else None,
        timings_ms={**(turn.get("timings_ms") or {}), "total": round(total_ms, 2)},
    )
