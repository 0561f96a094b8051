"""The real ChatOpenAI client against a scripted OpenAI-compatible server on loopback (no network beyond it)."""

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from agent.selector import Selector
from graphs.llm.bounds import MAX_ITEM_STRING, MAX_ITEMS, MAX_STRING, max_tokens_for
from graphs.llm.factory import forget_models
from graphs.llm.schemas import BranchVote, ExtendedPrompt, ParsedPrompt
from tests.test_generate import gen_catalog  # noqa: F401  (module-scoped fixture)


class Server:
    def __init__(self):
        self.mode = "ok"
        self.requests: list[dict] = []
        self.answers = {
            "ParsedPrompt": {
                "kind": "inspiration",
                "core_prompt": "a fox in the snow",
                "styles": ["watercolor"],
                "subjects": ["animal"],
            },
            "BranchVote": {"ranked": [], "reason": ""},
            "ExtendedPrompt": {"prompt": "a fox in the snow, soft watercolor washes"},
            "TurnIntent": {"action": "new", "prompt": "a fox in the snow"},
        }
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append(body)
                if server.mode == "slow":
                    time.sleep(2.5)
                fmt = body.get("response_format") or {}
                name = (
                    fmt["json_schema"]["name"]
                    if fmt.get("type") == "json_schema"
                    else body["tools"][0]["function"]["name"]
                )
                finish = "stop"
                if server.mode == "no_json_schema" and fmt.get("type") == "json_schema":  # llama.cpp's answer
                    msg = "1 validation error: ('body', 'response_format', 'type') Input should be 'text' or 'json_object'"
                    error = json.dumps({"error": {"message": f"{msg}, input 'json_schema'"}}).encode()
                    self.send_response(500)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(error)))
                    self.end_headers()
                    self.wfile.write(error)
                    return
                if server.mode == "garbage":
                    message = {"role": "assistant", "content": "I think it is a nice picture"}
                elif server.mode == "cut_off":  # a tool call stopped by max_tokens in the middle of its JSON
                    call = {"id": "c1", "type": "function", "function": {"name": name, "arguments": '{"kind": "insp'}}
                    message, finish = {"role": "assistant", "content": None, "tool_calls": [call]}, "length"
                elif fmt:
                    message = {"role": "assistant", "content": json.dumps(server.answers[name])}
                else:
                    call = {
                        "id": "c1",
                        "type": "function",
                        "function": {"name": name, "arguments": json.dumps(server.answers[name])},
                    }
                    message = {"role": "assistant", "content": None, "tool_calls": [call]}
                reply = {
                    "id": "r",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body["model"],
                    "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
                data = json.dumps(reply).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def server(monkeypatch):
    s = Server()
    monkeypatch.setenv("DGPT_LLM_BASE_URL", s.url)
    monkeypatch.setenv("DGPT_LLM_MODEL", "fake-model")
    monkeypatch.setenv("DGPT_LLM_TIMEOUT", "1")
    monkeypatch.setenv("DGPT_LLM_MAX_TOKENS", "300")
    forget_models()
    yield s
    s.httpd.shutdown()
    forget_models()


def test_auto_uses_the_configured_endpoint(server, tiny_catalog, home):
    r = Selector(catalog=tiny_catalog, home=home, llm="auto").select("I'd like a fox in the snow")
    assert r["llm_mode"] == "openai" and r["fallbacks"] == []
    assert (r["kind"], r["core_prompt"], r["styles"]) == ("inspiration", "a fox in the snow", ["watercolor"])
    assert r["model"] == "watercolor"
    assert "soft watercolor washes" in r["extended_prompt"]
    first = server.requests[0]
    # output length bounded in a way llama.cpp's server obeys; structured output by function calling
    assert first["max_tokens"] == 300 and first["model"] == "fake-model"
    assert first["tools"][0]["function"]["name"] == "ParsedPrompt" and "response_format" not in first


def test_garbage_replies_fall_back_to_rules(server, tiny_catalog, home):
    server.mode = "garbage"
    r = Selector(catalog=tiny_catalog, home=home, llm="openai").select("I want to see pixel art of a red car")
    assert r["llm_mode"] == "openai"
    assert [f["node"] for f in r["fallbacks"]] == ["parse", "tot", "extend"]
    assert r["kind"] == "inspiration" and r["model"] == "pixel"


@pytest.mark.slow  # six 1 s time-outs
def test_a_slow_endpoint_times_out_and_falls_back(server, tiny_catalog, home):
    server.mode = "slow"
    sel = Selector(catalog=tiny_catalog, home=home, llm="openai")
    sel.warm_up()
    r = sel.select("pixel art of a red car")
    assert r["model"] == "pixel"
    assert [f["node"] for f in r["fallbacks"]] == ["parse", "tot", "extend"]
    assert all("Timeout" in f["reason"] for f in r["fallbacks"])
    # parse: 2 attempts, tot: 2 (then voting stops for the request), extend: 2 -> a bounded 6 calls, each cut at 1 s
    assert len(server.requests) == 6


def test_llm_settings_come_from_the_config_file_and_the_environment_overrides_it(tmp_path, monkeypatch):
    from graphs.llm.factory import make_chat_model, resolve_mode
    from graphs.llm.settings import LlmUnavailable, configured, llm_settings

    cfg = tmp_path / "llm.yaml"
    monkeypatch.setenv("DGPT_LLM_CONFIG", str(cfg))
    assert not configured() and resolve_mode("auto") == "none"
    cfg.write_text("base_url: http://127.0.0.1:9/v1\nmodel: qwen2.5\ntimeout: 3\nmax_tokens: 128\n")
    s = llm_settings()
    assert (s.base_url, s.model, s.timeout, s.max_tokens, s.structured) == (
        "http://127.0.0.1:9/v1",
        "qwen2.5",
        3.0,
        128,
        "function_calling",
    )
    assert configured() and resolve_mode("auto") == "openai"
    chat = make_chat_model()
    assert chat.model_name == "qwen2.5" and chat.extra_body == {"max_tokens": 128}
    monkeypatch.setenv("DGPT_LLM_MODEL", "llama3")
    assert llm_settings().model == "llama3"
    cfg.write_text("base_url: http://x/v1\nmax_token: 5\n")
    with pytest.raises(LlmUnavailable, match=r"'max_token'.*llm.yaml"):
        llm_settings()
    cfg.write_text("timeout: -1\n")
    with pytest.raises(LlmUnavailable, match=r"'timeout' from .*llm.yaml"):
        llm_settings()
    monkeypatch.setenv("DGPT_LLM_TIMEOUT", "0")
    with pytest.raises(LlmUnavailable, match=r"'timeout' from \$DGPT_LLM_TIMEOUT"):
        llm_settings()
    monkeypatch.delenv("DGPT_LLM_TIMEOUT")
    cfg.write_text("budget_s: 4.5\n")
    assert llm_settings().budget_s == 4.5
    monkeypatch.setenv("DGPT_LLM_BUDGET_S", "0")
    with pytest.raises(LlmUnavailable, match=r"'budget_s' from \$DGPT_LLM_BUDGET_S"):
        llm_settings()


def by_tool(requests: list[dict]) -> dict[str, dict]:
    return {r["tools"][0]["function"]["name"]: r for r in requests}


def test_endpoints_get_the_bounded_schema_and_a_max_tokens_sized_to_each_step(server, tiny_catalog, home, monkeypatch):
    monkeypatch.setenv("DGPT_LLM_MAX_TOKENS", "4000")  # a cap above every step's need
    r = Selector(catalog=tiny_catalog, home=home, llm="openai").select("I'd like a fox in the snow")
    assert r["fallbacks"] == [] and r["model"] == "watercolor"
    sent = by_tool(server.requests)
    props = sent["ParsedPrompt"]["tools"][0]["function"]["parameters"]["properties"]
    assert props["core_prompt"]["maxLength"] == MAX_STRING
    assert props["subjects"]["maxItems"] == MAX_ITEMS and props["subjects"]["items"]["maxLength"] == MAX_ITEM_STRING
    assert "maxLength" not in props["kind"]  # an enum is bounded already
    votes = sent["BranchVote"]["tools"][0]["function"]["parameters"]["properties"]
    assert votes["ranked"]["maxItems"] == MAX_ITEMS and votes["reason"]["maxLength"] == MAX_STRING
    # each step's max_tokens from its own bounded schema, not one global figure
    assert [sent[m.__name__]["max_tokens"] for m in (ParsedPrompt, BranchVote, ExtendedPrompt)] == [
        max_tokens_for(m, 4000) for m in (ParsedPrompt, BranchVote, ExtendedPrompt)
    ]
    assert sent["ParsedPrompt"]["max_tokens"] > sent["BranchVote"]["max_tokens"] > sent["ExtendedPrompt"]["max_tokens"]
    assert "max_completion_tokens" not in sent["ParsedPrompt"]


def test_the_max_tokens_setting_caps_every_step(server, tiny_catalog, home):
    Selector(catalog=tiny_catalog, home=home, llm="openai").select("I'd like a fox in the snow")
    sent = by_tool(server.requests)  # DGPT_LLM_MAX_TOKENS=300 in the fixture
    assert sent["ParsedPrompt"]["max_tokens"] == 300 and sent["BranchVote"]["max_tokens"] == 300
    assert sent["ExtendedPrompt"]["max_tokens"] == max_tokens_for(ExtendedPrompt, 300) < 300


def test_json_schema_sends_the_bounded_schema_as_response_format(server, tiny_catalog, home, monkeypatch):
    monkeypatch.setenv("DGPT_LLM_STRUCTURED", "json_schema")
    r = Selector(catalog=tiny_catalog, home=home, llm="openai").select("I'd like a fox in the snow")
    assert r["fallbacks"] == [] and r["core_prompt"] == "a fox in the snow" and r["model"] == "watercolor"
    first = server.requests[0]
    assert "tools" not in first and first["response_format"]["type"] == "json_schema"
    schema = first["response_format"]["json_schema"]["schema"]
    assert first["response_format"]["json_schema"]["name"] == "ParsedPrompt"
    assert schema["properties"]["core_prompt"]["maxLength"] == MAX_STRING and first["max_tokens"] == 300


def test_a_reply_outside_the_schema_falls_back(server, tiny_catalog, home):
    server.answers["ParsedPrompt"] = {"kind": "poem", "core_prompt": "a fox"}  # not a kind
    r = Selector(catalog=tiny_catalog, home=home, llm="openai").select("I want to see pixel art of a red car")
    assert r["fallbacks"][0]["node"] == "parse" and "ValidationError" in r["fallbacks"][0]["reason"]
    assert r["kind"] == "inspiration" and r["model"] == "pixel"  # the rules' parse


def spent(seconds: str) -> str:
    return f"LLM time budget of {seconds} s spent"


def test_a_request_stops_asking_the_llm_when_its_budget_is_spent(server, tiny_catalog, home, monkeypatch):
    """Each call waits 2.5 s and is cut at the 1 s timeout. Without a budget: 6 calls (parse 2, tot 2, extend 2).
    With 2.25 s: parse's two tries (~2 s), then tot and extend find under 0.5 s left and use the rules; the request
    ends inside its budget (2 calls, each cut at 1 s)."""
    monkeypatch.setenv("DGPT_LLM_BUDGET_S", "2.25")
    sel = Selector(catalog=tiny_catalog, home=home, llm="openai")
    assert sel.select("pixel art of a red car")["fallbacks"] == []  # warm: the client is built, 3 calls
    server.requests.clear()
    server.mode = "slow"
    r = sel.select("pixel art of a red car")
    assert len(server.requests) == 2 and r["model"] == "pixel"
    assert [f["node"] for f in r["fallbacks"]] == ["parse", "tot", "extend"]
    assert r["fallbacks"][0]["reason"].startswith("OpenAITimeoutError: Request timed out.")
    assert r["fallbacks"][1:] == [{"node": "tot", "reason": spent("2.25")}, {"node": "extend", "reason": spent("2.25")}]


def test_a_step_is_not_retried_when_the_budget_cannot_hold_another_try(server, tiny_catalog, home, monkeypatch):
    monkeypatch.setenv("DGPT_LLM_BUDGET_S", "1.3")  # the first try takes the 1 s timeout; 0.3 s cannot hold another
    sel = Selector(catalog=tiny_catalog, home=home, llm="openai")
    sel.select("pixel art of a red car")
    server.requests.clear()
    server.mode = "slow"
    r = sel.select("pixel art of a red car")
    assert len(server.requests) == 1
    parse = r["fallbacks"][0]
    assert parse["node"] == "parse" and parse["reason"].startswith("OpenAITimeoutError: Request timed out.")
    assert re.search(r"; not retried: 0\.\d s of the 1\.3 s LLM time budget left$", parse["reason"])
    assert r["fallbacks"][1:] == [{"node": "tot", "reason": spent("1.3")}, {"node": "extend", "reason": spent("1.3")}]


def test_a_conversation_turn_spends_one_budget_across_interpret_and_its_search(
    server, gen_catalog, tmp_path, monkeypatch
):
    from agent.chat import ChatSession

    monkeypatch.setenv("DGPT_LLM_BUDGET_S", "2.25")
    kw = dict(catalog=gen_catalog, llm="openai", home=str(tmp_path / "home"), out_dir=str(tmp_path / "out"))
    fox = "a watercolor painting of a fox"
    server.answers["TurnIntent"] = {"action": "new", "prompt": fox}
    server.answers["ParsedPrompt"] = {"kind": "prompt", "core_prompt": fox, "subjects": ["animal"], "styles": []}
    server.answers["ExtendedPrompt"] = {"prompt": f"{fox}, soft washes"}
    with ChatSession(thread="b", **kw) as s:
        assert s.send(fox, seed=1)["fallbacks"] == []  # warm: the client is built
        server.requests.clear()
        server.mode = "slow"
        r = s.send(fox, seed=2)
    assert len(server.requests) == 2  # interpret's two tries; the search's parse, votes and rewrite never call
    assert r["fallbacks"][0]["node"] == "interpret" and r["fallbacks"][0]["reason"].startswith(
        "OpenAITimeoutError: Request timed out."
    )
    assert r["fallbacks"][1:] == [
        {"node": "parse", "reason": spent("2.25")},
        {"node": "tot", "reason": spent("2.25")},
        {"node": "extend", "reason": spent("2.25")},
    ]


def test_a_server_that_rejects_json_schema_is_not_retried_and_the_reason_says_what_to_set(
    server, tiny_catalog, home, monkeypatch
):
    monkeypatch.setenv("DGPT_LLM_STRUCTURED", "json_schema")
    server.mode = "no_json_schema"
    r = Selector(catalog=tiny_catalog, home=home, llm="openai").select("I want to see pixel art of a red car")
    assert [f["node"] for f in r["fallbacks"]] == ["parse", "tot", "extend"] and r["model"] == "pixel"
    assert all(f["reason"].endswith("set DGPT_LLM_STRUCTURED=function_calling") for f in r["fallbacks"]), r["fallbacks"]
    assert len(server.requests) == 3  # one try per step: the same request would be refused again


def test_a_tool_call_cut_off_at_max_tokens_is_an_invalid_reply_that_says_so(server, tiny_catalog, home):
    server.mode = "cut_off"
    r = Selector(catalog=tiny_catalog, home=home, llm="openai").select("I want to see pixel art of a red car")
    parse = r["fallbacks"][0]
    assert parse["node"] == "parse" and parse["reason"].startswith("InvalidReply: no ParsedPrompt in the reply")
    assert parse["reason"].endswith("(cut off at max_tokens 300)")
    assert r["model"] == "pixel"


def test_html_entities_in_an_endpoints_reply_are_decoded(server, tiny_catalog, home):
    """llama-cpp-python's server sent quotes inside tool-call arguments as `&#34;`; they are text, not prompt."""
    server.answers["ParsedPrompt"] = {
        "kind": "prompt",
        "core_prompt": "a sign that says &#34;OPEN&#34; &amp; a fox",
        "styles": [],
        "subjects": ["animal"],
    }
    r = Selector(catalog=tiny_catalog, home=home, llm="openai").select('a sign that says "OPEN" & a fox')
    assert "parse" not in [f["node"] for f in r["fallbacks"]]
    assert r["core_prompt"] == 'a sign that says "OPEN" & a fox'
