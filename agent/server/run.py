"""Running the app on uvicorn: in the foreground (`dgpt serve`) or in a thread (tests, benchmarks)."""

from __future__ import annotations

import threading
import time

import uvicorn

from agent.server.app import create_app
from agent.server.settings import ServerSettings


class Server(uvicorn.Server):
    """On SIGINT/SIGTERM the drawing queue closes first (waiting and new draws get 503), then uvicorn stops
    accepting connections and waits for the requests in flight, so the draw in progress finishes."""

    def handle_exit(self, sig, frame) -> None:
        service = getattr(self.config.app, "state", None) and self.config.app.state.service
        if service is not None:
            service.queue.close()
        super().handle_exit(sig, frame)


def config_for(settings: ServerSettings, app=None, log_level: str = "info") -> uvicorn.Config:
    return uvicorn.Config(
        app or create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=log_level,
        timeout_graceful_shutdown=120,
        proxy_headers=False,
        server_header=False,
    )


def serve(settings: ServerSettings) -> None:
    settings.check_bind()
    Server(config_for(settings)).run()


class ThreadedServer:
    """uvicorn in a background thread on a loopback port: `with ThreadedServer(settings) as url: ...`."""

    def __init__(self, settings: ServerSettings, app=None, start_timeout: float = 300.0):
        self.settings = settings
        self.server = Server(config_for(settings, app, log_level="warning"))
        self.server.install_signal_handlers = lambda: None  # not the main thread
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.start_timeout = start_timeout

    @property
    def url(self) -> str:
        return f"http://{self.settings.host}:{self.settings.port}"

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + self.start_timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the server on {self.url} did not start")
            time.sleep(0.05)
        return self.url

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=60)


def free_port(host: str = "127.0.0.1") -> int:
    import socket

    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]
