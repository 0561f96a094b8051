"""`DGPT_SERVER`: the CLI's selection sent to a running `dgpt serve` instead of worked out in this process.

A fresh process that selects in process loads the embedder and opens the index (about 1.6 s here); a server has
them loaded, so a forwarded `dgpt select` costs its HTTP round trip. The server answers with its own catalog and
LLM mode; a request for another catalog is refused rather than answered from the wrong one.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request


class RemoteError(RuntimeError):
    pass


def server_url() -> str | None:
    """DGPT_SERVER without a trailing slash, or None when unset. Checked: it must be an http(s) URL."""
    url = os.environ.get("DGPT_SERVER", "").strip().rstrip("/")
    if not url:
        return None
    if not url.startswith(("http://", "https://")):
        raise ValueError(
            f"DGPT_SERVER='{url}' is not an http(s) URL; set it to the address `dgpt serve` prints, "
            "e.g. http://127.0.0.1:8000, or unset it to select in this process"
        )
    for suffix in ("/v1/select", "/v1"):  # the base address is wanted; a pasted endpoint is forgiven
        if url.endswith(suffix):
            url = url[: -len(suffix)]
    return url


def _call(url: str, path: str, body: dict | None, timeout: float) -> dict:
    headers = {"Content-Type": "application/json"}
    key = os.environ.get("DGPT_SERVER_KEY", "").strip()
    if key:
        headers["Authorization"] = f"Bearer {key}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, headers=headers, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        try:
            message = json.loads(e.read())["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = e.reason
        fix = "; set DGPT_SERVER_KEY to one of the server's DGPT_API_KEYS" if e.code == 401 else ""
        raise RemoteError(f"DGPT_SERVER={url} answered {e.code}: {message}{fix}") from e
    except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
        reason = getattr(e, "reason", e)
        raise RemoteError(
            f"DGPT_SERVER={url} does not answer ({reason}); start it with `dgpt serve`, or unset DGPT_SERVER "
            "to select in this process"
        ) from e


def remote_select(url: str, prompt: str, catalog: str | None, beam_width: int | None, timeout: float = 60.0) -> dict:
    """The server's `/v1/select` answer: the same object as `dgpt select --json`. `catalog`: the one asked for
    on the command line (None: whatever the server serves)."""
    if catalog is not None:
        served = _call(url, "/healthz", None, timeout).get("catalog")
        if served != catalog:
            raise RemoteError(
                f"DGPT_SERVER={url} serves catalog '{served}', not '{catalog}'; pass --catalog {served}, "
                "or unset DGPT_SERVER to select from another catalog in this process"
            )
    body = {"prompt": prompt, **({"beam_width": beam_width} if beam_width else {})}
    return _call(url, "/v1/select", body, timeout)
