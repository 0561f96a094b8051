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
