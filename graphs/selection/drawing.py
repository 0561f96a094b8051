"""Drawing with fallback: the chosen model's tool draws; if it cannot load, the next model in order does, with its
own template prompt, and every failure is recorded. The generation graph and the conversation graph both draw here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphs.selection.extension import prompt_for
from tools.generate import GenerateArgs
from tools.pipelines import ModelLoadError


@dataclass
class Drawn:
    result: dict[str, Any]  # the tool's GenerationResult
    model: str  # who drew: the first model, or the one that took over
    prompt: str
    negative_prompt: str
    failures: list[dict[str, str]] = field(default_factory=list)  # models that failed to load, in order, and why


def draw_with_fallback(
    generator,
    order: list[str],
    core_prompt: str,
    first_prompt: str,
    first_negative: str,
    settings: dict[str, Any],
    sidecar: dict[str, Any],
    call_id: str = "gen",
) -> Drawn:
    """Draw with `order[0]` (with the prompts already extended for it), else each next model in turn."""
    failures: list[dict[str, str]] = []
    for model_id in order:
        card = generator.catalog.get(model_id)
        if model_id == order[0]:
            prompt, negative = first_prompt, first_negative
        else:
            prompt, negative = prompt_for(card, core_prompt, None)[0], card.negative_prompt
        args = GenerateArgs(prompt=prompt, negative_prompt=negative, **settings).model_dump(exclude_none=True)
        tool = generator.tools_by_id()[model_id]
        try:
            message = tool.invoke(
                {"type": "tool_call", "name": tool.name, "args": args, "id": f"{call_id}-{model_id}"},
                config={"metadata": {"sidecar": {**sidecar, "load_fallbacks": list(failures)}}},
            )
        except ModelLoadError as e:
            failures.append({"model": model_id, "reason": str(e)})
            continue
        return Drawn(
            result=message.artifact, model=model_id, prompt=prompt, negative_prompt=negative, failures=failures
        )
    raise ModelLoadError(
        "no candidate model could be loaded: " + "; ".join(f"{f['model']}: {f['reason']}" for f in failures)
    )
