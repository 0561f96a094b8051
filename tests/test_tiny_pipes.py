"""The tiny random pipelines in tests/dummy_pipes.py load through diffusers' public entry points and generate."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from tests.dummy_pipes import LORA_WEIGHT_NAME, make_lora, make_sd15, make_sdxl, make_single_file

SIZE = 64
STEPS = 2


def load(path: Path):
    from diffusers import AutoPipelineForText2Image

    pipe = AutoPipelineForText2Image.from_pretrained(path)
    pipe.set_progress_bar_config(disable=True)
    return pipe


def generate(pipe, size: int = SIZE):
    import torch

    image = pipe(
        "a red fox in the snow",
        height=size,
        width=size,
        num_inference_steps=STEPS,
        generator=torch.Generator("cpu").manual_seed(0),
        output_type="pil",
    ).images[0]
    from PIL import Image

    assert isinstance(image, Image.Image)
    assert image.size == (size, size)
    return np.asarray(image)


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize(
    "build, cls",
    [(make_sd15, "StableDiffusionPipeline"), (make_sdxl, "StableDiffusionXLPipeline")],
    ids=["sd15", "sdxl"],
)
def test_pipeline_loads_and_generates_reproducibly(tmp_path, build, cls):
    path = build(tmp_path / "pipe")
    assert path == tmp_path / "pipe"
    assert (path / "model_index.json").is_file()
    assert (path / "tokenizer" / "tokenizer.json").is_file()
    pipe = load(path)
    assert type(pipe).__name__ == cls
    first = generate(pipe)
    assert (generate(pipe) == first).all()
    assert first.std() > 0  # not a flat image
    generate(pipe, size=32)  # the tiny VAE's scale factor is 2, so 32x32 works too


def test_lora_changes_output_and_disables(tmp_path):
    base_dir = make_sd15(tmp_path / "sd")
    lora_dir = make_lora(tmp_path / "lora", base_dir)
    assert lora_dir == tmp_path / "lora"
    assert (lora_dir / LORA_WEIGHT_NAME).is_file()

    pipe = load(base_dir)
    base = generate(pipe)
    pipe.load_lora_weights(lora_dir, weight_name=LORA_WEIGHT_NAME, adapter_name="x")
    pipe.set_adapters(["x"], [1.0])
    with_lora = generate(pipe)
    assert not (with_lora == base).all()
    assert (generate(pipe) == with_lora).all()
    pipe.disable_lora()
    assert (generate(pipe) == base).all()


def test_single_file_matches_pretrained(tmp_path):
    from diffusers import StableDiffusionPipeline

    base_dir = make_sd15(tmp_path / "sd")
    ckpt = make_single_file(tmp_path / "sd.safetensors", base_dir)
    assert ckpt == tmp_path / "sd.safetensors"
    pipe = StableDiffusionPipeline.from_single_file(ckpt, config=str(base_dir))
    pipe.set_progress_bar_config(disable=True)
    assert (generate(pipe) == generate(load(base_dir))).all()


def test_builders_are_deterministic(tmp_path):
    a = make_sd15(tmp_path / "a")
    b = make_sd15(tmp_path / "b")
    c = make_sd15(tmp_path / "c", seed=1)
    assert digests(a) == digests(b)
    assert (
        digests(a)["unet/diffusion_pytorch_model.safetensors"] != digests(c)["unet/diffusion_pytorch_model.safetensors"]
    )

    assert digests(make_sdxl(tmp_path / "xa")) == digests(make_sdxl(tmp_path / "xb"))

    la, lb, lc = (make_lora(tmp_path / n, a, seed=s) for n, s in [("la", 0), ("lb", 0), ("lc", 1)])
    assert digests(la) == digests(lb) != digests(lc)

    sa = make_single_file(tmp_path / "a.safetensors", a)
    sb = make_single_file(tmp_path / "b.safetensors", b)
    assert sa.read_bytes() == sb.read_bytes()


def test_the_torchvision_notice_is_dropped_and_other_transformers_warnings_kept():
    """transformers 5 prints that torchvision is missing for each image processor a pipeline touches; the PIL
    fallback is what runs, so that line is dropped, and only that line."""
    import io
    import logging

    import transformers

    from tools.pipelines import quiet_torchvision_notice

    transformers.utils.logging.get_logger("transformers.models.clip").warning("warm")  # the library's handler exists
    quiet_torchvision_notice(transformers)
    quiet_torchvision_notice(transformers)  # idempotent: one filter per handler
    every = transformers.utils.logging.get_logger("transformers").handlers
    assert all(sum(getattr(f, "dgpt_torchvision", False) for f in h.filters) == 1 for h in every)
    handlers = [h for h in every if isinstance(h, logging.StreamHandler)]  # pytest may add a null handler
    # The library's handler holds whatever stderr existed when it was made (pytest's capture or another): read
    # what it writes from a buffer of our own.
    buf = io.StringIO()
    old = [h.setStream(buf) for h in handlers]
    try:
        child = logging.getLogger("transformers.models.clip.image_processing_clip")
        child.warning("`CLIPImageProcessor` requires torchvision (not installed); falling back")
        child.warning("some weights were not initialized")
    finally:
        for h, stream in zip(handlers, old):
            h.setStream(stream)
    err = buf.getvalue()
    assert handlers and "requires torchvision" not in err and "some weights were not initialized" in err
