"""The LLM factory and the one way the graph calls it: structured output, one retry, then the caller falls back.

Configured by a file, `DATA_HOME/llm.yaml` (or the path in DGPT_LLM_CONFIG), with the keys base_url, model, api_key,
timeout, max_tokens, structured; environment variables override it: DGPT_LLM_BASE_URL, DGPT_LLM_MODEL,
DGPT_LLM_API_KEY (or OPENAI_API_KEY), DGPT_LLM_TIMEOUT (seconds, default 20), DGPT_LLM_MAX_TOKENS (default 512),
DGPT_LLM_STRUCTURED (how structured output is asked for: function_calling, the default, which OpenAI, vLLM, Ollama and
llama.cpp all accept; or json_schema / json_mode). `auto` resolves to `openai` when an endpoint or key is configured,
else to `none` (the deterministic no-LLM mode).
"""

from __future__ import annotations

import os
from typing import Any, TypeVar

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

T = TypeVar("T", bound=BaseModel)


class LlmUnavailable(RuntimeError):
    pass


CONFIG_FILE = "llm.yaml"
ENV = {"base_url": "DGPT_LLM_BASE_URL", "model": "DGPT_LLM_MODEL", "api_key": "DGPT_LLM_API_KEY",
       "timeout": "DGPT_LLM_TIMEOUT", "max_tokens": "DGPT_LLM_MAX_TOKENS", "structured": "DGPT_LLM_STRUCTURED"}


class LlmSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (Ollama).")
    model: str = Field("gpt-4o-mini", description="Model name the server knows.")
    api_key: str | None = Field(None, description="Key for the endpoint; OPENAI_API_KEY is used when unset.")
    timeout: float = Field(20.0, gt=0, description="Seconds per call.")
    max_tokens: int = Field(512, ge=16, description="Output bound, sent as max_tokens (llama.cpp ignores max_completion_tokens).")
    structured: Literal["function_calling", "json_schema", "json_mode"] = Field(
        "function_calling", description="How structured output is asked for; llama.cpp's server rejects json_schema.")


def config_path() -> Path:
    from tools.settings import data_home

    return Path(os.environ.get("DGPT_LLM_CONFIG") or data_home() / CONFIG_FILE)


def llm_settings() -> LlmSettings:
    """The config file's values, overridden by the environment; errors name the file (or variable) and the field."""
    import yaml

    path = config_path()
    values: dict[str, Any] = {}
    if path.is_file():
        try:
            values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as e:
            raise LlmUnavailable(f"{path}: not valid YAML ({e}); fix it or remove the file") from None
        if not isinstance(values, dict):
            raise LlmUnavailable(f"{path}: expected a mapping of {', '.join(ENV)}")
    sources = {k: str(path) for k in values}
    for key, var in ENV.items():
        if os.environ.get(var):
            values[key], sources[key] = os.environ[var], f"${var}"
    if not values.get("api_key") and os.environ.get("OPENAI_API_KEY"):
        values["api_key"] = os.environ["OPENAI_API_KEY"]
    try:
        return LlmSettings.model_validate(values)
    except ValidationError as e:
        first = e.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(file)"
        where = sources.get(field, str(path))
        raise LlmUnavailable(f"LLM setting '{field}' from {where}: {first['msg']}; allowed keys: {', '.join(ENV)}") from None


def configured() -> bool:
    s = llm_settings()
    return bool(s.base_url or s.api_key)


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
            f"and DGPT_LLM_MODEL, or OPENAI_API_KEY for OpenAI, or write base_url and model into {config_path()}"
        )
    if mode == "auto":
        return "openai" if configured() else "none"
    return mode


def make_chat_model():
    from langchain_openai import ChatOpenAI

    s = llm_settings()
    return ChatOpenAI(
        model=s.model,
        base_url=s.base_url,
        api_key=s.api_key or "not-needed",
        timeout=s.timeout,
        max_retries=0,  # our own single retry below; the client's retries would multiply the timeout
        temperature=0,
        # llama.cpp's server ignores max_completion_tokens (what langchain-openai sends) but obeys max_tokens.
        extra_body={"max_tokens": s.max_tokens},
    )


def _bind(chat_model: Any, schema: type[BaseModel]):
    from langchain_openai.chat_models.base import BaseChatOpenAI

    if isinstance(chat_model, BaseChatOpenAI):
        # langchain-openai 1.x defaults to response_format=json_schema, which llama.cpp's server rejects.
        method = llm_settings().structured
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
