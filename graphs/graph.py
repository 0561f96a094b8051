"""Wiring: the selection graph (parse → tot → select → extend), the generation graph that ends in an image, and the
conversation graph whose threads a checkpointer keeps."""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from graphs.context import Context
from graphs.generation import generate, pin, route_after_parse
from graphs.nodes import extend, parse, select, tot
from graphs.state import SelectionState


def _selection(g: StateGraph) -> StateGraph:
    g.add_node("parse", parse)
    g.add_node("tot", tot)
    g.add_node("select", select)
    g.add_node("extend", extend)
    g.add_edge(START, "parse")
    g.add_edge("tot", "select")
    g.add_edge("select", "extend")
    return g


def build_selection_graph() -> StateGraph:
    """Uncompiled; callers compile it with the checkpointer they need."""
    g = _selection(StateGraph(SelectionState, context_schema=Context))
    g.add_edge("parse", "tot")
    g.add_edge("extend", END)
    return g


def build_generation_graph() -> StateGraph:
    """Selection, then the chosen model's tool draws the image. `forced_model` in the input skips the search."""
    g = _selection(StateGraph(SelectionState, context_schema=Context))
    g.add_node("pin", pin)
    g.add_node("generate", generate)
    g.add_conditional_edges("parse", route_after_parse, ["tot", "pin"])
    g.add_edge("pin", "extend")
    g.add_edge("extend", "generate")
    g.add_edge("generate", END)
    return g


def build_chat_graph() -> StateGraph:
    """One turn of a conversation per invocation; compile with a checkpointer and pass a thread id to keep a thread."""
    from graphs import chat_nodes as n
    from graphs.chat_state import ChatState

    g = StateGraph(ChatState, context_schema=Context)
    for name in ("interpret", "search", "reuse", "switch", "revert", "rate", "answer", "confirm", "draw", "record"):
        g.add_node(name, getattr(n, name))
    g.add_edge(START, "interpret")
    g.add_conditional_edges("interpret", n.route_intent, ["search", "reuse", "switch", "revert", "rate", "answer"])
    for name in ("search", "reuse", "switch"):
        g.add_conditional_edges(name, n.route_after_plan, ["confirm", "record"])
    for name in ("revert", "rate", "answer"):
        g.add_edge(name, "record")
    g.add_conditional_edges("confirm", n.route_after_confirm, ["draw", "record"])
    g.add_edge("draw", "record")
    g.add_edge("record", END)
    return g


def make_graph():
    """Entry point for langgraph.json (the LangGraph server supplies its own checkpointer)."""
    return build_selection_graph().compile()


def make_generation_graph():
    return build_generation_graph().compile()


def make_chat_graph():
    return build_chat_graph().compile()
