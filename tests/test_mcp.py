"""`dgpt mcp`, driven by the MCP SDK's own client: over stdio (the process a desktop client launches) and over
streamable HTTP; the tool list, a picture decoded from image content, a refinement on the same thread, errors as tool
errors with the server still answering."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import os
import socket
import subprocess
import sys
import time
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

TOOLS = {"list_models", "select_model", "generate_image", "refine_image", "rate_image"}


def server_env(home: Path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DGPT_HOME"}
    return {**env, "DGPT_HOME": str(home), "OMP_NUM_THREADS": "1", **extra}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def text_of(result) -> str:
    return "\n".join(part.text for part in result.content if part.type == "text")


def picture_of(result):
    from PIL import Image

    images = [part for part in result.content if part.type == "image"]
    assert images and images[0].mimeType == "image/png"
    picture = Image.open(io.BytesIO(base64.b64decode(images[0].data)))
    picture.load()
    return picture


async def conversation(session) -> None:
    """What every transport must do: the same calls, the same answers."""
    listed = await session.list_tools()
    tools = {t.name: t for t in listed.tools}
    assert set(tools) == TOOLS
    generate = tools["generate_image"].inputSchema["properties"]
    assert {"prompt", "model", "size", "steps", "seed", "negative_prompt"} <= set(generate)
    assert all(generate[name].get("description") for name in ("prompt", "model", "size", "seed"))

    models = json.loads(text_of(await session.call_tool("list_models", {})))
    assert "starter-shapes" in {m["id"] for m in models}

    chosen = json.loads(text_of(await session.call_tool("select_model", {"request": "a yellow star on purple"})))
    assert chosen["model"] == "starter-shapes" and chosen["why"] and chosen["candidates"]

    drawn = await session.call_tool(
        "generate_image", {"prompt": "a yellow star on a purple background", "seed": 7, "size": "256x256"}
    )
    assert not drawn.isError, text_of(drawn)
    info = json.loads(text_of(drawn))
    assert info["model"] == "starter-shapes" and info["seed"] == 7 and info["revised_prompt"]
    assert Path(info["images"][0]).is_file()
    assert picture_of(drawn).size == (256, 256)

    refined = await session.call_tool("refine_image", {"thread": info["thread"], "instruction": "make it darker"})
    assert not refined.isError, text_of(refined)
    again = json.loads(text_of(refined))
    assert again["thread"] == info["thread"] and again["turn"] == 2 and again["action"] == "local"
    assert again["model"] == "starter-shapes" and picture_of(refined).size == (256, 256)

    rated = json.loads(text_of(await session.call_tool("rate_image", {"thread": info["thread"], "stars": 5})))
    assert rated["stars"] == 5 and rated["action"] == "rate"

    # Bad arguments: tool errors with a message; the server still answers afterwards.
    unknown = await session.call_tool("generate_image", {"prompt": "a red circle", "model": "no-such-model"})
    assert unknown.isError and "dgpt models list" in text_of(unknown)
    no_thread = await session.call_tool("refine_image", {"thread": "never-made", "instruction": "make it darker"})
    assert no_thread.isError and "generate_image" in text_of(no_thread)
    bad_stars = await session.call_tool("rate_image", {"thread": info["thread"], "stars": 9})
    assert bad_stars.isError and "stars" in text_of(bad_stars)
    assert not (await session.call_tool("list_models", {})).isError


@pytest.mark.slow
def test_stdio_server_with_the_sdk_client(tmp_path):
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "agent.cli", "mcp", "--catalog", "starter", "--llm", "none"],
        env=server_env(tmp_path),
        cwd=str(Path(__file__).resolve().parents[1]),
    )

    async def main():
        with open(tmp_path / "stderr.log", "w") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    await conversation(session)

    asyncio.run(main())


@asynccontextmanager
async def http_session(url: str, headers: dict | None = None):
    import httpx
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async with httpx.AsyncClient(headers=headers, timeout=httpx.Timeout(300, read=300)) as http:
        async with streamable_http_client(url, http_client=http) as (read, write, _):
            async with ClientSession(read, write) as session:
                await session.initialize()
                yield session


@pytest.fixture
def http_server(tmp_path):
    port = free_port()
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "agent.cli",
            "mcp",
            "--http",
            "--port",
            str(port),
            "--catalog",
            "starter",
            "--llm",
            "none",
        ],
        env=server_env(tmp_path),
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=str(Path(__file__).resolve().parents[1]),
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, (tmp_path / "server.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the MCP server did not start listening"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


@pytest.mark.slow
def test_streamable_http_server_with_the_sdk_client(http_server):
    async def main():
        async with http_session(http_server) as session:
            await conversation(session)

    asyncio.run(main())


def test_tools_have_described_arguments():
    from agent.mcp_server import build_server

    tools = {t.name: t for t in asyncio.run(build_server().list_tools())}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert tool.description
        for name, prop in tool.inputSchema.get("properties", {}).items():
            assert prop.get("description"), f"{tool.name}.{name} has no description"


def test_bad_arguments_are_tool_errors_before_anything_loads():
    """Validation happens in the SDK, against the pydantic arguments: nothing is opened or drawn."""
    from mcp.server.fastmcp.exceptions import ToolError

    from agent.mcp_server import build_server

    server = build_server()
    for name, args in [
        ("generate_image", {"prompt": ""}),
        ("generate_image", {"prompt": "a star", "size": "big"}),
        ("generate_image", {"prompt": "a star", "steps": 0}),
        ("rate_image", {"thread": "t", "stars": 0}),
        ("refine_image", {"thread": "", "instruction": "darker"}),
    ]:
        with pytest.raises(ToolError):
            asyncio.run(server.call_tool(name, args))


def test_http_needs_keys_off_loopback(monkeypatch):
    from agent.mcp_server import run_http
    from tools.settings import SettingError

    monkeypatch.delenv("DGPT_API_KEYS", raising=False)
    with pytest.raises(SettingError, match="DGPT_API_KEYS"):
        run_http(host="0.0.0.0", port=free_port())


def test_http_keys_are_checked():
    import httpx

    from agent.mcp_server import build_server, http_app

    key = "k" * 24
    app = http_app(build_server(), [key])

    async def main():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as c:
            missing = await c.post("/mcp", json={})
            wrong = await c.post("/mcp", json={}, headers={"authorization": "Bearer " + "x" * 24})
            return missing, wrong

    missing, wrong = asyncio.run(main())
    assert missing.status_code == wrong.status_code == 401
    assert "DGPT_API_KEYS" in missing.json()["error"]


def test_help_does_not_import_mcp():
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, agent.cli; agent.cli.build_parser(); print(sorted(m for m in ('mcp', 'torch', 'fastapi') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "[]"
