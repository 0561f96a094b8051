"""Where the project keeps its data, and which services it talks to. Read from the environment at call time."""

from __future__ import annotations

import os
from pathlib import Path


def data_home() -> Path:
    """`DGPT_HOME`, else ~/.dgpt. Holds the Chroma index, saved trees and (later) images and threads."""
    return Path(os.environ.get("DGPT_HOME") or Path.home() / ".dgpt").expanduser()


def chroma_url() -> str | None:
    """`DGPT_CHROMA_URL` (e.g. http://127.0.0.1:8000) switches the index to a Chroma server."""
    return os.environ.get("DGPT_CHROMA_URL") or None
