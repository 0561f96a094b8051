"""OpenAI's chat API with the conversation graph as the model: `POST /v1/chat/completions`, model `dgpt`.

Each request is one turn of a `ChatSession`. Which thread: an explicit `thread_id` in the body (an extension) or an
`X-DGPT-Thread` header; else the thread named in the conversation the client sends back. Every reply ends with an
invisible markdown line (`[//]: # (dgpt-thread ID SIG)`, a link reference that renders as nothing), signed with the
server secret, so the same history continues the same thread whichever client sends it, and a conversation with no
such line (its first message) starts a new thread. A client that drops the line starts over.

The reply is markdown: what was done, the picture as an absolute http URL served by this server, then one line on
which model drew it and why. `stream: true` sends `chat.completion.chunk` deltas: progress while drawing, then the
reply, then `data: [DONE]`.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from agent.server.errors import APIError, error_body
from agent.server.images import decision, image_url
from agent.server.security import check_key, sign

router = APIRouter()
CHAT_MODEL = "dgpt"
THREAD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")
MARKER = re.compile(r"\[//\]: # \(dgpt-thread ([A-Za-z0-9_.:-]+) ([0-9a-f]{32})\)")


class Message(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: str
    content: str | list[dict[str, Any]] | None = None


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    model: str
    messages: list[Message] = Field(min_length=1)
    stream: bool | None = False
    user: str | None = None
    thread_id: str | None = Field(None, description="Extension: continue this thread instead of the one in messages.")
    seed: int | None = Field(None, ge=0, lt=2**63)
    # Accepted and ignored: temperature, max_tokens, top_p, n, tools, ... (the graph decides).


def text_of(message: Message) -> str:
    if isinstance(message.content, str):
        return message.content
    parts = message.content or []
    return "\n".join(p.get("text", "") for p in parts if isinstance(p, dict) and p.get("type") == "text")


def marker(secret: bytes, thread: str) -> str:
    return f"[//]: # (dgpt-thread {thread} {sign(secret, 'thread:' + thread)})"


def thread_for(body: ChatRequest, request: Request, secret: bytes) -> tuple[str, bool]:
    """(thread id, whether it was named) from the body, the header or the conversation; else a new id."""
    explicit = body.thread_id or request.headers.get("x-dgpt-thread")
    if explicit:
        if not THREAD_ID.match(explicit):
            raise APIError(
                400,
                f"thread_id {explicit!r} is not a thread id; use 1-128 letters, digits and . _ : -",
                param="thread_id",
            )
        return explicit, True
    for message in reversed(body.messages[:-1]):
        if message.role != "assistant":
            continue
        for thread, sig in reversed(MARKER.findall(text_of(message))):
            if sig == sign(secret, "thread:" + thread):
                return thread, True
    return "c-" + uuid.uuid4().hex[:16], False


def reply_markdown(request: Request, service, result: dict) -> str:
    from agent.explain import why_line

    text = result.get("reply") or ""
    images = result.get("images") or []
    for path in images:
        text = text.replace(f". {path}", ".").replace(f": {path}", ".").replace(path, "")
    parts = [text.strip()]
    if result.get("status") == "confirm":
        q = result["question"]
        parts = [f"{q['question']} (candidates: {', '.join(q['candidates'][:5])}). Answer yes, no or a model id."]
    for i, path in enumerate(images):
        parts.append(f"![picture {i + 1}]({image_url(request, service, path)})")
    if images and result.get("model"):
        parts.append(f"*Why: {why_line(result)}*")
    parts.append(marker(service.secret, result["thread"]))
    return "\n\n".join(p for p in parts if p)


def _check(body: ChatRequest) -> str:
    if body.model != CHAT_MODEL:
        raise APIError(
            404,
            f"model '{body.model}' is not a chat model here; use model '{CHAT_MODEL}' for conversations "
            "(the catalog's ids are image models for /v1/images/generations)",
            param="model",
            code="model_not_found",
        )
    last = body.messages[-1]
    if last.role != "user":
        raise APIError(400, "the last message must be the user's (role 'user')", param="messages")
    text = text_of(last).strip()
    if not text:
        raise APIError(400, "the last user message is empty; say what to draw or how to change it", param="messages")
    return text


def _completion(body: ChatRequest, content: str, thread: str, result: dict) -> dict:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": CHAT_MODEL,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "dgpt": {"thread": thread, "turn": result.get("turn"), "action": result.get("action"), **decision(result)},
    }


def _turn(service, thread: str, text: str, settings: dict, on_event=None) -> dict:
    with service.session(thread) as session:
        return session.send(text, on_event=on_event, **settings)


@router.post("/v1/chat/completions", dependencies=[Depends(check_key)])
async def completions(body: ChatRequest, request: Request):
    from agent.chat import ThreadBusyError

    service = request.app.state.service
    text = _check(body)
    thread, _named = thread_for(body, request, service.secret)
    service.checkpointer()  # 503 now if the thread store is damaged
    settings = {"seed": body.seed} if body.seed is not None else {}
    if body.stream:
        return StreamingResponse(
            _stream(request, service, body, thread, text, settings),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    async with service.queue.place(request.is_disconnected):
        try:
            result = await asyncio.to_thread(_turn, service, thread, text, settings)
        except ThreadBusyError as e:
            raise APIError(409, str(e), param="thread_id", code="thread_busy") from None
    return _completion(body, reply_markdown(request, service, result), thread, result)


def _chunk(cid: str, created: int, delta: dict, finish: str | None = None, extra: dict | None = None) -> str:
    chunk = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": CHAT_MODEL,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        **(extra or {}),
    }
    return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"


NODE_WORDS = {"interpret": "reading the message", "search": "choosing a model", "draw": "drawing"}


async def _stream(request: Request, service, body: ChatRequest, thread: str, text: str, settings: dict):
    from agent.chat import ThreadBusyError

    cid, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
    yield _chunk(cid, created, {"role": "assistant", "content": ""})
    loop = asyncio.get_running_loop()
    events: asyncio.Queue = asyncio.Queue()
    last_tenth = [-1]
    streamed = [False]  # an answer sent piece by piece as the model wrote it is not sent again at the end

    def on_event(event: dict) -> None:
        # Called in the worker thread: progress as a short line per tenth of the schedule, a word per step.
        if event["type"] == "progress":
            tenth = int(10 * event["step"] / max(event["total"], 1))
            if tenth == last_tenth[0]:
                return
            last_tenth[0] = tenth
            line = f"_drawing {event['step']}/{event['total']}_\n\n"
        elif event["type"] == "update" and event.get("node") in NODE_WORDS and event.get("graph") is None:
            line = f"_{NODE_WORDS[event['node']]}…_\n\n"
        elif event["type"] == "token":
            line, streamed[0] = event["text"], True
        else:
            return
        loop.call_soon_threadsafe(events.put_nowait, ("text", line))

    try:
        async with service.queue.place(request.is_disconnected):
            task = asyncio.ensure_future(asyncio.to_thread(_turn, service, thread, text, settings, on_event))
            while not task.done():
                getter = asyncio.ensure_future(events.get())
                finished, _ = await asyncio.wait({task, getter}, return_when=asyncio.FIRST_COMPLETED)
                if getter in finished:
                    yield _chunk(cid, created, {"content": getter.result()[1]})
                else:
                    getter.cancel()
            result = task.result()
    except ThreadBusyError as e:
        yield f"data: {json.dumps(error_body(409, str(e), 'thread_id', 'thread_busy'))}\n\n"
        yield "data: [DONE]\n\n"
        return
    except APIError as e:
        yield f"data: {json.dumps(error_body(e.status, e.message, e.param, e.code))}\n\n"
        yield "data: [DONE]\n\n"
        return
    except (ValueError, RuntimeError) as e:
        yield f"data: {json.dumps(error_body(400, str(e)))}\n\n"
        yield "data: [DONE]\n\n"
        return
    if streamed[0] and not result.get("images"):
        if result.get("reply", "").endswith(" …"):
            yield _chunk(cid, created, {"content": " …"})
    else:
        yield _chunk(cid, created, {"content": "\n" + reply_markdown(request, service, result)})
    meta = {"dgpt": {"thread": thread, "turn": result.get("turn"), "action": result.get("action"), **decision(result)}}
    yield _chunk(cid, created, {}, finish="stop", extra=meta)
    yield "data: [DONE]\n\n"
