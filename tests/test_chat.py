"""Conversations (graphs/chat/, agent/chat.py, `dgpt chat`): multi-turn refinement on tiny real pipelines,
threads in a real SQLite checkpointer, ratings that change a later choice, and the opt-in pause before drawing."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from agent.chat import ChatSession
from agent.cli import main
from tests.fakes import ScriptedChat
from tests.test_generate import gen_catalog  # noqa: F401  (module-scoped fixture)

FOX = "a watercolor painting of a fox"


def pngs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.png")) if folder.exists() else []


@pytest.fixture
def session(gen_catalog, tmp_path):
    with ChatSession(
        thread="t", catalog=gen_catalog, llm="none", home=str(tmp_path / "home"), out_dir=str(tmp_path / "out")
    ) as s:
        yield s


def loads(s: ChatSession) -> int:
    from graphs.resources import get_generator

    return get_generator(s.context.catalog, s.context.home).cache.loads


def three_turns(s: ChatSession) -> list[dict]:
    first = s.send(FOX, seed=5)
    second = s.send("same but as a photograph")
    before = loads(s)
    third = s.send("make it darker", strength=0.4)
    assert loads(s) == before, "a local change reuses the loaded pipeline"
    return [first, second, third]


def check_three_turns(turns: list[dict]) -> None:
    first, second, third = turns
    assert (first["turn"], first["action"], first["refinement_of"], first["model"]) == (1, "new", None, "tiny-lora")
    assert first["images"] and first["seed"] == 5 and first["extended_prompt"]
    assert (second["turn"], second["action"], second["refinement_of"]) == (2, "style", 1)
    assert second["model"] == "tiny-sd" and second["reused_model"] is False and "style change" in second["note"]
    assert "fox" in second["core_prompt"] and "watercolor" not in second["core_prompt"]
    assert (third["turn"], third["action"], third["refinement_of"], third["model"]) == (3, "local", 2, "tiny-sd")
    assert third["reused_model"] is True and third["init_image"] == second["images"][0] and third["strength"] == 0.4
    assert third["core_prompt"].endswith("darker") and Path(third["images"][0]).is_file()


def test_three_turns_without_an_llm(session):
    turns = three_turns(session)
    check_three_turns(turns)
    assert all(t["llm_mode"] == "none" for t in turns)
    for key in (
        "thread",
        "turn",
        "refinement_of",
        "reused_model",
        "model",
        "kind",
        "extended_prompt",
        "candidates",
        "trace",
        "images",
        "seed",
        "cache_hit",
        "fallbacks",
        "timings_ms",
    ):
        assert key in turns[0]
    assert [t["turn"] for t in session.history()] == [1, 2, 3]


def test_three_turns_with_an_llm(gen_catalog, tmp_path):
    llm = ScriptedChat(
        script={
            "TurnIntent": [
                {"action": "new", "prompt": FOX},
                {"action": "style", "prompt": "a fox, photograph", "change": "photograph"},
                {"action": "local", "prompt": "a fox, photograph, darker", "change": "darker"},
            ],
            "ParsedPrompt": [
                {"kind": "prompt", "core_prompt": FOX, "subjects": ["animal"], "styles": ["watercolor"]},
                {
                    "kind": "prompt",
                    "core_prompt": "a fox, photograph",
                    "subjects": ["animal"],
                    "styles": ["photorealistic"],
                },
            ],
            "BranchVote": ["not json"],
            "ExtendedPrompt": ["not json"],
        },
        calls=[],
    )
    with ChatSession(
        thread="llm", catalog=gen_catalog, home=str(tmp_path / "home"), out_dir=str(tmp_path / "out"), chat_model=llm
    ) as s:
        turns = three_turns(s)
    check_three_turns(turns)
    assert all(t["llm_mode"] == "custom" for t in turns)
    assert llm.calls.count("TurnIntent") == 3 and llm.calls.count("ParsedPrompt") == 2
    assert turns[2]["core_prompt"] == "a fox, photograph, darker"


def test_llm_garbage_falls_back_to_the_rules(gen_catalog, tmp_path):
    llm = ScriptedChat(
        script={"TurnIntent": ["not json"], "ParsedPrompt": ["not json"], "BranchVote": ["x"], "ExtendedPrompt": ["x"]},
        calls=[],
    )
    with ChatSession(
        thread="g", catalog=gen_catalog, home=str(tmp_path / "home"), out_dir=str(tmp_path / "out"), chat_model=llm
    ) as s:
        r = s.send(FOX, seed=1)
        darker = s.send("make it darker")
    assert r["model"] == "tiny-lora" and any(f["node"] == "interpret" for f in r["fallbacks"])
    assert darker["action"] == "local" and darker["refinement_of"] == 1


def test_a_question_with_an_llm_is_answered_in_words_as_they_stream(gen_catalog, tmp_path):
    answer = "I can draw with tiny-lora and the other models of this catalog. Describe a picture to start."
    llm = ScriptedChat(script={"TurnIntent": [{"action": "chat"}], "text": [answer]}, calls=[])
    with ChatSession(
        thread="q", catalog=gen_catalog, home=str(tmp_path / "home"), out_dir=str(tmp_path / "out"), chat_model=llm
    ) as s:
        events = list(s.stream("which models do you have?"))
        history = s.history()
    tokens = [e["text"] for e in events if e["type"] == "token"]
    result = events[-1]["result"]
    assert len(tokens) == len(answer.split()) and "".join(tokens) == answer
    assert result["reply"] == answer and result["images"] == [] and result["fallbacks"] == []
    assert llm.calls == ["TurnIntent", "text"] and history[-1]["reply"] == answer


def test_an_llm_that_cannot_answer_leaves_the_rules_reply_and_says_why(gen_catalog, tmp_path):
    llm = ScriptedChat(script={"TurnIntent": [{"action": "chat"}], "text": [ConnectionError("server gone")]}, calls=[])
    with ChatSession(
        thread="q2", catalog=gen_catalog, home=str(tmp_path / "home"), out_dir=str(tmp_path / "out"), chat_model=llm
    ) as s:
        r = s.send("what can you do?")
    assert r["reply"].startswith("Catalog ") and "tiny-lora" in r["reply"]
    assert r["fallbacks"] == [{"node": "talk", "reason": "ConnectionError: server gone"}]


def test_a_question_an_llm_reads_as_a_picture_is_answered_not_drawn(gen_catalog, tmp_path):
    """A small model calls "what can you do?" a new request; the rules know it is talk, so it is answered (by the
    LLM, in words) and the account says why the LLM's reading was not used."""
    from graphs.chat.intent import CHAT_OVER_NEW

    llm = ScriptedChat(
        script={
            "TurnIntent": [{"action": "new", "prompt": "what can you do?"}, {"action": "new", "prompt": FOX}],
            "text": ["I draw pictures."],
        },
        calls=[],
    )
    with ChatSession(
        thread="q3", catalog=gen_catalog, home=str(tmp_path / "home"), out_dir=str(tmp_path / "out"), chat_model=llm
    ) as s:
        r = s.send("what can you do?")
        drawn = s.send(FOX, seed=1)  # a real request the LLM calls new is drawn as one
    assert r["action"] == "chat" and r["images"] == [] and r["reply"] == "I draw pictures."
    assert r["fallbacks"] == [{"node": "interpret", "reason": CHAT_OVER_NEW}]
    assert drawn["action"] == "new" and drawn["images"]
    assert not any(f["reason"] == CHAT_OVER_NEW for f in drawn["fallbacks"])


def test_thread_resumes_after_the_checkpointer_is_reopened(gen_catalog, tmp_path):
    kw = dict(catalog=gen_catalog, llm="none", home=str(tmp_path / "home"), out_dir=str(tmp_path / "out"))
    with ChatSession(thread="keep", **kw) as s:
        first = s.send(FOX, seed=7)
    assert (tmp_path / "home" / "threads.sqlite").is_file()
    with ChatSession(thread="keep", **kw) as s:
        assert [t["message"] for t in s.history()] == [FOX]
        again = s.send("another one")
    assert (again["turn"], again["action"], again["refinement_of"]) == (2, "reseed", 1)
    assert again["model"] == first["model"] and again["reused_model"] and again["seed"] != first["seed"]
    assert again["extended_prompt"] == first["extended_prompt"]
    with ChatSession(thread="other", **kw) as s:
        assert s.history() == []


def test_a_different_model_then_back_to_the_first(session, tmp_path):
    first = session.send("a fox by a lake", seed=9)
    other = session.send("use a different model")
    assert other["action"] == "next_model" and other["model"] != first["model"] and other["reused_model"] is False
    assert other["model"] in [c["id"] for c in first["candidates"]] and other["seed"] == 9
    n = len(pngs(tmp_path / "out"))
    back = session.send("go back to the first one")
    assert back["action"] == "revert" and back["images"] == first["images"] and back["model"] == first["model"]
    assert len(pngs(tmp_path / "out")) == n, "going back draws nothing"
    darker = session.send("make it darker")
    assert (
        darker["refinement_of"] == back["turn"]
        and darker["model"] == first["model"]
        and darker["init_image"] == first["images"][0]
    )
    nowhere = session.send("go back to the fifth one")
    assert "no such picture" in nowhere["reply"] and nowhere["images"] == []


def test_a_refinement_or_rating_with_nothing_before_it_gets_an_answer(session, tmp_path):
    r = session.send("make it darker")
    assert r["status"] == "done" and r["action"] == "local" and r["images"] == [] and r["refinement_of"] is None
    assert "no picture in this conversation yet to refine" in r["reply"]
    assert "yet to rate" in session.send("/rate 3")["reply"]
    assert "yet to refine" in session.send("another one")["reply"]
    assert pngs(tmp_path / "out") == []
    assert session.send(FOX, seed=1)["model"] == "tiny-lora", "the thread goes on normally"


def test_ratings_in_one_thread_change_the_choice_in_a_new_thread(gen_catalog, tmp_path):
    kw = dict(catalog=gen_catalog, llm="none", home=str(tmp_path / "home"), out_dir=str(tmp_path / "out"))
    prompt = "a fox by a lake"
    with ChatSession(thread="rater", **kw) as s:
        first = s.send(prompt, seed=1)
        runner_up = first["candidates"][1]["id"]
        assert s.send("that's wrong")["stars"] == 1
        assert "Stored 1/5" in s.rate(1)["reply"]
        other = s.send("use a different model")
        assert other["model"] == runner_up
        assert "Stored 5/5" in s.send("I love it")["reply"]
        assert [t["action"] for t in s.history()] == ["new", "rate", "rate", "next_model", "rate"]
    with ChatSession(thread="fresh", **kw) as s:
        again = s.send("a fox near a lake", seed=1)
    assert again["model"] == runner_up != first["model"]
    chosen = next(c for c in again["candidates"] if c["id"] == runner_up)
    assert chosen["rated_neighbours"] >= 1 and chosen["advantage"] > 0.5


def test_confirm_pauses_before_drawing_and_resume_draws_once(gen_catalog, tmp_path):
    out = tmp_path / "out"
    with ChatSession(
        thread="c", catalog=gen_catalog, llm="none", home=str(tmp_path / "home"), out_dir=str(out), confirm=True
    ) as s:
        paused = s.send(FOX, seed=2)
        assert paused["status"] == "confirm" and paused["question"]["model"] == "tiny-lora"
        assert pngs(out) == [] and s.history() == [] and s.pending()["model"] == "tiny-lora"
        with pytest.raises(ValueError, match="waiting for an answer"):
            s.send("a dog")
        with pytest.raises(ValueError, match="not a model in catalog"):
            s.resume("no-such-model")
        assert s.pending() is not None, "a bad answer leaves the question open"
        done = s.resume("tiny-sd")
        assert done["status"] == "done" and done["model"] == "tiny-sd" and "chosen by the user" in done["note"]
        assert len(pngs(out)) == 1 and len(s.history()) == 1 and s.pending() is None
        s.send("a photo of a dog")
        cancelled = s.resume("no")
        assert cancelled["images"] == [] and "Cancelled" in cancelled["reply"] and len(pngs(out)) == 1
        with pytest.raises(ValueError, match="no turn waiting"):
            s.resume("yes")


def test_async_twins(session):
    async def talk():
        r = await session.asend(FOX, seed=3)
        rated = await session.arate(5)
        return r, rated, await session.ahistory()

    r, rated, history = asyncio.run(talk())
    assert r["model"] == "tiny-lora" and rated["stars"] == 5 and len(history) == 2
    with pytest.raises(ValueError, match="from 1 to 5"):
        session.rate(7)
    with pytest.raises(ValueError, match="not a rating"):
        session.send("/rate ten")


def test_cli_chat_json_history_and_confirm(gen_catalog, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DGPT_HOME", str(tmp_path / "h"))
    base = ["chat", "--catalog", str(gen_catalog), "--llm", "none", "--json", "--out", str(tmp_path / "out")]
    assert main(base + ["--thread", "cli", "--message", FOX, "--seed", "3"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert (first["thread"], first["turn"], first["refinement_of"], first["reused_model"]) == ("cli", 1, None, False)
    assert first["model"] == "tiny-lora" and first["seed"] == 3 and Path(first["images"][0]).is_file()
    assert main(base + ["--thread", "cli", "--message", "make it darker"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert (second["turn"], second["refinement_of"], second["reused_model"], second["action"]) == (2, 1, True, "local")
    assert main(["chat", "--thread", "cli", "--history", "--json"]) == 0
    assert [t["turn"] for t in json.loads(capsys.readouterr().out)["turns"]] == [1, 2]
    assert main(base + ["--thread", "ask", "--confirm", "--message", FOX]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "confirm"
    assert main(base + ["--thread", "ask", "--answer", "yes"]) == 0
    assert json.loads(capsys.readouterr().out)["model"] == "tiny-lora"
    assert main(["chat", "--history"]) == 2
    assert "--thread" in capsys.readouterr().err


def test_events_stream_node_updates_and_drawing_progress(session):
    events = []
    session.send(FOX, seed=1, on_event=events.append)
    nodes = [e["node"] for e in events if e["type"] == "update" and not e["graph"]]
    assert nodes == ["interpret", "search", "plan", "confirm", "draw", "record"]
    # The selection graph runs as the `search` subgraph, and the same stream shows its steps.
    assert [e["node"] for e in events if e["type"] == "update" and e["graph"] == "search"] == [
        "parse",
        "tot",
        "select",
        "extend",
    ]
    assert [(e["step"], e["total"]) for e in events if e["type"] == "progress"] == [(1, 2), (2, 2)]
    assert events[-1]["type"] == "result" and events[-1]["result"]["turn"] == 1


def test_interactive_chat_shows_the_choice_progress_and_image(gen_catalog, tmp_path, monkeypatch, capsys):
    from agent.chat_ui import interactive

    lines = iter([FOX, "/history", "make it darker", "/rate 9", "/bogus", "/quit"])
    monkeypatch.setattr("builtins.input", lambda *a: next(lines))
    with ChatSession(
        thread="ui", catalog=gen_catalog, llm="none", home=str(tmp_path / "home"), out_dir=str(tmp_path / "out")
    ) as s:
        assert interactive(s) == 0
        assert [t["action"] for t in s.history()] == ["new", "local"]
    out = capsys.readouterr().out
    assert "tiny-lora" in out and out.count("image:") == 2 and "local change" in out and "new of" not in out
    assert "turn" in out and "message" in out  # the /history table
    assert "not a rating" in out and "unknown command /bogus" in out


def test_a_reply_names_the_action_once():
    from graphs.chat.nodes import record
    from graphs.chat.state import Intent, Plan

    state = {
        "message": "make it darker",
        "turns": [],
        "intent": Intent(action="local", refinement_of=1, change="darker"),
        "plan": Plan(model="m", note="local change: image-to-image from turn 1 with m (strength 0.5)"),
        "generation": {
            "images": ["a.png"],
            "seed": 1,
            "steps": 4,
            "guidance": 4.0,
            "width": 8,
            "height": 8,
            "cache_hit": True,
            "evicted": [],
            "load_ms": 0,
            "generate_ms": 1,
        },
    }
    reply = record(state, None)["reply"]
    assert reply.startswith(
        "Local change (image-to-image from the last picture): drew with m (image-to-image from turn 1"
    )
    assert reply.lower().count("local change") == 1


def test_talk_gets_an_answer_and_draws_nothing(session, tmp_path):
    hello = session.send("hi")
    assert (hello["action"], hello["images"], hello["model"]) == ("chat", [], None)
    assert "Describe a picture" in hello["reply"] and pngs(tmp_path / "out") == []
    session.send(FOX, seed=1)
    models = session.send("which models do you have?")
    assert models["action"] == "chat" and "tiny-lora" in models["reply"] and len(pngs(tmp_path / "out")) == 1
    assert session.send("make it darker")["refinement_of"] == 2  # talk is not a picture: the change is of turn 2


def test_a_change_that_cannot_be_read_is_drawn_new_and_the_reply_says_so(session):
    session.send(FOX, seed=1)
    r = session.send("make it more like the other one")
    assert r["action"] == "new" and r["images"] and "could not read" in r["reply"]


def test_a_change_no_rule_splits_is_added_as_said_and_the_reply_says_so(session):
    # the rules find no edit in it; the learned action reader is sure it changes the picture, so its words join the
    # last prompt instead of a new picture that would lose the fox
    session.send(FOX, seed=1)
    r = session.send("i'd rather have it jumping over a fence")
    assert (r["action"], r["refinement_of"]) == ("content", 1)
    assert "fox" in r["core_prompt"] and "jumping over a fence" in r["core_prompt"]
    assert "as you said them" in r["reply"] and r["images"]
