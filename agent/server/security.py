"""Who may call, and how much they may send.

- API keys (`DGPT_API_KEYS`): `Authorization: Bearer KEY`, compared in constant time against every key. With no keys
  the server binds to loopback only (settings.check_bind), and every local caller is let in.
- Picture URLs carry a signature (HMAC of the file name with the server secret), since a browser showing
  `![](http://…/v1/images/x.png)` in a chat client cannot send the key; a URL is good for that one file only.
- Body limits: a JSON body over `max_body`, an upload over `max_upload`, is refused with 413 before it is parsed.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from fastapi import Request

from agent.server.errors import APIError, error_body


def check_key(request: Request) -> None:
    """FastAPI dependency: 401 unless the request carries one of the configured keys (none configured: open)."""
    keys: list[str] = request.app.state.settings.api_keys
    if not keys:
        return
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise APIError(
            401,
            "this server needs an API key; send Authorization: Bearer KEY (one of the keys in the server's "
            "DGPT_API_KEYS; the openai SDK sends its api_key this way)",
            code="missing_api_key",
        )
    if not key_ok(token.strip(), keys):
        raise APIError(401, "the API key is not one of this server's DGPT_API_KEYS", code="invalid_api_key")


def key_ok(token: str, keys: list[str]) -> bool:
    given = token.encode()
    ok = False
    for key in keys:  # every key is compared, so the time taken says nothing about which one nearly matched
        ok |= hmac.compare_digest(given, key.encode())
    return ok


def sign(secret: bytes, name: str) -> str:
    return hmac.new(secret, name.encode(), hashlib.sha256).hexdigest()[:32]


def signature_ok(secret: bytes, name: str, sig: str | None) -> bool:
    return bool(sig) and hmac.compare_digest(sign(secret, name), sig)


class BodyLimit:
    """ASGI middleware: 413 for a body over the limit (multipart uploads get `upload_limit`), read before routing so
    no endpoint ever parses an oversized body; chunked bodies without a length are counted as they arrive."""

    def __init__(self, app, body_limit: int, upload_limit: int):
        self.app, self.body_limit, self.upload_limit = app, body_limit, upload_limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        multipart = headers.get(b"content-type", b"").startswith(b"multipart/")
        limit = self.upload_limit + 64 * 1024 if multipart else self.body_limit
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            return await self._too_large(send, limit, multipart)
        chunks, total, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > limit:
                return await self._too_large(send, limit, multipart)
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)

    async def _too_large(self, send, limit: int, multipart: bool) -> None:
        what = "upload" if multipart else "request body"
        var = "DGPT_MAX_UPLOAD_MB" if multipart else "DGPT_MAX_BODY_MB"
        mb = (limit - (64 * 1024 if multipart else 0)) / 1024 / 1024
        body = json.dumps(
            error_body(413, f"the {what} is larger than this server's limit of {mb:g} MB (server setting {var})")
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
