"""The starter zoo's automatic judge (zoo/judge.py): accuracy, ratings, robustness, the committed weights."""

from __future__ import annotations

import json

import numpy as np
import pytest

from zoo import judge as judge_module
from zoo import world
from zoo.judge import DEFAULT_RECORD, DEFAULT_WEIGHTS, UNORDERED_PATTERNS, Judge, Reading, head_names, head_values
from zoo.world import ATTRIBUTES, DOMAINS, PALETTE

PER_DOMAIN = 200


@pytest.fixture(scope="module")
def judge():
    return Judge.load()


@pytest.fixture(scope="module")
def samples():
    """200 fresh clean samples per domain, every combination possible (seeds unlike the judge's own)."""
    rng = np.random.default_rng(20240607)
    return [s for d in DOMAINS for s in world.batch(d, PER_DOMAIN, rng, exclude_held_out=False)]


@pytest.fixture(scope="module")
def readings(judge, samples):
    return judge.read_batch([s.image for s in samples])


@pytest.fixture(scope="module")
def own_ratings(judge, samples):
    return np.array(judge.rate_batch([s.image for s in samples], [s.caption for s in samples]))


def _other(values, avoid, rng):
    return str(rng.choice([v for v in values if v not in avoid]))


def _wrong(sample, rng, two: bool) -> tuple[str, dict[str, str]]:
    """The sample's attributes with one changed (the colour or the shape, letter or pattern) or two (both); for
    landscapes the ground (and the time of day, with the sun or moon that goes with it)."""
    a = dict(sample.attributes)
    if sample.domain == "landscapes":
        a["ground"] = _other(world.GROUNDS, {a["ground"]}, rng)
        if two:
            a["sky"] = _other(world.SKIES, {a["sky"]}, rng)
            a["body"] = "moon" if a["sky"] == "night" else "sun"
        return sample.domain, a
    kind = next(iter(ATTRIBUTES[sample.domain]))  # shape, glyph or pattern
    colour_too = rng.random() < 0.5
    if two or colour_too:
        a["fg"] = _other(world.COLOURS, {a["fg"], a["bg"]}, rng)
    if two or not colour_too:
        a[kind] = _other(ATTRIBUTES[sample.domain][kind], {a[kind]}, rng)
    return sample.domain, a


def _captions(domain, attributes, template=0):
    return world.caption(domain, attributes, np.random.default_rng(0), template=template)


# ----------------------------------------------------------------------------------------------------------------
# The committed weights
# ----------------------------------------------------------------------------------------------------------------


def test_committed_weights_are_small_and_match_the_world(judge):
    assert DEFAULT_WEIGHTS.exists()
    assert DEFAULT_WEIGHTS.stat().st_size < 1.5e6
    assert sum(p.numel() for p in judge.net.parameters()) <= 300_000
    assert set(head_names()) == {"domain"} | {f"{d}.{a}" for d in DOMAINS for a in ATTRIBUTES[d]}
    assert len(head_values("glyphs.glyph")) == 36 and len(head_values("domain")) == 4
    record = json.loads(DEFAULT_RECORD.read_text())
    assert record["steps"] > 0 and record["weights"] == DEFAULT_WEIGHTS.name
    assert set(record["accuracy_clean"]) == set(record["accuracy_augmented"]) == set(head_names())
    assert not judge.net.training


def test_load_rejects_other_files(tmp_path):
    import torch
    from safetensors.torch import save_file

    bad = tmp_path / "bad.safetensors"
    save_file({"x": torch.zeros(1)}, str(bad), metadata={"format": "something else"})
    with pytest.raises(ValueError, match="not a judge"):
        Judge.load(bad)


# ----------------------------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------------------------


def test_domain_accuracy(samples, readings):
    correct = np.array([r.domain == s.domain for s, r in zip(samples, readings)])
    assert correct.mean() >= 0.97, correct.mean()
    for i, d in enumerate(DOMAINS):
        assert correct[i * PER_DOMAIN : (i + 1) * PER_DOMAIN].mean() >= 0.95, d


def test_attribute_accuracy(samples, readings):
    """Each attribute as read (for images read as the right domain); a striped pattern's colours as a pair."""
    for d in DOMAINS:
        group = [(s, r) for s, r in zip(samples, readings) if s.domain == d and r.domain == d]
        assert len(group) >= 0.95 * PER_DOMAIN
        for a in ATTRIBUTES[d]:
            right = []
            for s, r in group:
                if d == "patterns" and a in ("fg", "bg") and s.attributes["pattern"] in UNORDERED_PATTERNS:
                    pair = {r.attributes["fg"][0], r.attributes["bg"][0]}
                    right.append(pair == {s.attributes["fg"], s.attributes["bg"]})
                else:
                    right.append(r.attributes[a][0] == s.attributes[a])
            assert np.mean(right) >= 0.9, (d, a, np.mean(right))


def test_ordered_pattern_colours(judge):
    """Checkerboards and dots: fg and bg are read in order; stripes: the two colours are read, in either order."""
    rng = np.random.default_rng(3)
    for pattern in world.PATTERNS:
        picks = [world.render("patterns", {"pattern": pattern, "fg": fg, "bg": bg}, rng=rng)
                 for fg, bg in (("red", "blue"), ("yellow", "black"), ("white", "green"))]  # fmt: skip
        for r, (fg, bg) in zip(judge.read_batch(picks), (("red", "blue"), ("yellow", "black"), ("white", "green"))):
            read = (r.attributes["fg"][0], r.attributes["bg"][0])
            assert read == (fg, bg) or (pattern in UNORDERED_PATTERNS and read == (bg, fg)), (pattern, read)


def test_reading_structure(readings):
    for r in readings[:: PER_DOMAIN // 4]:
        assert isinstance(r, Reading)
        assert r.domain in DOMAINS and 0.0 <= r.domain_p <= 1.0
        assert set(r.attributes) == set(ATTRIBUTES[r.domain])
        for a, (value, p) in r.attributes.items():
            assert value in ATTRIBUTES[r.domain][a] and 0.0 <= p <= 1.0
        assert r.domain_probs[r.domain] == pytest.approx(r.domain_p)
        assert sum(r.domain_probs.values()) == pytest.approx(1.0)


def test_read_is_deterministic_and_matches_the_batch(judge, samples, readings):
    for k in (0, PER_DOMAIN + 3, 2 * PER_DOMAIN + 5, 3 * PER_DOMAIN + 7):
        one, again = judge.read(samples[k].image), judge.read(samples[k].image)
        assert one == again
        assert one.domain == readings[k].domain
        assert one.domain_p == pytest.approx(readings[k].domain_p, abs=1e-5)


def test_inputs_of_other_sizes_and_types(judge, samples):
    from PIL import Image

    s = samples[PER_DOMAIN]  # a glyph
    base = judge.read(s.image)
    big = np.repeat(np.repeat(s.image, 4, axis=0), 4, axis=1)  # nearest x4: area-resized back exactly
    assert judge.read(big) == base
    assert judge.read(Image.fromarray(s.image)) == base
    assert judge.read(s.image.astype(np.float32) / 255.0) == base  # pipeline output_type="np"
    small = np.asarray(Image.fromarray(s.image).resize((24, 24), Image.Resampling.BILINEAR))
    assert judge.read(small).domain == s.domain
    stacked = np.stack([x.image for x in samples[:5]])
    assert [r.domain for r in judge.read_batch(stacked)] == [r.domain for r in judge.read_batch(list(stacked))]


# ----------------------------------------------------------------------------------------------------------------
# Rating
# ----------------------------------------------------------------------------------------------------------------


def test_own_caption_rates_high(own_ratings):
    assert ((0.0 <= own_ratings) & (own_ratings <= 1.0)).all()
    assert own_ratings.mean() >= 0.8, own_ratings.mean()
    for i, d in enumerate(DOMAINS):
        assert own_ratings[i * PER_DOMAIN : (i + 1) * PER_DOMAIN].mean() >= 0.8, d


@pytest.mark.parametrize("two", [False, True], ids=["one wrong attribute", "two wrong attributes"])
def test_wrong_caption_rates_lower(judge, samples, two):
    """One wrong attribute of a domain's three can cost at most 1/4 by the rating's definition (the domain counts
    as a fourth named fact); two wrong ones cost 1/2."""
    rng = np.random.default_rng(5)
    picks = samples[::4]
    wrong = [_wrong(s, rng, two) for s in picks]
    captions = [_captions(d, a) for d, a in wrong]
    assert [world.parse_caption(c) for c in captions] == wrong  # the captions say what they are meant to
    right = np.array(judge.rate_batch([s.image for s in picks], [_captions(s.domain, s.attributes) for s in picks]))
    ratings = np.array(judge.rate_batch([s.image for s in picks], captions))
    gap = (right - ratings).mean()
    assert gap >= (0.4 if two else 0.2), gap
    assert (ratings < right).mean() >= 0.9


def test_swapped_colours(judge, samples):
    """Swapping fg and bg is wrong twice for shapes, glyphs, checkerboards and dots; for stripes it is no error."""
    ordered = [s for s in samples[::3] if s.domain != "landscapes"]
    ordered = [s for s in ordered if s.attributes.get("pattern") not in UNORDERED_PATTERNS]
    striped = [s for s in samples if s.attributes.get("pattern") in UNORDERED_PATTERNS][::2]

    def gap(group):
        swapped = [{**s.attributes, "fg": s.attributes["bg"], "bg": s.attributes["fg"]} for s in group]
        right = judge.rate_batch([s.image for s in group], [_captions(s.domain, s.attributes) for s in group])
        wrong = judge.rate_batch([s.image for s in group], [_captions(s.domain, a) for s, a in zip(group, swapped)])
        return np.mean(right) - np.mean(wrong)

    assert gap(ordered) >= 0.4
    assert abs(gap(striped)) < 0.05


def test_wrong_domain_rates_near_zero(judge, samples):
    images = [s.image for s in samples[: PER_DOMAIN // 2]]  # shapes
    ratings = judge.rate_batch(images, ["the letter K in red on a white background"] * len(images))
    assert np.mean(ratings) < 0.1


def test_noise_rates_low(judge, samples):
    rng = np.random.default_rng(11)
    noise = rng.integers(0, 256, (80, 32, 32, 3), dtype=np.uint8)
    prompts = [s.caption for s in samples[::10]]
    for image_batch in (noise, np.clip(128 + 40 * rng.standard_normal((80, 32, 32, 3)), 0, 255).astype(np.uint8)):
        ratings = judge.rate_batch(list(image_batch), prompts)
        assert np.mean(ratings) < 0.5, np.mean(ratings)


def test_paraphrases_rate_alike(judge, samples):
    chosen = [s for i, s in enumerate(samples) if i % PER_DOMAIN < 15]
    images, prompts = [], []
    for s in chosen:
        for t in range(len(world.TEMPLATES[s.domain])):
            images.append(s.image)
            prompts.append(_captions(s.domain, s.attributes, template=t))
    ratings = np.array(judge.rate_batch(images, prompts))
    spreads, start = [], 0
    for s in chosen:
        n = len(world.TEMPLATES[s.domain])
        spreads.append(np.ptp(ratings[start : start + n]))
        start += n
    assert np.mean(spreads) < 0.1, np.mean(spreads)


def test_rating_definition(judge, samples):
    s = samples[0]  # a shape
    probs = judge.probabilities([s.image])
    p_domain = probs["domain"][0][DOMAINS.index("shapes")]
    prompt = "a red circle on a blue background"
    p_attrs = [
        probs["shapes.shape"][0][world.SHAPES.index("circle")],
        probs["shapes.fg"][0][world.COLOURS.index("red")],
        probs["shapes.bg"][0][world.COLOURS.index("blue")],
    ]
    assert judge.rate(s.image, prompt) == pytest.approx((p_domain + p_domain * sum(p_attrs)) / 4)
    assert judge.rate(s.image, "a circle") == pytest.approx((p_domain + p_domain * p_attrs[0]) / 2)
    assert judge.rate(s.image, "hello there") == 0.0  # parse_caption cannot read it
    assert world.parse_caption("hello there") is None


def test_rate_batch_matches_rate(judge, samples):
    picks = samples[::97]
    batch = judge.rate_batch([s.image for s in picks], [s.caption for s in picks])
    assert batch == pytest.approx([judge.rate(s.image, s.caption) for s in picks], abs=1e-6)
    assert judge.rate_batch([], []) == []
    with pytest.raises(ValueError):
        judge.rate_batch([picks[0].image], [])


def test_canonical_renders_of_held_out_combinations(judge):
    """The judge was trained on every combination; held-out ones (the zoo's generalisation tests) read right."""
    for d in DOMAINS:
        combos = sorted(world.held_out(d))[:10]
        for combo in combos:
            attributes = dict(zip(ATTRIBUTES[d], combo))
            image = world.render(d, attributes)
            assert judge.rate(image, _captions(d, attributes)) >= 0.7, (d, combo)


# ----------------------------------------------------------------------------------------------------------------
# Training
# ----------------------------------------------------------------------------------------------------------------


def test_augment_and_outliers_are_deterministic():
    import torch

    x = torch.from_numpy(np.stack([s.image for s in world.batch(None, 8, np.random.default_rng(0))]))
    x = x.permute(0, 3, 1, 2).float()
    a = judge_module.augment(x, torch.Generator().manual_seed(1))
    b = judge_module.augment(x, torch.Generator().manual_seed(1))
    assert torch.equal(a, b) and a.shape == x.shape and 0 <= a.min() and a.max() <= 255
    assert (a - x).abs().mean() < 25  # degraded, not destroyed
    o = judge_module.outliers(6, torch.Generator().manual_seed(2))
    assert o.shape == (6, 3, 32, 32) and torch.equal(o, judge_module.outliers(6, torch.Generator().manual_seed(2)))


def test_train_judge_is_deterministic(tmp_path):
    from safetensors.torch import load_file

    kwargs = dict(steps=2, seed=3, batch_size=20, log=lambda _: None, validation_size=40)
    info = judge_module.train_judge(tmp_path / "a.safetensors", **kwargs)
    judge_module.train_judge(tmp_path / "b.safetensors", **kwargs)
    a, b = load_file(str(tmp_path / "a.safetensors")), load_file(str(tmp_path / "b.safetensors"))
    assert a.keys() == b.keys() and all((a[k] == b[k]).all() for k in a)
    record = json.loads((tmp_path / "a.json").read_text())
    assert record == info and record["steps"] == 2 and record["seed"] == 3
    assert set(record["accuracy_clean"]) == set(head_names())
    Judge.load(tmp_path / "a.safetensors").read(np.zeros((32, 32, 3), np.uint8))


def test_palette_is_what_the_judge_knows():
    assert head_values("shapes.fg") == tuple(PALETTE)
