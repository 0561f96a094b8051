"""Model scores: card similarity plus what the tags say about the requested style and subject."""

import numpy as np

from graphs.llm.schemas import ParsedPrompt
from graphs.selection.scoring import MODEL_SUBJECT_BONUS, model_scores
from tests.conftest import card, write_catalog
from tools.catalog import load_catalog


def test_a_model_tagged_with_the_requested_subject_beats_a_slightly_closer_card(tmp_path):
    cat = load_catalog(
        write_catalog(
            tmp_path / "c.yaml",
            [
                card("letters", ["illustration", "text"], "Draws one letter.", ["the letter A", "the digit 7"]),
                card(
                    "flat",
                    ["illustration", "pattern"],
                    "Flat colours.",
                    ["red and white stripes", "a black checkerboard"],
                ),
            ],
        )
    )
    row = {"letters": 0, "flat": 1}
    sims = np.array([0.30, 0.33])
    text = ParsedPrompt(kind="prompt", core_prompt="a yellow 0 on white", subjects=["text"], styles=[])
    got = model_scores(cat, row, sims, text, ["letters", "flat"])
    assert got["letters"] > got["flat"]
    assert abs((got["letters"] - got["flat"]) - (MODEL_SUBJECT_BONUS - 0.03)) < 1e-6
    # no subject named: the closer card wins
    bare = ParsedPrompt(kind="prompt", core_prompt="something yellow", subjects=[], styles=[])
    assert max(model_scores(cat, row, sims, bare, ["letters", "flat"]).items(), key=lambda kv: kv[1])[0] == "flat"
