"""The one way the graphs call a language model: structured output under bounds, within the request's time budget,
one retry, then the caller falls back.

Every backend gets the same bounded schema (graphs.llm.bounds): an endpoint as tool parameters (function_calling,
the default) or as `response_format` (json_schema), the local model as its grammar; each step's max_tokens is sized
to its schema (the max_tokens setting caps it). An endpoint's reply is validated against the pydantic model.
"""

from __future__ import annotations

import time
from typing import Any, TypeVar

from pydantic import BaseModel

from graphs.llm.budget import MIN_TRY_S, Budget
from graphs.llm.settings import llm_settings

T = TypeVar("T", bound=BaseModel)


def endpoint_schema(schema: type[BaseModel]) -> dict:
    """The bounded JSON schema an endpoint gets, with references inlined (as langchain does for a pydantic class;
    not every server's grammar converter follows `$ref`)."""
    from langchain_core.utils.json_schema import dereference_refs

    from graphs.llm.bounds import bounded_schema

    out = dereference_refs(bounded_schema(schema))
    out.pop("$defs", None)
    return out


JSON_SCHEMA_HINT = "this server does not accept response_format json_schema: set DGPT_LLM_STRUCTURED=function_calling"


def rejects_json_schema(chat_model: Any, error: Exception) -> bool:
    """Whether an endpoint refused the json_schema response format (llama.cpp's server answers it with a 500 naming
    `response_format`), as opposed to failing this one call."""
    text = str(error)
    return llm_settings().structured == "json_schema" and "response_format" in text and "json_schema" in text


def request_copy(chat_model: Any, max_tokens: int, timeout: float | None = None) -> Any:
    """A copy of an OpenAI-compatible chat model for one call: `max_tokens` sent as such (llama.cpp's server obeys
    it; it ignores max_completion_tokens) and, when given, this call's timeout."""
    update: dict[str, Any] = {"extra_body": {**(chat_model.extra_body or {}), "max_tokens": max_tokens}}
    if timeout is not None:
        update["model_kwargs"] = {**(chat_model.model_kwargs or {}), "timeout": timeout}  # per request, to the client
    return chat_model.model_copy(update=update)


def step_request(chat_model: Any, schema: type[BaseModel], timeout: float | None = None) -> Any:
    """`request_copy` for a structured step: max_tokens sized to `schema`, within the max_tokens setting."""
    from graphs.llm.bounds import max_tokens_for

    return request_copy(chat_model, max_tokens_for(schema, llm_settings().max_tokens), timeout)


def bind_structured(chat_model: Any, schema: type[BaseModel], timeout: float | None = None):
    from langchain_core.runnables import RunnableLambda
    from langchain_openai.chat_models.base import BaseChatOpenAI

    if isinstance(chat_model, BaseChatOpenAI):
        # langchain-openai 1.x defaults to response_format=json_schema, which llama.cpp's server rejects.
        method = llm_settings().structured
        request = step_request(chat_model, schema, timeout)
        bound = request.with_structured_output(endpoint_schema(schema), method=method, include_raw=True)
        cap = request.extra_body["max_tokens"]
        return bound | RunnableLambda(lambda out: _parsed(out, schema, cap))
    if getattr(chat_model, "passes_timeout", False):  # a wrapper around an endpoint's model (dgpt eval's counter)
        return chat_model.with_structured_output(schema, timeout=timeout)
    return chat_model.with_structured_output(schema)


def _unescaped(value: Any) -> Any:
    """Strings with HTML entities decoded: llama-cpp-python's server (chatml-function-calling) sent SmolLM2's quotes
    inside tool-call arguments as `&#34;`, which would otherwise be drawn into the prompt as text."""
    import html

    if isinstance(value, str):
        return html.unescape(value) if "&" in value else value
    if isinstance(value, list):
        return [_unescaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _unescaped(v) for k, v in value.items()}
    return value


class InvalidReply(ValueError):
    """An endpoint answered, but with no `schema` object in the reply."""


def _parsed(out: dict, schema: type[T], cap: int) -> T:
    """The reply's object, validated against `schema`; else InvalidReply saying why there is none (a reply cut off
    at its max_tokens, which leaves the tool call's JSON unfinished; no tool call; text that is not the JSON)."""
    if out.get("parsed") is not None:
        parsed = out["parsed"]
        data = parsed.model_dump() if isinstance(parsed, BaseModel) else parsed
        return schema.model_validate(_unescaped(data))
    raw = out.get("raw")
    meta = getattr(raw, "response_metadata", None) or {}
    if out.get("parsing_error") is not None:
        detail = f"{type(out['parsing_error']).__name__}: {str(out['parsing_error'])[:150]}"
    elif getattr(raw, "invalid_tool_calls", None):
        detail = "its tool call's arguments are not valid JSON"
    else:
        detail = f"no tool call or JSON; text {str(getattr(raw, 'content', '') or '')[:80]!r}"
    if meta.get("finish_reason") == "length":
        detail += f" (cut off at max_tokens {cap})"
    raise InvalidReply(f"no {schema.__name__} in the reply: {detail}")


def structured(
    chat_model: Any,
    schema: type[T],
    messages: list[tuple[str, str]],
    retries: int = 1,
    budget: Budget | None = None,
) -> tuple[T | None, str]:
    """Ask for `schema`; returns (result, "") or (None, why it failed) after at most 1 + retries attempts. With a
    budget, each call gets min(timeout, time left); no call starts with under MIN_TRY_S left ("LLM time budget of
    15 s spent"), and a failed try is retried only if what is left could hold it again."""
    why = ""
    timeout = llm_settings().timeout if budget is not None else None
    took = 0.0  # seconds the last failed try took
    for attempt in range(1 + retries):
        call_timeout = None
        if budget is not None:
            left = budget.left()
            if attempt == 0 and left < MIN_TRY_S:
                return None, budget.spent()
            if attempt > 0 and left < max(MIN_TRY_S, min(took, timeout)):
                return None, f"{why}; {budget.not_retried(left)}"
            call_timeout = min(timeout, left)
        start = time.monotonic()
        try:
            out = bind_structured(chat_model, schema, call_timeout).invoke(messages)
            if isinstance(out, schema):
                return out, ""
            if isinstance(out, dict):
                return schema.model_validate(out), ""
            why = f"unexpected reply type {type(out).__name__}"
        except Exception as e:  # timeouts, HTTP errors, invalid JSON, schema violations: all mean "fall back"
            why = f"{type(e).__name__}: {str(e)[:200]}"
            if rejects_json_schema(chat_model, e):  # the same answer to every try: say what to change, once
                return None, f"{why}; {JSON_SCHEMA_HINT}"
        took = time.monotonic() - start
    return None, why


def ask(
    chat_model: Any, schema: type[T], system: str, user: str, budget: Budget | None = None, retries: int = 1
) -> tuple[T | None, str]:
    """`structured` for the one shape every step uses: a system prompt and one user message."""
    return structured(chat_model, schema, [("system", system), ("user", user)], retries=retries, budget=budget)
