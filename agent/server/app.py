"""The app factory: one FastAPI app over one `Service` (catalog, index, embedder, pipeline cache, thread store,
drawing queue), with keys, body limits and CORS as configured, and every error in OpenAI's shape."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from agent.server.errors import APIError, error_response, install
from agent.server.security import BodyLimit
from agent.server.service import Service
from agent.server.settings import ServerSettings
from tools.errors import DamagedStateError
from tools.settings import data_home


def create_app(settings: ServerSettings | None = None, service: Service | None = None, chat_model: Any = None):
    """The app. `service` (or one built from `settings` at start-up) is shared by every request."""
    settings = settings or (service.settings if service else ServerSettings.from_env())

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        import asyncio

        if app.state.service is None:
            app.state.service = await asyncio.to_thread(Service, settings, chat_model)
        app.state.problems = await asyncio.to_thread(app.state.service.warm_up)
        yield
        app.state.service.queue.close()

    app = FastAPI(
        title="DiffusionGPT",
        version="0.1.0",
        description="OpenAI-compatible images and chat over a model-selecting diffusion agent.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.service = service
    app.state.problems = {}
    install(app)

    @app.exception_handler(DamagedStateError)
    async def _damaged(_request, exc: DamagedStateError) -> JSONResponse:
        return error_response(503, str(exc), code="state_damaged")

    @app.exception_handler(ValueError)
    async def _bad_value(_request, exc: ValueError) -> JSONResponse:
        return error_response(400, str(exc), code="invalid_value")

    @app.exception_handler(KeyError)
    async def _unknown(_request, exc: KeyError) -> JSONResponse:
        return error_response(404, str(exc.args[0] if exc.args else exc), code="not_found")

    from agent.server import completions, images, native

    app.include_router(native.router)
    app.include_router(images.router)
    app.include_router(completions.router)

    @app.api_route("/v1/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"])
    async def _no_such_endpoint(request: Request, rest: str):
        # The page is mounted at `/`: without this, an unknown /v1 path would get the page's 404, not OpenAI's.
        allowed = any(
            route.matches(request.scope)[0] == Match.PARTIAL
            for route in app.router.routes
            if getattr(route, "endpoint", None) is not _no_such_endpoint
        )
        if allowed:
            raise StarletteHTTPException(405)
        raise StarletteHTTPException(404)

    if settings.web:
        import os

        os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # nothing at run time reaches the network
        try:
            import gradio  # noqa: F401
        except ImportError:
            pass  # the APIs serve without the page (pip install -e . brings gradio)
        else:
            from agent.server.web import mount_page

            home = Path(settings.home) if settings.home else data_home()
            app = mount_page(app, settings, home / "images")
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "X-DGPT-Thread"],
        )
    app.add_middleware(BodyLimit, body_limit=settings.max_body, upload_limit=settings.max_upload)
    return app


__all__ = ["APIError", "create_app"]
