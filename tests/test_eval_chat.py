"""`dgpt eval chat` (agent/eval_chat.py): the two labelled halves load, and a replay scores actions and merges."""

import pytest

from agent.eval_chat import ChatSetError, evaluate_chat, load_chat_set, spread


def test_both_halves_load_and_are_big_enough():
    sizes = {}
    for half in ("a", "b"):
        _, chat_set = load_chat_set(half)
        sizes[half] = (len(chat_set.conversations), len(chat_set.styles))
    assert sum(c for c, _ in sizes.values()) >= 200 and sum(s for _, s in sizes.values()) >= 100
    assert all(c >= 100 and s >= 50 for c, s in sizes.values())


def test_every_development_set_loads_and_a_limit_spreads_over_the_whole_set():
    for half in ("c", "d", "e"):
        _, chat_set = load_chat_set(half)
        assert len(chat_set.conversations) >= 80
    _, e = load_chat_set("e")
    few = spread(e, 10)
    ids = [c.id for c in few.conversations]
    assert len(ids) == 10 == len(set(ids)) and ids[0] == e.conversations[0].id
    assert {c.catalog for c in few.conversations} == {"starter", "hub"}  # not only the first writer's stretch
    assert spread(e, 1000).conversations == e.conversations and spread(e, None) is e
    with pytest.raises(ValueError, match="positive"):
        spread(e, 0)


def test_a_bad_set_names_the_item_and_field(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("conversations:\n  - id: x\n    catalog: hub\n    turns:\n      - {message: hi, action: wave}\n")
    with pytest.raises(ChatSetError, match=r"conversations 'x', field turns"):
        load_chat_set(bad)


@pytest.mark.slow  # the style item syncs the 36-model hub catalog into a fresh index
def test_a_replay_scores_actions_merges_and_styles(tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(
        """
conversations:
  - id: c-1
    catalog: starter
    turns:
      - {message: "a green triangle on a black background", action: new, must: [green, triangle]}
      - {message: "make it a star instead", action: content, must: [green, star, black background], must_not: [triangle]}
      - {message: "hi", action: chat}
      - {message: "go back", action: revert, must: [triangle]}
styles:
  - {id: s-1, request: "a lighthouse, watercolor", styles: [watercolor]}
"""
    )
    _, chat_set = load_chat_set(path)
    r = evaluate_chat("none", chat_set, home=tmp_path / "home")
    assert (r["action_accuracy"], r["action_n"]) == (1.0, 3)
    assert (r["merge_accuracy"], r["merge_n"], r["new_accuracy"]) == (1.0, 2, 1.0)
    assert (r["style_accuracy"], r["style_n"]) == (1.0, 1)
    turns = r["conversations"][0]["turns"]
    assert turns[1]["prompt"] == "a green star on a black background" and turns[2]["prompt"] is None
