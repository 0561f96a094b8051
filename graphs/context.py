"""Run-time configuration of the graphs (LangGraph `context_schema`): strings and numbers only.

Live objects (a caller's chat model, an image generator with its own output folder) never travel in a context; a
caller registers them in `graphs.resources` and passes the key as `session`. Two schemas:

- `Context`, for callers in this process (Selector, ChatSession, tests): any catalog name or path, a data home.
- `RemoteContext`, for graphs served to other processes (`langgraph.json`): a shipped catalog's name and the LLM
  mode, nothing that names a file or reaches into this process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal, get_args

LlmChoice = Literal["auto", "none", "local", "openai"]
LLM_MODES: tuple[str, ...] = get_args(LlmChoice)  # the one list of modes; every surface takes its choices from here


def check_llm_mode(mode: str, source: str = "the LLM mode") -> str:
    mode = (mode or "").strip().lower()
    if mode not in LLM_MODES:
        raise ValueError(f"{source} '{mode}' is not an LLM mode; use one of {', '.join(LLM_MODES)}")
    return mode


@dataclass
class Context:
    catalog: str = field(
        default_factory=lambda: os.environ.get("DGPT_CATALOG", "hub"),
        metadata={"description": "Catalog name or path to a catalog YAML file (env DGPT_CATALOG, default hub)."},
    )
    llm: LlmChoice = field(default="auto", metadata={"description": "auto: endpoint if configured, else no-LLM mode."})
    beam_width: int = field(default=2, metadata={"description": "Branches kept per tree level."})
    threshold: float = field(
        default=0.15,
        metadata={"description": "A branch whose best model scores below this is abandoned (backtracking)."},
    )
    max_backtracks: int = field(default=3, metadata={"description": "How many abandoned branches may be replaced."})
    feedback_k: int = field(
        default=8, metadata={"description": "At most this many rated neighbours count per candidate."}
    )
    feedback_pool: int = field(
        default=64, metadata={"description": "Nearest rated prompts read from the feedback index."}
    )
    feedback_min_similarity: float = field(
        default=0.5, metadata={"description": "Ratings of less similar prompts are ignored."}
    )
    shrinkage: float = field(
        default=2.0, metadata={"description": "Pseudo-count pulling thin evidence toward the prior."}
    )
    advantage_weight: float = field(
        default=0.5, metadata={"description": "score = relevance + weight · (advantage − 0.5)."}
    )
    confirm: bool = field(
        default=False,
        metadata={"description": "Conversations: pause before drawing so the user can confirm or swap the model."},
    )
    strength: float = field(
        default=0.5,
        metadata={"description": "Conversations: image-to-image strength for local changes (0 keeps, 1 ignores)."},
    )
    keep_margin: float = field(
        default=0.05,
        metadata={
            "description": "Conversations: a content change keeps the model unless the best candidate beats it by more."
        },
    )
    home: str | None = field(default=None, metadata={"description": "Data home; DGPT_HOME or ~/.dgpt when unset."})
    session: str | None = field(
        default=None,
        metadata={"description": "Key of live objects registered in this process (graphs.resources.register_live)."},
    )


@dataclass
class RemoteContext:
    """What a client of a served graph may choose: a shipped catalog by name and the LLM mode."""

    catalog: str = field(
        default_factory=lambda: os.environ.get("DGPT_CATALOG", "hub"),
        metadata={"description": "Name of a shipped catalog (hub, starter)."},
    )
    llm: LlmChoice = field(default="auto", metadata={"description": "auto, none, local or openai."})

    def __post_init__(self) -> None:
        from tools.catalog import available

        shipped = available()
        if self.catalog not in shipped:
            raise ValueError(
                f"catalog '{self.catalog}' is not a shipped catalog; a served graph takes one of {', '.join(shipped)} "
                "(catalog files and data homes are chosen by whoever starts the server, not by its clients)"
            )
        self.llm = check_llm_mode(self.llm, "llm")  # type: ignore[assignment]

    def to_context(self) -> Context:
        return Context(catalog=self.catalog, llm=self.llm)


def context_of(runtime) -> Context:
    """The run's context: defaults when none was given (a bare `graph.invoke`), a served graph's `RemoteContext`
    widened to a `Context` with every other setting at its default."""
    ctx = getattr(runtime, "context", None)
    if ctx is None:
        return Context()
    if isinstance(ctx, RemoteContext):
        return ctx.to_context()
    if isinstance(ctx, dict):
        return RemoteContext(**ctx).to_context()
    return ctx
