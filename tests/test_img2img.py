"""Image-to-image from a previous image, on the pipeline already loaded: tiny starter and SD 1.x pipelines, offline."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from tests.test_zoo_pipeline import PROMPT, TINY, make_pipe
from tools.starter import StarterImg2ImgPipeline, StarterPipeline, build_unet, image_batch, sampling_scheduler

RED = (200, 40, 40)


@pytest.fixture(scope="module")
def pipe():
    return make_pipe()


@pytest.fixture(scope="module")
def img2img(pipe):
    img = StarterImg2ImgPipeline.from_pipe(pipe)
    img.set_progress_bar_config(disable=True)
    return img


def redraw(img, strength, steps=10, seed=0, **kw):
    """The 32x32 drawing from a flat red start image, as floats in [0, 1]."""
    start = Image.new("RGB", (64, 64), RED)
    return img(
        PROMPT,
        image=start,
        strength=strength,
        num_inference_steps=steps,
        generator=torch.Generator("cpu").manual_seed(seed),
        output_type="np",
        width=32,
        **kw,
    ).images


def test_from_pipe_shares_the_components_and_keeps_the_dtype(pipe, img2img):
    assert type(img2img) is StarterImg2ImgPipeline
    assert img2img.unet is pipe.unet and img2img.scheduler is pipe.scheduler
    # A half-precision pipeline stays half precision: a cast of the derived pipeline would reach the shared UNet.
    torch.manual_seed(0)
    half = StarterPipeline(unet=build_unet(TINY).to(torch.bfloat16), scheduler=sampling_scheduler())
    derived = StarterImg2ImgPipeline.from_pipe(half)
    assert derived.unet is half.unet and half.unet.dtype == torch.bfloat16
    back = StarterPipeline.from_pipe(derived)
    assert type(back) is StarterPipeline and back.unet is half.unet


def test_lower_strength_stays_closer_to_the_start_image(img2img):
    red = np.array(RED, np.float32) / 255
    distance = {s: np.abs(redraw(img2img, s)[0] - red).mean() for s in (0.2, 1.0)}
    assert distance[0.2] < 0.6 * distance[1.0], distance
    again = redraw(img2img, 0.2)[0]
    assert np.array_equal(again, redraw(img2img, 0.2)[0])  # same seed, same image


def test_progress_counts_the_shortened_schedule(img2img):
    seen = []

    def on_step(p, step, timestep, kwargs):
        seen.append(int(timestep))
        return kwargs

    redraw(img2img, 0.3, steps=10, callback_on_step_end=on_step)
    assert len(seen) == int(10 * 0.3) == img2img._num_timesteps
    assert seen == [int(t) for t in img2img.scheduler.timesteps[-3:]]  # the last steps of the full schedule


def test_batches_of_prompts_and_images(img2img):
    start = Image.new("RGB", (40, 40), RED)
    out = img2img(
        [PROMPT, "a blue square"],
        image=start,
        strength=0.5,
        num_inference_steps=2,
        num_images_per_prompt=2,
        width=24,
        height=16,
        generator=torch.Generator("cpu").manual_seed(0),
    ).images
    assert len(out) == 4 and all(im.size == (24, 16) for im in out)
    with pytest.raises(ValueError, match="3 start images for 2 prompts"):
        img2img([PROMPT, "a blue square"], image=[start] * 3, strength=0.5, num_inference_steps=2)


def test_bad_strength_says_what_to_change(img2img):
    for bad in (0.0, -0.1, 1.5):
        with pytest.raises(ValueError, match=rf"strength must be in \(0, 1\].*not {bad}"):
            redraw(img2img, bad)
    with pytest.raises(ValueError, match="runs no denoising step.*raise strength"):
        redraw(img2img, 0.3, steps=2)


def test_image_inputs_agree_and_bad_ones_are_refused():
    rng = np.random.default_rng(0)
    pil = Image.fromarray(rng.integers(0, 256, (64, 48, 3), dtype=np.uint8))
    array = np.asarray(pil, np.float32) / 255
    from_pil = image_batch(pil, 32)
    assert from_pil.shape == (1, 3, 32, 32) and -1 <= from_pil.min() and from_pil.max() <= 1
    assert torch.allclose(image_batch(array, 32), from_pil)
    assert torch.allclose(image_batch(torch.from_numpy(array).permute(2, 0, 1), 32), from_pil)
    # area downsampling: each output pixel is the mean of the block it covers
    flat = np.zeros((64, 64, 3), np.float32)
    flat[:, ::2] = 1.0
    assert torch.allclose(image_batch(flat, 32), torch.zeros(1, 3, 32, 32))
    with pytest.raises(ValueError, match=r"values must be in \[0, 1\]"):
        image_batch(array * 2 - 1, 32)
    with pytest.raises(ValueError, match="4 channels"):
        image_batch(np.zeros((8, 8, 4), np.float32), 32)


# --------------------------------------------------------------------------- through the generator and the cache


@pytest.fixture
def generator(pipe, tmp_path):
    from tests.conftest import starter_generator

    return starter_generator(pipe, tmp_path)


def test_refines_a_previous_result_without_reloading(generator):
    from tools.generate import GenerateArgs
    from tools.images import parse_parameters
    from tools.pipelines import image_to_image

    first = generator.generate("starter-shapes", GenerateArgs(prompt="a red circle", seed=1, width=48, height=40))
    assert first.init_image is None and first.strength is None
    steps = []
    args = GenerateArgs(prompt="a blue circle", seed=2, image=first.images[0], strength=0.3, steps=10)
    second = generator.generate("starter-shapes", args, progress=lambda s, t: steps.append((s, t)))
    assert generator.cache.loads == 1 and second.cache_hit
    assert steps == [(1, 3), (2, 3), (3, 3)]  # int(10 * 0.3) steps run
    assert second.init_image == str(Path(first.images[0]).resolve()) and second.strength == 0.3
    assert Image.open(second.images[0]).size == (48, 40) == (second.width, second.height)  # the start image's size
    side = json.loads(Path(second.images[0]).with_suffix(".json").read_text())
    assert side["init_image"] == second.init_image and side["strength"] == 0.3
    assert parse_parameters(Image.open(second.images[0]).text["parameters"])["Denoising strength"] == "0.3"
    assert "Denoising strength" not in parse_parameters(Image.open(first.images[0]).text["parameters"])

    base = generator.cache.get("starter-shapes")[0]
    derived = image_to_image(base, "starter")
    assert derived is image_to_image(base, "starter") and derived.unet is base.unet  # one derived pipeline per base
    sized = generator.generate(
        "starter-shapes", GenerateArgs(prompt="x", seed=2, image=first.images[0], steps=4, width=32)
    )
    assert (sized.width, sized.height) == (32, 40)


def test_a_bad_start_image_fails_before_drawing(generator, tmp_path):
    from tools.generate import GenerateArgs

    first = generator.generate("starter-shapes", GenerateArgs(prompt="a red circle", seed=1))
    before = sorted(generator.out_dir.iterdir())
    missing = tmp_path / "nope.png"
    with pytest.raises(ValueError, match=f"'{missing}' does not exist; pass an existing image file"):
        generator.generate("starter-shapes", GenerateArgs(prompt="x", image=str(missing)))
    garbage = tmp_path / "garbage.png"
    garbage.write_bytes(b"not a png")
    with pytest.raises(ValueError, match="could not be read as an image"):
        generator.generate("starter-shapes", GenerateArgs(prompt="x", image=str(garbage)))
    with pytest.raises(ValueError, match="raise strength"):  # int(2 * 0.3) == 0 steps
        generator.generate("starter-shapes", GenerateArgs(prompt="x", image=first.images[0], strength=0.3))
    assert sorted(generator.out_dir.iterdir()) == before and generator.cache.loads == 1


def test_strength_is_validated_by_the_tool_schema():
    from pydantic import ValidationError

    from tools.generate import GenerateArgs

    for bad in (0.0, 1.1):
        with pytest.raises(ValidationError, match="strength"):
            GenerateArgs(prompt="x", image="a.png", strength=bad)


# --------------------------------------------------------------------------- diffusers families


def test_sd15_gets_the_diffusers_img2img_pipeline_on_the_same_modules():
    from diffusers import StableDiffusionImg2ImgPipeline, StableDiffusionPipeline

    from tests.dummy_pipes import sd15_components
    from tools.pipelines import image_to_image

    pipe = StableDiffusionPipeline(**sd15_components(), requires_safety_checker=False)
    pipe.set_progress_bar_config(disable=True)
    img = image_to_image(pipe, "sd15")
    assert type(img) is StableDiffusionImg2ImgPipeline and img is image_to_image(pipe, "sd15")
    assert img.unet is pipe.unet and img.vae is pipe.vae and img.text_encoder is pipe.text_encoder
    seen = []
    out = img(
        "a dog",
        image=Image.new("RGB", (64, 48), RED),
        strength=0.5,
        num_inference_steps=4,
        generator=torch.Generator("cpu").manual_seed(0),
        callback_on_step_end=lambda p, i, t, kw: (seen.append(i), kw)[1],
    ).images
    assert out[0].size == (64, 48) and seen == [0, 1]


def test_a_family_without_img2img_is_a_load_error():
    from tools.pipelines import ModelLoadError, image_to_image

    class NoImg2Img(StarterPipeline):
        pass  # AutoPipelineForImage2Image maps only diffusers' own classes

    torch.manual_seed(0)
    odd = NoImg2Img(unet=build_unet(TINY), scheduler=sampling_scheduler())
    with pytest.raises(ModelLoadError, match="model family 'odd' has no image-to-image pipeline"):
        image_to_image(odd, "odd")


def test_a_lora_stays_active_in_image_to_image(tmp_path):
    import yaml

    from tests.conftest import card
    from tests.dummy_pipes import LORA_WEIGHT_NAME, make_lora, make_sd15
    from tools.catalog import load_catalog
    from tools.generate import GenerateArgs, ImageGenerator
    from tools.pipelines import PipelineCache

    sd = make_sd15(tmp_path / "sd")
    lora = make_lora(tmp_path / "lora", sd)
    fast = {"steps": 4, "guidance": 5.0, "width": 64, "height": 64}
    models = [
        card(
            "tiny-sd",
            ["photorealistic", "animal"],
            "Photographs of animals.",
            ["a photo of a dog", "a photo of a lake"],
            source={"kind": "local", "path": str(sd)},
            defaults=fast,
        ),
        card(
            "tiny-lora",
            ["watercolor", "animal"],
            "Watercolours of animals.",
            ["a watercolor fox", "a watercolor lake"],
            source={
                "kind": "lora",
                "base": "tiny-sd",
                "path": str(lora),
                "weight_name": LORA_WEIGHT_NAME,
                "scale": 1.0,
            },
            defaults=fast,
        ),
    ]
    (tmp_path / "cat.yaml").write_text(yaml.safe_dump({"catalog": "tiny", "models": models}))
    cat = load_catalog(tmp_path / "cat.yaml")
    gen = ImageGenerator(cat, cache=PipelineCache(cat, device="cpu"), out_dir=tmp_path / "out")

    def pixels(result):
        return np.asarray(Image.open(result.images[0]))

    start = gen.generate("tiny-sd", GenerateArgs(prompt="a fox", seed=1, width=48)).images[0]
    args = GenerateArgs(prompt="a fox", seed=2, image=start, strength=0.5)
    base = gen.generate("tiny-sd", args)
    with_lora = gen.generate("tiny-lora", args)
    base_again = gen.generate("tiny-sd", args)
    assert gen.cache.loads == 1 and base.width == 48 and base.sampler == "DDIMScheduler"
    assert not np.array_equal(pixels(with_lora), pixels(base))  # the adapter reached the shared UNet
    assert np.array_equal(pixels(base_again), pixels(base))  # and is off again for the base


@pytest.mark.parametrize("strength", [0.05, 0.1, 0.3, 1 / 3, 0.5, 0.7, 1.0])
def test_min_steps_is_the_fewest_schedule_that_still_runs_one_step(strength):
    from tools.schedule import img2img_steps, min_img2img_steps

    fewest = min_img2img_steps(strength)
    assert img2img_steps(fewest, strength) >= 1
    if fewest > 1:
        with pytest.raises(ValueError, match="runs no denoising step"):
            img2img_steps(fewest - 1, strength)
    with pytest.raises(ValueError, match=r"strength must be in \(0, 1\]"):
        min_img2img_steps(0.0)
