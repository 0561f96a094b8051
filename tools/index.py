"""The Chroma index: one collection of model cards and one of tree nodes per catalog, and one of feedback.

Vectors are computed by the project's embedder and handed to Chroma; Chroma's own default embedding function
(which downloads a model) is never used. Syncing is idempotent: a collection records the fingerprint of what it
holds, and a sync whose fingerprint matches writes nothing.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from tools.embeddings import ChromaEmbedder, Embedder, get_embedder
from tools.errors import damaged_state
from tools.settings import chroma_url, data_home

FINGERPRINT_KEY = "dgpt_fingerprint"


def collection_name(prefix: str, catalog_name: str) -> str:
    # Chroma names: 3-512 chars of [a-zA-Z0-9._-], starting and ending alphanumeric.
    safe = re.sub(r"[^a-zA-Z0-9._-]+", "-", catalog_name).strip("-._") or "catalog"
    return f"{prefix}-{safe}"[:60]


def make_client(home: Path | None = None, url: str | None = None):
    import chromadb
    from chromadb.config import Settings

    url = url or chroma_url()
    settings = Settings(anonymized_telemetry=False)
    if url:
        parsed = urlparse(url)
        if not parsed.hostname:
            raise ValueError(f"DGPT_CHROMA_URL '{url}' has no host; write it as http://HOST:PORT")
        return chromadb.HttpClient(
            host=parsed.hostname, port=parsed.port or 8000, ssl=parsed.scheme == "https", settings=settings
        )
    path = (home or data_home()) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    with damaged_index(path):
        return chromadb.PersistentClient(path=str(path), settings=settings)


@contextmanager
def damaged_index(path: Path):
    """Chroma's "file is not a database" (an overwritten or truncated chroma.sqlite3) as the project's message."""
    from chromadb.errors import ChromaError

    try:
        yield
    except ChromaError as e:
        text = str(e)
        if "not a database" not in text and "malformed" not in text:
            raise
        raise damaged_state(
            path / "chroma.sqlite3",
            "the index",
            "the catalogs' cards and trees are written into it again on first use, but the ratings it held are "
            "lost (import them again with `dgpt feedback import FILE`)",
            text,
        ) from e


class Index:
    def __init__(self, home: Path | None = None, url: str | None = None, embedder: Embedder | None = None):
        self.home = Path(home) if home else data_home()
        self.url = url
        self.embedder = embedder or get_embedder()
        self._client = None
        self._collections: dict = {}

    @property
    def client(self):
        if self._client is None:
            self._client = make_client(self.home, self.url)
        return self._client

    def collection(self, name: str):
        # Cached: get_or_create is a round trip to SQLite (or the server) that a hot path should not pay per request.
        if name not in self._collections:
            with damaged_index(self.home / "chroma"):
                self._collections[name] = self.client.get_or_create_collection(
                    name, embedding_function=ChromaEmbedder(self.embedder), configuration={"hnsw": {"space": "cosine"}}
                )
        return self._collections[name]

    def sync(self, name: str, fingerprint: str, ids: list[str], texts: list[str], metadatas: list[dict]) -> bool:
        """Make collection `name` hold exactly these documents. Returns False when it already did."""
        col = self.collection(name)
        if (col.metadata or {}).get(FINGERPRINT_KEY) == fingerprint and col.count() == len(ids):
            return False
        vectors = self.embedder.embed(texts)  # embed first: a failure here leaves the collection untouched
        # Clear the fingerprint before writing so an interrupted sync is redone next time, never trusted.
        col.modify(metadata={FINGERPRINT_KEY: ""})
        for start in range(0, len(ids), 2000):
            end = start + 2000
            col.upsert(
                ids=ids[start:end],
                embeddings=vectors[start:end],
                documents=texts[start:end],
                metadatas=metadatas[start:end],
            )
        stale = set(col.get(include=[])["ids"]) - set(ids)
        if stale:
            col.delete(ids=sorted(stale))
        col.modify(metadata={FINGERPRINT_KEY: fingerprint})
        return True

    def matrix(self, name: str, ids: list[str]) -> np.ndarray:
        """The stored vectors of `ids`, in that order, as a (len(ids), dim) array."""
        got = self.collection(name).get(ids=ids, include=["embeddings"])
        by_id = dict(zip(got["ids"], got["embeddings"]))
        missing = [i for i in ids if i not in by_id]
        if missing:
            raise LookupError(f"collection '{name}' lacks {missing[:3]}; run `dgpt index build`")
        return np.asarray([by_id[i] for i in ids], dtype=np.float32)
