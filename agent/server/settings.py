"""What `dgpt serve` is configured with: command-line options plus `DGPT_*` variables, each checked where it is read.

| variable | default | what |
|---|---|---|
| `DGPT_API_KEYS` | (none) | comma-separated keys; clients send `Authorization: Bearer KEY`. None: loopback only |
| `DGPT_CORS_ORIGINS` | (none) | comma-separated origins allowed by CORS (`*` for any); none: CORS closed |
| `DGPT_PUBLIC_URL` | `http://HOST:PORT` | the address clients reach this server at, used in image URLs |
| `DGPT_MAX_BODY_MB` | 1 | largest JSON request body |
| `DGPT_MAX_UPLOAD_MB` | 10 | largest uploaded image (`/v1/images/edits`) |
| `DGPT_MAX_PIXELS` | 16777216 (4096²) | largest decoded upload, in pixels |
| `DGPT_QUEUE_SIZE` | 8 | draws waiting for the device; one more gets 429 with `Retry-After` |
| `DGPT_THREAD_SECRET` | random per data home | secret mixed into thread ids derived from a conversation |
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from tools.settings import SettingError, env_float, env_url, env_value

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _list(name: str) -> list[str]:
    return [part.strip() for part in (env_value(name) or "").split(",") if part.strip()]


def _api_keys() -> list[str]:
    keys = _list("DGPT_API_KEYS")
    short = [k for k in keys if len(k) < 16]
    if short:
        raise SettingError(
            f"DGPT_API_KEYS holds a key of {len(short[0])} characters; use keys of at least 16 characters, e.g. "
            "the output of `python -c 'import secrets; print(secrets.token_urlsafe(32))'` "
            "(or unset it to serve on loopback only, without keys)"
        )
    return keys


def _origins() -> list[str]:
    origins = _list("DGPT_CORS_ORIGINS")
    for origin in origins:
        if origin != "*" and ("://" not in origin or origin.rstrip("/").count("/") > 2):
            raise SettingError(
                f"DGPT_CORS_ORIGINS holds {origin!r}, which is not an origin; write SCHEME://HOST[:PORT] "
                "(e.g. http://localhost:3000), comma-separated, or * for any (or unset it to keep CORS closed)"
            )
    return origins


def _mb(name: str, default: float) -> int:
    value = env_float(name, default, above=0, what="a size in MB", example=str(default), unset=f"for {default:g} MB")
    return int(value * 1024 * 1024)


def thread_secret(home: Path) -> bytes:
    """`DGPT_THREAD_SECRET`, else a random secret kept in the data home (so thread ids survive restarts)."""
    value = env_value("DGPT_THREAD_SECRET")
    if value:
        return value.encode()
    path = home / "server_secret"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_hex(32))
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_text().strip().encode()


@dataclass
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    catalog: str = "starter"
    llm: str = "auto"
    home: str | None = None
    api_keys: list[str] = field(default_factory=list)
    cors_origins: list[str] = field(default_factory=list)
    public_url: str | None = None
    max_body: int = 1024 * 1024
    max_upload: int = 10 * 1024 * 1024
    max_pixels: int = 4096 * 4096
    queue_size: int = 8
    max_images: int = 4  # `n` per request
    web: bool = True  # the page at `/` (agent/server/web.py), when gradio is installed

    @classmethod
    def from_env(cls, **options) -> "ServerSettings":
        """Options given (host, port, catalog, llm, home) plus every `DGPT_*` variable of the server, checked."""
        queue = env_float("DGPT_QUEUE_SIZE", 8, minimum=1, what="a queue length", example="8", unset="for 8")
        pixels = env_float("DGPT_MAX_PIXELS", 4096 * 4096, minimum=64 * 64, what="a pixel count", unset="for 4096²")
        settings = cls(
            **{k: v for k, v in options.items() if v is not None},
            api_keys=_api_keys(),
            cors_origins=_origins(),
            public_url=env_url("DGPT_PUBLIC_URL", example="http://192.168.1.20:8000", unset="for http://HOST:PORT"),
            max_body=_mb("DGPT_MAX_BODY_MB", 1),
            max_upload=_mb("DGPT_MAX_UPLOAD_MB", 10),
            max_pixels=int(pixels),
            queue_size=int(queue),
        )
        return settings

    def check_bind(self) -> None:
        """With no API keys the server answers anyone who can reach it: allowed on loopback only."""
        if not self.api_keys and not is_loopback(self.host):
            raise SettingError(
                f"--host {self.host} would serve this machine's models to the network without keys; set API keys "
                "first, e.g. export DGPT_API_KEYS=$(python -c 'import secrets; print(secrets.token_urlsafe(32))') "
                "(clients then send Authorization: Bearer KEY), or serve on loopback with --host 127.0.0.1"
            )
        if not 0 < self.port < 65536:
            raise SettingError(f"--port {self.port} is not a port number; use 1 to 65535, e.g. 8000")

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = f"[{self.host}]" if ":" in self.host else self.host
        if host in ("0.0.0.0", "[::]"):
            host = "127.0.0.1"
        return f"http://{host}:{self.port}"
