"""The LLM factory and the one way the graph calls it: structured output, one retry, then the caller falls back.

Configured by environment: DGPT_LLM_BASE_URL, DGPT_LLM_MODEL, DGPT_LLM_API_KEY (or OPENAI_API_KEY),
DGPT_LLM_TIMEOUT (seconds, default 20), DGPT_LLM_MAX_TOKENS (default 512), DGPT_LLM_STRUCTURED (how structured
output is asked for: function_calling, the default, which OpenAI, vLLM, Ollama and llama.cpp all accept; or
json_schema / json_mode). `auto` resolves to `openai` when an endpoint or key is configured, else to `none` (the
deterministic no-LLM mode).
"""

from __future__ import annotations

import os
from typing import Any, TypeVar

from pydantic import BaseModel

T = TypeVar("T", bound=BaseModel)


class LlmUnavailable(RuntimeError):
    pass


def configured() -> bool:
    return bool(os.environ.get("DGPT_LLM_BASE_URL") or os.environ.get("DGPT_LLM_API_KEY") or os.environ.get("OPENAI_API_KEY"))


def resolve_mode(requested: str | None) -> str:
    """auto → openai when an endpoint is configured, else none. `local` is not shipped yet (issue 6)."""
    mode = (requested or os.environ.get("DGPT_LLM") or "auto").lower()
    if mode not in ("auto", "none", "openai", "local"):
        raise LlmUnavailable(f"unknown LLM mode '{mode}'; use auto, none, openai or local")
    if mode == "local":
        raise LlmUnavailable("the local LLM backend is not available in this version; use --llm openai with an endpoint, or --llm none")
    if mode == "openai" and not configured():
        raise LlmUnavailable(
            "--llm openai needs an endpoint: set DGPT_LLM_BASE_URL (e.g. http://localhost:11434/v1 for Ollama) "
            "and DGPT_LLM_MODEL, or OPENAI_API_KEY for OpenAI"
        )
    if mode == "auto":
        return "openai" if configured() else "none"
    return mode


def make_chat_model():
    from langchain_openai import ChatOpenAI

    max_tokens = int(os.environ.get("DGPT_LLM_MAX_TOKENS", "512"))
    return ChatOpenAI(
        model=os.environ.get("DGPT_LLM_MODEL", "gpt-4o-mini"),
        base_url=os.environ.get("DGPT_LLM_BASE_URL") or None,
        api_key=os.environ.get("DGPT_LLM_API_KEY") or os.environ.get("OPENAI_API_KEY") or "not-needed",
        timeout=float(os.environ.get("DGPT_LLM_TIMEOUT", "20")),
        max_retries=0,  # our own single retry below; the client's retries would multiply the timeout
        temperature=0,
        # llama.cpp's server ignores max_completion_tokens (what langchain-openai sends) but obeys max_tokens.
        extra_body={"max_tokens": max_tokens},
    )


def _bind(chat_model: Any, schema: type[BaseModel]):
    from langchain_openai.chat_models.base import BaseChatOpenAI

    if isinstance(chat_model, BaseChatOpenAI):
        # langchain-openai 1.x defaults to response_format=json_schema, which llama.cpp's server rejects.
        method = os.environ.get("DGPT_LLM_STRUCTURED", "function_calling")
        return chat_model.with_structured_output(schema, method=method)
    return chat_model.with_structured_output(schema)


def structured(chat_model: Any, schema: type[T], messages: list[tuple[str, str]], retries: int = 1) -> tuple[T | None, str]:
    """Ask for `schema`; returns (result, "") or (None, why it failed) after 1 + retries attempts."""
    why = ""
    for _ in range(1 + retries):
        try:
            out = _bind(chat_model, schema).invoke(messages)
            if isinstance(out, schema):
                return out, ""
            if isinstance(out, dict):
                return schema.model_validate(out), ""
            why = f"unexpected reply type {type(out).__name__}"
        except Exception as e:  # timeouts, HTTP errors, invalid JSON, schema violations: all mean "fall back"
            why = f"{type(e).__name__}: {str(e)[:200]}"
    return None, why
