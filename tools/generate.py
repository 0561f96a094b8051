"""Image generation: one LangChain tool per catalog model, all drawing through one shared `PipelineCache`."""

from __future__ import annotations

import asyncio
import inspect
import secrets
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from langchain_core.runnables import RunnableConfig
from pydantic import BaseModel, Field

from tools.catalog import Catalog, ModelCard
from tools.images import a1111_parameters, save_png
from tools.pipelines import PipelineCache, image_to_image
from tools.schedule import img2img_steps
from tools.settings import data_home

Progress = Callable[[int, int], None]


class GenerateArgs(BaseModel):
    prompt: str = Field(min_length=1, description="What to draw, written for this model.")
    negative_prompt: str = Field("", description="What to avoid; ignored by models without negative prompts.")
    width: int | None = Field(None, ge=16, le=4096, multiple_of=8, description="Pixels; the model's default if unset.")
    height: int | None = Field(None, ge=16, le=4096, multiple_of=8, description="Pixels; the model's default if unset.")
    steps: int | None = Field(None, ge=1, le=200, description="Denoising steps; the model's default if unset.")
    guidance: float | None = Field(
        None, ge=0.0, le=30.0, description="Classifier-free guidance; the model's default if unset."
    )
    seed: int | None = Field(None, ge=0, lt=2**63, description="Same seed and settings, same image; random if unset.")
    num_images: int = Field(1, ge=1, le=8)
    image: str | None = Field(
        None,
        description="Path of an image to start from (image-to-image, e.g. a previous result); unset draws from noise.",
    )
    strength: float = Field(
        0.5,
        gt=0.0,
        le=1.0,
        description="Image-to-image only: how much to change the start image (0 keeps it, 1 ignores it).",
    )


class GenerationResult(BaseModel):
    model: str
    images: list[str]
    seed: int
    steps: int
    guidance: float
    width: int
    height: int
    sampler: str
    cache_hit: bool
    evicted: list[str] = Field(default_factory=list)
    load_ms: float
    generate_ms: float
    init_image: str | None = None  # the start image of an image-to-image draw (absolute path)
    strength: float | None = None  # image-to-image only


def tool_name(model_id: str) -> str:
    # OpenAI-style tool names allow [a-zA-Z0-9_-] only; catalog ids may contain dots ("playground-v2.5").
    return model_id.replace(".", "_")


def _stream_progress() -> Progress | None:
    """Progress into the LangGraph stream when running inside a graph; None elsewhere."""
    try:
        from langgraph.config import get_stream_writer

        writer = get_stream_writer()
    except Exception:
        return None
    return lambda step, total: writer({"progress": {"step": step, "total": total}})


def open_start_image(path: str):
    """The RGB image at `path` and its absolute path; ValueError naming the path if it is missing or unreadable."""
    from PIL import Image, UnidentifiedImageError

    resolved = Path(path).expanduser().resolve()
    if not resolved.is_file():
        raise ValueError(
            f"start image '{path}' does not exist; pass an existing image file (e.g. a previous result's path)"
        )
    try:
        with Image.open(resolved) as image:
            return image.convert("RGB"), str(resolved)
    except (UnidentifiedImageError, OSError) as e:
        raise ValueError(
            f"start image '{path}' could not be read as an image ({e}); pass an existing image file (PNG, JPEG, ...)"
        ) from e


def _resized(image, width: int, height: int):
    from PIL import Image

    return image if image.size == (width, height) else image.resize((width, height), Image.Resampling.LANCZOS)


class ImageGenerator:
    def __init__(self, catalog: Catalog, cache: PipelineCache | None = None, out_dir: Path | None = None):
        self.catalog = catalog
        self.cache = cache or PipelineCache(catalog)
        self.out_dir = Path(out_dir) if out_dir else data_home() / "images"

    def generate(
        self, model_id: str, args: GenerateArgs, progress: Progress | None = None, sidecar: dict | None = None
    ) -> GenerationResult:
        import torch

        # Everything that can fail on the arguments fails here, before a model is loaded or anything drawn.
        init, init_path = open_start_image(args.image) if args.image else (None, None)
        card = self.catalog.get(model_id)
        d = card.defaults
        steps, guidance = args.steps or d.steps, args.guidance if args.guidance is not None else d.guidance
        total = steps
        if init is not None:
            total = img2img_steps(steps, args.strength)  # the shortened schedule: what progress counts
        pipe, info = self.cache.get(model_id)
        if init is not None:
            # Shares the cached pipeline's modules (and its active LoRA): no second load.
            pipe = image_to_image(pipe, card.family)
        # A refinement keeps the start image's size unless another is asked for.
        width = args.width or (init.width if init is not None else d.width)
        height = args.height or (init.height if init is not None else d.height)
        seed = args.seed if args.seed is not None else secrets.randbelow(2**32)
        accepted = inspect.signature(pipe.__call__).parameters
        call = {
            "prompt": args.prompt,
            "num_inference_steps": steps,
            "guidance_scale": guidance,
            "width": width,
            "height": height,
            "num_images_per_prompt": args.num_images,
            # A CPU generator gives the same noise on every device, so a seed means the same image everywhere.
            "generator": torch.Generator("cpu").manual_seed(seed),
            "output_type": "pil",
        }
        if args.negative_prompt and "negative_prompt" in accepted:
            call["negative_prompt"] = args.negative_prompt
        if init is not None:
            # Image-to-image pipelines without width/height (SD 1.x, SDXL) draw at the start image's size.
            sized = {"width", "height"} <= set(accepted)
            call.update(image=init if sized else _resized(init, width, height), strength=args.strength)
            if not sized:
                del call["width"], call["height"]
        progress = progress or _stream_progress()
        if progress and "callback_on_step_end" in accepted:

            def on_step(_pipe, step, _t, kwargs):
                progress(step + 1, total)
                return kwargs

            call["callback_on_step_end"] = on_step
        start = time.perf_counter()
        with torch.inference_mode():
            images = pipe(**call).images
        generate_ms = (time.perf_counter() - start) * 1000
        strength = None
        if init is not None:
            strength = args.strength
            width, height = images[0].size  # VAE pipelines round the start image's size to their latent grid
        sampler = type(pipe.scheduler).__name__ if hasattr(pipe, "scheduler") else "unknown"
        params = a1111_parameters(
            args.prompt,
            call.get("negative_prompt", ""),
            steps,
            sampler,
            guidance,
            seed,
            width,
            height,
            card.id,
            strength,
        )
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        paths = []
        for i, image in enumerate(images):
            path = self.out_dir / f"{stamp}-{card.id}-{seed}-{i}-{uuid.uuid4().hex[:6]}.png"
            meta = {
                "model": card.id,
                "model_name": card.name,
                "prompt": args.prompt,
                "negative_prompt": call.get("negative_prompt", ""),
                "seed": seed,
                "steps": steps,
                "guidance": guidance,
                "size": [width, height],
                "sampler": sampler,
                "init_image": init_path,
                "strength": strength,
                "index": i,
                **(sidecar or {}),
            }
            paths.append(str(save_png(image, path, params, meta)))
        return GenerationResult(
            model=card.id,
            images=paths,
            seed=seed,
            steps=steps,
            guidance=guidance,
            width=width,
            height=height,
            sampler=sampler,
            cache_hit=info.cache_hit,
            evicted=info.evicted,
            load_ms=round(info.load_ms, 2),
            generate_ms=round(generate_ms, 2),
            init_image=init_path,
            strength=strength,
        )

    def tool(self, card: ModelCard):
        from langchain_core.tools import StructuredTool

        def run(config: RunnableConfig = None, **kwargs) -> tuple[str, dict]:
            # A graph passes the selection decision for the JSON sidecar through the call's metadata.
            sidecar = ((config or {}).get("metadata") or {}).get("sidecar")
            result = self.generate(card.id, GenerateArgs(**kwargs), sidecar=sidecar)
            return (
                f"{len(result.images)} image(s) from {card.id} (seed {result.seed}): {', '.join(result.images)}",
                result.model_dump(),
            )

        async def arun(config: RunnableConfig = None, **kwargs) -> tuple[str, dict]:
            # Diffusers is synchronous; a worker thread keeps the event loop free while it draws.
            return await asyncio.to_thread(run, config, **kwargs)

        return StructuredTool.from_function(
            func=run,
            coroutine=arun,
            name=tool_name(card.id),
            description=f"Draw an image with {card.name} ({', '.join(card.tags)}). {card.description}",
            args_schema=GenerateArgs,
            response_format="content_and_artifact",
            metadata={"model_id": card.id, "family": card.family},
        )

    def tools(self) -> list:
        return list(self.tools_by_id().values())

    def tools_by_id(self) -> dict:
        if not hasattr(self, "_tools"):
            self._tools = {card.id: self.tool(card) for card in self.catalog.models}
        return self._tools
