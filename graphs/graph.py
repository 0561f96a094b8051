"""Wiring: the selection graph (parse → tot → select → extend) and the generation graph that ends in an image."""

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


def make_graph():
    """Entry point for langgraph.json (the LangGraph server supplies its own checkpointer)."""
    return build_selection_graph().compile()


def make_generation_graph():
    return build_generation_graph().compile()
