"""Routing on the shipped hub catalog in no-LLM mode: the chosen model carries a style the request calls for."""

import pytest

from agent.selector import Selector

pytestmark = pytest.mark.slow  # syncs the 36-model hub catalog into a fresh index

CASES = [
    ("anime girl with silver hair under cherry blossoms", {"anime"}),
    ('a logo for a coffee shop called "Bean There"', {"typography"}),
    ("pixel art of a knight fighting a dragon", {"pixel-art"}),
    ("a watercolor painting of a lighthouse", {"watercolor"}),
    ("a 3d render of a cute robot toy", {"3d-render"}),
    ("concept art of a sci-fi city", {"concept-art"}),
    ("a pencil sketch of a cat", {"sketch"}),
    ("a cinematic still of a detective in the rain", {"cinematic"}),
    ("a portrait photo of an old fisherman", {"photorealistic"}),
    ("a bowl of ramen, food photography", {"photorealistic"}),
    # no style named: a faithful general or photographic model, not a niche look
    ("a red sports car on a mountain road", {"photorealistic", "general"}),
    ("I want to see a beach at sunset", {"photorealistic", "general"}),
]


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    return Selector(catalog="hub", llm="none", home=tmp_path_factory.mktemp("hub-home"))


@pytest.mark.parametrize("text, styles", CASES)
def test_hub_routing(hub, text, styles):
    r = hub.select(text)
    assert styles & set(r["tags"]), f"{text!r} -> {r['model']} {r['tags']}"
