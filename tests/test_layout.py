"""The shape of the code: what import-linter cannot say (private names across modules), the served graphs of
langgraph.json, and what a served graph's client may choose."""

from __future__ import annotations

import ast
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("agent", "graphs", "tools", "zoo")


def _modules():
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            yield path, ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _private_imports(path: Path, module: str) -> list[str]:
    """`from X import _name` where X is another module of the project, anywhere in the file (inside functions too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] in PACKAGES and node.module != module:
                found += [
                    f"{module}:{node.lineno} imports {node.module}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
    return found


def test_no_module_imports_a_private_name_of_another():
    found = [hit for path, module in _modules() for hit in _private_imports(path, module)]
    assert found == []


def test_the_checker_finds_a_private_import(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("def f():\n    from graphs.selection.nodes import _llm\n")
    assert _private_imports(path, "agent.m") == ["agent.m:2 imports graphs.selection.nodes._llm"]


def _served() -> dict:
    return json.loads((ROOT / "langgraph.json").read_text())["graphs"]


@pytest.mark.parametrize("name", sorted(_served()))
def test_served_graphs_load_without_a_checkpointer_and_take_a_remote_context(name):
    from graphs.context import RemoteContext

    file, func = _served()[name].split(":")
    spec = importlib.util.spec_from_file_location(f"served_{name}", ROOT / file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    graph = getattr(module, func)()
    assert graph.checkpointer is None  # the LangGraph server refuses graphs that bring their own
    assert graph.builder.context_schema is RemoteContext


def test_a_served_graph_picks_a_shipped_catalog_and_the_llm_mode_never_a_path(tmp_path):
    from graphs.context import RemoteContext

    ctx = RemoteContext(catalog="starter", llm="NONE").to_context()
    assert (ctx.catalog, ctx.llm, ctx.home, ctx.session) == ("starter", "none", None, None)
    with pytest.raises(ValueError, match="not a shipped catalog"):
        RemoteContext(catalog=str(tmp_path / "mine.yaml"))
    with pytest.raises(ValueError, match="not an LLM mode"):
        RemoteContext(catalog="starter", llm="gpt5")
    with pytest.raises(TypeError):
        RemoteContext(catalog="starter", home=str(tmp_path))  # the data home is the server's to choose


def test_a_served_selection_graph_runs_with_a_clients_context():
    from graphs.selection.graph import make_graph

    out = make_graph().invoke(
        {"request": "a yellow star on a purple background"}, context={"catalog": "starter", "llm": "none"}
    )
    assert out["model"].startswith("starter-") and out["llm_mode"] == "none"
    with pytest.raises(TypeError):
        make_graph().invoke({"request": "a star"}, context={"catalog": "starter", "home": "/tmp"})


def test_live_objects_travel_by_key_not_in_the_context():
    from dataclasses import fields

    from graphs.context import Context
    from graphs.resources import live_for, register_live, release_live

    kinds = {f.name: f.type for f in fields(Context)}
    assert set(kinds.values()) <= {"str", "str | None", "int", "float", "bool", "LlmChoice"}
    marker = object()
    key = register_live(chat_model=marker)
    try:
        assert live_for(Context(session=key)).chat_model is marker
    finally:
        release_live(key)
    with pytest.raises(LookupError, match="not registered"):
        live_for(Context(session=key))
