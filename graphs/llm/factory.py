"""Which language model a request runs with, and building it.

`auto` resolves in this order, and every result says which and why (`llm_mode`, `llm_reason`):
1. `openai` when an endpoint or key is configured;
2. `local` when llama-cpp-python and a local model are installed and a verdict says that model beat the no-LLM mode
   on the labelled set (graphs.llm.verdicts; `dgpt eval llm --modes none,local` measures and records one);
3. `none`, the deterministic no-LLM mode.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from graphs.context import check_llm_mode
from graphs.llm.settings import LlmSettings, LlmUnavailable, config_path, configured, llm_settings
from graphs.resources import live_for


def _endpoint(s: LlmSettings) -> str:
    return f"{s.model} at {s.base_url or 'api.openai.com'}"


def local_model(s: LlmSettings | None = None):
    """(LocalModel or None, why not). Errors in the setting itself are raised: a wrong path should not pass silently."""
    from graphs.llm.local import INSTALL_HINT, find_local_model, llama_cpp_installed

    try:
        model = find_local_model((s or llm_settings()).local_model)
    except FileNotFoundError as e:
        raise LlmUnavailable(str(e)) from e
    if model is None:
        return None, f"no local model installed ({INSTALL_HINT})"
    if not llama_cpp_installed():
        return None, f"{model.name} is there but llama-cpp-python is not ({INSTALL_HINT})"
    return model, ""


def resolution(requested: str | None) -> tuple[str, str]:
    """(mode, why): the mode a request runs in and the reason, in the order the module docstring gives."""
    source = "--llm" if requested else "DGPT_LLM" if os.environ.get("DGPT_LLM") else "the LLM mode"
    try:
        mode = check_llm_mode(requested or os.environ.get("DGPT_LLM") or "auto", source)
    except ValueError as e:
        raise LlmUnavailable(str(e)) from e
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
    from graphs.llm.verdicts import lookup

    verdict = lookup(model.key())
    if verdict is None:
        return "none", (
            f"no endpoint configured; local model {model.name} has not been measured on the labelled set "
            "(run `dgpt eval llm --modes none,local` to measure it)"
        )
    if verdict.better:
        return "local", f"no endpoint configured; local model {model.name} {verdict.describe()}"
    return "none", f"no endpoint configured; local model {model.name} {verdict.describe()}"


def resolve_mode(requested: str | None) -> str:
    return resolution(requested)[0]


def make_local_model():
    from graphs.llm.local import LocalChat

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


@lru_cache(maxsize=1)
def _openai_model():
    return make_chat_model()


@lru_cache(maxsize=1)
def _local_model():
    return make_local_model()


def chat_model_for(ctx) -> tuple[Any, str, str]:
    """(chat model or None, mode label, why this mode) for a run's context: the reason goes into every result."""
    own = live_for(ctx).chat_model
    if own is not None:
        return own, "custom", "a chat model supplied by the caller"
    mode, why = resolution(ctx.llm)
    if mode == "openai":
        return _openai_model(), mode, why
    if mode == "local":
        return _local_model(), mode, why
    return None, "none", why


def forget_models() -> None:
    """Drop the process's built chat models, so the next request builds them from the settings as they are now."""
    _openai_model.cache_clear()
    _local_model.cache_clear()
