"""The beam search and its backtracking, on a hand-made tree with scripted scores."""

import pytest

from graphs.selection.search import tot_search
from tools.tree import ModelTree, TreeNode


def make_tree():
    # root -> subject a, b, c -> style x/y -> models
    nodes = {"root": TreeNode(id="root", description="r", children=["subject:a", "subject:b", "subject:c"])}
    layout = {"a": {"x": ["m1", "m2"], "y": ["m3"]}, "b": {"x": ["m4"], "y": ["m5"]}, "c": {"x": ["m6"]}}
    for subj, styles in layout.items():
        sid = f"subject:{subj}"
        nodes[sid] = TreeNode(
            id=sid, facet="subject", word=subj, description=subj, models=sorted(m for ms in styles.values() for m in ms)
        )
        for style, models in styles.items():
            lid = f"{sid}/style:{style}"
            nodes[sid].children.append(lid)
            nodes[lid] = TreeNode(id=lid, facet="style", word=style, description=style, models=models)
    nodes["root"].models = sorted(f"m{i}" for i in range(1, 7))
    return ModelTree(catalog="t", fingerprint="f", levels=["subject", "style"], nodes=nodes)


NODE = {
    "subject:a": 0.9,
    "subject:b": 0.8,
    "subject:c": 0.1,
    "subject:a/style:x": 0.7,
    "subject:a/style:y": 0.6,
    "subject:b/style:x": 0.5,
    "subject:b/style:y": 0.4,
    "subject:c/style:x": 0.3,
}


def scorer(table):
    calls = []

    def score(ids):
        calls.append(list(ids))
        return {i: table[i] for i in ids}

    score.calls = calls
    return score


def test_beam_keeps_two_per_level_and_records_pruned():
    models = {"m1": 0.6, "m2": 0.5, "m3": 0.55, "m4": 0.4, "m5": 0.3, "m6": 0.2}
    res = tot_search(make_tree(), scorer(NODE), scorer(models), beam_width=2, threshold=0.25)
    expands = [s for s in res.trace if s["step"] == "expand"]
    assert [k["node"] for k in expands[0]["kept"]] == ["subject:a", "subject:b"]
    assert [p["node"] for p in expands[0]["pruned"]] == ["subject:c"]
    assert [k["node"] for k in expands[1]["kept"]] == ["subject:a/style:x", "subject:a/style:y"]
    assert res.branches == ["subject:a/style:x", "subject:a/style:y"]
    assert set(res.relevance) == {"m1", "m2", "m3"}
    assert not any(s["step"] == "backtrack" for s in res.trace)


def test_greedy_width_one_is_the_original_behaviour():
    models = {f"m{i}": 0.5 for i in range(1, 7)}
    res = tot_search(make_tree(), scorer(NODE), scorer(models), beam_width=1, threshold=0.0)
    assert res.branches == ["subject:a/style:x"] and set(res.relevance) == {"m1", "m2"}


def test_backtracks_past_a_branch_whose_best_leaf_is_weak():
    # Everything under subject a is weak; the search must abandon those branches and try b's.
    models = {"m1": 0.1, "m2": 0.05, "m3": 0.1, "m4": 0.6, "m5": 0.5, "m6": 0.9}
    res = tot_search(make_tree(), scorer(NODE), scorer(models), beam_width=2, threshold=0.3, max_backtracks=3)
    status = {s["branch"]: s["status"] for s in res.trace if s["step"] == "evaluate"}
    assert status["subject:a/style:x"] == status["subject:a/style:y"] == "abandoned"
    backtracks = [s["to"] for s in res.trace if s["step"] == "backtrack"]
    assert backtracks[0] == "subject:b/style:x"  # the best remembered alternative at the deepest level
    assert "m4" in res.relevance and "m1" not in res.relevance
    assert all(status[b] == "kept" for b in res.branches)


def test_backtracking_climbs_to_a_shallower_level_and_descends():
    # Only subject c's model is good; the search exhausts the leaf-level alternatives, then climbs to c.
    models = {"m1": 0.1, "m2": 0.1, "m3": 0.1, "m4": 0.1, "m5": 0.1, "m6": 0.9}
    res = tot_search(make_tree(), scorer(NODE), scorer(models), beam_width=1, threshold=0.5, max_backtracks=5)
    backtracks = [s["to"] for s in res.trace if s["step"] == "backtrack"]
    assert backtracks[-1] == "subject:c"
    assert res.branches == ["subject:c/style:x"] and set(res.relevance) == {"m6"}


def test_backtracking_is_bounded_and_never_returns_nothing():
    models = {f"m{i}": 0.01 * i for i in range(1, 7)}
    res = tot_search(make_tree(), scorer(NODE), scorer(models), beam_width=2, threshold=0.99, max_backtracks=1)
    assert sum(s["step"] == "backtrack" for s in res.trace) == 1
    fallback = [s for s in res.trace if s["step"] == "fallback"]
    evaluated = [s["branch"] for s in res.trace if s["step"] == "evaluate"]
    assert len(fallback) == 1 and res.branches[0] == fallback[0]["branch"]
    assert sorted(res.branches) == sorted(evaluated)  # every branch examined stays a candidate source
    assert set(res.relevance) == {m for b in evaluated for m in make_tree().nodes[b].models}


def test_rejects_zero_beam():
    with pytest.raises(ValueError, match="beam_width"):
        tot_search(make_tree(), scorer(NODE), scorer({}), beam_width=0)
