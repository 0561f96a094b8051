"""`Selector.generate` and `dgpt generate`: selection, fallback on load failure, progress, pinned models."""

import json

import pytest
from PIL import Image

from agent.cli import main
from agent.selector import Selector
from tests.test_generate import gen_catalog  # noqa: F401  (module-scoped fixture)


@pytest.fixture
def selector(gen_catalog, tmp_path):
    return Selector(catalog=gen_catalog, llm="none", home=tmp_path / "home")


def test_request_ends_in_an_image_with_the_decision_in_the_sidecar(selector):
    steps = []
    r = selector.generate("a watercolor painting of a fox", seed=11, progress=lambda s, t: steps.append((s, t)))
    assert r["model"] == "tiny-lora" and r["seed"] == 11 and r["cache_hit"] is False
    assert steps == [(1, 2), (2, 2)]
    assert {"load", "generate", "parse", "tot", "select", "extend"} <= set(r["timings_ms"])
    side = json.loads(open(r["images"][0].replace(".png", ".json")).read())
    assert side["kind"] == "prompt" and side["candidates"][0]["id"] == "tiny-lora" and side["trace"]
    assert selector.generate("a watercolor lake", seed=1)["cache_hit"] is True


def test_load_failure_falls_back_to_the_next_candidate(selector):
    r = selector.generate("pixel art of a red car", seed=1)
    assert r["load_fallbacks"][0]["model"] == "broken"
    assert "not a diffusers directory" in r["load_fallbacks"][0]["reason"]
    assert r["model"] != "broken" and Image.open(r["images"][0]).size == (64, 64)


def test_model_flag_skips_selection(selector):
    r = selector.generate("anything at all", model="tiny-xl", seed=3, width=32, height=32)
    assert r["model"] == "tiny-xl" and r["candidates"][0]["pinned"] and r["trace"] == []
    assert Image.open(r["images"][0]).size == (32, 32)
    with pytest.raises(KeyError, match="not in catalog"):
        selector.generate("x", model="nope")


def test_cli_generate_json_and_batch(gen_catalog, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DGPT_HOME", str(tmp_path / "h"))
    out = tmp_path / "pics"
    code = main(
        [
            "generate",
            "a photo of a dog",
            "--catalog",
            str(gen_catalog),
            "--seed",
            "4",
            "--size",
            "32x32",
            "--out",
            str(out),
            "--json",
            "--llm",
            "none",
        ]
    )
    r = json.loads(capsys.readouterr().out)
    assert code == 0 and r["seed"] == 4 and r["images"][0].startswith(str(out))
    for key in (
        "model",
        "kind",
        "extended_prompt",
        "candidates",
        "trace",
        "images",
        "cache_hit",
        "fallbacks",
        "timings_ms",
    ):
        assert key in r
    batch = tmp_path / "b.txt"
    batch.write_text("a photo of a dog\nanime girl\n")
    code = main(
        ["generate", "--batch", str(batch), "--catalog", str(gen_catalog), "--json", "--seed", "1", "--llm", "none"]
    )
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0 and [r["model"] for r in rows] == ["tiny-sd", "tiny-xl"]
    with pytest.raises(SystemExit):
        main(["generate", "x", "--catalog", str(gen_catalog), "--size", "33x32"])
    assert "multiples of 8" in capsys.readouterr().err
