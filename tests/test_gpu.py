"""One real hub model on a GPU. Skipped by default (`-m gpu` runs it); needs CUDA and the model in the HF cache
(or hub access). DGPT_GPU_MODEL picks the hub catalog id (default sd-turbo, ~2.5 GB in fp16)."""

import os

import pytest

pytestmark = pytest.mark.gpu


def test_real_hub_model_draws_on_the_gpu(tmp_path):
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    from PIL import Image

    from tools.catalog import load_catalog
    from tools.generate import GenerateArgs, ImageGenerator
    from tools.pipelines import PipelineCache

    catalog = load_catalog("hub")
    model = os.environ.get("DGPT_GPU_MODEL", "sd-turbo")
    cache = PipelineCache(catalog)
    assert cache.device == "cuda" and cache.dtype in (torch.float16, torch.bfloat16)
    gen = ImageGenerator(catalog, cache=cache, out_dir=tmp_path)
    args = GenerateArgs(prompt="a red fox in the snow, photo", seed=1, steps=2, guidance=0.0, width=512, height=512)
    a, b = gen.generate(model, args), gen.generate(model, args)
    assert not a.cache_hit and b.cache_hit and cache.loads == 1
    img = Image.open(a.images[0])
    assert img.size == (512, 512)
    assert len(set(img.convert("L").getdata())) > 32  # not a blank or black frame
    assert list(img.getdata()) == list(Image.open(b.images[0]).getdata())


# -- tiny pipelines and the starter zoo on CUDA (benchmarks/gpu_check.sh runs these on a lent GPU machine) ----------
# No hub and no MiniLM folder there: the tiny pipelines are built in memory (tests/dummy_pipes.py) and the starter
# zoo's text conditioning is read from embeddings precomputed on a CPU (DGPT_GPU_TEXT, written by
# `benchmarks/gpu_text.py`), so these tests need torch with CUDA, diffusers, transformers and accelerate only.

STARTER_PROMPTS = [
    "a yellow star on a purple background",
    "a red circle on a white background",
    "a blue letter A on white",
    "green and white horizontal stripes",
    "a sunset over the sea with hills",
]


@pytest.fixture(scope="module")
def cuda():
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    return torch


@pytest.fixture(scope="module")
def tiny_catalog_gpu(tmp_path_factory):
    import yaml

    from tests.conftest import card
    from tests.dummy_pipes import make_sd15, make_sdxl

    d = tmp_path_factory.mktemp("gpu-tiny")
    make_sd15(d / "sd")
    make_sdxl(d / "xl")
    fast = {"steps": 2, "guidance": 1.0, "width": 64, "height": 64}
    models = [
        card(
            "g-sd",
            ["photorealistic", "animal"],
            "Tiny SD 1.5-like.",
            ["a dog", "a cat"],
            source={"kind": "local", "path": "sd"},
            defaults=fast,
        ),
        card(
            "g-xl",
            ["anime", "person"],
            "Tiny SDXL-like.",
            ["a girl", "a boy"],
            family="sdxl",
            source={"kind": "local", "path": "xl"},
            defaults=fast,
        ),
    ]
    path = d / "gpu.yaml"
    path.write_text(yaml.safe_dump({"catalog": "gpu-tiny", "models": models}))
    from tools.catalog import load_catalog

    return load_catalog(path)


@pytest.fixture
def starter_text(monkeypatch):
    """tools.starter.text_condition answered from the precomputed file (no MiniLM on the GPU machine)."""
    import numpy as np
    import torch

    path = os.environ.get("DGPT_GPU_TEXT")
    if not path:
        try:
            import sentence_transformers  # noqa: F401
        except ImportError:
            pytest.skip("set DGPT_GPU_TEXT to the file benchmarks/gpu_text.py writes (no MiniLM here)")
        return None  # MiniLM is installed: the real text_condition runs
    data = np.load(path)
    rows = {p: i for i, p in enumerate(data["prompts"].tolist())}

    def lookup(texts, max_tokens=16):
        missing = [t for t in texts if t not in rows]
        if missing:
            raise KeyError(f"{missing[:2]} not in {path}; add them to benchmarks/gpu_text.py and rerun it")
        idx = [rows[t] for t in texts]
        return torch.from_numpy(data["hidden"][idx]), torch.from_numpy(data["pooled"][idx])

    import tools.starter

    monkeypatch.setattr(tools.starter, "text_condition", lookup)
    return lookup


def test_tiny_pipelines_are_placed_on_the_gpu_in_half_precision(cuda, tiny_catalog_gpu, tmp_path):
    from tools.generate import GenerateArgs, ImageGenerator
    from tools.pipelines import PipelineCache

    cache = PipelineCache(tiny_catalog_gpu)
    assert cache.device == "cuda" and cache.dtype in (cuda.float16, cuda.bfloat16)
    pipe, info = cache.get("g-sd")
    assert not info.offloaded and pipe.unet.device.type == "cuda" and pipe.unet.dtype == cache.dtype
    assert pipe.text_encoder.device.type == "cuda" and pipe.vae.device.type == "cuda"
    gen = ImageGenerator(tiny_catalog_gpu, cache=cache, out_dir=tmp_path)
    r = gen.generate("g-xl", GenerateArgs(prompt="a girl", seed=1))
    assert r.images and cache.loads == 2


def test_eviction_releases_cuda_memory(cuda, tiny_catalog_gpu):
    from tools.pipelines import PipelineCache

    probe = PipelineCache(tiny_catalog_gpu)
    probe.get("g-sd")
    one = probe.used_bytes
    probe.clear()
    base = cuda.cuda.memory_allocated()
    cache = PipelineCache(tiny_catalog_gpu, budget_bytes=int(one * 1.5))  # room for one of the two
    cache.get("g-sd")
    with_sd = cuda.cuda.memory_allocated()
    assert with_sd > base
    _, info = cache.get("g-xl")
    assert info.evicted == ["g-sd"] and "g-sd" not in cache
    cache.clear()
    assert cuda.cuda.memory_allocated() <= base + 1024 * 1024  # every block of both pipelines handed back


def test_a_model_over_the_budget_is_offloaded_to_the_cpu(cuda, tiny_catalog_gpu, tmp_path):
    pytest.importorskip("accelerate")
    from tools.generate import GenerateArgs, ImageGenerator
    from tools.pipelines import PipelineCache

    cache = PipelineCache(tiny_catalog_gpu, budget_bytes=1024)  # smaller than any model
    pipe, info = cache.get("g-sd")
    assert info.offloaded and pipe.unet.device.type == "cpu"  # moved to the GPU only while it runs
    r = ImageGenerator(tiny_catalog_gpu, cache=cache, out_dir=tmp_path).generate(
        "g-sd", GenerateArgs(prompt="a dog", seed=2)
    )
    assert r.images


def test_image_to_image_on_the_gpu(cuda, tiny_catalog_gpu, tmp_path):
    from PIL import Image

    from tools.generate import GenerateArgs, ImageGenerator
    from tools.pipelines import PipelineCache

    gen = ImageGenerator(tiny_catalog_gpu, cache=PipelineCache(tiny_catalog_gpu), out_dir=tmp_path)
    first = gen.generate("g-sd", GenerateArgs(prompt="a dog", seed=3))
    again = gen.generate("g-sd", GenerateArgs(prompt="a dog", seed=3, image=first.images[0], strength=0.5, steps=4))
    assert again.cache_hit and Image.open(again.images[0]).size == Image.open(first.images[0]).size


@pytest.mark.parametrize("dtype", ["fp16", "bf16"])
def test_starter_zoo_draws_on_the_gpu(cuda, starter_text, dtype, tmp_path):
    from PIL import Image

    from tools.catalog import load_catalog
    from tools.generate import GenerateArgs, ImageGenerator
    from tools.pipelines import PipelineCache, pick_dtype

    catalog = load_catalog("starter")
    cache = PipelineCache(catalog, dtype=pick_dtype("cuda", dtype))
    gen = ImageGenerator(catalog, cache=cache, out_dir=tmp_path)
    for model, prompt in [("starter-shapes", STARTER_PROMPTS[0]), ("starter-glyphs", STARTER_PROMPTS[2])]:
        r = gen.generate(model, GenerateArgs(prompt=prompt, seed=1, steps=20))
        img = Image.open(r.images[0]).convert("RGB")
        assert len(set(img.getdata())) > 2  # not one flat colour: the expert drew something
    pipe, _ = cache.get("starter-shapes")
    assert pipe.unet.device.type == "cuda" and pipe.unet.dtype == cache.dtype


def test_starter_throughput_figure(cuda, starter_text):
    """Images per second for one expert, batched, fp16 (a figure printed for the README, not an assertion)."""
    import time

    from tools.catalog import load_catalog
    from tools.pipelines import PipelineCache

    catalog = load_catalog("starter")
    pipe, _ = PipelineCache(catalog, dtype=cuda.float16).get("starter-shapes")
    prompts = STARTER_PROMPTS * 13  # 65 images
    pipe(prompts[:5], num_inference_steps=20)  # warm-up
    cuda.cuda.synchronize()
    t = time.perf_counter()
    out = pipe(prompts, num_inference_steps=20)
    cuda.cuda.synchronize()
    seconds = time.perf_counter() - t
    print(
        f"\nGPU throughput: starter-shapes fp16, 20 steps, batch {len(prompts)}: {len(prompts) / seconds:.1f} images/s "
        f"({cuda.cuda.get_device_name(0)})"
    )
    assert len(out.images) == len(prompts)
