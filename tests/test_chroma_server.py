"""DGPT_CHROMA_URL switches the index to a real Chroma server (started here on loopback)."""

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from graphs.resources import sync_index
from tools.catalog import load_catalog
from tools.feedback import FeedbackRecord, FeedbackStore
from tools.index import Index, collection_name
from tools.tree import build_tree

pytestmark = pytest.mark.slow  # starts a `chroma run` server

CHROMA = Path(sys.executable).parent / "chroma"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    if not CHROMA.exists() and not shutil.which("chroma"):
        pytest.skip("the chroma CLI is not installed")
    port = free_port()
    proc = subprocess.Popen(
        [str(CHROMA if CHROMA.exists() else "chroma"), "run", "--path", str(tmp_path / "server"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma server did not start in 20 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_index_and_feedback_live_on_the_server(chroma_server, tiny_catalog, home, monkeypatch):
    monkeypatch.setenv("DGPT_CHROMA_URL", chroma_server)
    index = Index(home=home)
    cat = load_catalog(tiny_catalog)
    assert sync_index(cat, build_tree(cat), index) == {"models": True, "nodes": True}
    FeedbackStore(index).add([FeedbackRecord(prompt="a fox", model="photo", rating=1.0)])
    # nothing was written locally; a second client sees the same data
    assert not (home / "chroma").exists()
    again = Index(home=home)
    assert sync_index(cat, build_tree(cat), again) == {"models": False, "nodes": False}
    assert FeedbackStore(again).count() == 1
    assert type(again.client).__name__ != "PersistentClient" and again.client.heartbeat() > 0
    assert again.matrix(collection_name("models", cat.name), cat.ids).shape == (6, 384)
