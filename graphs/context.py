"""Run-time configuration of the selection graph (LangGraph `context_schema`)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Literal

LlmChoice = Literal["auto", "none", "openai", "local"]


@dataclass
class Context:
    catalog: str = field(
        default_factory=lambda: os.environ.get("DGPT_CATALOG", "hub"),
        metadata={"description": "Catalog name or path to a catalog YAML file (env DGPT_CATALOG, default hub)."},
    )
    llm: LlmChoice = field(default="auto", metadata={"description": "auto: endpoint if configured, else no-LLM mode."})
    beam_width: int = field(default=2, metadata={"description": "Branches kept per tree level."})
    threshold: float = field(
        default=0.15, metadata={"description": "A branch whose best model scores below this is abandoned (backtracking)."}
    )
    max_backtracks: int = field(default=3, metadata={"description": "How many abandoned branches may be replaced."})
    feedback_k: int = field(default=8, metadata={"description": "At most this many rated neighbours count per candidate."})
    feedback_pool: int = field(default=64, metadata={"description": "Nearest rated prompts read from the feedback index."})
    feedback_min_similarity: float = field(default=0.5, metadata={"description": "Ratings of less similar prompts are ignored."})
    shrinkage: float = field(default=2.0, metadata={"description": "Pseudo-count pulling thin evidence toward the prior."})
    advantage_weight: float = field(default=0.5, metadata={"description": "score = relevance + weight · (advantage − 0.5)."})
    confirm: bool = field(default=False, metadata={"description": "Conversations: pause before drawing so the user can confirm or swap the model."})
    strength: float = field(default=0.5, metadata={"description": "Conversations: image-to-image strength for local changes (0 keeps, 1 ignores)."})
    keep_margin: float = field(
        default=0.05, metadata={"description": "Conversations: a content change keeps the model unless the best candidate beats it by more."}
    )
    home: str | None = field(default=None, metadata={"description": "Data home; DGPT_HOME or ~/.dgpt when unset."})
    generator: Any = field(default=None, metadata={"description": "A ready tools.generate.ImageGenerator (shared cache)."})
    chat_model: Any = field(default=None, metadata={"description": "A ready chat model (tests, embedding apps); overrides --llm."})


def context_of(runtime) -> Context:
    """The run's context; defaults when none was given (a LangGraph server or a bare `graph.invoke`), and a plain
    dict (as a server passes it) turned into a `Context`."""
    ctx = getattr(runtime, "context", None)
    if ctx is None:
        return Context()
    if isinstance(ctx, dict):
        return Context(**ctx)
    return ctx
