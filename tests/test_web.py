"""The page at `/` of `dgpt serve` (agent/server/web.py): the search figure, the page's settings and messages, the
thread list, and the whole page in a real browser (headless Debian Chromium driven by Playwright; slow tier)."""

from __future__ import annotations

import os
import shutil
import xml.dom.minidom
from pathlib import Path

import pytest

pytest.importorskip("gradio")

from agent.server.figure import search_svg  # noqa: E402
from agent.server.web import AUTO, Page, readable, turn_settings  # noqa: E402

TRACE = {
    "model": "m-water",
    "trace": [
        {
            "step": "expand",
            "level": "subject",
            "from": ["root"],
            "kept": [{"node": "subject:animal", "score": 0.4}, {"node": "subject:landscape", "score": 0.3}],
            "pruned": [{"node": f"subject:s{i}", "score": 0.1} for i in range(8)],
        },
        {
            "step": "expand",
            "level": "style",
            "from": ["subject:animal", "subject:landscape"],
            "kept": [
                {"node": "subject:animal/style:photo", "score": 0.5},
                {"node": "subject:landscape/style:oil", "score": 0.4},
            ],
            "pruned": [{"node": "subject:animal/style:watercolor", "score": 0.35}],
        },
        {
            "step": "evaluate",
            "branch": "subject:animal/style:photo",
            "best_model": "m-photo",
            "best_score": 0.3,
            "status": "abandoned",
            "unmet": ["watercolor"],
        },
        {"step": "backtrack", "to": "subject:animal/style:watercolor", "score": 0.35, "extra": True},
        {
            "step": "evaluate",
            "branch": "subject:animal/style:watercolor",
            "best_model": "m-water",
            "best_score": 0.6,
            "status": "kept",
        },
        {"step": "relax", "constraint": "subject", "words": ["dragon <x>"], "reason": "no model has it"},
    ],
    "candidates": [
        {"id": "m-water", "relevance": 0.6, "advantage": 0.7, "prior": 0.5, "score": 0.7, "rated_neighbours": 3},
        {"id": "m-photo", "relevance": 0.3, "advantage": 0.5, "prior": 0.6, "score": 0.3, "rated_neighbours": 0},
    ],
}


def test_search_figure_draws_levels_branches_backtracking_and_candidates():
    svg = search_svg(TRACE)
    xml.dom.minidom.parseString(svg)  # well-formed, labels escaped ("dragon <x>")
    assert "dragon &lt;x&gt;" in svg and "<x>" not in svg
    for word in ("subject", "style", "models", "animal", "watercolor", "m-water", "m-photo", "relevance", "prior"):
        assert word in svg
    assert 'class="node backtrack"' in svg and 'class="node abandoned"' in svg and 'class="node pruned"' in svg
    assert "backtrack 1" in svg and "+3 more pruned" in svg  # 8 pruned subjects, 5 drawn
    assert "no model of watercolor" in svg and "★ m-water" in svg
    assert "<script" not in svg


def test_search_figure_without_a_search():
    assert "no model search" in search_svg({"trace": [], "candidates": []})
    assert "named" in search_svg({"trace": [], "candidates": [{"id": "x", "pinned": True, "score": None}]})


def test_turn_settings_are_checked_with_readable_messages():
    assert turn_settings(AUTO, None, 0, "model default", None) == {}
    assert turn_settings("starter-shapes", 7, 12, "64x64", 0.4) == {
        "model": "starter-shapes",
        "seed": 7,
        "steps": 12,
        "width": 64,
        "height": 64,
        "strength": 0.4,
    }
    for bad, word in [((None, -1, 0, None, None), "seed"), ((None, None, 0, "big", None), "size")]:
        with pytest.raises(ValueError, match=word):
            turn_settings(*bad)
    with pytest.raises(ValueError, match="strength") as e:
        turn_settings(None, None, 0, None, 1.5)
    assert readable(e.value).startswith("image-to-image strength")


def test_messages_of_a_thread_map_each_picture_for_ratings():
    turns = [
        {
            "turn": 1,
            "message": "a star",
            "reply": "New request: drew with m. /x/a.png",
            "images": ["/x/a.png"],
            "model": "m",
            "candidates": [],
            "tags": [],
        },
        {"turn": 2, "message": "hello", "reply": "Hello!", "images": []},
    ]
    messages, pictures = Page.messages(turns)
    assert [m["role"] for m in messages] == ["user", "assistant", "assistant", "assistant", "user", "assistant"]
    assert messages[1]["content"] == "New request: drew with m." and messages[2]["content"]["path"] == "/x/a.png"
    assert pictures == [None, "/x/a.png", "/x/a.png", "/x/a.png", None, None]


def test_thread_list_is_the_cli_store_latest_first(tmp_path):
    from agent.chat import open_checkpointer, thread_ids

    saver = open_checkpointer(tmp_path / "threads.sqlite")
    assert thread_ids(saver) == []  # a store no turn has written to yet
    from langgraph.checkpoint.base import empty_checkpoint

    for thread in ("old", "new"):
        config = {"configurable": {"thread_id": thread, "checkpoint_ns": ""}}
        saver.put(config, empty_checkpoint(), {}, {})
    assert thread_ids(saver) == ["new", "old"]


def test_page_is_mounted_at_root_beside_the_api(tmp_path):
    from fastapi.testclient import TestClient

    from agent.server import ServerSettings, create_app

    app = create_app(ServerSettings(catalog="starter", llm="none", home=str(tmp_path)))
    with TestClient(app) as client:
        page = client.get("/")
        assert page.status_code == 200 and "<html" in page.text.lower()
        assert client.get("/v1/nope").json()["error"]["type"] == "invalid_request_error"
        assert client.get("/healthz").json()["status"] == "ok"


# -- the page in a real browser --------------------------------------------------------------------------------------

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("DGPT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        pytest.skip(
            "no Chromium at /usr/bin/chromium: `make test` installs Debian's chromium with apt-get "
            "(.ci/install-chromium); this machine could not (no root or no package index), so the browser test "
            "cannot run"
        )
    return path


@pytest.mark.slow
def test_page_in_a_real_browser(tmp_path):
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")
    executable = chromium_path()
    from agent.server import ServerSettings
    from agent.server.run import ThreadedServer, free_port

    home, shots = tmp_path / "home", tmp_path / "screenshots"
    shots.mkdir()
    settings = ServerSettings(catalog="starter", llm="none", home=str(home), port=free_port())
    with ThreadedServer(settings) as url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            failed: list[str] = []
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.goto(url + "/", wait_until="load")
            box = page.locator("#dgpt-input textarea")
            box.wait_for(timeout=60_000)
            page.screenshot(path=str(shots / "0-empty.png"))

            box.fill("a yellow star on a purple background")
            box.press("Enter")
            chat = page.locator("#dgpt-chat")
            chat.locator("img").first.wait_for(timeout=180_000)
            page.get_by_text("Model:").first.wait_for()
            assert "starter-shapes" in chat.inner_text()
            page.screenshot(path=str(shots / "1-picture.png"))

            box.fill("make it darker")
            box.press("Enter")
            page.wait_for_function(
                "document.querySelectorAll('#dgpt-chat img').length >= 2", timeout=180_000, polling=250
            )
            page.get_by_text("Model:").nth(1).wait_for()
            page.screenshot(path=str(shots / "2-refined.png"))

            chat.get_by_role("button", name="Like").last.click()
            status = page.locator("#dgpt-status")
            status.get_by_text("stored in the feedback index").wait_for(timeout=30_000)
            page.screenshot(path=str(shots / "3-rated.png"))

            page.reload(wait_until="load")
            box.wait_for(timeout=60_000)
            threads = page.locator("#dgpt-threads")
            threads.locator("input").click()
            option = page.get_by_role("option", name="a yellow star on a purple background", exact=False).first
            option.wait_for(timeout=30_000)
            option.click()
            page.wait_for_function(
                "document.querySelectorAll('#dgpt-chat img').length >= 2", timeout=60_000, polling=250
            )
            assert "make it darker" in chat.inner_text()
            page.screenshot(path=str(shots / "4-reloaded.png"))

            page.get_by_text("Why this model, as a picture").click()
            figure = page.locator("#dgpt-why-figure svg")
            figure.wait_for(timeout=30_000)
            assert "Candidates" in figure.text_content()
            page.locator("#dgpt-why").scroll_into_view_if_needed()
            page.screenshot(path=str(shots / "5-why.png"), full_page=True)
            # Long-lived streams (the queue's events, the heartbeat) are cut by the reload; nothing else may fail.
            own = [u for u in failed if u.startswith(url) and "/queue/data" not in u and "/heartbeat/" not in u]
            outside = [u for u in failed if not u.startswith(url) and not u.startswith("data:")]
            assert not own and not outside, (own, outside)
        finally:
            browser.close()
    from agent.server.service import Service

    records = Service(settings).selector.resources.feedback.count()
    assert records >= 1
    assert sorted(p.name for p in shots.iterdir()) == [
        f"{i}-{n}.png" for i, n in enumerate(["empty", "picture", "refined", "rated", "reloaded", "why"])
    ]


def test_a_turn_streams_the_answer_apart_from_the_progress_lines():
    """The page shows an answer the language model is writing piece by piece (a scripted session stands in for the
    graph here; the chat graph's own streaming is tested in test_chat)."""
    import asyncio
    from contextlib import contextmanager

    from agent.server.queue import DrawQueue

    class Session:
        def send(self, text, on_event=None, **settings):
            on_event({"type": "update", "node": "interpret", "data": {}, "graph": None})
            for piece in ("I draw ", "with five ", "models."):
                on_event({"type": "token", "text": piece})
            return {"action": "chat", "reply": "I draw with five models."}

    class Service:
        queue = DrawQueue()

        def checkpointer(self):
            return None

        @contextmanager
        def session(self, thread):
            yield Session()

    lines, pieces = [], []

    async def run():
        return await Page(Service).turn("t", "what can you do?", {}, lines.append, pieces.append)

    result = asyncio.run(run())
    assert result["reply"] == "I draw with five models."
    assert pieces == ["I draw ", "with five ", "models."]
    assert lines and all(isinstance(line, str) and "models" not in line for line in lines)
