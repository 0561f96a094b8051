"""The LLM time budget of one request (`budget_s` in llm.yaml, DGPT_LLM_BUDGET_S; default 15 s).

The clock is plain data in the graph's state (`llm_clock`: deadline and budget, in seconds), so it crosses from the
conversation graph into the selection subgraph and survives a checkpoint; no live object travels in a Context. The
first node of a request that talks to an LLM starts it: `interpret` for a conversation turn, `parse` for a selection
(inside the conversation's search, parse keeps the turn's clock). Each call gets min(timeout, time left); a step is
not started with less than MIN_TRY_S left, and not retried when what is left is less than its failed try took.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

# A call is not started with less time than this left: it could not finish, and the step would fall back anyway.
MIN_TRY_S = 0.5


def _now() -> float:
    # Wall time rather than a process's monotonic clock: the deadline is state, which a checkpoint may carry.
    return time.time()


def seconds_text(seconds: float) -> str:
    return f"{seconds:g}"


@dataclass(frozen=True)
class Budget:
    deadline: float
    seconds: float

    @classmethod
    def start(cls, seconds: float | None = None) -> Budget:
        if seconds is None:
            from graphs.llm.settings import llm_settings

            seconds = llm_settings().budget_s
        return cls(deadline=_now() + seconds, seconds=seconds)

    @classmethod
    def of(cls, clock: dict[str, float] | None) -> Budget | None:
        """The budget a state's `llm_clock` holds; None when no clock was started (no-LLM mode, direct calls)."""
        if not clock:
            return None
        return cls(deadline=float(clock["deadline"]), seconds=float(clock["seconds"]))

    def clock(self) -> dict[str, float]:
        """What goes into the state."""
        return {"deadline": self.deadline, "seconds": self.seconds}

    def left(self) -> float:
        return max(0.0, self.deadline - _now())

    def spent(self) -> str:
        """The fallback reason of a step the budget no longer holds."""
        return f"LLM time budget of {seconds_text(self.seconds)} s spent"

    def not_retried(self, left: float) -> str:
        return f"not retried: {left:.1f} s of the {seconds_text(self.seconds)} s LLM time budget left"


def clock_for(state: dict[str, Any], starts_request: bool) -> Budget:
    """The request's budget: a fresh one when this node starts the request (or no clock is in the state yet), else
    the one already running."""
    running = None if starts_request else Budget.of(state.get("llm_clock"))
    return running or Budget.start()


def nested(runtime: Any) -> bool:
    """Whether a node runs inside a parent graph (the conversation's search), whose first node started the request's
    clock: LangGraph joins the checkpoint namespaces of nested graphs with '|'."""
    ns = getattr(getattr(runtime, "execution_info", None), "checkpoint_ns", None)
    if ns is None:
        try:
            from langgraph.config import get_config

            ns = get_config().get("configurable", {}).get("checkpoint_ns", "")
        except RuntimeError:  # called outside a run
            ns = ""
    return "|" in (ns or "")
