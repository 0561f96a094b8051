"""OpenAI's Images API: `POST /v1/images/generations`, `POST /v1/images/edits`, and the pictures themselves at
`GET /v1/images/{name}`.

The response is OpenAI's `{created, data: [{url | b64_json, revised_prompt}]}` (`revised_prompt` = the prompt
written for the chosen model) plus one extra field, `dgpt`: the decision (model, model_name, why, llm_mode,
llm_reason, candidates, seed, catalog). Clients that do not know it ignore it.
"""

from __future__ import annotations

import asyncio
import base64
import time
from typing import Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.server.errors import APIError
from agent.server.security import check_key, key_ok, sign, signature_ok

router = APIRouter()
OPENAI_IMAGE_MODELS = {"dall-e-2", "dall-e-3"}  # read as 'auto'


class ImageRequest(BaseModel):
    """What OpenAI's clients send; unknown fields (quality, style, background, ...) are ignored."""

    model_config = ConfigDict(extra="ignore")

    prompt: str = Field(min_length=1, max_length=4000)
    model: str | None = Field("auto", description="'auto' runs the model search; a catalog id skips it.")
    n: int | None = Field(1, ge=1, le=8)
    size: str | None = Field(None, description="WIDTHxHEIGHT; 'auto' or unset: the model's own size.")
    response_format: Literal["url", "b64_json"] | None = "url"
    user: str | None = None
    # Extensions beyond OpenAI's fields.
    negative_prompt: str | None = None
    seed: int | None = Field(None, ge=0, lt=2**63)
    steps: int | None = Field(None, ge=1, le=200)
    guidance: float | None = Field(None, ge=0, le=30)


def parse_size(size: str | None) -> tuple[int | None, int | None]:
    if size is None or size.strip().lower() in ("", "auto"):
        return None, None
    try:
        w, h = (int(x) for x in size.lower().split("x"))
    except ValueError:
        raise APIError(400, f"size '{size}' is not WIDTHxHEIGHT, e.g. 512x512", param="size") from None
    if w % 8 or h % 8 or not (16 <= w <= 2048 and 16 <= h <= 2048):
        raise APIError(
            400, f"size '{size}': width and height must be multiples of 8 from 16 to 2048, e.g. 512x512", param="size"
        )
    return w, h


def check_model(service, model: str | None) -> str | None:
    """None for 'auto' (search), else a catalog id; 404 names the ids there are."""
    if model in (None, "", "auto") or model in OPENAI_IMAGE_MODELS or model.startswith("gpt-image"):
        return None  # clients that always send OpenAI's own model name get the search too
    if model not in service.catalog.ids:
        raise APIError(
            404,
            f"model '{model}' is not in catalog '{service.catalog.name}'; use 'auto' or one of "
            f"{', '.join(service.catalog.ids)} (GET /v1/models)",
            param="model",
            code="model_not_found",
        )
    return model


def image_url(request: Request, service, path: str) -> str:
    name = service.own_image(path)
    base = service.settings.public_url or str(request.base_url)
    return f"{base.rstrip('/')}/v1/images/{name}?sig={sign(service.secret, name)}"


def decision(result: dict) -> dict:
    from agent.explain import why_line

    return {
        "model": result.get("model"),
        "model_name": result.get("model_name"),
        "why": why_line(result),
        "llm_mode": result.get("llm_mode"),
        "llm_reason": result.get("llm_reason"),
        "candidates": result.get("candidates") or [],
        "seed": result.get("seed"),
        "catalog": result.get("catalog"),
    }


def images_response(request: Request, service, result: dict, response_format: str | None) -> dict:
    data = []
    for path in result["images"]:
        item = {"revised_prompt": result.get("extended_prompt")}
        if response_format == "b64_json":
            with open(path, "rb") as f:
                item["b64_json"] = base64.b64encode(f.read()).decode()
        else:
            item["url"] = image_url(request, service, path)
        data.append(item)
    return {"created": int(time.time()), "data": data, "dgpt": decision(result)}


async def draw(request: Request, prompt: str, model: str | None, settings: dict) -> dict:
    """Through the drawing queue, in a worker thread: the GenerateResult as a dict."""
    from tools.generate import GenerateArgs

    service = request.app.state.service
    try:
        GenerateArgs(prompt=prompt, **settings)  # every bad value fails here, before it takes a place
    except ValidationError as e:
        err = e.errors()[0]
        param = ".".join(str(p) for p in err["loc"])
        raise APIError(400, f"'{param}': {err['msg']}", param=param) from None
    async with service.queue.place(request.is_disconnected):
        return await asyncio.to_thread(service.selector.generate, prompt, model=model, **settings)


@router.post("/v1/images/generations", dependencies=[Depends(check_key)])
async def generations(body: ImageRequest, request: Request):
    service = request.app.state.service
    model = check_model(service, body.model)
    width, height = parse_size(body.size)
    if (body.n or 1) > service.settings.max_images:
        raise APIError(400, f"n={body.n}: at most {service.settings.max_images} images a request", param="n")
    settings = dict(
        width=width,
        height=height,
        num_images=body.n or 1,
        seed=body.seed,
        steps=body.steps,
        guidance=body.guidance,
        negative_prompt=body.negative_prompt,
    )
    result = await draw(request, body.prompt, model, {k: v for k, v in settings.items() if v is not None})
    return images_response(request, service, result, body.response_format)


@router.post("/v1/images/edits", dependencies=[Depends(check_key)])
async def edits(
    request: Request,
    image: UploadFile = File(...),
    prompt: str = Form(..., min_length=1, max_length=4000),
    model: str | None = Form("auto"),
    n: int = Form(1, ge=1, le=8),
    size: str | None = Form(None),
    response_format: Literal["url", "b64_json"] = Form("url"),
    strength: float = Form(0.6, gt=0, le=1),
    seed: int | None = Form(None, ge=0),
    steps: int | None = Form(None, ge=1, le=200),
    mask: UploadFile | None = File(None),
):
    """Image-to-image from the uploaded picture (a mask, if sent, is not used: the whole picture is redrawn)."""
    service = request.app.state.service
    chosen = check_model(service, model)
    width, height = parse_size(size)
    if n > service.settings.max_images:
        raise APIError(400, f"n={n}: at most {service.settings.max_images} images a request", param="n")
    data = await image.read(service.settings.max_upload + 1)
    if len(data) > service.settings.max_upload:
        raise APIError(413, "the uploaded image is larger than DGPT_MAX_UPLOAD_MB", param="image")
    start = await asyncio.to_thread(service.save_upload, data)
    from tools.schedule import min_img2img_steps

    if steps is None and chosen:  # image-to-image runs int(steps * strength) steps: at least one
        steps = max(service.catalog.get(chosen).defaults.steps, min_img2img_steps(strength))
    settings = dict(image=start, strength=strength, width=width, height=height, num_images=n, seed=seed, steps=steps)
    result = await draw(request, prompt, chosen, {k: v for k, v in settings.items() if v is not None})
    return images_response(request, service, result, response_format)


@router.get("/v1/images/{name}")
async def picture(name: str, request: Request, sig: str | None = Query(None)):
    """A picture this server drew: by its signed URL (browsers in chat clients send no key), or with a key."""
    service = request.app.state.service
    keys = request.app.state.settings.api_keys
    if keys and not signature_ok(service.secret, name, sig):
        token = request.headers.get("authorization", "").partition(" ")[2].strip()
        if not token or not key_ok(token, keys):
            raise APIError(401, "this picture's URL is not signed for it; use the URL a response gave, or send a key")
    path = service.image_path(name)
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})
