"""`dgpt mcp`: the image system as Model Context Protocol tools, for desktop, IDE and agent clients.

Built on the `mcp` Python SDK 1.x (`FastMCP`; `langchain-mcp-adapters` 0.3 pins `mcp>=1.24,<2`). Two transports:
stdio (`dgpt mcp`, what desktop and IDE clients launch) and streamable HTTP (`dgpt mcp --http`, at `/mcp`).

| tool | what it does |
|---|---|
| `list_models` | the catalog: ids, names, tags |
| `select_model` | choose a model for a request and say why; nothing is drawn |
| `generate_image` | one new-request turn of a conversation thread: the PNG as image content, and a text part (JSON) with the thread, model, seed, revised prompt and file path |
| `refine_image` | one conversation turn on a thread ("make it darker", "as a watercolor"), image content back |
| `rate_image` | rate a thread's last picture, 1 to 5 stars (stored as feedback, as `dgpt chat`'s /rate) |

The tools hold no selection or conversation logic: they call `agent.selector.Selector` and `agent.chat.ChatSession`
over the CLI's data home (`DGPT_HOME`), feedback index and thread store (`threads.sqlite`), so a thread started here
continues in `dgpt chat --thread ID` and the other way round. A bad argument or a failed turn comes back as an MCP tool
error carrying the message; the server keeps running. Over HTTP the defaults of `dgpt serve` apply: loopback only
unless `DGPT_API_KEYS` is set, and then every request needs `Authorization: Bearer KEY`.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

SERVER_NAME = "diffusiongpt"
INSTRUCTIONS = (
    "Text-to-image tools that choose the diffusion model best suited to each request. Call generate_image with what "
    "to draw; it returns the picture and a thread id. Pass that thread id to refine_image to change the picture "
    "('make it darker', 'as a watercolor', 'add a moon', 'another one') and to rate_image to rate it. "
    "select_model explains which model would draw a request without drawing; list_models shows the catalog."
)

Size = Annotated[
    str | None,
    Field(
        None,
        pattern=r"^\d{2,4}x\d{2,4}$",
        description="WIDTHxHEIGHT in pixels, multiples of 8 (e.g. 512x512); the model's default size if unset.",
    ),
]
Steps = Annotated[int | None, Field(None, ge=1, le=200, description="Denoising steps; the model's default if unset.")]
Seed = Annotated[
    int | None,
    Field(None, ge=0, lt=2**63, description="Same seed and settings give the same picture; random if unset."),
]
Thread = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description="The thread id a generate_image result gave (its 'thread' field).",
    ),
]


def _size(size: str | None) -> dict[str, int]:
    if not size:
        return {}
    width, height = (int(part) for part in size.split("x"))
    for name, value in (("width", width), ("height", height)):
        if value % 8 or not 16 <= value <= 4096:
            raise ValueError(
                f"size {size}: the {name} {value} is not a multiple of 8 between 16 and 4096; use e.g. 256x256"
            )
    return {"width": width, "height": height}


class ImageTools:
    """What the MCP tools call: one `Selector` (catalog, index, embedder) and one thread store for the process, and
    one draw at a time (the pipeline cache and the device are shared). Plain Python in, dicts out."""

    def __init__(self, catalog: str = "starter", llm: str = "auto", home: str | None = None, chat_model: Any = None):
        from agent.chat import THREADS_FILE, open_checkpointer
        from agent.selector import Selector

        self.catalog_name, self.llm, self.home, self.chat_model = str(catalog), llm, home, chat_model
        self.selector = Selector(catalog=self.catalog_name, llm=llm, home=home, chat_model=chat_model)
        self.checkpointer = open_checkpointer(Path(home) / THREADS_FILE if home else None)
        self.lock = threading.Lock()

    @property
    def catalog(self):
        return self.selector.resources.catalog

    def _session(self, thread: str | None):
        from agent.chat import ChatSession

        return ChatSession(
            thread=thread,
            catalog=self.catalog_name,
            llm=self.llm,
            home=self.home,
            checkpointer=self.checkpointer,
            chat_model=self.chat_model,
        )

    def _existing(self, thread: str):
        session = self._session(thread)
        if not session.history():
            session.close()
            raise ValueError(
                f"there is no thread '{thread}' in this data home; start one with generate_image and pass the "
                "'thread' it returns"
            )
        return session

    def list_models(self) -> list[dict[str, Any]]:
        return [{"id": c.id, "name": c.name, "tags": c.tags, "description": c.description} for c in self.catalog.models]

    def select(self, request: str) -> dict[str, Any]:
        from agent.explain import why_line

        with self.lock:
            result = self.selector.select(request)
        return {
            "model": result["model"],
            "model_name": result["model_name"],
            "tags": result["tags"],
            "why": why_line(result),
            "revised_prompt": result["extended_prompt"],
            "negative_prompt": result["negative_prompt"],
            "kind": result["kind"],
            "core_prompt": result["core_prompt"],
            "llm_mode": result["llm_mode"],
            "candidates": result["candidates"],
        }

    def generate(
        self,
        prompt: str,
        model: str | None = None,
        size: str | None = None,
        steps: int | None = None,
        seed: int | None = None,
        negative_prompt: str | None = None,
        thread: str | None = None,
    ) -> dict[str, Any]:
        if model is not None:
            self.catalog.get(model)  # an unknown id fails here, with the ids to choose from
        settings = {"model": model, "steps": steps, "seed": seed, "negative_prompt": negative_prompt, **_size(size)}
        session = self._session(thread)
        try:
            with self.lock:
                result = session.send(prompt, **settings)
        finally:
            session.close()
        if not result.get("images"):
            raise ValueError(
                f"nothing was drawn for '{prompt}': {result.get('reply') or 'the message was not read as a picture'}"
                " Describe the picture to draw, e.g. 'a yellow star on a purple background'"
            )
        return result

    def refine(
        self, thread: str, instruction: str, seed: int | None = None, strength: float | None = None
    ) -> dict[str, Any]:
        session = self._existing(thread)
        try:
            with self.lock:
                return session.send(instruction, seed=seed, strength=strength)
        finally:
            session.close()

    def rate(self, thread: str, stars: int) -> dict[str, Any]:
        session = self._existing(thread)
        try:
            with self.lock:
                result = session.rate(stars)
        finally:
            session.close()
        if result.get("action") != "rate" or result.get("stars") is None:
            raise ValueError(f"thread '{thread}' has no picture to rate yet: {result.get('reply')}")
        return result


def turn_summary(result: dict[str, Any]) -> dict[str, Any]:
    """The text part of an image answer: what an agent needs to continue (thread) and to cite (model, seed, prompt,
    file)."""
    from agent.explain import why_line

    return {
        "thread": result.get("thread"),
        "turn": result.get("turn"),
        "action": result.get("action"),
        "model": result.get("model"),
        "model_name": result.get("model_name"),
        "seed": result.get("seed"),
        "revised_prompt": result.get("extended_prompt"),
        "negative_prompt": result.get("negative_prompt"),
        "images": result.get("images") or [],
        "reply": result.get("reply"),
        "why": why_line(result) if result.get("model") else "",
        **({"stars": result["stars"]} if result.get("stars") is not None else {}),
    }


def image_answer(result: dict[str, Any]) -> list[Any]:
    """A turn as MCP content: a text part (JSON) and each picture as PNG image content."""
    from mcp.server.fastmcp import Image

    parts: list[Any] = [json.dumps(turn_summary(result), indent=1)]
    for path in result.get("images") or []:
        parts.append(Image(data=Path(path).read_bytes(), format="png"))
    return parts


def build_server(
    tools: ImageTools | None = None,
    catalog: str = "starter",
    llm: str = "auto",
    home: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
):
    """The FastMCP server with the five tools. Sync work runs in a worker thread, so one slow draw never stalls the
    protocol (pings, listing tools, a second client over HTTP)."""
    from anyio import to_thread
    from mcp.server.fastmcp import FastMCP

    server = FastMCP(SERVER_NAME, instructions=INSTRUCTIONS, host=host, port=port, log_level="WARNING")
    state: dict[str, ImageTools] = {"tools": tools} if tools is not None else {}
    opening = threading.Lock()

    def core() -> ImageTools:
        with opening:  # built on the first call: the client's handshake never waits for the index
            if "tools" not in state:
                state["tools"] = ImageTools(catalog=catalog, llm=llm, home=home)
            return state["tools"]

    async def run(fn, *args, **kwargs):
        return await to_thread.run_sync(lambda: fn(*args, **kwargs))

    @server.tool(structured_output=False)
    async def list_models() -> str:
        """The catalog's models: id, name, tags and description. Any id may be passed as generate_image's model."""
        return json.dumps(await run(lambda: core().list_models()), indent=1)

    @server.tool(structured_output=False)
    async def select_model(
        request: Annotated[
            str, Field(min_length=1, max_length=2000, description="What the user wants to see, in their words.")
        ],
    ) -> str:
        """Choose the model best suited to a request and say why (score, candidates, the prompt rewritten for it).
        Nothing is drawn."""
        return json.dumps(await run(lambda: core().select(request)), indent=1)

    @server.tool(structured_output=False)
    async def generate_image(
        prompt: Annotated[str, Field(min_length=1, max_length=2000, description="What to draw, in plain words.")],
        model: Annotated[
            str | None, Field(None, description="A catalog model id (see list_models); unset: the search chooses.")
        ] = None,
        size: Size = None,
        steps: Steps = None,
        seed: Seed = None,
        negative_prompt: Annotated[
            str | None,
            Field(None, max_length=2000, description="What to avoid; unset: the chosen model's own negative prompt."),
        ] = None,
        thread: Annotated[
            str | None,
            Field(None, max_length=200, description="Continue this thread; unset: a new thread is started."),
        ] = None,
    ) -> list:
        """Draw a picture: the best model for the prompt is chosen (unless `model` names one), the prompt is
        rewritten for it, and the PNG comes back with a text part (JSON): thread (pass it to refine_image and
        rate_image), model, seed, revised prompt, file path, and why this model."""
        result = await run(lambda: core().generate(prompt, model, size, steps, seed, negative_prompt, thread))
        return image_answer(result)

    @server.tool(structured_output=False)
    async def refine_image(
        thread: Thread,
        instruction: Annotated[
            str,
            Field(
                min_length=1,
                max_length=2000,
                description="How to change the last picture: 'make it darker', 'as a watercolor', 'make it a wolf "
                "instead', 'add a moon', 'another one', 'use a different model', 'go back to the first one'.",
            ),
        ],
        seed: Seed = None,
        strength: Annotated[
            float | None,
            Field(None, gt=0, le=1, description="For local changes (darker, brighter): how much to change, 0-1."),
        ] = None,
    ) -> list:
        """One conversation turn on a thread: the instruction is read as a change to the last picture (or a new
        request) and drawn; the picture comes back with the same text part as generate_image."""
        return image_answer(await run(lambda: core().refine(thread, instruction, seed, strength)))

    @server.tool(structured_output=False)
    async def rate_image(
        thread: Thread,
        stars: Annotated[int, Field(ge=1, le=5, description="1 (bad) to 5 (great).")],
    ) -> str:
        """Rate the thread's last picture. The rating is stored against its prompt and model, and later choices
        for similar requests (in every thread) weigh it."""
        return json.dumps(turn_summary(await run(lambda: core().rate(thread, stars))), indent=1)

    return server


def run_stdio(catalog: str = "starter", llm: str = "auto", home: str | None = None) -> None:
    """Serve on stdin/stdout. The protocol keeps the process's stdout; anything else written to file descriptor 1
    (a library printing from C) goes to stderr, so it can never corrupt a message."""
    import io
    import os
    import sys

    protocol = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = io.TextIOWrapper(os.fdopen(protocol, "wb"), encoding="utf-8", line_buffering=True)
    build_server(catalog=catalog, llm=llm, home=home).run(transport="stdio")


def http_app(server, api_keys: list[str]):
    """The streamable-HTTP app, behind a key check when keys are configured."""
    app = server.streamable_http_app()
    if not api_keys:
        return app
    from agent.server.security import key_ok

    async def guarded(scope, receive, send):
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            scheme, _, token = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
            if scheme.lower() != "bearer" or not key_ok(token.strip(), api_keys):
                body = json.dumps(
                    {
                        "error": "this MCP server needs an API key; send Authorization: Bearer KEY (one of the "
                        "server's DGPT_API_KEYS)"
                    }
                ).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 401,
                        "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await app(scope, receive, send)

    return guarded


def run_http(
    host: str = "127.0.0.1", port: int = 8000, catalog: str = "starter", llm: str = "auto", home: str | None = None
) -> None:
    """Serve streamable HTTP at http://HOST:PORT/mcp, with `dgpt serve`'s rule: loopback only unless
    `DGPT_API_KEYS` is set."""
    import uvicorn

    from agent.server.settings import ServerSettings

    settings = ServerSettings.from_env(host=host, port=port, catalog=catalog, llm=llm, home=home)
    settings.check_bind()
    server = build_server(catalog=catalog, llm=llm, home=home, host=host, port=port)
    app = http_app(server, settings.api_keys)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
