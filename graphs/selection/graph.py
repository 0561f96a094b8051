"""Wiring: the selection graph (parse → tot → select → extend) and the generation graph that ends in an image.

Builders return uncompiled graphs; callers compile them with the checkpointer they need. The `make_*` functions are
the entry points of `langgraph.json`: compiled without a checkpointer (the server brings its own) and with
`RemoteContext`, so a client chooses a shipped catalog and the LLM mode, never a path.
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from graphs.context import Context, RemoteContext
from graphs.selection.nodes import extend, generate, parse, pin, route_after_parse, select, tot
from graphs.selection.state import SelectionInput, SelectionState
from tools.catalog import available

# The LangGraph server calls the `make_*` functions per run and checks the client's RemoteContext on its event loop,
# where file I/O is refused (langgraph dev): the shipped catalogs' names are read once, when this module loads.
available()


def _selection(context_schema: type) -> StateGraph:
    g = StateGraph(SelectionState, input_schema=SelectionInput, context_schema=context_schema)
    g.add_node("parse", parse)
    g.add_node("tot", tot)
    g.add_node("select", select)
    g.add_node("extend", extend)
    g.add_edge(START, "parse")
    g.add_edge("tot", "select")
    g.add_edge("select", "extend")
    return g


def build_selection_graph(context_schema: type = Context) -> StateGraph:
    """Choose a model for `request` and extend its prompt; nothing is drawn."""
    g = _selection(context_schema)
    g.add_edge("parse", "tot")
    g.add_edge("extend", END)
    return g


def build_generation_graph(context_schema: type = Context) -> StateGraph:
    """Selection, then the chosen model's tool draws the image. `forced_model` in the input skips the search."""
    g = _selection(context_schema)
    g.add_node("pin", pin)
    g.add_node("generate", generate)
    g.add_conditional_edges("parse", route_after_parse, ["tot", "pin"])
    g.add_edge("pin", "extend")
    g.add_edge("extend", "generate")
    g.add_edge("generate", END)
    return g


def make_graph():
    """`select` in langgraph.json."""
    return build_selection_graph(RemoteContext).compile()


def make_generation_graph():
    """`generate` in langgraph.json."""
    return build_generation_graph(RemoteContext).compile()
