"""The one way the graphs call a language model: structured output, one retry, then the caller falls back."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from graphs.llm.settings import llm_settings

T = TypeVar("T", bound=BaseModel)


def bind_structured(chat_model: Any, schema: type[BaseModel]):
    from langchain_openai.chat_models.base import BaseChatOpenAI

    if isinstance(chat_model, BaseChatOpenAI):
        # langchain-openai 1.x defaults to response_format=json_schema, which llama.cpp's server rejects.
        method = llm_settings().structured
        return chat_model.with_structured_output(schema, method=method)
    return chat_model.with_structured_output(schema)


def structured(
    chat_model: Any, schema: type[T], messages: list[tuple[str, str]], retries: int = 1
) -> tuple[T | None, str]:
    """Ask for `schema`; returns (result, "") or (None, why it failed) after 1 + retries attempts."""
    why = ""
    for _ in range(1 + retries):
        try:
            out = bind_structured(chat_model, schema).invoke(messages)
            if isinstance(out, schema):
                return out, ""
            if isinstance(out, dict):
                return schema.model_validate(out), ""
            why = f"unexpected reply type {type(out).__name__}"
        except Exception as e:  # timeouts, HTTP errors, invalid JSON, schema violations: all mean "fall back"
            why = f"{type(e).__name__}: {str(e)[:200]}"
    return None, why
