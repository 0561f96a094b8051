"""Generation through the real loader and cache, on tiny random pipelines saved to temp directories."""

import json
from pathlib import Path

import pytest
import yaml
from PIL import Image

from tests.conftest import card
from tests.dummy_pipes import LORA_WEIGHT_NAME, make_lora, make_sd15, make_sdxl, make_single_file

FAST = {"steps": 2, "guidance": 5.0, "width": 64, "height": 64}


@pytest.fixture(scope="module")
def gen_catalog(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("tinygen")
    sd = make_sd15(d / "sd")
    xl = make_sdxl(d / "xl")
    lora = make_lora(d / "lora", sd)
    single = make_single_file(d / "single.safetensors", sd)
    models = [
        card(
            "tiny-sd",
            ["photorealistic", "animal", "landscape"],
            "Realistic photographs of animals and lakes.",
            ["a photo of a dog, sharp focus", "a photo of a lake, sharp focus"],
            source={"kind": "local", "path": "sd"},
            negative_prompt="blurry",
            defaults=FAST,
        ),
        card(
            "tiny-xl",
            ["anime", "person"],
            "Anime characters with cel shading.",
            ["anime girl, detailed", "anime boy, detailed"],
            family="sdxl",
            source={"kind": "local", "path": str(xl)},
            defaults=FAST,
        ),
        card(
            "tiny-lora",
            ["watercolor", "animal", "landscape"],
            "Soft watercolour paintings of animals and landscapes.",
            ["a watercolor fox, soft washes", "a watercolor lake, soft washes"],
            source={
                "kind": "lora",
                "base": "tiny-sd",
                "path": str(lora),
                "weight_name": LORA_WEIGHT_NAME,
                "scale": 1.0,
            },
            defaults=FAST,
        ),
        card(
            "tiny-single",
            ["sketch", "object"],
            "Pencil sketches of objects.",
            ["a sketch of a cup", "a sketch of a lamp"],
            source={"kind": "single_file", "path": str(single), "config": str(sd)},
            defaults=FAST,
        ),
        card(
            "broken",
            ["pixel-art", "animal", "vehicle"],
            "Pixel art sprites of animals and vehicles, retro games.",
            ["pixel art, a red car", "pixel art, a fox"],
            source={"kind": "local", "path": "missing-dir"},
            defaults=FAST,
        ),
        card(
            "not-cached",
            ["typography", "text"],
            "Posters and signs with lettering.",
            ["a sign that says OPEN", "a poster, bold letters"],
            source={"kind": "hub", "repo": "dgpt-test/definitely-not-cached"},
            defaults=FAST,
        ),
    ]
    path = d / "gen.yaml"
    path.write_text(yaml.safe_dump({"catalog": "tinygen", "models": models}))
    return path


@pytest.fixture
def generator(gen_catalog, tmp_path):
    from tools.catalog import load_catalog
    from tools.generate import ImageGenerator
    from tools.pipelines import PipelineCache

    cat = load_catalog(gen_catalog)
    return ImageGenerator(cat, cache=PipelineCache(cat, device="cpu"), out_dir=tmp_path / "out")


def pixels(path):
    return list(Image.open(path).convert("RGB").getdata())


def test_one_tool_per_model_with_the_contract(generator):
    from tools.generate import GenerateArgs

    tools = generator.tools()
    assert [t.name for t in tools] == ["tiny-sd", "tiny-xl", "tiny-lora", "tiny-single", "broken", "not-cached"]
    tool = generator.tools_by_id()["tiny-sd"]
    assert tool.args_schema is GenerateArgs and tool.response_format == "content_and_artifact"
    msg = tool.invoke({"type": "tool_call", "name": "tiny-sd", "id": "1", "args": {"prompt": "a dog", "seed": 3}})
    assert msg.artifact["seed"] == 3 and len(msg.artifact["images"]) == 1
    assert Image.open(msg.artifact["images"][0]).size == (64, 64)
    assert "tiny-sd" in msg.content


def test_tool_is_async(generator):
    import asyncio

    tool = generator.tools_by_id()["tiny-xl"]
    msg = asyncio.run(
        tool.ainvoke(
            {
                "type": "tool_call",
                "name": "tiny-xl",
                "id": "1",
                "args": {"prompt": "anime girl", "seed": 1, "num_images": 2},
            }
        )
    )
    assert len(msg.artifact["images"]) == 2


def test_same_seed_same_image_and_metadata_round_trip(generator):
    from tools.generate import GenerateArgs
    from tools.images import parse_parameters

    a = generator.generate("tiny-sd", GenerateArgs(prompt="a dog", negative_prompt="blurry", seed=7))
    b = generator.generate("tiny-sd", GenerateArgs(prompt="a dog", negative_prompt="blurry", seed=7))
    c = generator.generate("tiny-sd", GenerateArgs(prompt="a dog", negative_prompt="blurry", seed=8))
    assert pixels(a.images[0]) == pixels(b.images[0]) != pixels(c.images[0])
    params = parse_parameters(Image.open(a.images[0]).text["parameters"])
    assert params["prompt"] == "a dog" and params["negative_prompt"] == "blurry"
    assert (params["Steps"], params["CFG scale"], params["Seed"], params["Size"], params["Model"]) == (
        "2",
        "5",
        "7",
        "64x64",
        "tiny-sd",
    )
    assert params["Sampler"] == a.sampler
    side = json.loads(Path(a.images[0]).with_suffix(".json").read_text())
    assert side["seed"] == 7 and side["model"] == "tiny-sd"


def test_lora_shares_its_base_pipeline_and_switches_cleanly(generator):
    from tools.generate import GenerateArgs

    args = GenerateArgs(prompt="a fox", seed=5)
    base1 = generator.generate("tiny-sd", args)
    lora = generator.generate("tiny-lora", args)
    base2 = generator.generate("tiny-sd", args)
    assert generator.cache.loads == 1 and lora.cache_hit and base2.cache_hit
    assert pixels(lora.images[0]) != pixels(base1.images[0])
    assert pixels(base2.images[0]) == pixels(base1.images[0])  # adapter off again


def test_single_file_checkpoint_matches_the_directory(generator):
    from tools.generate import GenerateArgs

    args = GenerateArgs(prompt="a cup", seed=2)
    assert pixels(generator.generate("tiny-single", args).images[0]) == pixels(
        generator.generate("tiny-sd", args).images[0]
    )


def test_budget_evicts_least_recently_used(gen_catalog, tmp_path):
    from tools.catalog import load_catalog
    from tools.generate import GenerateArgs, ImageGenerator
    from tools.pipelines import PipelineCache

    cat = load_catalog(gen_catalog)
    probe = PipelineCache(cat, device="cpu")
    probe.get("tiny-sd")
    one = probe.used_bytes
    cache = PipelineCache(cat, device="cpu", budget_bytes=int(one * 2.5))  # room for two tiny pipelines
    gen = ImageGenerator(cat, cache=cache, out_dir=tmp_path)
    args = GenerateArgs(prompt="x", seed=1)
    for model in ("tiny-sd", "tiny-xl", "tiny-sd", "tiny-single"):
        r = gen.generate(model, args)
    assert r.evicted == ["tiny-xl"]  # tiny-sd was used more recently
    assert "tiny-sd" in cache and "tiny-single" in cache and "tiny-xl" not in cache
    assert cache.loads == 3


def test_load_failures_say_what_and_how(generator):
    from tools.generate import GenerateArgs
    from tools.pipelines import ModelLoadError

    with pytest.raises(ModelLoadError, match="not a diffusers directory .*save_pretrained"):
        generator.generate("broken", GenerateArgs(prompt="x"))
    with pytest.raises(ModelLoadError, match="hf download dgpt-test/definitely-not-cached"):
        generator.generate("not-cached", GenerateArgs(prompt="x"))


def test_interrupted_generation_leaves_no_file(generator, monkeypatch):
    from tools.generate import GenerateArgs

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(Image.Image, "save", boom)
    with pytest.raises(KeyboardInterrupt):
        generator.generate("tiny-sd", GenerateArgs(prompt="x", seed=1))
    assert not list(generator.out_dir.glob("*")) if generator.out_dir.exists() else True
