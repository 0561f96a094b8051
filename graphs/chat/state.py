"""State of a conversation thread, persisted by the checkpointer between turns and across restarts.

Per-turn fields are overwritten by every message; only `turns` accumulates, one record per message. The keys of the
selection subgraph (`request` in; `parsed`, `candidates`, `model`, ... out) are the last search's and are read only by
the node right after it.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages
from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from graphs.llm.schemas import ParsedPrompt, TurnIntent


class Intent(TurnIntent):
    """How this message relates to the thread: the reader's `TurnIntent` plus what the graph worked out around it."""

    refinement_of: int | None = Field(
        None, description="The turn whose picture this message refines; None for a new request."
    )
    llm_mode: str = Field("none", description="Who read the message: none (rules), openai, local or custom.")
    fallbacks: list[dict[str, str]] = Field(
        default_factory=list, description="Where the LLM's reading was not used, and why."
    )
    note: str = Field("", description="Said in the reply, e.g. that a change could not be read and was drawn anew.")


class Plan(BaseModel):
    """What this turn will draw (or show again), and why."""

    model: str | None = None
    prompt: str | None = Field(None, description="The prompt extended for `model`.")
    negative_prompt: str | None = None
    core_prompt: str | None = None
    kind: str | None = None
    styles: list[str] = Field(default_factory=list)
    subjects: list[str] = Field(default_factory=list)
    candidates: list[dict[str, Any]] = Field(default_factory=list)
    trace: list[dict[str, Any]] = Field(default_factory=list)
    llm_mode: str | None = None
    llm_reason: str | None = None
    fallbacks: list[dict[str, str]] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    reused_model: bool = False
    note: str = ""
    seed: int | None = None
    init_image: str | None = Field(None, description="Start image of an image-to-image draw.")
    strength: float | None = None
    fallback_order: list[str] = Field(
        default_factory=list, description="Models to try, in order, if `model` cannot load."
    )
    images: list[str] = Field(default_factory=list, description="Set when nothing is drawn: the picture shown again.")
    load_fallbacks: list[dict[str, str]] = Field(default_factory=list)
    cancelled: bool = False


class ChatState(TypedDict, total=False):
    message: str  # this turn's text from the user (else the last human message of `messages`); cleared by `record`
    # The transcript, for chat clients of the LangGraph server (Agent Chat UI, langgraph-sdk): each turn adds the
    # user's message (when it came as `message`) and an AI message with the reply and the picture.
    messages: Annotated[list[AnyMessage], add_messages]
    settings: dict[str, Any]  # this turn's generation overrides: seed, steps, guidance, width, height, strength
    intent: Intent
    plan: Plan | None
    generation: dict[str, Any] | None  # the tool's GenerationResult for this turn
    reply: str  # what the assistant says back
    turns: Annotated[list[dict[str, Any]], operator.add]  # one record per message, oldest first
    llm_clock: dict[str, float] | None  # the turn's LLM time budget (graphs.llm.budget), started by interpret
    # The selection subgraph's keys: no reducers here, so each search's values replace the last one's.
    request: str
    parsed: ParsedPrompt
    llm_mode: str
    llm_reason: str
    candidates: list[dict[str, Any]]
    trace: list[dict[str, Any]]
    model: str
    extended_prompt: str
    negative_prompt: str
    fallbacks: list[dict[str, str]]
    timings_ms: dict[str, float]


# Types the thread store may rebuild from a checkpoint (LangGraph's msgpack serializer refuses unlisted classes).
CHECKPOINT_TYPES = [(cls.__module__, cls.__name__) for cls in (Intent, Plan, ParsedPrompt)]


def checkpoint_serde():
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

    return JsonPlusSerializer(allowed_msgpack_modules=CHECKPOINT_TYPES)
