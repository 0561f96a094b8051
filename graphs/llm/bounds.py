"""Bounded output schemas, the same for every backend: each string gets a maxLength and each list a maxItems, and a
step's token allowance is sized to the longest JSON its bounded schema admits.

A small model left free rambles inside a string until the token limit cuts the JSON off (measured: SmolLM2-135M
filled 512 tokens of "core_prompt", 29-60 s, then invalid JSON). The local backend turns the bounded schema into a
llama.cpp grammar; endpoints get it as tool parameters (function calling) or as `response_format` (json_schema), and
servers that decode under a grammar (llama.cpp, vLLM, Ollama) stop each string at its bound.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel

# With these a ParsedPrompt is at most ~1,300 characters (~350 tokens), inside the default max_tokens of 512.
MAX_STRING = 300
MAX_ITEM_STRING = 60  # list items are words or names (subjects, styles, branch names)
MAX_ITEMS = 8
# Token allowance of a step: the bounded JSON's length at CHARS_PER_TOKEN (JSON and short English words run 3-4
# characters a token; 3 leaves room), plus the wrapper a server adds (a tool call's name), never under MIN_TOKENS
# and never over the max_tokens setting.
CHARS_PER_TOKEN = 3
TOKEN_OVERHEAD = 32
MIN_TOKENS = 64


def bounded(schema: dict, limit: int = MAX_STRING) -> dict:
    """A copy of a JSON schema in which every string has a maxLength and every array a maxItems."""
    if isinstance(schema, list):
        return [bounded(x, limit) for x in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: bounded(v, MAX_ITEM_STRING if k == "items" else limit) for k, v in schema.items()}
    if out.get("type") == "string" and "enum" not in out and "const" not in out:
        out.setdefault("maxLength", limit)
    if out.get("type") == "array":
        out.setdefault("maxItems", MAX_ITEMS)
    return out


@lru_cache(maxsize=32)
def _bounded_schema(model: type[BaseModel]) -> dict:
    return bounded(model.model_json_schema())


def bounded_schema(model: type[BaseModel]) -> dict:
    """The bounded JSON schema of a pydantic model (a fresh copy: callers may edit it)."""
    import copy

    return copy.deepcopy(_bounded_schema(model))


def max_json_chars(schema: dict, defs: dict | None = None) -> int:
    """An upper bound on the length of the JSON text a bounded schema admits (compact separators plus a space after
    each ':' and ',', as most servers print). Unbounded parts count as MAX_STRING characters."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return max_json_chars(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return max(max_json_chars(s, defs) for s in schema[key])
    if "enum" in schema:
        return max(len(repr(v)) + 2 for v in schema["enum"])
    if "const" in schema:
        return len(repr(schema["const"])) + 2
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return 2 + sum(len(k) + 4 + max_json_chars(v, defs) for k, v in props.items())
    if kind == "array":
        return 2 + schema.get("maxItems", MAX_ITEMS) * (2 + max_json_chars(schema.get("items", {}), defs))
    if kind == "string":
        return 2 + schema.get("maxLength", MAX_STRING)
    if kind in ("integer", "number"):
        return 12
    if kind == "boolean":
        return 5
    if kind == "null":
        return 4
    return MAX_STRING


def max_tokens_for(model: type[BaseModel], cap: int) -> int:
    """The token allowance of a step asking for `model`: sized to its bounded schema, within [MIN_TOKENS, cap]."""
    need = max_json_chars(_bounded_schema(model)) // CHARS_PER_TOKEN + TOKEN_OVERHEAD
    return max(min(need, cap), min(MIN_TOKENS, cap))
