"""`langgraph dev` serves langgraph.json's graphs offline, and the conversation graph talks to LangGraph's own
clients: `langgraph-sdk` runs the select graph and two chat turns given as `messages` (as Agent Chat UI sends them),
then reads the thread state back. The graph state's unit tests (`messages` from ChatSession) run without a server."""

from __future__ import annotations

import base64
import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTEXT = {"catalog": "starter", "llm": "none"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def langgraph_dev(tmp_path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DGPT_HOME"},
        "DGPT_HOME": str(tmp_path / "home"),
        "OMP_NUM_THREADS": "1",
        "LANGGRAPH_CLI_NO_ANALYTICS": "1",
        "LANGGRAPH_NO_VERSION_CHECK": "1",
    }
    cli = Path(sys.executable).with_name("langgraph")
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen(
        [str(cli), "dev", "--no-browser", "--no-reload", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        import httpx

        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, (tmp_path / "server.log").read_text()[-3000:]
            try:
                if httpx.get(f"{url}/ok", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "langgraph dev did not start"
            time.sleep(0.3)
        yield url
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
        log.close()


def picture_in(message: dict):
    from PIL import Image

    block = next(b for b in message["content"] if isinstance(b, dict) and b.get("type") == "image")
    picture = Image.open(io.BytesIO(base64.b64decode(block["base64"])))
    picture.load()
    return picture


@pytest.mark.slow
def test_langgraph_dev_serves_select_and_chat(langgraph_dev):
    from langgraph_sdk import get_sync_client

    client = get_sync_client(url=langgraph_dev)
    assert {a["graph_id"] for a in client.assistants.search()} >= {"select", "generate", "chat"}

    chosen = client.runs.wait(
        None, "select", input={"request": "a yellow star on a purple background"}, context=CONTEXT
    )
    assert chosen["model"] == "starter-shapes" and chosen["extended_prompt"]

    thread = client.threads.create()["thread_id"]
    first = client.runs.wait(
        thread,
        "chat",
        input={"messages": [{"role": "user", "content": "a yellow star on a purple background"}]},
        context=CONTEXT,
    )
    assert first["turns"][-1]["action"] == "new" and first["turns"][-1]["model"] == "starter-shapes"
    second = client.runs.wait(
        thread, "chat", input={"messages": [{"role": "user", "content": "make it darker"}]}, context=CONTEXT
    )
    assert second["turns"][-1]["action"] == "local" and second["turns"][-1]["refinement_of"] == 1

    state = client.threads.get_state(thread)["values"]
    assert [m["type"] for m in state["messages"]] == ["human", "ai", "human", "ai"]
    assert state["messages"][2]["content"] == "make it darker"
    reply = state["messages"][-1]
    assert reply["content"][0]["text"] == state["turns"][-1]["reply"]
    assert picture_in(reply).size == (256, 256)
    assert reply["additional_kwargs"]["dgpt"]["model"] == "starter-shapes"

    # A client's own catalog path is refused: served graphs take shipped catalog names only.
    refused = client.runs.wait(
        None, "select", input={"request": "a red circle"}, context={"catalog": "/etc/passwd"}, raise_error=False
    )
    assert "shipped catalog" in str(refused)


def test_chat_state_keeps_a_transcript(tmp_path):
    """ChatSession's turns add to `messages` too, and a turn given only as `messages` is read from the last human
    message; a turn with neither is refused with what to send."""
    from langgraph.checkpoint.memory import InMemorySaver

    from agent.chat import ChatSession
    from graphs.chat.graph import build_chat_graph
    from graphs.context import Context

    with ChatSession(thread="t", catalog="starter", llm="none", home=str(tmp_path)) as chat:
        chat.send("hi")
        messages = chat.graph.get_state(chat.config).values["messages"]
        assert messages[1].text == chat.history()[-1]["reply"]
    assert [m.type for m in messages] == ["human", "ai"] and messages[0].text == "hi"

    graph = build_chat_graph().compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "x"}}
    ctx = Context(catalog="starter", llm="none", home=str(tmp_path))
    out = graph.invoke({"messages": [{"role": "user", "content": "thanks"}]}, config, context=ctx)
    assert out["turns"][-1]["message"] == "thanks" and out["turns"][-1]["action"] == "chat"
    assert [m.type for m in out["messages"]] == ["human", "ai"] and out["message"] == ""
    with pytest.raises(ValueError, match="messages"):
        graph.invoke({}, config, context=ctx)  # the last human message was answered already
