"""The starter zoo's pipeline and trainer, on a tiny UNet and stub data (coloured squares): fast and offline."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
import torch

from tools.starter import StarterPipeline, build_unet, sampling_scheduler, text_condition
from zoo.train import find_checkpoint, train

TINY = {"block_out_channels": (16, 32, 32), "norm_num_groups": 8}
COLOURS = {
    "red": (220, 30, 30),
    "green": (30, 200, 60),
    "blue": (30, 60, 220),
    "white": (245, 245, 245),
    "black": (10, 10, 10),
}
PROMPT = "a red square on a white background"


@dataclass
class Sample:
    domain: str
    attributes: dict[str, str]
    caption: str
    image: np.ndarray = field(repr=False)


def squares(domain, n, rng, size=32, exclude_held_out=True):
    """Stand-in for zoo.world.batch: a coloured square on a plain background."""
    names = list(COLOURS)
    out = []
    for _ in range(n):
        fg, bg = rng.choice(len(names), size=2, replace=False)
        side = int(rng.integers(size // 4, size // 2))
        x, y = (int(v) for v in rng.integers(0, size - side, size=2))
        img = np.empty((size, size, 3), np.uint8)
        img[:] = COLOURS[names[bg]]
        img[y : y + side, x : x + side] = COLOURS[names[fg]]
        attrs = {"shape": "square", "colour": names[fg], "background": names[bg]}
        out.append(Sample(domain or "shapes", attrs, f"a {names[fg]} square on a {names[bg]} background", img))
    return out


def make_pipe() -> StarterPipeline:
    torch.manual_seed(0)
    pipe = StarterPipeline(unet=build_unet(TINY), scheduler=sampling_scheduler())
    pipe.set_progress_bar_config(disable=True)
    return pipe


def run(pipe, prompt=PROMPT, seed=0, steps=2, **kw):
    return pipe(prompt, num_inference_steps=steps, generator=torch.Generator("cpu").manual_seed(seed), **kw).images


@pytest.fixture(scope="module")
def pipe():
    return make_pipe()


def test_text_condition_shapes_and_scaling():
    from tools.embeddings import get_embedder

    hidden, pooled = text_condition([PROMPT, "a blue square"])
    assert hidden.shape == (2, 16, 384) and pooled.shape == (2, 384)
    n = len(get_embedder().model[0].tokenizer("a blue square")["input_ids"])  # with [CLS] and [SEP]
    assert (hidden[1, n:] == 0).all() and (hidden[1, :n].abs().sum(-1) > 0).all()  # pad positions zeroed
    assert 0.7 < hidden[hidden != 0].std() < 1.4  # about unit variance after / 0.43
    assert torch.allclose(pooled[1], hidden[1, :n].mean(0), atol=1e-5)
    alone, _ = text_condition(["a blue square"])
    assert torch.equal(alone[0], hidden[1])  # no batch effects: cached and batched encodings agree


def test_generates_pil_at_requested_size_reproducibly(pipe):
    from PIL import Image

    images = run(pipe, [PROMPT, "a blue square on a black background"], width=64, height=48, num_images_per_prompt=2)
    assert len(images) == 4 and all(isinstance(im, Image.Image) and im.size == (64, 48) for im in images)
    again = run(pipe, [PROMPT, "a blue square on a black background"], width=64, height=48, num_images_per_prompt=2)
    assert all((np.asarray(a) == np.asarray(b)).all() for a, b in zip(images, again))
    default = run(pipe)[0]
    assert default.size == (256, 256)
    other = run(pipe, seed=1)[0]
    assert not (np.asarray(default) == np.asarray(other)).all()
    # nearest-neighbour upscaling of the 32x32 drawing: every 8x8 block is flat
    arr = np.asarray(default).astype(int).reshape(32, 8, 32, 8, 3)
    assert (arr == arr[:, :1, :, :1]).all()
    raw = run(pipe, output_type="np", width=32, height=32, guidance_scale=1.0, negative_prompt="noise")
    assert raw.shape == (1, 32, 32, 3) and 0 <= raw.min() and raw.max() <= 1


def test_callback_runs_every_step(pipe):
    seen = []

    def on_step(p, step, timestep, kwargs):
        assert p is pipe and set(kwargs) == {"latents"}
        seen.append(step)
        return kwargs

    run(pipe, steps=3, callback_on_step_end=on_step)
    assert seen == [0, 1, 2]


def test_save_load_round_trip(pipe, tmp_path):
    before = np.asarray(run(pipe)[0])
    pipe.save_pretrained(tmp_path / "p", safe_serialization=True)
    files = sorted(str(p.relative_to(tmp_path / "p")) for p in (tmp_path / "p").rglob("*") if p.is_file())
    assert files == [
        "model_index.json",
        "scheduler/scheduler_config.json",
        "unet/config.json",
        "unet/diffusion_pytorch_model.safetensors",
    ]
    loaded = StarterPipeline.from_pretrained(tmp_path / "p")
    loaded.set_progress_bar_config(disable=True)
    assert type(loaded.scheduler).__name__ == "DPMSolverMultistepScheduler"
    assert (np.asarray(run(loaded)[0]) == before).all()


def _weights(path: Path) -> dict[str, torch.Tensor]:
    from safetensors.torch import load_file

    return load_file(str(path))


def test_train_resumes_to_the_same_weights(tmp_path, monkeypatch):
    monkeypatch.setattr("zoo.train.FP16_CHECK_STEPS", 4)  # the fp16-vs-fp32 sampling check, shortened
    common = dict(batch_size=4, unet_config=TINY, data_fn=squares, log_every=1, checkpoint_every=2, log=lambda m: None)

    whole = train("shapes", tmp_path / "whole", steps=3, seed=3, save_dtype="auto", **common)

    calls = {"n": 0}

    def crashing(*args, **kw):
        calls["n"] += 1
        if calls["n"] == 3:  # step index 2, after the checkpoint at step 2
            raise RuntimeError("killed")
        return squares(*args, **kw)

    with pytest.raises(RuntimeError, match="killed"):
        train("shapes", tmp_path / "split", steps=3, seed=3, **{**common, "data_fn": crashing})
    assert json.loads((find_checkpoint(tmp_path / "split") / "meta.json").read_text())["step"] == 2
    assert not (tmp_path / "split" / "pipeline").exists()
    logs: list[str] = []
    split = train("shapes", tmp_path / "split", steps=3, seed=3, save_dtype="fp32", **{**common, "log": logs.append})
    assert any("resumed" in m and "step 2" in m for m in logs)

    for name in ("unet.safetensors", "ema.safetensors"):
        a, b = _weights(tmp_path / "whole/checkpoint" / name), _weights(tmp_path / "split/checkpoint" / name)
        assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a), name
    first_key = next(iter(a))
    assert not torch.equal(a[first_key], _weights(tmp_path / "split/checkpoint/unet.safetensors")[first_key] * 0)

    # the exported pipelines hold the EMA weights and load with the plain diffusers entry point
    info = json.loads((whole / "zoo_training.json").read_text())
    assert info["steps"] == 3 and info["dtype"] in ("fp16", "fp32") and "fp16_check" in info
    exported = _weights(split / "unet/diffusion_pytorch_model.safetensors")
    ema = _weights(tmp_path / "split/checkpoint/ema.safetensors")
    assert all(torch.equal(exported[k], ema[k]) for k in ema)
    for path in (whole, split):
        assert not [p for p in path.rglob("*") if p.suffix in (".bin", ".pt", ".pth", ".ckpt", ".pkl")]
        loaded = StarterPipeline.from_pretrained(path, dtype=torch.float32)
        loaded.set_progress_bar_config(disable=True)
        assert run(loaded, width=32, height=32)[0].size == (32, 32)

    # a checkpoint from another run configuration is refused, not silently resumed
    with pytest.raises(ValueError, match="different run"):
        train("shapes", tmp_path / "split", steps=4, seed=4, **common)


def test_train_draws_from_the_world_module(tmp_path):
    """The default data source: zoo.world.batch, here for the generalist (domain None)."""
    pytest.importorskip("zoo.world")
    logs: list[str] = []
    path = train(
        None, tmp_path, steps=1, batch_size=2, unet_config=TINY, save_dtype="fp16", log_every=1, log=logs.append
    )
    assert any(m.startswith("step 1/1 loss") for m in logs)
    assert json.loads((path / "zoo_training.json").read_text())["domain"] is None
    loaded = StarterPipeline.from_pretrained(path)
    assert loaded.unet.dtype == torch.float32  # fp16 on disk, fp32 unless a dtype is asked for


def test_catalog_loader_reads_a_starter_model(pipe, tmp_path):
    """Family `starter` loads through the same loader, cache and tool as every other model, without remote code."""
    from PIL import Image

    from tests.conftest import starter_generator
    from tools.generate import GenerateArgs

    gen = starter_generator(pipe, tmp_path)
    steps = []
    r = gen.generate(
        "starter-shapes",
        GenerateArgs(prompt="a red circle on a blue background", seed=1),
        progress=lambda s, t: steps.append(s),
    )
    assert Image.open(r.images[0]).size == (64, 64) and steps == [1, 2]
    assert type(gen.cache.get("starter-shapes")[0]).__name__ == "StarterPipeline"
