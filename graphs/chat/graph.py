"""Wiring: one conversation turn per invocation. The selection graph is embedded as the `search` subgraph, so one
stream (`subgraphs=True`) shows the turn's nodes and the search's. Compile with a checkpointer and pass a thread id
to keep a thread; `make_chat_graph` is the `chat` entry of langgraph.json (the server brings its own checkpointer)."""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from graphs.chat import nodes as n
from graphs.chat.state import ChatState
from graphs.context import Context, RemoteContext
from graphs.selection.graph import build_selection_graph
from tools.catalog import available

# The LangGraph server calls `make_chat_graph` per run and checks the client's RemoteContext on its event loop, where
# file I/O is refused (langgraph dev): the shipped catalogs' names are read once, when this module loads.
available()


def build_chat_graph(context_schema: type = Context) -> StateGraph:
    g = StateGraph(ChatState, context_schema=context_schema)
    g.add_node("interpret", n.interpret)
    g.add_node("search", build_selection_graph(context_schema).compile())
    for name in ("plan", "reuse", "switch", "revert", "rate", "talk", "answer", "confirm", "draw", "record"):
        g.add_node(name, getattr(n, name))
    g.add_edge(START, "interpret")
    g.add_conditional_edges(
        "interpret", n.route_intent, ["search", "reuse", "switch", "revert", "rate", "talk", "answer"]
    )
    g.add_edge("search", "plan")
    for name in ("plan", "reuse", "switch"):
        g.add_conditional_edges(name, n.route_after_plan, ["confirm", "record"])
    for name in ("revert", "rate", "talk", "answer"):
        g.add_edge(name, "record")
    g.add_conditional_edges("confirm", n.route_after_confirm, ["draw", "record"])
    g.add_edge("draw", "record")
    g.add_edge("record", END)
    return g


def make_chat_graph():
    """`chat` in langgraph.json. Clients send `{"messages": [{"role": "user", "content": ...}]}` (Agent Chat UI,
    langgraph-sdk) or `{"message": ...}`; each turn's reply comes back as an AI message with the picture."""
    return build_chat_graph(RemoteContext).compile()
