"""The learned change tagger (graphs/reading/tagger.py) and its trainer (agent/train_reader.py): real MiniLM vectors,
the shipped weights, the guards that keep questions and new pictures away from it."""

import json

import numpy as np
import pytest

from graphs.chat.refine import rule_intent
from graphs.reading import tagger


def test_the_shipped_weights_fit_the_features():
    weights = tagger._weights()
    assert weights is not None, "tools/data/change_tagger.json is missing; run python -m agent.train_reader"
    for name, width, out in (("message", 384 + 6, len(tagger.MESSAGE_TAGS)), ("prompt", 384 + 4, 1)):
        layers = weights[name]
        assert layers[0][0].shape[1] == width and layers[-1][0].shape[0] == out and layers[-1][1].shape == (out,)
        for (w, b), (after, _) in zip(layers, layers[1:]):
            assert after.shape[1] == w.shape[0] == b.shape[0]  # each layer feeds the next
    about = json.loads(tagger.WEIGHTS.read_text())
    assert not {"b", "h", "m", "q", "u", "aa"} & set(
        about["sets"]
    )  # never trained on the held-out half or its blind checks


def test_word_vectors_are_one_unit_vector_per_word():
    from tools.embeddings import get_embedder

    found, vecs = tagger.word_vectors("make the frog's hat bright-red", get_embedder().onnx)
    assert [w for w, _, _ in found] == ["make", "the", "frog's", "hat", "bright-red"]
    assert vecs.shape == (5, 384) and np.allclose(np.linalg.norm(vecs, axis=1), 1, atol=1e-4)


def test_a_change_no_rule_reads_is_tagged_into_the_same_edits():
    edits = tagger.tag_change("make the frog wear a tiny top hat", "a frog on a lily pad")
    assert edits and any("top hat" in e.value for e in edits)
    said = rule_intent("make the frog wear a tiny top hat", "a frog on a lily pad")
    assert said.action == "content" and "top hat" in said.prompt and "lily pad" in said.prompt


@pytest.mark.parametrize(
    "text",
    [
        "Could you explain what a seed is? I keep seeing the word and I don't understand it.",
        "next: a green square",
        "ok something else now: a black circle on white",
        "a black circle on white",  # a whole description, whatever it shares with the last picture
    ],
)
def test_questions_and_new_pictures_are_never_tagged_as_changes(text):
    assert rule_intent(text, "a red circle on blue").action in ("new", "chat")


def test_without_weights_the_tagger_reads_nothing(monkeypatch):
    monkeypatch.setattr(tagger, "_weights", lambda: None)
    assert tagger.tag_change("make the frog wear a tiny top hat", "a frog on a lily pad") is None


def test_the_trainer_refuses_the_held_out_sets():
    from agent.train_reader import examples

    for held in ("b", "h", "m", "q", "u", "aa"):
        with pytest.raises(SystemExit, match="held out"):
            examples([held])


def test_the_trainer_writes_weights_the_tagger_reads(tmp_path):
    from agent.train_reader import main

    data = tmp_path / "mini.yaml"
    data.write_text(
        """conversations:
  - id: t-1
    catalog: starter
    turns:
      - {message: "a red star on a blue background", action: new, must: [red, star]}
      - {message: "make the star green", action: content, must: [green star, blue background], must_not: [red]}
  - id: t-2
    catalog: starter
    turns:
      - {message: "a yellow circle on black", action: new, must: [yellow, circle]}
      - {message: "turn the circle into a square", action: content, must: [yellow, square], must_not: [circle]}
"""
    )
    out = tmp_path / "w.json"
    assert main(["--sets", str(data), "--out", str(out)]) == 0
    written = json.loads(out.read_text())
    assert written["turns"] == 2 and set(written["models"]) == {"message", "prompt"}
    assert not (tmp_path / "w.tmp").exists()  # written whole, then renamed
    loaded = tagger._on_disk(str(out))  # cached by path: the shipped weights stay as they are
    assert loaded["message"][0][0].shape[1] == 384 + 6


def test_installed_weights_replace_the_shipped_ones_until_reinstalled():
    everything_other = {
        "message": [{"W": [[0.0] * 390] * 3, "b": [1.0, 0.0, 0.0]}],
        "prompt": [{"W": [[0.0] * 388], "b": [-1.0]}],
    }
    tagger.install({"models": everything_other})
    try:
        assert tagger.tag_change("make the frog wear a tiny top hat", "a frog on a lily pad") is None  # all "other"
    finally:
        tagger.install(None)
    assert tagger._weights() is None  # installed "no tagger" holds until the next install
    tagger.uninstall()
    assert tagger._weights() is not None


def test_the_tagger_leaves_a_scene_of_several_things_to_the_other_readers(monkeypatch):
    import graphs.chat.refine as refine

    asked = []
    monkeypatch.setattr(refine, "tag_change", lambda text, previous: asked.append(text))
    refine._tagged("the fluffy one a bit browner", "a ginger cat and a black dog on a sofa")
    refine._tagged("the fluffy one a bit browner", "a ginger cat on a sofa")
    assert asked == ["the fluffy one a bit browner"]
