"""`ChatSession`: a conversation thread with the image system, kept in a LangGraph checkpointer.

    with ChatSession(thread="fox", catalog="starter") as chat:
        chat.send("a yellow star on a purple background")
        chat.send("make it darker")        # image-to-image from the last picture, same model
        chat.rate(5)                       # feedback: similar requests in any thread will weigh it
        chat.history()

Threads live in SQLite under the data home (`threads.sqlite`) unless a checkpointer is given, so a thread resumes
after the process restarts. With `confirm=True` a turn pauses before drawing: `send` returns `status: "confirm"` with
the question, and `resume(answer)` (yes, no, or a model id) finishes the turn; nothing is drawn twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
import threading
import time
import uuid
from contextlib import closing, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterator

from graphs.context import Context
from graphs.resources import register_live, release_live, resources_for
from tools.errors import damaged_state
from tools.settings import data_home

THREADS_FILE = "threads.sqlite"
Event = dict[str, Any]


def open_checkpointer(path: str | Path | None = None):
    """A SQLite checkpointer at `path` (default: DATA_HOME/threads.sqlite), usable from worker threads."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    from graphs.chat.state import checkpoint_serde

    path = Path(path) if path else data_home() / THREADS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    # check_same_thread=False: the async twins run turns in a worker thread; SqliteSaver serialises access itself.
    conn = sqlite3.connect(str(path), check_same_thread=False)
    with damaged_threads(path):
        conn.execute("SELECT name FROM sqlite_master").fetchall()  # an overwritten file fails here, not mid-turn
    saver = SqliteSaver(conn, serde=checkpoint_serde())
    saver.store_path = path  # where the per-thread turn locks live (beside the store, so every process sees them)
    return saver


@contextmanager
def damaged_threads(path: Path | None):
    """SQLite's "file is not a database" / "malformed" as the project's message (file, how to recover, what is lost);
    "database is locked" and other operational errors pass through."""
    try:
        yield
    except sqlite3.DatabaseError as e:
        if isinstance(e, sqlite3.OperationalError) or path is None:
            raise
        raise damaged_state(
            path,
            "the thread store",
            "the conversations it held are lost (their pictures under the data home's images/ and the ratings "
            "in the index are kept)",
            e,
        ) from e


def thread_ids(checkpointer, limit: int = 50) -> list[str]:
    """The threads in a checkpointer, the most recently changed first (at most `limit`)."""
    conn = getattr(checkpointer, "conn", None)
    if conn is not None and isinstance(conn, sqlite3.Connection):
        # SqliteSaver's table; checkpoint ids are time-ordered (uuid6), so the largest is the latest.
        with damaged_threads(getattr(checkpointer, "store_path", None)), checkpointer.cursor(False) as cur:
            rows = cur.execute(
                "SELECT thread_id FROM checkpoints WHERE checkpoint_ns = '' GROUP BY thread_id "
                "ORDER BY max(checkpoint_id) DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [str(r[0]) for r in rows]
    seen: dict[str, str] = {}
    for item in checkpointer.list(None):
        thread = item.config["configurable"]["thread_id"]
        seen[thread] = max(seen.get(thread, ""), item.checkpoint["id"])
    return sorted(seen, key=seen.get, reverse=True)[:limit]


class ThreadBusyError(RuntimeError):
    """Another turn of the same thread is running (another tab, process or double click)."""


@contextmanager
def turn_lock(folder: Path, thread: str, wait_s: float = 0.0):
    """One turn at a time per thread, across threads and processes: an exclusive `flock` on a file named after the
    thread id's hash (so no id can name a path). Released when the turn ends, or by the OS if the process dies."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (hashlib.sha256(thread.encode()).hexdigest()[:32] + ".lock")
    handle = open(path, "a+")
    try:
        try:
            import fcntl
        except ImportError:  # no flock (Windows): this process's threads are still serialised
            fcntl = None
        deadline = time.monotonic() + wait_s
        while fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ThreadBusyError(
                        f"thread '{thread}' is busy with another turn (another tab, process or a double send); "
                        "wait for that turn to finish, then send again"
                    ) from None
                time.sleep(0.05)
        with _local_locks.setdefault(str(path), threading.Lock()):
            yield
    finally:
        handle.close()  # closing the file releases the flock


_local_locks: dict[str, threading.Lock] = {}


def _plain(data: Any) -> Any:
    """A node's update with its pydantic values (intent, plan, parsed prompt) as dicts: events are JSON-like."""
    from pydantic import BaseModel

    if not isinstance(data, dict):
        return data
    return {k: v.model_dump() if isinstance(v, BaseModel) else v for k, v in data.items()}


class ChatSession:
    def __init__(
        self,
        thread: str | None = None,
        catalog: str = "hub",
        llm: str = "auto",
        home: str | None = None,
        confirm: bool = False,
        strength: float = 0.5,
        checkpointer: Any = None,
        chat_model: Any = None,
        out_dir: str | None = None,
        busy_wait: float = 0.0,
        **options,
    ):
        from graphs.chat.graph import build_chat_graph

        if not 0 < strength <= 1:
            raise ValueError(f"strength must be in (0, 1], got {strength}; 0.3 changes little, 0.8 a lot")
        self.thread = thread or uuid.uuid4().hex[:12]
        self._own_saver = checkpointer is None
        self.checkpointer = checkpointer or open_checkpointer(Path(home) / THREADS_FILE if home else None)
        self.context = Context(
            catalog=str(catalog),
            llm=llm,
            home=str(home) if home else None,
            confirm=confirm,
            strength=strength,
            **options,
        )
        self.chat_model = chat_model
        self.out_dir = out_dir
        self.busy_wait = busy_wait  # seconds a turn waits for another turn of its thread before ThreadBusyError
        self._session = None
        self.graph = build_chat_graph().compile(checkpointer=self.checkpointer)
        store = getattr(self.checkpointer, "store_path", None)
        self._store_path = Path(store) if store else None
        self._lock_dir = (self._store_path.parent if store else Path(home) if home else data_home()) / "locks"

    # -- plumbing ---------------------------------------------------------------------------------------------

    @property
    def config(self) -> dict:
        return {"configurable": {"thread_id": self.thread}}

    def _context(self) -> Context:
        """The context of a turn: live objects (the caller's chat model, a generator writing to `out_dir`) are
        registered once per session and the context carries their key."""
        if self._session is None and (self.chat_model is not None or self.out_dir):
            generator = None
            if self.out_dir:
                from graphs.resources import get_generator
                from tools.generate import ImageGenerator

                shared = get_generator(self.context.catalog, self.context.home)
                generator = ImageGenerator(shared.catalog, cache=shared.cache, out_dir=self.out_dir)
            self._session = register_live(chat_model=self.chat_model, generator=generator)
        return replace(self.context, session=self._session) if self._session else self.context

    def pending(self) -> dict | None:
        """The question of a turn paused before drawing, or None."""
        with damaged_threads(self._store_path):
            snapshot = self.graph.get_state(self.config)
        for task in snapshot.tasks:
            for intr in task.interrupts:
                return intr.value
        return None

    def stream(self, text: str | None = None, resume: Any = None, **settings) -> Iterator[Event]:
        """Events of one turn: {"type": "update", "node", "data"}, {"type": "progress", "step", "total"}, {"type":
        "token", "text"} (a piece of an answer the language model is writing, as it comes), then a last
        {"type": "result", "result"} (or {"type": "confirm", "question"} when the turn pauses before drawing).

        One turn at a time per thread: while another turn of this thread runs (in any process), this one waits up
        to `busy_wait` seconds, then raises ThreadBusyError; neither turn is lost."""
        with turn_lock(self._lock_dir, self.thread, self.busy_wait), damaged_threads(self._store_path):
            yield from self._stream(text, resume, **settings)

    def _stream(self, text: str | None, resume: Any, **settings) -> Iterator[Event]:
        from langgraph.types import Command

        if resume is None:
            if not text or not text.strip():
                raise ValueError("the message is empty; say what to draw or how to change the last picture")
            if text.strip().lower().startswith("/rate"):
                from graphs.chat.ratings import rating_of

                if rating_of(text) is None:
                    raise ValueError(
                        f"'{text.strip()}' is not a rating; use /rate followed by 1 to 5 stars, e.g. /rate 4"
                    )
            waiting = self.pending()
            if waiting is not None:
                raise ValueError(
                    f"thread '{self.thread}' is waiting for an answer to: {waiting['question']} "
                    "Answer with resume(...) (CLI: --answer) before sending a new message"
                )
            inputs: Any = {"message": text, "settings": {k: v for k, v in settings.items() if v is not None}}
        else:
            question = self.pending()
            if question is None:
                raise ValueError(f"thread '{self.thread}' has no turn waiting for an answer")
            self._check_answer(resume, question)
            inputs = Command(resume=resume)
        ctx = self._context()
        if resume is not None:
            ctx = replace(ctx, confirm=True)  # the paused node runs again and must read the answer, whoever resumes it
        start = time.perf_counter()
        stream = self.graph.stream(inputs, self.config, context=ctx, stream_mode=["updates", "custom"], subgraphs=True)
        for namespace, mode, chunk in stream:
            # The search subgraph's own nodes (parse, tot, select, extend) come with its name as `graph`.
            graph = namespace[-1].split(":")[0] if namespace else None
            if mode == "custom" and isinstance(chunk, dict) and "progress" in chunk:
                yield {"type": "progress", **chunk["progress"]}
            elif mode == "custom" and isinstance(chunk, dict) and "token" in chunk:
                yield {"type": "token", "text": chunk["token"]}
            elif mode == "updates":
                for node, data in chunk.items():
                    if node == "__interrupt__":
                        yield {"type": "confirm", "thread": self.thread, "question": data[0].value}
                        return
                    yield {"type": "update", "node": node, "data": _plain(data), "graph": graph}
        yield {"type": "result", "result": self._result((time.perf_counter() - start) * 1000)}

    def _check_answer(self, answer: Any, question: dict) -> None:
        # Checked before resuming: a resume value that fails inside the graph stays queued for the next resume.
        from graphs.chat.intent import read_answer

        read_answer(answer, question["model"], question["candidates"], resources_for(self.context).catalog)

    def _result(self, total_ms: float) -> dict:
        from graphs.chat.results import turn_result

        turn = self.history()[-1]
        catalog = resources_for(self.context).catalog if turn.get("model") else None
        return turn_result(turn, self.thread, catalog, total_ms).model_dump()

    def _run(self, events: Iterator[Event], on_event: Callable[[Event], None] | None) -> dict:
        with closing(events):  # ends the turn (and frees its thread lock) as soon as the result is in
            return self._consume(events, on_event)

    def _consume(self, events: Iterator[Event], on_event: Callable[[Event], None] | None) -> dict:
        for event in events:
            if on_event:
                on_event(event)
            if event["type"] == "confirm":
                from graphs.chat.results import PausedTurn

                return PausedTurn(
                    thread=self.thread, turn=len(self.history()) + 1, question=event["question"]
                ).model_dump()
            if event["type"] == "result":
                return event["result"]
        raise RuntimeError("the turn ended without a result")

    # -- the public face ------------------------------------------------------------------------------------------

    def send(self, text: str, on_event: Callable[[Event], None] | None = None, **settings) -> dict:
        """One turn. `settings`: seed, steps, guidance, width, height, num_images, strength (local changes)."""
        return self._run(self.stream(text, **settings), on_event)

    def resume(self, answer: Any = "yes", on_event: Callable[[Event], None] | None = None) -> dict:
        """Answer a paused turn: yes (draw as planned), no (cancel), or a model id to draw with instead."""
        return self._run(self.stream(resume=answer), on_event)

    def rate(self, score: int) -> dict:
        """Rate the last picture 1..5 stars; stored as feedback for its prompt and model."""
        if not isinstance(score, int) or not 1 <= score <= 5:
            raise ValueError(f"score must be a whole number of stars from 1 to 5, got {score!r}")
        return self.send(f"/rate {score}")

    def history(self) -> list[dict]:
        with damaged_threads(self._store_path):
            return list(self.graph.get_state(self.config).values.get("turns") or [])

    async def asend(self, text: str, on_event: Callable[[Event], None] | None = None, **settings) -> dict:
        # Diffusers and Chroma are synchronous: a worker thread keeps the caller's event loop responsive.
        return await asyncio.to_thread(self.send, text, on_event, **settings)

    async def aresume(self, answer: Any = "yes", on_event: Callable[[Event], None] | None = None) -> dict:
        return await asyncio.to_thread(self.resume, answer, on_event)

    async def arate(self, score: int) -> dict:
        return await asyncio.to_thread(self.rate, score)

    async def ahistory(self) -> list[dict]:
        return await asyncio.to_thread(self.history)

    def close(self) -> None:
        release_live(self._session)
        self._session = None
        if self._own_saver:
            self.checkpointer.conn.close()

    def __enter__(self) -> "ChatSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
