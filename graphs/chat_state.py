"""State of a conversation thread, persisted by the checkpointer between turns and across restarts.

Per-turn fields are overwritten by every message; only `turns` accumulates, one record per message.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any

from typing_extensions import TypedDict


class ChatState(TypedDict, total=False):
    message: str  # this turn's text from the user
    settings: dict[str, Any]  # this turn's generation overrides: seed, steps, guidance, width, height, strength
    intent: dict[str, Any]  # TurnIntent fields + refinement_of, llm_mode, fallbacks
    plan: dict[str, Any] | None  # what to draw: model, prompts, candidates, trace, init image, ...
    generation: dict[str, Any] | None  # the tool's GenerationResult for this turn
    reply: str  # what the assistant says back
    turns: Annotated[list[dict[str, Any]], operator.add]  # one record per message, oldest first
