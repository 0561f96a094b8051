"""The learned action reader (graphs/reading/acts.py): real MiniLM vectors and the shipped weights; it overrules the
rules' default readings only, and only when sure."""

import json

import pytest

from graphs.chat.refine import rule_intent
from graphs.reading import acts

PICTURE = "a red fox curled up in fresh snow, morning light"


def test_the_shipped_weights_fit_the_features():
    weights = acts._weights()
    assert weights is not None, "tools/data/action_reader.json is missing; run python -m agent.train_reader"
    assert weights["W"].shape == (len(acts.ACTIONS), 384 + 3) and weights["b"].shape == (len(acts.ACTIONS),)
    about = json.loads(acts.WEIGHTS.read_text())
    assert not {"b", "h", "m", "q", "u", "aa"} & set(
        about["sets"]
    )  # never trained on the held-out half or the blind checks


@pytest.mark.parametrize(
    "text, action",
    [
        ("i give 5", "rate"),
        ("another go", "reseed"),
        ("cool it down", "local"),
        ("thank you, how I download the picture?", "chat"),
    ],
)
def test_what_no_pattern_lists_is_read_by_meaning(text, action):
    assert rule_intent(text, PICTURE).action == action


@pytest.mark.parametrize("text, stars", [("i give 5", 5), ("nice, 4", 4), ("hmm 3 i think", 3), ("8/10 honestly", 4)])
def test_a_rating_the_rules_missed_keeps_its_number(text, stars):
    assert acts.stars_of(text) == stars


def test_a_rating_in_words_leans_the_way_it_is_said():
    assert acts.stars_of("dude thats sick") >= 4 or acts.stars_of("very beautiful, i like so much") >= 4
    assert acts.stars_of("hmm not good this one") <= 2


@pytest.mark.parametrize(
    "text", ["a lighthouse on a cliff in a storm", "make the fox white", "add a snowman next to it"]
)
def test_requests_and_changes_stay_what_the_rules_read(text):
    assert rule_intent(text, PICTURE).action in ("new", "content")


def test_without_a_picture_nothing_is_overruled():
    assert rule_intent("cool it down", None).action != "local"  # nothing drawn: no look to change


def test_without_weights_the_rules_stand():
    acts.install(None)
    try:
        assert acts.read_action("i give 5") is None
        assert rule_intent("another go", PICTURE).action != "reseed"  # the rules alone do not know this one
    finally:
        acts.uninstall()


def test_the_trainer_refuses_the_held_out_sets():
    from agent.train_reader import action_examples

    for held in ("b", "h", "m", "q", "u", "aa"):
        with pytest.raises(SystemExit, match="held out"):
            action_examples([held])
