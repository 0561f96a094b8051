"""The starter zoo's procedural world (zoo/world.py): images, captions, held-out combinations, parsing."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from zoo import world
from zoo.world import ATTRIBUTES, DOMAINS, PALETTE, TEMPLATES

REQUIRED_COLOURS = ("red", "green", "blue", "yellow", "orange", "purple", "white", "black")


def _rng(seed=0):
    return np.random.default_rng(seed)


def _distance(pixels, colour):
    """Per-pixel max channel difference from a colour (any leading shape)."""
    return np.abs(np.asarray(pixels, dtype=int) - np.asarray(colour, dtype=int)).max(axis=-1)


def test_constants():
    assert DOMAINS == ("shapes", "glyphs", "patterns", "landscapes")
    assert set(REQUIRED_COLOURS) <= set(PALETTE)
    for a, b in itertools.combinations(PALETTE.values(), 2):
        assert np.abs(np.subtract(a, b)).sum() >= 100, (a, b)  # clearly distinct
    assert set(ATTRIBUTES) == set(DOMAINS)
    assert set(ATTRIBUTES["shapes"]["shape"]) == {"circle", "square", "triangle", "star", "ring"}
    assert len(ATTRIBUTES["glyphs"]["glyph"]) == 36
    assert set(ATTRIBUTES["landscapes"]) == {"sky", "body", "ground"}
    for domain in DOMAINS:
        assert len(TEMPLATES[domain]) >= 5


def test_same_seed_same_samples():
    a = world.batch(None, 60, _rng(7))
    b = world.batch(None, 60, _rng(7))
    c = world.batch(None, 60, _rng(8))
    for x, y in zip(a, b):
        assert (x.domain, x.attributes, x.caption) == (y.domain, y.attributes, y.caption)
        assert np.array_equal(x.image, y.image)
    assert [x.caption for x in a] != [x.caption for x in c]
    assert {s.domain for s in a} == set(DOMAINS)  # mixed batches cover every domain


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("size", [16, 32, 48])
def test_image_shape_and_dtype(domain, size):
    s = world.sample(domain, _rng(size), size=size)
    assert s.domain == domain
    assert s.image.shape == (size, size, 3) and s.image.dtype == np.uint8
    canonical = world.render(domain, s.attributes, size)
    assert canonical.shape == (size, size, 3) and canonical.dtype == np.uint8
    assert np.array_equal(canonical, world.render(domain, s.attributes, size))  # no rng: canonical placement


@pytest.mark.parametrize("domain", ["shapes", "glyphs"])
def test_corners_are_background_and_foreground_is_near_the_centre(domain):
    rng = _rng(1)
    for _ in range(300):
        s = world.sample(domain, rng)
        bg, fg = PALETTE[s.attributes["bg"]], PALETTE[s.attributes["fg"]]
        img = s.image
        for corner in (img[:2, :2], img[:2, -2:], img[-2:, :2], img[-2:, -2:]):
            assert _distance(corner, bg).max() <= 4, s.attributes
        assert _distance(img[8:24, 8:24], fg).min() <= 40, (s.attributes, s.caption)


def test_patterns_show_both_colours():
    rng = _rng(2)
    for _ in range(200):
        s = world.sample("patterns", rng)
        for name in ("fg", "bg"):
            assert _distance(s.image, PALETTE[s.attributes[name]]).min() <= 30, (s.attributes, name)


def test_landscapes_follow_their_attributes():
    rng = _rng(3)
    for combo in world.combinations("landscapes"):
        attributes = dict(zip(ATTRIBUTES["landscapes"], combo))
        assert (attributes["body"] == "moon") == (attributes["sky"] == "night")
        for r in (None, rng, rng):
            img = world.render("landscapes", attributes, 32, r)
            zenith = world.SKY_COLOURS[attributes["sky"]][0]
            assert _distance(img[0, 0], zenith) <= 25 and _distance(img[0, -1], zenith) <= 25, combo
            assert _distance(img[-1, 16], zenith) > 25, combo  # the ground is not sky


def test_foreground_and_background_always_differ():
    for s in world.batch(None, 400, _rng(4), size=16):
        assert world.is_valid(s.domain, s.attributes)
        if s.domain != "landscapes":
            assert s.attributes["fg"] != s.attributes["bg"]
    for domain in ("shapes", "glyphs", "patterns"):
        assert all(c[1] != c[2] for c in world.combinations(domain))


def _words(domain, attributes):
    if domain == "shapes":
        return [attributes["shape"], attributes["fg"], attributes["bg"]]
    if domain == "glyphs":
        return [attributes["glyph"], attributes["fg"], attributes["bg"]]
    if domain == "patterns":
        first = attributes["pattern"].split()[0]
        stem = {"horizontal": "horizontal", "vertical": "vertical", "diagonal": "diagonal"}.get(first)
        return [stem or {"checkerboard": "checker", "polka": "dot"}[first], attributes["fg"], attributes["bg"]]
    return []


@pytest.mark.parametrize("domain", DOMAINS)
def test_captions_name_the_attributes_and_vary(domain):
    rng = _rng(5)
    for _ in range(200):
        attributes = world.random_attributes(domain, rng)
        text = world.caption(domain, attributes, rng)
        for word in _words(domain, attributes):
            assert word in text, (word, text)
    attributes = world.random_attributes(domain, rng)
    captions = {world.caption(domain, attributes, rng) for _ in range(300)}
    assert len(captions) >= len(TEMPLATES[domain])
    starts = {c.split()[0] for c in captions}
    assert len(starts) >= 3  # not one template with swapped words


def test_articles_are_fixed():
    text = world.caption("shapes", {"shape": "circle", "fg": "orange", "bg": "red"}, _rng(), template=0)
    assert text == "an orange circle on a red background"
    text = world.caption("glyphs", {"glyph": "A", "fg": "red", "bg": "orange"}, _rng(), template=1)
    assert text == "a red A on an orange background"


@pytest.mark.parametrize("domain", DOMAINS)
def test_held_out_combinations_are_never_sampled(domain):
    hidden = world.held_out(domain)
    combos = set(world.combinations(domain))
    assert hidden < combos
    assert 0.05 <= len(hidden) / len(combos) <= 0.15
    assert hidden == world.held_out(domain)  # fixed
    seen = {world.combination(domain, s.attributes) for s in world.batch(domain, 2000, _rng(6), size=8)}
    assert not seen & hidden
    # every value still appears in training, and every pair of values where the pair is free (a landscape's sun or
    # moon follows from its sky, so holding out a landscape holds out its (sky, ground) and (body, ground) pairs)
    allowed = combos - hidden
    for i, name in enumerate(ATTRIBUTES[domain]):
        assert {c[i] for c in allowed} == set(ATTRIBUTES[domain][name])
    for i, j in itertools.combinations(range(len(ATTRIBUTES[domain])), 2):
        if domain == "landscapes":
            continue
        assert {(c[i], c[j]) for c in allowed} == {(c[i], c[j]) for c in combos}
    # and with exclude_held_out=False they are drawn too
    rng = _rng(9)
    everything = {world.combination(domain, world.random_attributes(domain, rng, False)) for _ in range(3000)}
    assert everything & hidden


def test_documented_landscape_held_out_set():
    assert world.held_out("landscapes") == {("sunset", "sun", "lake"), ("night", "moon", "desert")}
    assert len(world.held_out("shapes")) == 26 and len(world.held_out("glyphs")) == 198


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_attribute_value_is_reachable(domain):
    rng = _rng(10)
    seen = {name: set() for name in ATTRIBUTES[domain]}
    for _ in range(3000):
        for name, value in world.random_attributes(domain, rng).items():
            seen[name].add(value)
    for name, values in ATTRIBUTES[domain].items():
        assert seen[name] == set(values), (domain, name)


@pytest.mark.parametrize("domain", DOMAINS)
def test_parse_caption_round_trips_every_template(domain):
    rng = _rng(11)
    for template in range(len(TEMPLATES[domain])):
        for _ in range(200):
            attributes = world.random_attributes(domain, rng, exclude_held_out=False)
            text = world.caption(domain, attributes, rng, template=template)
            assert world.parse_caption(text) == (domain, attributes), text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("draw a red circle on blue", ("shapes", {"shape": "circle", "fg": "red", "bg": "blue"})),
        ("a circle, red, on a blue background", ("shapes", {"shape": "circle", "fg": "red", "bg": "blue"})),
        ("red circle, blue backdrop", ("shapes", {"shape": "circle", "fg": "red", "bg": "blue"})),
        ("A yellow star against black", ("shapes", {"shape": "star", "fg": "yellow", "bg": "black"})),
        ("a blue-coloured background with a white donut", ("shapes", {"shape": "ring", "fg": "white", "bg": "blue"})),
        ("a green square", ("shapes", {"shape": "square", "fg": "green"})),
        ("draw 3 red circles", ("shapes", {"shape": "circle", "fg": "red"})),
        ("the letter K in red on a white background", ("glyphs", {"glyph": "K", "fg": "red", "bg": "white"})),
        ("A red K on white", ("glyphs", {"glyph": "K", "fg": "red", "bg": "white"})),
        ("write the number 7 in black on yellow", ("glyphs", {"glyph": "7", "fg": "black", "bg": "yellow"})),
        ("letter q, purple on orange", ("glyphs", {"glyph": "Q", "fg": "purple", "bg": "orange"})),
        ("red and white diagonal stripes", ("patterns", {"pattern": "diagonal stripes", "fg": "red", "bg": "white"})),
        (
            "a chequered black and white pattern",
            ("patterns", {"pattern": "checkerboard", "fg": "black", "bg": "white"}),
        ),
        ("white polka dots on a red background", ("patterns", {"pattern": "polka dots", "fg": "white", "bg": "red"})),
        (
            "snow-capped mountains under the moon",
            ("landscapes", {"sky": "night", "body": "moon", "ground": "snowy mountains"}),
        ),
        ("the sun setting over the ocean", ("landscapes", {"sky": "sunset", "body": "sun", "ground": "sea"})),
        ("a mountain lake on a sunny morning", ("landscapes", {"sky": "day", "body": "sun", "ground": "lake"})),
        ("a cat wearing a hat", None),
        ("", None),
    ],
)
def test_parse_caption_paraphrases(text, expected):
    assert world.parse_caption(text) == expected


def test_invalid_input_is_refused():
    with pytest.raises(ValueError):
        world.render("portraits", {}, 32)
    with pytest.raises(ValueError):
        world.render("shapes", {"shape": "hexagon", "fg": "red", "bg": "blue"}, 32)
    with pytest.raises(ValueError):
        world.caption("shapes", {"shape": "circle", "fg": "red"}, _rng())
    with pytest.raises(ValueError):
        world.batch("portraits", 1, _rng())
    assert not world.is_valid("landscapes", {"sky": "night", "body": "sun", "ground": "sea"})
    assert not world.is_valid("shapes", {"shape": "circle", "fg": "red", "bg": "red"})
