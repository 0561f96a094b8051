"""What every request shares: the selector (catalog, index, embedder), the pipeline cache, the thread store, the
drawing queue and the server secret. Built once per process; the routes call it and hold no logic of their own
beyond translating HTTP to these calls.

A part that cannot be opened (a damaged thread store, a damaged index) is remembered with its message: the routes
that need it answer 503 with that message, the others keep serving.
"""

from __future__ import annotations

import io
import re
import threading
import uuid
from pathlib import Path
from typing import Any

from agent.server.errors import APIError
from agent.server.queue import DrawQueue
from agent.server.settings import ServerSettings, thread_secret
from tools.errors import DamagedStateError
from tools.settings import data_home

IMAGE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.png$")


class Service:
    def __init__(self, settings: ServerSettings, chat_model: Any = None):
        from agent.selector import Selector

        self.settings = settings
        self.home = Path(settings.home) if settings.home else data_home()
        self.images_dir = self.home / "images"
        self.uploads_dir = self.home / "uploads"
        self.chat_model = chat_model
        self.selector = Selector(catalog=settings.catalog, llm=settings.llm, home=settings.home, chat_model=chat_model)
        self.queue = DrawQueue(settings.queue_size)
        self.secret = thread_secret(self.home)
        self._saver = None
        self._saver_error: str | None = None
        self._lock = threading.Lock()

    # -- parts that may be damaged ---------------------------------------------------------------------------------

    def warm_up(self) -> dict[str, str]:
        """Load the embedder and the index, open the thread store; what failed, by part."""
        problems = {}
        try:
            self.selector.warm_up()
        except DamagedStateError as e:
            problems["index"] = str(e)
        try:
            self.checkpointer()
        except APIError as e:
            problems["threads"] = e.message
        return problems

    @property
    def catalog(self):
        return self.selector.resources.catalog

    def checkpointer(self):
        from agent.chat import THREADS_FILE, open_checkpointer

        with self._lock:
            if self._saver is None and self._saver_error is None:
                try:
                    self._saver = open_checkpointer(self.home / THREADS_FILE)
                except DamagedStateError as e:
                    self._saver_error = str(e)
            if self._saver_error:
                raise APIError(503, self._saver_error, code="thread_store_damaged")
            return self._saver

    def session(self, thread: str, busy_wait: float = 0.0):
        from agent.chat import ChatSession

        return ChatSession(
            thread=thread,
            catalog=self.settings.catalog,
            llm=self.settings.llm,
            home=self.settings.home,
            checkpointer=self.checkpointer(),
            chat_model=self.chat_model,
            busy_wait=busy_wait,
        )

    # -- pictures --------------------------------------------------------------------------------------------------

    def image_path(self, name: str) -> Path:
        """A picture this server made, by file name only: no folder, no '..', nothing outside images/."""
        if not IMAGE_NAME.match(name) or ".." in name:
            raise APIError(404, f"no picture named '{name}'", param="name", code="image_not_found")
        path = (self.images_dir / name).resolve()
        if path.parent != self.images_dir.resolve() or not path.is_file():
            raise APIError(404, f"no picture named '{name}'", param="name", code="image_not_found")
        return path

    def own_image(self, path: str) -> str:
        """The name of a picture under images/ (results carry absolute paths); APIError if it lies elsewhere."""
        p = Path(path).resolve()
        if p.parent != self.images_dir.resolve():
            raise APIError(500, f"picture {p.name} was written outside this server's image folder")
        return p.name

    def save_upload(self, data: bytes) -> str:
        """Decode an uploaded picture within the pixel limit and store it as PNG under uploads/; its path."""
        from PIL import Image, UnidentifiedImageError

        from tools.files import atomic_write

        max_pixels = self.settings.max_pixels

        try:
            with Image.open(io.BytesIO(data)) as probe:
                w, h = probe.size  # read from the header: a decompression bomb is refused before it is decoded
                if w * h > max_pixels:
                    raise APIError(
                        413,
                        f"the uploaded image is {w}x{h} ({w * h} pixels), more than this server's limit of "
                        f"{max_pixels} (DGPT_MAX_PIXELS); send a smaller picture",
                        param="image",
                        code="image_too_large",
                    )
                probe.load()
                image = probe.convert("RGB")
        except APIError:
            raise
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as e:
            raise APIError(
                400, f"'image' could not be read as a picture ({e}); send a PNG, JPEG or WebP file", param="image"
            ) from None
        self.uploads_dir.mkdir(parents=True, exist_ok=True)
        path = self.uploads_dir / f"upload-{uuid.uuid4().hex}.png"
        atomic_write(path, lambda f: image.save(f, format="PNG"))
        return str(path)

    def picture_record(self, name: str) -> dict:
        """How a picture this server drew was made (its JSON sidecar)."""
        import json

        meta = self.image_path(name).with_suffix(".json")
        if not meta.is_file():
            raise APIError(404, f"picture '{name}' has no record of how it was drawn", param="image")
        return json.loads(meta.read_text(encoding="utf-8"))

    def rate(self, prompt: str, model: str, rating: float, source: str = "server") -> tuple[dict, int]:
        """Store a rating (0..1) in the feedback index at once; what was stored and how many records it holds."""
        from datetime import datetime, timezone

        from tools.feedback import FeedbackRecord

        if model not in self.catalog.ids:
            raise APIError(404, f"model '{model}' is not in catalog '{self.settings.catalog}'", param="model")
        record = FeedbackRecord(
            prompt=prompt, model=model, rating=rating, source=source, time=datetime.now(timezone.utc)
        )
        store = self.selector.resources.feedback
        store.add([record])
        return {"prompt": prompt, "model": model, "rating": rating}, store.count()

    def rate_picture(self, name: str, stars: float, source: str = "web") -> tuple[dict, int]:
        """Rate a picture this server drew (1..5 stars) against the prompt and model that made it."""
        from tools.feedback import stars_to_rating

        meta = self.picture_record(name)
        return self.rate(
            meta.get("core_prompt") or meta.get("prompt"), meta.get("model"), stars_to_rating(stars), source
        )

    def start_image(self, name: str) -> str:
        """A picture this server made, as a start image (the chat's previous pictures); never a client's path."""
        return str(self.image_path(name))
