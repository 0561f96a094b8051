"""What OpenAI's shapes cannot say: `POST /v1/select` (the decision only), `POST /v1/feedback` (a rating),
`GET /v1/threads/{id}` (a conversation's turns), plus `GET /healthz` and OpenAI's `GET /v1/models`."""

from __future__ import annotations

import asyncio
import time

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from agent.server.completions import CHAT_MODEL, THREAD_ID
from agent.server.errors import APIError
from agent.server.images import check_model, image_url
from agent.server.security import check_key
from graphs.chat.results import TurnResult
from graphs.selection.results import SelectionResult

router = APIRouter()


@router.get("/healthz")
async def healthz(request: Request):
    """Open (no key): whether each shared part is usable, and the queue."""
    service = request.app.state.service
    problems = request.app.state.problems
    return {
        "status": "degraded" if problems else "ok",
        "catalog": service.settings.catalog,
        "problems": problems,
        "queue": {"drawing": service.queue._admitted - service.queue.waiting, "waiting": service.queue.waiting},
        "closing": service.queue.closed,
    }


@router.get("/v1/models", dependencies=[Depends(check_key)])
async def models(request: Request):
    service = request.app.state.service
    created = int(time.time())
    ids = ["auto", CHAT_MODEL, *service.catalog.ids]
    return {
        "object": "list",
        "data": [{"id": i, "object": "model", "created": created, "owned_by": "dgpt"} for i in ids],
    }


class SelectRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    prompt: str = Field(min_length=1, max_length=4000)
    beam_width: int | None = Field(None, ge=1, le=8)


@router.post("/v1/select", dependencies=[Depends(check_key)], response_model=SelectionResult)
async def select(body: SelectRequest, request: Request):
    """`dgpt select --json`'s fields. Runs concurrently with other selections (no drawing, no queue)."""
    service = request.app.state.service
    overrides = {"beam_width": body.beam_width} if body.beam_width else {}
    return await asyncio.to_thread(service.selector.select, body.prompt, **overrides)


class FeedbackRequest(BaseModel):
    """Either a picture this server drew (`image`: its file name or URL) or a prompt/model pair, and a rating."""

    model_config = ConfigDict(extra="ignore")

    image: str | None = None
    prompt: str | None = Field(None, max_length=4000)
    model: str | None = None
    rating: float | None = Field(None, ge=0, le=1)
    stars: float | None = Field(None, ge=1, le=5)

    @model_validator(mode="after")
    def _one_rating(self):
        if (self.rating is None) == (self.stars is None):
            raise ValueError("give exactly one of 'rating' (0..1) or 'stars' (1..5)")
        if not self.image and not (self.prompt and self.model):
            raise ValueError("name what is rated: 'image' (a picture this server drew) or 'prompt' and 'model'")
        return self


@router.post("/v1/feedback", dependencies=[Depends(check_key)])
async def feedback(body: FeedbackRequest, request: Request):
    from tools.feedback import stars_to_rating

    service = request.app.state.service
    prompt, model = body.prompt, body.model
    if body.image:
        name = body.image.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        meta = service.picture_record(name)
        prompt = prompt or meta.get("core_prompt") or meta.get("prompt")
        model = meta.get("model")
    check_model(service, model)
    rating = stars_to_rating(body.stars) if body.stars is not None else body.rating
    stored, count = await asyncio.to_thread(service.rate, prompt, model, rating)
    return {"stored": stored, "records": count}


@router.get("/v1/threads/{thread}", dependencies=[Depends(check_key)])
async def thread_history(thread: str, request: Request):
    from graphs.chat.results import turn_result

    service = request.app.state.service
    if not THREAD_ID.match(thread):
        raise APIError(404, f"no thread '{thread}'", param="thread", code="thread_not_found")
    with service.session(thread) as session:
        turns = await asyncio.to_thread(session.history)
    if not turns:
        raise APIError(404, f"no thread '{thread}' (it has no turns)", param="thread", code="thread_not_found")
    catalog = service.catalog
    out = []
    for turn in turns:
        result: TurnResult = turn_result(turn, thread, catalog if turn.get("model") else None, 0.0)
        item = result.model_dump()
        item["image_urls"] = [image_url(request, service, p) for p in item["images"]]
        out.append(item)
    return {"thread": thread, "turns": out}
