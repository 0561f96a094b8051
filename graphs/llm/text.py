"""A free-text answer from the language model (the conversation's replies to questions), under the same bounds as
the structured steps: a token allowance, the request's time budget, one try, then the caller answers by the rules.

The answer is streamed from the chat model (`stream`), so a caller can show it as the server sends it: the talk node
passes each piece to LangGraph's custom stream (`{"token": ...}`), and `stream_mode="messages"` sees the same chunks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from graphs.llm.budget import MIN_TRY_S, Budget
from graphs.llm.settings import llm_settings
from graphs.llm.structured import request_copy

# A reply is a few sentences; more would be a small model rambling (and seconds of decoding on a CPU).
ANSWER_TOKENS = 160


def answer_text(
    chat_model: Any,
    messages: list[tuple[str, str]],
    budget: Budget | None = None,
    on_text: Callable[[str], None] | None = None,
    max_tokens: int = ANSWER_TOKENS,
) -> tuple[str | None, str]:
    """(text, "") or (None, why there is none). The answer is streamed: `on_text` gets each piece as it arrives.
    The budget holds the whole answer, not only each read: past the deadline the stream is closed and what came so
    far is the answer, ending in "…", with why (the user has already seen it). No retry: a question answered by the
    rules is a fine answer, and the user is waiting."""
    from langchain_openai.chat_models.base import BaseChatOpenAI

    from graphs.llm.local import LocalChat

    s = llm_settings()
    cap = min(max_tokens, s.max_tokens)
    timeout = s.timeout
    if budget is not None:
        left = budget.left()
        if left < MIN_TRY_S:
            return None, budget.spent()
        timeout = min(timeout, left)
    if isinstance(chat_model, BaseChatOpenAI):
        model = request_copy(chat_model, cap, timeout)
    else:
        model = chat_model.bind(max_tokens=cap) if isinstance(chat_model, LocalChat) else chat_model
    deadline = time.monotonic() + timeout
    pieces: list[str] = []
    why = ""
    stream = model.stream(messages)
    try:
        for chunk in stream:
            piece = chunk.content if isinstance(chunk.content, str) else ""
            if piece:
                pieces.append(piece)
                if on_text is not None:
                    on_text(piece)
            if time.monotonic() > deadline:
                why = budget.spent() if budget is not None and budget.left() < MIN_TRY_S else "timed out"
                why = f"answer cut off: {why}"
                break
    except Exception as e:  # timeouts, HTTP errors, a server gone: the rules answer instead, or what came so far
        why = f"{type(e).__name__}: {str(e)[:200]}"
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    text = " ".join("".join(pieces).split())
    if not text:
        return None, why or "the model answered with no text"
    return (f"{text} …" if why else text), why
