"""Feedback records (prompt, model id, rating, source, time) in a Chroma collection, and their nearest neighbours.

Record ids hash the record's content, so importing the same file twice stores each record once.
"""

from __future__ import annotations

import csv
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, field_validator

from tools.errors import describe
from tools.index import Index

COLLECTION = "feedback"


class FeedbackError(ValueError):
    pass


class FeedbackRecord(BaseModel):
    prompt: str = Field(min_length=1)
    model: str = Field(min_length=1, description="Catalog model id the rating is about.")
    rating: float = Field(ge=0.0, le=1.0, description="0 = bad, 1 = perfect. Stars s of 5 are (s - 1) / 4.")
    source: str = "user"
    time: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))

    @field_validator("prompt", "model")
    @classmethod
    def _strip(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("must not be blank")
        return v

    def record_id(self) -> str:
        # A record given its time is one event; one without (a file with no time column) is identified by content,
        # so importing the same file twice stores it once.
        when = self.time.isoformat() if "time" in self.model_fields_set else None
        key = json.dumps([self.prompt, self.model, self.rating, self.source, when])
        return hashlib.sha256(key.encode()).hexdigest()[:24]


def stars_to_rating(stars: float) -> float:
    if not 1 <= stars <= 5:
        raise FeedbackError(f"stars must be between 1 and 5, got {stars}")
    return (stars - 1) / 4


def read_records(path: Path, known_models: set[str] | None = None) -> list[FeedbackRecord]:
    """Parse a CSV (header: prompt,model,rating[,source,time]) or JSONL file; every line is checked before any is kept."""
    path = Path(path)
    if not path.is_file():
        raise FeedbackError(f"feedback file '{path}' does not exist")
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8") as f:
            rows = [(i + 2, row) for i, row in enumerate(csv.DictReader(f))]
    elif path.suffix.lower() in (".jsonl", ".ndjson"):
        rows = []
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    rows.append((i, json.loads(line)))
                except json.JSONDecodeError as e:
                    raise FeedbackError(f"{path}: line {i}: not JSON ({e.msg}); write one object per line") from e
    else:
        raise FeedbackError(f"{path}: unknown format '{path.suffix}'; use .csv (prompt,model,rating,...) or .jsonl")
    records = []
    for line, row in rows:
        row = {k: v for k, v in row.items() if v not in (None, "")}
        try:
            rec = FeedbackRecord.model_validate(row)
        except ValidationError as e:
            raise FeedbackError(describe(e, f"{path}: line {line}, ", empty="(row)", count_more=False)) from e
        if known_models is not None and rec.model not in known_models:
            raise FeedbackError(
                f"{path}: line {line}, field 'model': '{rec.model}' is not in the catalog; check the id with `dgpt models list`"
            )
        records.append(rec)
    return records


class FeedbackStore:
    def __init__(self, index: Index):
        self.index = index
        self._pending: OrderedDict[tuple, Future] = OrderedDict()
        self._lock = threading.Lock()
        self._worker: ThreadPoolExecutor | None = None

    @property
    def collection(self):
        return self.index.collection(COLLECTION)

    def count(self) -> int:
        return self.collection.count()

    def add(self, records: list[FeedbackRecord], batch: int = 4000) -> int:
        if not records:
            return 0
        self._forget_pending()
        col = self.collection
        vectors = self.index.embedder.embed([r.prompt for r in records])
        for start in range(0, len(records), batch):
            chunk = records[start : start + batch]
            col.upsert(
                ids=[r.record_id() for r in chunk],
                embeddings=vectors[start : start + batch],
                documents=[r.prompt for r in chunk],
                metadatas=[
                    {"model": r.model, "rating": r.rating, "source": r.source, "time": r.time.isoformat()}
                    for r in chunk
                ],
            )
        return len(records)

    def add_vectors(self, records: list[FeedbackRecord], vectors) -> None:
        """Bulk load with precomputed embeddings (benchmarks, imports of already-embedded prompts)."""
        self._forget_pending()
        col = self.collection
        for start in range(0, len(records), 4000):
            chunk = records[start : start + 4000]
            col.upsert(
                ids=[r.record_id() for r in chunk],
                embeddings=vectors[start : start + 4000],
                metadatas=[
                    {"model": r.model, "rating": r.rating, "source": r.source, "time": r.time.isoformat()}
                    for r in chunk
                ],
            )

    def neighbours(
        self, query_vector, models: list[str], pool: int = 64, keep: Callable[[str], bool] | None = None
    ) -> dict[str, list[tuple[float, float]]]:
        """(similarity, rating) for each of `models` among the `pool` rated prompts nearest the query.

        `keep`, when given, sees each neighbour's prompt text and drops those it rejects (a record stored without
        its text, as `add_vectors` does, is always kept).

        One unfiltered nearest-neighbour query, grouped by model afterwards. A metadata-filtered query
        (`model $in [...]`) reads the same answer for far fewer models but measured 10-15x slower on 100k records
        (Chroma filters before its HNSW search), and the paper's own step is the same: nearest prompts first, then
        the models rated on them. A model with no ratings in the pool keeps its prior.
        """
        out: dict[str, list[tuple[float, float]]] = {m: [] for m in models}
        if not models:
            self._take(query_vector, pool)  # a prefetched answer nobody needs is dropped, not kept
            return out
        res = self._take(query_vector, pool) or self._query(query_vector, pool)
        docs = (res["documents"][0] if keep else None) or [None] * len(res["metadatas"][0])
        for meta, dist, doc in zip(res["metadatas"][0], res["distances"][0], docs):
            if meta["model"] in out and (doc is None or keep(doc)):
                out[meta["model"]].append((1.0 - float(dist), float(meta["rating"])))
        return out

    def prefetch(self, query_vector, pool: int = 64) -> None:
        """Start the query `neighbours(query_vector, ..., pool)` will make, in a worker thread. The search node
        calls this as soon as the request's vector exists: Chroma's query (2-4 ms at 100k records) runs outside
        the GIL while the tree search scores branches, and `neighbours` picks up its answer. Nothing waits on a
        prefetch that is never used; the oldest of more than a few pending ones is dropped."""
        key = self._key(query_vector, pool)
        with self._lock:
            if key in self._pending:
                return
            if self._worker is None:
                self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dgpt-feedback")
            self._pending[key] = self._worker.submit(self._query, query_vector, pool)
            while len(self._pending) > 8:
                self._pending.popitem(last=False)

    def _forget_pending(self) -> None:
        """New records change every answer: a query started before them must not be used after."""
        with self._lock:
            self._pending.clear()

    @staticmethod
    def _key(query_vector, pool: int) -> tuple:
        import numpy as np

        return (np.asarray(query_vector, dtype=np.float32).tobytes(), int(pool))

    def _take(self, query_vector, pool: int):
        with self._lock:
            if not self._pending:
                return None
            future = self._pending.pop(self._key(query_vector, pool), None)
        return future.result() if future is not None else None

    def _query(self, query_vector, pool: int):
        # No count() first: it costs 10-15 ms at 100k records, and Chroma returns what exists when asked for more.
        # The text comes too, so one answer serves a request with or without a subject filter.
        return self.collection.query(
            query_embeddings=[query_vector], n_results=pool, include=["metadatas", "distances", "documents"]
        )
