"""Shared test set-up: offline, one torch thread, a throwaway data home, no LLM configured."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["DGPT_HOME"] = tempfile.mkdtemp(prefix="dgpt-test-home-")
for var in (
    "DGPT_LLM",
    "DGPT_LLM_BASE_URL",
    "DGPT_LLM_API_KEY",
    "OPENAI_API_KEY",
    "DGPT_CHROMA_URL",
    "DGPT_CATALOG",
    "DGPT_LLM_CONFIG",
    "DGPT_LLM_LOCAL_MODEL",
):
    os.environ.pop(var, None)

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
import yaml  # noqa: E402

from tests.fakes import ScriptedChat  # noqa: E402,F401

pytest.register_assert_rewrite("tests.merging")  # its asserts report the two prompts, as a test's own do


def pytest_configure(config):
    import torch

    torch.set_num_threads(1)


def card(id, tags, description, examples, family="sd15", **extra):
    return {
        "id": id,
        "name": id.replace("-", " ").title(),
        "family": family,
        "source": extra.pop("source", {"kind": "hub", "repo": f"test/{id}"}),
        "tags": tags,
        "description": description,
        "example_prompts": examples,
        "license": "test",
        **extra,
    }


TINY_MODELS = [
    card(
        "photo",
        ["photorealistic", "person", "animal", "landscape"],
        "Realistic photographs of people, animals and nature, DSLR quality.",
        ["a photo of a woman smiling, natural light, 85mm, sharp focus", "a golden retriever in a park, photo, bokeh"],
    ),
    card(
        "anime",
        ["anime", "person", "animal"],
        "Anime and manga characters with cel shading and vivid colours.",
        [
            "1girl, school uniform, cherry blossoms, anime style, detailed",
            "a cat girl with big eyes, anime style, detailed",
        ],
    ),
    card(
        "watercolor",
        ["watercolor", "painting", "landscape", "animal"],
        "Soft watercolour paintings of landscapes and animals on paper.",
        [
            "a watercolor painting of a lighthouse, soft washes, paper texture",
            "a fox in the snow, watercolor painting, soft washes",
        ],
        negative_prompt="photo, 3d render",
        trigger_words=["wtrclr"],
    ),
    card(
        "pixel",
        ["pixel-art", "object", "vehicle", "animal"],
        "Pixel art sprites in a retro 16-bit video game style.",
        ["pixel art, a red sports car, 16-bit", "pixel art, a treasure chest, 16-bit"],
        source={
            "kind": "lora",
            "base": "photo",
            "repo": "test/pixel-lora",
            "weight_name": "pixel.safetensors",
            "scale": 0.8,
        },
        trigger_words=["pixel art"],
    ),
    card(
        "letters",
        ["typography", "text", "object"],
        "Logos, posters and signs with legible text and lettering.",
        ["a poster with the word 'HELLO' in bold letters", "a neon sign that says 'OPEN', typography"],
    ),
    card(
        "general",
        ["general", "person", "animal", "landscape", "architecture", "object"],
        "A general-purpose model for any subject.",
        ["a house on a hill", "a bowl of fruit on a table"],
    ),
]


def write_catalog(path: Path, models=None, **top) -> Path:
    path.write_text(
        yaml.safe_dump({"catalog": top.pop("catalog", "tiny"), "models": models or TINY_MODELS, **top}, sort_keys=False)
    )
    return path


def starter_generator(pipe, tmp_path: Path):
    """A one-model `starter` catalog around a tiny saved StarterPipeline, and a CPU ImageGenerator over it."""
    from tools.catalog import load_catalog
    from tools.generate import ImageGenerator
    from tools.pipelines import PipelineCache

    pipe.save_pretrained(tmp_path / "starter-shapes", safe_serialization=True)
    entry = {
        "id": "starter-shapes",
        "name": "Starter shapes",
        "family": "starter",
        "tags": ["general", "abstract"],
        "source": {"kind": "local", "path": "starter-shapes"},
        "description": "Coloured shapes on plain backgrounds.",
        "example_prompts": ["a red circle on a blue background", "a yellow star on purple"],
        "license": "Apache-2.0",
        "defaults": {"steps": 2, "guidance": 4.0, "width": 64, "height": 64},
    }
    cat = load_catalog(write_catalog(tmp_path / "zoo.yaml", [entry], catalog="zoo-test"))
    return ImageGenerator(cat, cache=PipelineCache(cat, device="cpu"), out_dir=tmp_path / "out")


@pytest.fixture
def tiny_catalog(tmp_path) -> Path:
    return write_catalog(tmp_path / "tiny.yaml")


@pytest.fixture
def home(tmp_path) -> Path:
    h = tmp_path / "home"
    h.mkdir()
    return h
