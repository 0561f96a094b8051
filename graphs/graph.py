"""Wiring of the selection graph: parse → tot → select → extend."""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from graphs.context import Context
from graphs.nodes import extend, parse, select, tot
from graphs.state import SelectionState


def build_selection_graph() -> StateGraph:
    """Uncompiled; callers compile it with the checkpointer they need."""
    g = StateGraph(SelectionState, context_schema=Context)
    g.add_node("parse", parse)
    g.add_node("tot", tot)
    g.add_node("select", select)
    g.add_node("extend", extend)
    g.add_edge(START, "parse")
    g.add_edge("parse", "tot")
    g.add_edge("tot", "select")
    g.add_edge("select", "extend")
    g.add_edge("extend", END)
    return g


def make_graph():
    """Entry point for langgraph.json (the LangGraph server supplies its own checkpointer)."""
    return build_selection_graph().compile()
