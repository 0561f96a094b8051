"""Real clients against `dgpt serve` on a free loopback port (uvicorn in a thread): the openai SDK, LangChain's
DallEAPIWrapper and ChatOpenAI, and raw HTTP over the socket. Offline, starter catalog, no LLM."""

from __future__ import annotations

import base64
import io
import json
import urllib.error
import urllib.request

import pytest

pytest.importorskip("fastapi")
openai = pytest.importorskip("openai")

from agent.server import ServerSettings  # noqa: E402
from agent.server.run import ThreadedServer, free_port  # noqa: E402

pytestmark = pytest.mark.slow
KEY = "test-key-" + "x" * 20


@pytest.fixture(scope="module")
def base_url():
    settings = ServerSettings(host="127.0.0.1", port=free_port(), catalog="starter", llm="none", api_keys=[KEY])
    with ThreadedServer(settings) as url:
        yield url


@pytest.fixture(scope="module")
def sdk(base_url):
    return openai.OpenAI(base_url=f"{base_url}/v1", api_key=KEY, max_retries=0, timeout=300)


def fetch(url: str, headers: dict | None = None, data: bytes | None = None) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers or {}), timeout=120) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_sdk_images_generate_both_formats(sdk):
    from PIL import Image

    result = sdk.images.generate(model="auto", prompt="a yellow star on a purple background", size="256x256")
    status, data = fetch(result.data[0].url)
    assert status == 200 and Image.open(io.BytesIO(data)).size == (256, 256)
    assert result.data[0].revised_prompt
    assert result.model_extra["dgpt"]["model"] == "starter-shapes"  # the documented extra field
    b64 = sdk.images.generate(model="starter-glyphs", prompt="the letter K in red", response_format="b64_json")
    assert Image.open(io.BytesIO(base64.b64decode(b64.data[0].b64_json))).format == "PNG"


def test_sdk_images_edit(sdk):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (30, 70, 220)).save(buf, format="PNG")
    result = sdk.images.edit(
        image=("start.png", buf.getvalue(), "image/png"), prompt="a red circle on a blue background"
    )
    assert fetch(result.data[0].url)[0] == 200


def test_sdk_errors_are_typed(sdk, base_url):
    with pytest.raises(openai.NotFoundError, match="not in catalog"):
        sdk.images.generate(model="sdxl-nope", prompt="a cat")
    with pytest.raises(openai.BadRequestError):
        sdk.images.generate(prompt="a cat", size="nope")
    bad = openai.OpenAI(base_url=f"{base_url}/v1", api_key="wrong-key-" + "y" * 20, max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        bad.models.list()


def test_sdk_three_turn_refinement(sdk):
    messages = [{"role": "user", "content": "a red circle on a blue background"}]
    threads, actions = [], []
    for follow_up in ("make it darker", "now make the circle yellow", None):
        reply = sdk.chat.completions.create(model="dgpt", messages=messages)
        content = reply.choices[0].message.content
        threads.append(reply.model_extra["dgpt"]["thread"])
        actions.append(reply.model_extra["dgpt"]["action"])
        assert "![picture 1](http://127.0.0.1:" in content
        url = content.split("![picture 1](")[1].split(")")[0]
        assert fetch(url)[0] == 200  # a browser can fetch it without the key
        messages += [{"role": "assistant", "content": content}]
        if follow_up:
            messages.append({"role": "user", "content": follow_up})
    assert len(set(threads)) == 1 and actions[0] == "new" and actions[1] == "local" and len(actions) == 3


def test_sdk_streaming(sdk):
    stream = sdk.chat.completions.create(
        model="dgpt", messages=[{"role": "user", "content": "the digit 7 in yellow on black"}], stream=True
    )
    parts = [chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices]
    text = "".join(parts)
    assert len(parts) > 3 and "drawing" in text and "![picture 1](" in text


def test_langchain_dalle_wrapper(base_url):
    from langchain_community.utilities.dalle_image_generator import DallEAPIWrapper

    wrapper = DallEAPIWrapper(base_url=f"{base_url}/v1", api_key=KEY, size="256x256")  # model dall-e-2: read as auto
    url = wrapper.run("a green square on a white background")
    assert url.startswith(base_url) and fetch(url)[0] == 200


def test_langchain_chat_openai(base_url):
    from langchain_openai import ChatOpenAI

    llm = ChatOpenAI(base_url=f"{base_url}/v1", api_key=KEY, model="dgpt", max_retries=0, timeout=300)
    first = llm.invoke("a purple triangle on a white background")
    second = llm.invoke(
        [
            ("user", "a purple triangle on a white background"),
            ("assistant", first.content),
            ("user", "make it brighter"),
        ]
    )
    assert "![picture 1](" in second.content and "image-to-image" in second.content.lower()


def test_raw_http_auth_and_limits(base_url):
    status, body = fetch(f"{base_url}/v1/models")
    assert status == 401 and json.loads(body)["error"]["type"] == "authentication_error"
    assert fetch(f"{base_url}/healthz")[0] == 200
    request = urllib.request.Request(
        f"{base_url}/v1/select",
        data=json.dumps({"prompt": "x" * (2 * 1024 * 1024)}).encode(),
        headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"},
    )
    try:
        urllib.request.urlopen(request, timeout=60)
        raise AssertionError("an oversized body was accepted")
    except urllib.error.HTTPError as e:
        assert e.code == 413
    except (ConnectionError, urllib.error.URLError):
        pass  # the server may answer 413 and close before the client finishes sending
    for path in ("/v1/images/..%2F..%2Fetc%2Fpasswd", "/v1/images/%2e%2e/server_secret"):
        assert fetch(base_url + path, {"Authorization": f"Bearer {KEY}"})[0] == 404


def test_cli_select_sent_to_dgpt_server(base_url, monkeypatch, capsys):
    """DGPT_SERVER: `dgpt select` asks the running server and builds no selector of its own; the answer is the
    server's /v1/select object. A catalog the server does not serve, a missing key and a server that is not there
    are refused with what to do."""
    import agent.selector
    from agent.cli import main

    status, served = fetch(
        f"{base_url}/v1/select",
        {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"},
        json.dumps({"prompt": "a yellow star on a purple background"}).encode(),
    )
    assert status == 200

    class NoSelector:
        def __init__(self, *a, **k):
            raise AssertionError("a forwarded select must not build a Selector")

    monkeypatch.setattr(agent.selector, "Selector", NoSelector)
    monkeypatch.setenv("DGPT_SERVER", base_url + "/")
    monkeypatch.setenv("DGPT_SERVER_KEY", KEY)
    monkeypatch.delenv("DGPT_CATALOG", raising=False)
    assert main(["select", "a yellow star on a purple background", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    expected = json.loads(served)
    assert got["model"] == expected["model"] and got["extended_prompt"] == expected["extended_prompt"]
    assert main(["select", "a yellow star on a purple background", "--catalog", "starter"]) == 0
    assert capsys.readouterr().out.startswith(expected["model"] + "\t")

    assert main(["select", "a fox", "--catalog", "hub"]) == 2
    err = capsys.readouterr().err
    assert "serves catalog 'starter', not 'hub'" in err and "--catalog starter" in err
    monkeypatch.delenv("DGPT_SERVER_KEY")
    assert main(["select", "a fox"]) == 2
    assert "401" in (err := capsys.readouterr().err) and "DGPT_SERVER_KEY" in err
    monkeypatch.setenv("DGPT_SERVER", f"http://127.0.0.1:{free_port()}")
    assert main(["select", "a fox"]) == 2
    assert "does not answer" in (err := capsys.readouterr().err) and "dgpt serve" in err
    monkeypatch.setenv("DGPT_SERVER", "localhost:8000")
    assert main(["select", "a fox"]) == 2
    assert "not an http(s) URL" in capsys.readouterr().err
