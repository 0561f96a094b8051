"""`Selector`: the Python face of model selection. One compiled graph, reused for every request."""

from __future__ import annotations

import time
import weakref
from dataclasses import replace
from typing import Any

from graphs.context import Context
from graphs.resources import register_live, release_live
from graphs.selection.graph import build_selection_graph
from graphs.selection.results import generate_result, selection_result


class Selector:
    def __init__(
        self, catalog: str = "hub", llm: str = "auto", home: str | None = None, chat_model: Any = None, **options
    ):
        self.chat_model = chat_model
        session = register_live(chat_model=chat_model) if chat_model is not None else None
        if session:
            weakref.finalize(self, release_live, session)
        self.context = Context(
            catalog=str(catalog), llm=llm, home=str(home) if home else None, session=session, **options
        )
        self.graph = build_selection_graph().compile()
        self._warm = False
        self._gen_graph = None

    def warm_up(self) -> None:
        """Load the embedder, sync the index and read its vectors now rather than on the first request."""
        self.resources.embedder.embed_query("warm up")
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
        from graphs.resources import resources_for

        return resources_for(self.context)

    def select(self, request: str, **overrides) -> dict:
        """The `dgpt select --json` object (graphs.selection.results.SelectionResult, as a dict)."""
        if not request or not request.strip():
            raise ValueError('the request is empty; describe the image you want, e.g. dgpt select "a red fox in snow"')
        ctx = replace(self.context, **overrides) if overrides else self.context
        startup = self._startup_ms()
        start = time.perf_counter()
        state = self.graph.invoke({"request": request}, context=ctx)
        result = selection_result(state, self.resources.catalog, (time.perf_counter() - start) * 1000)
        if startup is not None:
            result.timings_ms["startup"] = round(startup, 2)
        return result.model_dump()

    def generate(
        self,
        request: str,
        model: str | None = None,
        out_dir: str | None = None,
        progress=None,
        **settings,
    ) -> dict:
        """Select (unless `model` is given), extend, and draw; the `dgpt generate --json` object (GenerateResult).
        `settings`: seed, steps, guidance, width, height, num_images. `progress(step, total)` is called from the
        graph's custom stream while the model draws."""
        from graphs.resources import get_generator
        from graphs.selection.graph import build_generation_graph
        from tools.generate import ImageGenerator

        if not request or not request.strip():
            raise ValueError(
                'the request is empty; describe the image you want, e.g. dgpt generate "a red fox in snow"'
            )
        if self._gen_graph is None:
            self._gen_graph = build_generation_graph().compile()
        startup = self._startup_ms()
        shared = get_generator(self.context.catalog, self.context.home)
        generator = ImageGenerator(shared.catalog, cache=shared.cache, out_dir=out_dir) if out_dir else shared
        session = register_live(chat_model=self.chat_model, generator=generator)
        ctx = replace(self.context, session=session)
        inputs = {
            "request": request,
            "forced_model": model,
            "settings": {k: v for k, v in settings.items() if v is not None},
        }
        state = None
        start = time.perf_counter()
        try:
            for mode, chunk in self._gen_graph.stream(inputs, context=ctx, stream_mode=["values", "custom"]):
                if mode == "values":
                    state = chunk
                elif progress and isinstance(chunk, dict) and "progress" in chunk:
                    progress(chunk["progress"]["step"], chunk["progress"]["total"])
        finally:
            release_live(session)
        result = generate_result(state, self.resources.catalog, (time.perf_counter() - start) * 1000)
        if startup is not None:
            result.timings_ms["startup"] = round(startup, 2)
        return result.model_dump()
