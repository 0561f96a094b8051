"""Nodes that end a request in an image: `pin` (a model chosen by the user) and `generate`."""

from __future__ import annotations

from langgraph.runtime import Runtime

from graphs.context import Context, context_of
from graphs.nodes import _resources, prompt_for, timed
from graphs.state import SelectionState
from tools.generate import GenerateArgs
from tools.pipelines import ModelLoadError


@timed("pin")
def pin(state: SelectionState, runtime: Runtime[Context]) -> dict:
    """`--model ID`: no search; the id is checked against the catalog like any other choice."""
    model = state["forced_model"]
    _resources(context_of(runtime)).catalog.get(model)  # KeyError with the catalog's name if unknown
    return {"model": model, "candidates": [{"id": model, "relevance": None, "score": None, "pinned": True}], "trace": []}


def route_after_parse(state: SelectionState) -> str:
    return "pin" if state.get("forced_model") else "tot"


@timed("generate")
def generate(state: SelectionState, runtime: Runtime[Context]) -> dict:
    """Draw with the chosen model's tool; if it cannot load, the next candidate, with the reason recorded."""
    from graphs.resources import get_generator

    ctx = context_of(runtime)
    generator = ctx.generator or get_generator(ctx.catalog, ctx.home)
    catalog = _resources(ctx).catalog
    order = [state["model"]] + [c["id"] for c in state["candidates"] if c["id"] != state["model"]]
    settings = dict(state.get("settings") or {})
    failures: list[dict] = []
    decision = {
        "request": state["request"],
        "kind": state["parsed"].kind,
        "core_prompt": state["parsed"].core_prompt,
        "candidates": state["candidates"],
        "trace": state["trace"],
        "llm_mode": state.get("llm_mode"),
        "llm_reason": state.get("llm_reason"),
    }
    for model_id in order:
        card = catalog.get(model_id)
        if model_id == state["model"]:
            prompt, negative = state["extended_prompt"], state["negative_prompt"]
        else:
            prompt, _ = prompt_for(card, state["parsed"].core_prompt, None)
            negative = card.negative_prompt
        tool = generator.tools_by_id()[model_id]
        args = GenerateArgs(prompt=prompt, negative_prompt=negative, **settings).model_dump(exclude_none=True)
        try:
            message = tool.invoke({"type": "tool_call", "name": tool.name, "args": args, "id": f"gen-{model_id}"},
                                  config={"metadata": {"sidecar": {**decision, "load_fallbacks": failures}}})
        except ModelLoadError as e:
            failures.append({"model": model_id, "reason": str(e)})
            continue
        result = message.artifact
        update = {"generation": result, "load_fallbacks": failures,
                  "timings_ms": {"load": result["load_ms"], "generate": result["generate_ms"]}}
        if model_id != state["model"]:
            update.update({"model": model_id, "extended_prompt": prompt, "negative_prompt": negative})
        return update
    raise ModelLoadError("no candidate model could be loaded: " + "; ".join(f"{f['model']}: {f['reason']}" for f in failures))
