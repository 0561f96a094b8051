"""`dgpt zoo rate` (zoo/rate.py): prompt sets, the rating matrix through the catalog loader, feedback records."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
import yaml

from tests.test_zoo_pipeline import TINY
from tools.starter import StarterPipeline, build_unet, sampling_scheduler
from zoo import world
from zoo.rate import RateError, domain_of, prompt_set, rating_matrix, summary, to_records, write_jsonl


def test_prompt_sets_are_deterministic_and_keep_held_out_combinations_apart():
    seen = prompt_set(12, seed=3)
    assert seen == prompt_set(12, seed=3) and seen != prompt_set(12, seed=4)
    assert len(seen) == 12 * len(world.DOMAINS)
    held = prompt_set(12, seed=3, held_out=True)
    for prompts, expect_held in ((seen, False), (held, True)):
        for text in prompts:
            domain, attrs = world.parse_caption(text)
            names = tuple(world.ATTRIBUTES[domain])
            if set(attrs) == set(names):  # captions that name every attribute can be checked exactly
                assert (world.combination(domain, attrs) in world.held_out(domain)) == expect_held, text
    # four domains, in order, each with its own captions
    assert [domain_of(p) for p in seen] == [d for d in world.DOMAINS for _ in range(12)]
    with pytest.raises(RateError, match="at least 1"):
        prompt_set(0)


@pytest.fixture(scope="module")
def tiny_zoo(tmp_path_factory):
    """Two tiny starter models with different random weights, in a catalog of their own."""
    root = tmp_path_factory.mktemp("zoo")
    entries = []
    for i, mid in enumerate(("starter-a", "starter-b")):
        torch.manual_seed(i)
        StarterPipeline(unet=build_unet(TINY), scheduler=sampling_scheduler()).save_pretrained(root / mid)
        entries.append(
            {
                "id": mid,
                "name": mid,
                "family": "starter",
                "tags": ["illustration", "shape"],
                "source": {"kind": "local", "path": mid},
                "description": "A tiny random starter model.",
                "example_prompts": ["a red circle on a blue background", "a star"],
                "license": "apache-2.0",
                "defaults": {"steps": 2, "guidance": 4.0, "width": 32, "height": 32},
            }
        )
    entries.append({**entries[0], "id": "photo", "family": "sd15", "source": {"kind": "hub", "repo": "a/b"}})
    path = root / "zoo.yaml"
    path.write_text(yaml.safe_dump({"catalog": "zoo-test", "models": entries}))
    return path


def test_rating_matrix_rates_every_model_on_every_prompt_from_the_same_noise(tiny_zoo):
    from tools.catalog import load_catalog

    cat = load_catalog(tiny_zoo)
    prompts = prompt_set(2, seed=0)
    calls = []
    r = rating_matrix(
        cat, ["starter-a", "starter-b"], prompts, batch=3, progress=lambda m, i, n: calls.append((m, i, n))
    )
    assert r.shape == (len(prompts), 2) and np.all((r >= 0) & (r <= 1))
    assert calls[-1] == ("starter-b", len(prompts), len(prompts)) and ("starter-a", 3, len(prompts)) in calls
    # batching does not change an image: prompt i always starts from seed + i
    again = rating_matrix(cat, ["starter-a"], prompts, batch=len(prompts))
    np.testing.assert_allclose(again[:, 0], r[:, 0], atol=1e-6)
    with pytest.raises(RateError, match="not starter models"):
        rating_matrix(cat, ["starter-a", "photo"], prompts)
    with pytest.raises(RateError, match="no prompts"):
        rating_matrix(cat, ["starter-a"], [])


def test_records_are_idempotent_feedback_and_the_jsonl_round_trips(tmp_path, home):
    from tools.feedback import FeedbackStore, read_records
    from tools.index import Index

    prompts = ["a red circle on a blue background", "the letter K in red on a white background"]
    ratings = np.array([[0.9, 0.2], [0.1, 0.8]])
    records = to_records(["starter-shapes", "starter-glyphs"], prompts, ratings)
    assert [(r.model, r.rating, r.source) for r in records[:2]] == [
        ("starter-shapes", 0.9, "zoo-judge"),
        ("starter-glyphs", 0.2, "zoo-judge"),
    ]
    store = FeedbackStore(Index(home=home))
    store.add(records)
    store.add(to_records(["starter-shapes", "starter-glyphs"], prompts, ratings))  # rating the same images again
    assert store.count() == 4
    path = write_jsonl(records, tmp_path / "sub" / "ratings.jsonl")
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    assert len(lines) == 4 and "time" not in lines[0]
    assert [r.record_id() for r in read_records(path)] == [r.record_id() for r in records]
    rows = summary(["starter-shapes", "starter-glyphs"], prompts, ratings)
    assert rows[0]["shapes"] == pytest.approx(0.9) and rows[1]["glyphs"] == pytest.approx(0.8)
    assert np.isnan(rows[0]["patterns"])


def test_cli_zoo_rate_writes_the_file_and_the_index(tiny_zoo, tmp_path, home, capsys, monkeypatch):
    from agent.cli import main

    monkeypatch.setenv("DGPT_HOME", str(home))
    from tools.feedback import FeedbackStore
    from tools.index import Index

    out = tmp_path / "r.jsonl"
    rc = main(
        ["zoo", "rate", "--catalog", str(tiny_zoo), "--per-domain", "1", "--models", "starter-a", "--out", str(out)]
    )
    assert rc == 0
    assert len(out.read_text().splitlines()) == len(world.DOMAINS)
    assert FeedbackStore(Index(home=home)).count() == len(world.DOMAINS)
    assert "starter-a" in capsys.readouterr().out
    assert main(["zoo", "rate", "--catalog", str(tiny_zoo), "--models", "nope"]) == 2
    assert "not in catalog" in capsys.readouterr().err
    assert main(["zoo", "rate", "--catalog", str(tiny_zoo), "--no-store"]) == 2
    assert "--out" in capsys.readouterr().err
