"""`dgpt eval llm`: the shipped labelled set, the metrics, a fake LLM scored right and wrong, and the CLI command."""

import json
from collections import Counter

import pytest

from agent.cli import main
from agent.evaluate import (
    EvalSetError,
    evaluate,
    format_table,
    load_eval_set,
    sample,
    word_f1,
)
from tests.fakes import ScriptedChat

ITEMS = load_eval_set()
BY_ID = {it.id: it for it in ITEMS}
# Every kind, a long, a messy and a steering request, and refinements with and without a prompt to draw.
SLICE_IDS = [
    "p-fox-snow",
    "p-lighthouse-watercolor",
    "i-fox-watercolor",
    "n-beach-sunset",
    "h-toy-laugh",
    "l-market-town",
    "m-chat-noir",
    "s-ignore-rules-flux",
    "r-style-watercolor",
    "r-content-add-boat",
    "r-reseed-another",
    "r-rate-love",
]
SLICE = [BY_ID[i] for i in SLICE_IDS]


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    # Building the hub index embeds its cards once per data home: one home for the whole module.
    return tmp_path_factory.mktemp("eval-home")


def test_shipped_set_validates_and_covers_every_case():
    cats = Counter(it.category for it in ITEMS)
    kinds = Counter(it.kind for it in ITEMS)
    assert len(ITEMS) >= 160
    assert all(kinds[k] >= 25 for k in ("prompt", "instruction", "inspiration", "hypothesis")), kinds
    refinements = [it for it in ITEMS if it.category == "refinement"]
    assert len(refinements) >= 20
    assert {it.action for it in refinements} == {
        "new",
        "style",
        "content",
        "local",
        "reseed",
        "next_model",
        "revert",
        "rate",
    }
    assert cats["long"] >= 15 and all(len(it.request.split()) >= 40 for it in ITEMS if it.category == "long")
    assert cats["messy"] >= 15 and cats["steering"] >= 10
    messy = " ".join(it.request for it in ITEMS if it.category == "messy")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in messy) and "à" in messy  # a little Chinese and French
    # A steering item's core is the scene only: no model id from the request survives into the label.
    for it in ITEMS:
        if it.category == "steering" and it.id != "s-quoted-sign":
            assert not any(m in it.core for m in ("flux", "sdxl", "sd15", "kolors", "lora", "sd21")), it.id


def test_malformed_set_names_the_item_and_field(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "items:\n"
        "  - {id: good-one, category: prompt, kind: prompt, request: a fox, core: a fox, styles: []}\n"
        "  - {id: bad-style, category: prompt, kind: prompt, request: a fox, core: a fox, styles: [watercolour]}\n"
        "  - {id: no-action, category: refinement, kind: refinement, request: darker, previous: a fox, core: a fox, styles: []}\n"
        "  - {id: good-one, category: prompt, kind: prompt, request: a cat, core: a cat, styles: []}\n"
    )
    with pytest.raises(EvalSetError) as e:
        load_eval_set(bad)
    msg = str(e.value)
    assert "'bad-style'" in msg and "field styles" in msg and "watercolour" in msg and "STYLE" in msg
    assert "'no-action'" in msg and "action" in msg
    assert "duplicate id" in msg
    with pytest.raises(EvalSetError, match="does not exist"):
        load_eval_set(tmp_path / "missing.yaml")


def test_core_match_is_content_word_f1():
    assert word_f1("a red fox in the snow", "the red fox in snow") == 1.0
    assert word_f1("red foxes", "a red fox") == 1.0  # plurals fold
    assert word_f1("I want to see a beach", "a beach") < 0.8  # a kept wrapper costs precision
    assert word_f1("a fox", "a red fox in the snow") < 0.8  # a dropped word costs recall
    assert word_f1("一只红狐狸", "一只红狐狸") == 1.0 and word_f1("红狐狸", "一只红狐狸") > 0.5


def test_sample_takes_every_category_first():
    picked = sample(ITEMS, 8)
    assert len({it.category for it in picked}) == 8


def _check_ranges(r):
    for key in ("kind_accuracy", "action_accuracy", "core_f1", "core_match", "style_accuracy"):
        assert r[key] is not None and 0.0 <= r[key] <= 1.0, key
    assert r["fallbacks_per_item"] >= 0
    assert 0 <= r["latency_ms"]["p50"] <= r["latency_ms"]["p95"]


@pytest.mark.slow  # the whole labelled set through the selection graph
def test_no_llm_mode_reports_every_metric(home):
    r = evaluate("none", SLICE, home=home)
    assert r["available"] and r["items"] == len(SLICE) == len(r["per_item"])
    _check_ranges(r)
    assert r["kind_n"] == 8 and r["action_n"] == 4 and r["core_n"] == 10  # reseed and rate draw no new prompt
    assert r["style_n"] == 5  # items that name no style are not counted
    assert r["llm_calls"] == 0 and r["invalid_output_rate"] is None and r["fallbacks_per_item"] == 0
    assert set(r["by_category"]) == {
        "prompt",
        "instruction",
        "inspiration",
        "hypothesis",
        "refinement",
        "long",
        "messy",
        "steering",
    }
    assert r["by_category"]["refinement"]["action_accuracy"] is not None and r["by_category"]["prompt"]["kind_n"] == 2


def _right_answers(items):
    requests = [it for it in items if it.category != "refinement"]
    turns = [it for it in items if it.category == "refinement"]
    return {
        "ParsedPrompt": [
            {"kind": it.kind, "core_prompt": it.core, "subjects": [], "styles": it.styles} for it in requests
        ],
        "BranchVote": [{"ranked": [], "reason": ""}],
        # The rewrite keeps every word of the core, so the extend step's check passes.
        "ExtendedPrompt": [{"prompt": f"{it.core}, highly detailed"} for it in requests],
        "TurnIntent": [
            {"action": it.action, "prompt": it.core, "change": "", "stars": 5 if it.action == "rate" else None}
            for it in turns
        ],
    }


def test_llm_mode_with_right_answers_scores_perfectly(home):
    r = evaluate("openai", SLICE, home=home, chat_model=ScriptedChat(script=_right_answers(SLICE)))
    assert r["available"]
    assert r["kind_accuracy"] == 1.0 and r["action_accuracy"] == 1.0 and r["core_f1"] == 1.0 and r["core_match"] == 1.0
    assert r["llm_calls"] > 0 and r["invalid_output_rate"] == 0.0 and r["fallbacks_per_item"] == 0


def test_llm_mode_with_garbage_counts_invalid_output_and_falls_back(home):
    garbage = ScriptedChat(
        script={name: ["not json"] for name in ("ParsedPrompt", "BranchVote", "ExtendedPrompt", "TurnIntent")}
    )
    r = evaluate("openai", SLICE, home=home, chat_model=garbage)
    none = evaluate("none", SLICE, home=home)
    assert r["llm_calls"] > 0 and r["invalid_output_rate"] == 1.0 and r["llm_errors"] == 0
    assert r["fallbacks_per_item"] >= 1
    # Every step fell back to the rules, so the answers are the no-LLM mode's.
    assert r["kind_accuracy"] == none["kind_accuracy"] and r["action_accuracy"] == none["action_accuracy"]
    table = format_table([none, r])
    assert "none" in table and "openai" in table and "invalid output rate" in table and "100.0%" in table


def test_unconfigured_modes_are_reported_unavailable_not_raised(monkeypatch):
    import graphs.llm.local

    monkeypatch.setattr(graphs.llm.local, "KNOWN_PACKAGES", {})  # whatever this machine has installed
    monkeypatch.delenv("DGPT_LLM_LOCAL_MODEL", raising=False)
    openai = evaluate("openai", SLICE[:2])
    local = evaluate("local", SLICE[:2])
    assert not openai["available"] and "DGPT_LLM_BASE_URL" in openai["reason"]
    assert not local["available"] and "no local model installed" in local["reason"]
    table = format_table([openai, local])
    assert "unavailable" in table and "local: unavailable:" in table
    with pytest.raises(ValueError, match="unknown LLM mode 'bogus'"):
        evaluate("bogus", SLICE[:2])


def test_cli_eval_llm_json(home, capsys, monkeypatch):
    monkeypatch.setenv("DGPT_HOME", str(home))  # the module's home: its hub index is built already
    code = main(["eval", "llm", "--modes", "none,openai", "--limit", "10", "--json"])
    out, _ = capsys.readouterr()
    assert code == 0
    doc = json.loads(out)
    none, openai = doc["results"]
    assert doc["items"] == 10 and none["mode"] == "none" and none["items"] == 10
    for key in (
        "kind_accuracy",
        "action_accuracy",
        "core_f1",
        "core_match",
        "style_accuracy",
        "invalid_output_rate",
        "fallbacks_per_item",
        "latency_ms",
        "by_category",
        "per_item",
    ):
        assert key in none, key
    assert openai["available"] is False and openai["reason"]


def test_cli_eval_llm_table_and_bad_mode(home, capsys, monkeypatch):
    monkeypatch.setenv("DGPT_HOME", str(home))
    code = main(["eval", "llm", "--modes", "none", "--limit", "3"])
    out, _ = capsys.readouterr()
    assert code == 0 and "kind accuracy" in out and "none" in out
    code = main(["eval", "llm", "--modes", "none,bogus"])
    _, err = capsys.readouterr()
    assert code == 2 and "bogus" in err and "none, local, openai" in err
    code = main(["eval", "llm", "--modes", "none", "--limit", "0"])
    _, err = capsys.readouterr()
    assert code == 2 and "--limit" in err
