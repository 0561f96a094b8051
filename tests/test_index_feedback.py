"""The real Chroma index with the real MiniLM embedder, in a temp data home."""

import json

import pytest

from graphs.resources import sync_index
from tests.conftest import TINY_MODELS, write_catalog
from tools.catalog import load_catalog
from tools.feedback import FeedbackError, FeedbackRecord, FeedbackStore, read_records, stars_to_rating
from tools.index import Index, collection_name
from tools.tree import build_tree


@pytest.fixture
def index(home):
    return Index(home=home)


def test_sync_is_idempotent_and_removes_stale_entries(index, tmp_path):
    cat = load_catalog(write_catalog(tmp_path / "c.yaml"))
    assert sync_index(cat, build_tree(cat), index) == {"models": True, "nodes": True}
    assert sync_index(cat, build_tree(cat), index) == {"models": False, "nodes": False}
    col = index.collection(collection_name("models", cat.name))
    assert col.count() == len(TINY_MODELS)
    smaller = load_catalog(write_catalog(tmp_path / "c.yaml", TINY_MODELS[:4]))
    assert sync_index(smaller, build_tree(smaller), index)["models"] is True
    assert sorted(col.get(include=[])["ids"]) == sorted(smaller.ids)


def test_index_never_uses_chromas_downloading_default(index):
    col = index.collection("probe")
    col.add(ids=["a"], documents=["a red fox"])  # embedded by the project's function; the default would go online
    got = col.query(query_texts=["a red fox"], n_results=1, include=["distances"])
    assert got["ids"][0] == ["a"] and got["distances"][0][0] < 1e-4


def test_index_survives_reopening(home, tmp_path):
    cat = load_catalog(write_catalog(tmp_path / "c.yaml"))
    sync_index(cat, build_tree(cat), Index(home=home))
    again = Index(home=home)
    assert sync_index(cat, build_tree(cat), again) == {"models": False, "nodes": False}
    assert again.matrix(collection_name("models", cat.name), cat.ids).shape == (len(cat.ids), 384)


def test_feedback_neighbours_are_similar_prompts(index):
    store = FeedbackStore(index)
    store.add(
        [
            FeedbackRecord(prompt="a red fox in the snow", model="watercolor", rating=1.0),
            FeedbackRecord(prompt="a spreadsheet of quarterly taxes", model="watercolor", rating=0.0),
            FeedbackRecord(prompt="a fox sleeping in snow", model="photo", rating=0.25),
        ]
    )
    q = index.embedder.embed_query("a fox in deep snow")
    near = store.neighbours(q, ["watercolor", "photo", "anime"], pool=8)
    assert near["anime"] == []
    sims = dict((r, s) for s, r in near["watercolor"])
    assert sims[1.0] > 0.6 > sims[0.0]
    assert near["photo"][0][1] == 0.25
    # only the pool nearest prompts are read: with a pool of 1 only the closest record counts
    nearest = store.neighbours(q, ["watercolor", "photo"], pool=1)
    assert sum(map(len, nearest.values())) == 1


def test_import_csv_and_jsonl_is_idempotent(index, tmp_path):
    csv_file = tmp_path / "r.csv"
    csv_file.write_text("prompt,model,rating,source\na cat,anime,0.9,judge\na dog,photo,0.4,\n")
    jsonl = tmp_path / "r.jsonl"
    jsonl.write_text(
        json.dumps({"prompt": "a boat", "model": "pixel", "rating": 1, "time": "2026-01-01T00:00:00Z"}) + "\n"
    )
    store = FeedbackStore(index)
    recs = read_records(csv_file, {"anime", "photo"})
    assert [r.source for r in recs] == ["judge", "user"]
    store.add(recs)
    store.add(read_records(jsonl))
    store.add(read_records(jsonl))
    store.add(read_records(csv_file))  # no time column: identified by content, so still stored once
    assert store.count() == 3


@pytest.mark.parametrize(
    "name, body, message",
    [
        ("bad.csv", "prompt,model,rating\na cat,anime,7\n", "line 2, field 'rating'"),
        ("bad.csv", "prompt,model,rating\na cat,anime,0.5\n,anime,0.5\n", "line 3, field 'prompt'"),
        ("bad.csv", "prompt,model,rating\na cat,nosuch,0.5\n", "'nosuch' is not in the catalog"),
        ("bad.jsonl", '{"prompt": "x", "model": "anime", "rating": 0.5}\n{oops\n', "line 2: not JSON"),
        ("bad.txt", "whatever", "unknown format"),
    ],
)
def test_bad_feedback_files_name_the_line_and_store_nothing(index, tmp_path, name, body, message):
    path = tmp_path / name
    path.write_text(body)
    with pytest.raises(FeedbackError, match=message):
        FeedbackStore(index).add(read_records(path, {"anime", "photo"}))
    assert FeedbackStore(index).count() == 0


def test_stars():
    assert stars_to_rating(5) == 1.0 and stars_to_rating(1) == 0.0
    with pytest.raises(FeedbackError):
        stars_to_rating(6)


def test_feedback_neighbours_keep_filters_by_prompt_text(index):
    store = FeedbackStore(index)
    store.add(
        [
            FeedbackRecord(prompt="a red fox in the snow", model="m", rating=1.0),
            FeedbackRecord(prompt="a red car in the snow", model="m", rating=0.0),
        ]
    )
    q = index.embedder.embed_query("a red fox in snow")
    assert len(store.neighbours(q, ["m"], pool=8)["m"]) == 2
    kept = store.neighbours(q, ["m"], pool=8, keep=lambda doc: "fox" in doc)["m"]
    assert [r for _, r in kept] == [1.0]


def test_prefetched_neighbours_match_a_direct_query_and_never_outlive_new_records(index):
    store = FeedbackStore(index)
    store.add(
        [
            FeedbackRecord(prompt="a red fox in the snow", model="m", rating=1.0),
            FeedbackRecord(prompt="a red car in the snow", model="n", rating=0.0),
        ]
    )
    q = index.embedder.embed_query("a red fox in snow")
    direct = store.neighbours(q, ["m", "n"], pool=8)
    store.prefetch(q, 8)
    assert store.neighbours(q, ["m", "n"], pool=8) == direct
    assert not store._pending  # the answer was taken, not kept for the next request
    # a prefetch for another pool size is not mistaken for this one
    store.prefetch(q, 1)
    assert sum(map(len, store.neighbours(q, ["m", "n"], pool=8).values())) == 2
    # a rating stored after the prefetch is in the answer: the stale query is dropped
    store.prefetch(q, 8)
    store.add([FeedbackRecord(prompt="a red fox asleep in snow", model="m", rating=0.5)])
    assert sorted(r for _, r in store.neighbours(q, ["m"], pool=8)["m"]) == [0.5, 1.0]
    # the text filter applies to a prefetched answer too
    store.prefetch(q, 8)
    kept = store.neighbours(q, ["m", "n"], pool=8, keep=lambda doc: "car" in doc)
    assert kept["m"] == [] and [r for _, r in kept["n"]] == [0.0]
