"""`Selector`: the Python face of model selection. One compiled graph, reused for every request."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from graphs.context import Context
from graphs.graph import build_selection_graph


class Selector:
    def __init__(self, catalog: str = "hub", llm: str = "auto", home: str | None = None, chat_model: Any = None, **options):
        self.context = Context(catalog=str(catalog), llm=llm, home=str(home) if home else None, chat_model=chat_model, **options)
        self.graph = build_selection_graph().compile()
        self._warm = False
        self._gen_graph = None

    def warm_up(self) -> None:
        """Load the embedder, sync the index and read its vectors now rather than on the first request."""
        from graphs.resources import get_resources

        res = get_resources(self.context.catalog, self.context.home)
        res.embedder.embed_query("warm up")
        self._warm = True

    def _startup_ms(self) -> float | None:
        """Warm up on the first request only. Loading the embedder and syncing the index happen once per process;
        they are reported apart from the per-request node timings so those stay comparable across requests."""
        if self._warm:
            return None
        t0 = time.perf_counter()
        self.warm_up()
        return (time.perf_counter() - t0) * 1000

    @property
    def resources(self):
        from graphs.resources import get_resources

        return get_resources(self.context.catalog, self.context.home)

    def select(self, request: str, **overrides) -> dict:
        if not request or not request.strip():
            raise ValueError("the request is empty; describe the image you want, e.g. dgpt select \"a red fox in snow\"")
        ctx = replace(self.context, **overrides) if overrides else self.context
        startup = self._startup_ms()
        start = time.perf_counter()
        state = self.graph.invoke({"request": request}, context=ctx)
        result = to_result(state, self.resources.catalog, (time.perf_counter() - start) * 1000)
        if startup is not None:
            result["timings_ms"]["startup"] = round(startup, 2)
        return result


    def generate(
        self,
        request: str,
        model: str | None = None,
        out_dir: str | None = None,
        progress=None,
        **settings,
    ) -> dict:
        """Select (unless `model` is given), extend, and draw. `settings`: seed, steps, guidance, width, height,
        num_images. `progress(step, total)` is called from the graph's custom stream while the model draws."""
        from graphs.graph import build_generation_graph
        from graphs.resources import get_generator
        from tools.generate import ImageGenerator

        if not request or not request.strip():
            raise ValueError("the request is empty; describe the image you want, e.g. dgpt generate \"a red fox in snow\"")
        if self._gen_graph is None:
            self._gen_graph = build_generation_graph().compile()
        startup = self._startup_ms()
        shared = get_generator(self.context.catalog, self.context.home)
        generator = ImageGenerator(shared.catalog, cache=shared.cache, out_dir=out_dir) if out_dir else shared
        ctx = replace(self.context, generator=generator)
        inputs = {"request": request, "forced_model": model, "settings": {k: v for k, v in settings.items() if v is not None}}
        state = None
        start = time.perf_counter()
        for mode, chunk in self._gen_graph.stream(inputs, context=ctx, stream_mode=["values", "custom"]):
            if mode == "values":
                state = chunk
            elif progress and isinstance(chunk, dict) and "progress" in chunk:
                progress(chunk["progress"]["step"], chunk["progress"]["total"])
        result = to_result(state, self.resources.catalog, (time.perf_counter() - start) * 1000)
        gen = state["generation"]
        result.update(
            images=gen["images"], seed=gen["seed"], steps=gen["steps"], guidance=gen["guidance"],
            size=[gen["width"], gen["height"]], cache_hit=gen["cache_hit"], evicted=gen["evicted"],
            fallbacks=result["fallbacks"] + [{"node": "generate", **f} for f in state.get("load_fallbacks", [])],
            load_fallbacks=state.get("load_fallbacks", []),
        )
        if startup is not None:
            result["timings_ms"]["startup"] = round(startup, 2)
        return result


def to_result(state: dict, catalog, total_ms: float) -> dict:
    card = catalog.get(state["model"])
    parsed = state["parsed"]
    return {
        "request": state["request"],
        "model": card.id,
        "model_name": card.name,
        "tags": card.tags,
        "kind": parsed.kind,
        "core_prompt": parsed.core_prompt,
        "styles": parsed.styles,
        "subjects": parsed.subjects,
        "extended_prompt": state["extended_prompt"],
        "negative_prompt": state["negative_prompt"],
        "llm_mode": state["llm_mode"],
        "llm_reason": state.get("llm_reason", ""),
        "fallbacks": state.get("fallbacks", []),
        "candidates": state["candidates"],
        "trace": state["trace"],
        "timings_ms": {**state.get("timings_ms", {}), "total": round(total_ms, 2)},
        "catalog": catalog.name,
    }
