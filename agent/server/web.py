"""The page at `/` of `dgpt serve`: a Gradio app mounted in the server's FastAPI app (the APIs stay under `/v1`).

The page holds no selection or conversation logic: each message is one turn of the server's `ChatSession` (the same
thread store as `dgpt chat`), drawn under the server's drawing queue, and the page only shows what the turn
recorded: the reply, the picture, the chosen model and one line on why, and on request the turn's search as a
figure (`agent.server.figure`). Ratings (thumbs on each picture) go into the server's feedback index at once.
"""

import asyncio
import uuid
from pathlib import Path
from typing import Any, Callable

from agent.server.errors import APIError
from agent.server.figure import search_svg

AUTO = "auto (the search chooses)"
DEFAULT_SIZE = "model default"
SIZES = [DEFAULT_SIZE, "64x64", "128x128", "256x256", "384x384", "512x512", "768x768", "1024x1024"]
NODE_WORDS = {"interpret": "reading the message", "search": "choosing a model", "draw": "drawing"}
INTRO = (
    "Describe a picture (Enter sends), then refine it in the next message: *make it darker*, *add a moon*, "
    "*another one*, *use a different model*. Rate a picture with the thumbs under it; earlier conversations are in "
    "the list on the left."
)
CSS = ".dgpt-why { overflow-x: auto; } footer { display: none !important; }"


def readable(exc: BaseException) -> str:
    """What went wrong, as one line for the chat: the server's own message, never a traceback."""
    from pydantic import ValidationError

    from agent.chat import ThreadBusyError

    if isinstance(exc, APIError):
        return exc.message
    if isinstance(exc, ThreadBusyError):
        return str(exc)
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ()))
        return f"bad setting {where}: {err.get('msg')}" if where else str(err.get("msg"))
    if isinstance(exc, (ValueError, RuntimeError)):
        return str(exc)
    return f"internal error: {type(exc).__name__}: {exc}"


def turn_settings(model: str | None, seed, steps, size: str | None, strength) -> dict[str, Any]:
    """The page's settings as a turn's settings; a ValueError that says which one is wrong."""
    out: dict[str, Any] = {}
    if model and model != AUTO:
        out["model"] = model
    if seed not in (None, ""):
        if float(seed) < 0 or float(seed) != int(float(seed)):
            raise ValueError(f"seed {seed} is not a whole number >= 0; leave it empty for a random seed")
        out["seed"] = int(float(seed))
    if steps not in (None, "", 0):
        out["steps"] = int(steps)
    if size and size != DEFAULT_SIZE:
        try:
            w, h = (int(p) for p in size.lower().split("x"))
        except ValueError:
            raise ValueError(f"size {size!r} is not WIDTHxHEIGHT, e.g. 256x256") from None
        out["width"], out["height"] = w, h
    if strength not in (None, ""):
        if not 0 < float(strength) <= 1:
            raise ValueError(f"image-to-image strength {strength} is outside (0, 1]; 0.3 changes little, 0.8 a lot")
        out["strength"] = float(strength)
    return out


class Page:
    """The handlers; `service()` is the server's shared `Service` (built at start-up)."""

    def __init__(self, service: Callable[[], Any]):
        self.service = service

    # -- reading the thread store ---------------------------------------------------------------------------

    def history(self, thread: str | None) -> list[dict]:
        if not thread:
            return []
        with self.service().session(thread) as session:
            return session.history()

    def results(self, thread: str | None) -> list[dict]:
        from graphs.chat.results import turn_result

        catalog = self.service().catalog
        return [
            turn_result(t, thread, catalog if t.get("model") else None, 0.0).model_dump() for t in self.history(thread)
        ]

    def threads(self) -> list[tuple[str, str]]:
        """(label, id) of the store's threads, the latest first."""
        from agent.chat import thread_ids

        service = self.service()
        out = []
        with service.session("list") as session:
            for thread in thread_ids(service.checkpointer()):
                session.thread = thread
                turns = session.history()
                if not turns:
                    continue
                first = turns[0]["message"]
                first = first if len(first) <= 48 else first[:47] + "…"
                out.append((f"{first} · {len(turns)} turn{'s' * (len(turns) != 1)} · {thread}", thread))
        return out

    # -- what the page shows --------------------------------------------------------------------------------

    @staticmethod
    def messages(results: list[dict]) -> tuple[list[dict], list[str | None]]:
        """Chat messages for a thread's turns, and for each message the picture it belongs to (for ratings)."""
        from agent.explain import why_line

        messages: list[dict] = []
        pictures: list[str | None] = []
        for r in results:
            messages.append({"role": "user", "content": r["message"]})
            pictures.append(None)
            images = r.get("images") or []
            reply = r.get("reply") or ""
            for path in images:
                reply = reply.replace(f": {path}", ".").replace(f". {path}", ".").replace(path, "").strip()
            picture = images[0] if images else None
            if reply:
                messages.append({"role": "assistant", "content": reply})
                pictures.append(picture)
            for path in images:
                messages.append({"role": "assistant", "content": {"path": path, "alt_text": r.get("core_prompt")}})
                pictures.append(path)
            if images and r.get("model"):
                why = why_line(r).replace("*", "\\*")
                messages.append({"role": "assistant", "content": f"**Model: `{r['model']}`** · why: {why}"})
                pictures.append(picture)
        return messages, pictures

    @staticmethod
    def why(results: list[dict]) -> str:
        drawn = [r for r in results if r.get("images") and (r.get("trace") or r.get("candidates"))]
        if not drawn:
            return "<p>No picture yet: the search of the last drawn turn is drawn here.</p>"
        r = drawn[-1]
        head = (
            f"<p><b>Turn {r['turn']}</b>: “{_esc(r['message'])}” → <b>{_esc(r['model'])}</b>"
            + (f" ({_esc(r['note'])})" if r.get("note") else "")
            + "</p>"
        )
        return head + f'<div class="dgpt-why">{search_svg(r)}</div>'

    def view(self, thread: str | None):
        """(messages, pictures, why html, last picture or None) of a thread."""
        results = self.results(thread)
        messages, pictures = self.messages(results)
        last = next((r["images"][0] for r in reversed(results) if r.get("images")), None)
        return messages, pictures, self.why(results), last

    # -- a turn ---------------------------------------------------------------------------------------------

    async def turn(
        self,
        thread: str,
        text: str,
        settings: dict,
        progress: Callable[[str], None],
        answer: Callable[[str], None] | None = None,
    ) -> dict:
        """One turn under the drawing queue, progress lines through `progress` and the pieces of an answer the
        language model is writing through `answer` (both called on the event loop)."""
        service = self.service()
        loop = asyncio.get_running_loop()

        def on_event(event: dict) -> None:
            if event["type"] == "token":
                if answer is not None:
                    loop.call_soon_threadsafe(answer, event["text"])
                return
            if event["type"] == "progress":
                line = f"drawing {event['step']}/{event['total']}"
            elif event["type"] == "update" and event.get("node") in NODE_WORDS and event.get("graph") is None:
                line = NODE_WORDS[event["node"]] + "…"
            else:
                return
            loop.call_soon_threadsafe(progress, line)

        def run() -> dict:
            with service.session(thread) as session:
                return session.send(text, on_event=on_event, **settings)

        service.checkpointer()  # a damaged thread store is reported before anything is queued
        async with service.queue.place():
            return await asyncio.to_thread(run)

    def rate(self, thread: str | None, picture: str | None, liked: bool) -> str:
        """Thumbs up (5 stars) or down (1 star) for a picture, stored in the feedback index at once."""
        if not picture:
            return "That message has no picture to rate."
        service = self.service()
        stored, count = service.rate_picture(Path(picture).name, 5 if liked else 1)
        thumb = "Thumbs up" if liked else "Thumbs down"
        return (
            f"{thumb} stored in the feedback index ({count} ratings): {stored['model']} on “{stored['prompt']}” "
            f"rated {stored['rating']:.1f}; similar requests will weigh it when choosing a model."
        )


def _esc(s: Any) -> str:
    from html import escape

    return escape(str(s or ""))


def build_page(service: Callable[[], Any], catalog_ids: list[str], catalog_name: str):
    import gradio as gr

    page = Page(service)

    with gr.Blocks(title="DiffusionGPT", analytics_enabled=False, fill_width=True) as blocks:
        thread = gr.State("")
        pictures = gr.State([])
        remembered = gr.BrowserState("", storage_key="dgpt-thread")
        gr.Markdown(f"## DiffusionGPT · catalog `{catalog_name}`\n{INTRO}")
        with gr.Row():
            with gr.Column(scale=1, min_width=260):
                new = gr.Button("New conversation", variant="secondary", elem_id="dgpt-new")
                threads = gr.Dropdown(
                    label="Conversations", choices=[], value=None, interactive=True, elem_id="dgpt-threads"
                )
                with gr.Accordion("Next turn: model and settings", open=False, elem_id="dgpt-settings"):
                    model = gr.Dropdown(label="Model", choices=[AUTO, *catalog_ids], value=AUTO, elem_id="dgpt-model")
                    seed = gr.Number(label="Seed (empty: random)", value=None, precision=0, elem_id="dgpt-seed")
                    steps = gr.Slider(0, 100, value=0, step=1, label="Steps (0: model default)", elem_id="dgpt-steps")
                    size = gr.Dropdown(label="Size", choices=SIZES, value=DEFAULT_SIZE, elem_id="dgpt-size")
                    strength = gr.Slider(
                        0.05, 1.0, value=0.5, step=0.05, label="Image-to-image strength", elem_id="dgpt-strength"
                    )
                download = gr.DownloadButton("Download the last picture (PNG)", value=None, elem_id="dgpt-download")
                status = gr.Markdown("", elem_id="dgpt-status")
            with gr.Column(scale=3):
                chat = gr.Chatbot(
                    label="Conversation",
                    height=560,
                    elem_id="dgpt-chat",
                    feedback_options=("Like", "Dislike"),
                    buttons=["copy"],
                )
                box = gr.Textbox(
                    placeholder="Describe a picture, or how to change the last one; Enter sends",
                    show_label=False,
                    lines=1,
                    max_lines=4,
                    submit_btn=True,
                    elem_id="dgpt-input",
                )
                with gr.Accordion("Why this model, as a picture", open=False, elem_id="dgpt-why"):
                    why = gr.HTML("<p>No picture yet.</p>", elem_id="dgpt-why-figure")

        def choices_for(current: str | None):
            try:
                listed = page.threads()
            except Exception as e:  # the page still works for a new conversation
                return gr.update(choices=[], value=None, label=f"Conversations ({readable(e)})")
            values = [v for _, v in listed]
            return gr.update(choices=listed, value=current if current in values else None, label="Conversations")

        def open_thread(chosen: str | None):
            if not chosen:
                return [], [], "<p>No picture yet.</p>", gr.update(value=None), "", ""
            try:
                messages, pics, why_html, last = page.view(chosen)
            except Exception as e:
                return [], [], "", gr.update(value=None), "", f"⚠ {readable(e)}"
            return messages, pics, why_html, gr.update(value=last), chosen, ""

        def on_load(stored: str | None):
            listed = choices_for(stored)
            current = stored if stored and stored in [v for _, v in listed.get("choices", [])] else None
            return (*open_thread(current), listed, current or "")

        blocks.load(
            on_load, [remembered], [chat, pictures, why, download, thread, status, threads, remembered], queue=False
        )

        def on_pick(chosen: str | None):
            return (*open_thread(chosen), chosen or "")

        threads.input(on_pick, [threads], [chat, pictures, why, download, thread, status, remembered])

        def on_new():
            return [], [], "<p>No picture yet.</p>", gr.update(value=None), "", "New conversation.", None, ""

        new.click(on_new, None, [chat, pictures, why, download, thread, status, threads, remembered])

        async def on_send(text, current, chat_value, pics, model_, seed_, steps_, size_, strength_):
            text = (text or "").strip()
            if not text:
                yield chat_value, pics, gr.update(), gr.update(), current, "Type a request first.", gr.update(), ""
                return
            current = current or "web-" + uuid.uuid4().hex[:12]
            shown = [*(chat_value or []), {"role": "user", "content": text}]
            working = {"role": "assistant", "content": "_reading the message…_"}
            try:
                settings = turn_settings(model_, seed_, steps_, size_, strength_)
            except ValueError as e:
                shown.append({"role": "assistant", "content": f"⚠ {readable(e)}"})
                yield shown, [*pics, None, None], gr.update(), gr.update(), current, "", gr.update(), text
                return
            yield [*shown, working], pics, gr.update(), gr.update(), current, "", gr.update(), ""
            lines: asyncio.Queue = asyncio.Queue()
            written = ""  # an answer the language model is writing, shown as it comes
            task = asyncio.ensure_future(
                page.turn(current, text, settings, lines.put_nowait, lambda piece: lines.put_nowait((piece,)))
            )
            while not task.done():
                getter = asyncio.ensure_future(lines.get())
                done, _ = await asyncio.wait({task, getter}, return_when=asyncio.FIRST_COMPLETED)
                if getter in done:
                    item = getter.result()
                    if isinstance(item, tuple):
                        written += item[0]
                        working = {"role": "assistant", "content": written}
                    elif not written:
                        working = {"role": "assistant", "content": f"_{item}_"}
                    yield [*shown, working], pics, gr.update(), gr.update(), current, "", gr.update(), ""
                else:
                    getter.cancel()
            try:
                task.result()
            except Exception as e:
                error = {"role": "assistant", "content": f"⚠ {readable(e)}"}
                yield [*shown, error], [*pics, None, None], gr.update(), gr.update(), current, "", gr.update(), ""
                return
            messages, new_pics, why_html, last = page.view(current)
            yield messages, new_pics, why_html, gr.update(value=last), current, "", choices_for(current), ""

        send_outputs = [chat, pictures, why, download, thread, status, threads, box]
        box.submit(
            on_send,
            [box, thread, chat, pictures, model, seed, steps, size, strength],
            send_outputs,
            concurrency_limit=None,  # the server's drawing queue bounds drawing (and answers "queue full")
            show_progress="minimal",
        ).then(lambda t: t, [thread], [remembered])

        def on_like(current, pics, data: gr.LikeData):
            index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
            picture = pics[index] if isinstance(index, int) and 0 <= index < len(pics) else None
            try:
                message = page.rate(current, picture, bool(data.liked))
            except Exception as e:
                message = f"⚠ the rating was not stored: {readable(e)}"
            gr.Info(message)
            return message

        chat.like(on_like, [thread, pictures], [status])
    return blocks


def theme():
    """Gradio's default look with the system's fonts: the page loads nothing from outside the server."""
    import gradio as gr

    system = ["ui-sans-serif", "system-ui", "sans-serif"]
    return gr.themes.Default(font=system, font_mono=["ui-monospace", "monospace"])


def mount_page(app, settings, images_dir: Path):
    """Mount the page at `/` of `app`; with API keys configured it asks for one (any user name, the key as
    password), as the APIs do."""
    import gradio as gr

    from agent.server.security import key_ok
    from tools.catalog import load_catalog

    catalog = load_catalog(settings.catalog)
    blocks = build_page(lambda: app.state.service, list(catalog.ids), catalog.name)
    keys = settings.api_keys
    images_dir.mkdir(parents=True, exist_ok=True)
    return gr.mount_gradio_app(
        app,
        blocks,
        path="/",
        allowed_paths=[str(images_dir)],
        ssr_mode=False,
        theme=theme(),
        css=CSS,
        auth=(lambda _user, password: key_ok(password, keys)) if keys else None,
        auth_message="This server needs an API key: any user name, one of DGPT_API_KEYS as password.",
        footer_links=[],
        run_history=False,
        show_error=False,
    )
