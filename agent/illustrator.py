"""A worked agent that uses this project as its image tool: it illustrates a short story in a few pictures.

Two ways to hand it the tools, both the project's own:
- in process: `inprocess_tools()` = a `select_model` tool (the selection graph through `Selector`) plus one drawing
  tool per catalog model (`ImageGenerator.tools()`);
- over MCP: `await mcp_tools()` starts `dgpt mcp` (stdio) and adapts its tools with `langchain-mcp-adapters`.

The agent is LangChain's `create_agent` over any tool-calling chat model: the configured OpenAI-compatible endpoint
by default (`graphs.llm.factory`), or the caller's (tests drive it with a scripted model).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

ILLUSTRATOR_PROMPT = """You illustrate short stories with an image system.
Split the story into {n} scenes, in order. For each scene write one short, concrete picture description (subject,
colours, setting) and draw it with one tool call: `select_model` tells you which model suits a description, and the
tool named after that model (or `generate_image`) draws it. Draw exactly {n} pictures, then reply with one line per
picture: the scene, the model and the image file."""


class SelectArgs(BaseModel):
    request: str = Field(min_length=1, max_length=500, description="The picture to draw, in plain words.")


def selection_tool(selector):
    """`select_model`: the chosen model, why, and the prompt written for it; nothing is drawn."""
    from langchain_core.tools import StructuredTool

    def run(request: str) -> str:
        r = selector.select(request)
        top = r["candidates"][0] if r["candidates"] else {}
        return json.dumps(
            {
                "model": r["model"],
                "tool": r["model"].replace(".", "_"),
                "prompt": r["extended_prompt"],
                "why": f"score {top.get('score')}, tags {', '.join(r['tags'])}",
            }
        )

    return StructuredTool.from_function(
        func=run,
        name="select_model",
        description="Choose the best model for a picture description (and the prompt to give it); draws nothing.",
        args_schema=SelectArgs,
    )


def inprocess_tools(catalog: str = "starter", home: str | None = None) -> list:
    """The selection tool and one drawing tool per catalog model, sharing this process's pipeline cache."""
    from agent.selector import Selector
    from graphs.resources import get_generator

    selector = Selector(catalog=catalog, llm="none", home=home)
    return [selection_tool(selector), *get_generator(selector.context.catalog, home).tools()]


async def mcp_tools(catalog: str = "starter", home: str | None = None) -> list:
    """The tools of a `dgpt mcp` server started over stdio, as LangChain tools."""
    from langchain_mcp_adapters.client import MultiServerMCPClient

    env = {**os.environ, **({"DGPT_HOME": str(home)} if home else {})}
    client = MultiServerMCPClient(
        {
            "dgpt": {
                "transport": "stdio",
                "command": sys.executable,
                "args": ["-m", "agent.cli", "mcp", "--catalog", catalog, "--llm", "none"],
                "env": env,
            }
        }
    )
    return await client.get_tools()


def default_chat_model():
    """The configured endpoint's chat model; an agent needs one that calls tools."""
    from graphs.llm.factory import make_chat_model
    from graphs.llm.settings import configured

    if not configured():
        raise RuntimeError(
            "the illustrator needs a tool-calling chat model: set DGPT_LLM_BASE_URL and DGPT_LLM_MODEL (any "
            "OpenAI-compatible server) or OPENAI_API_KEY, or pass chat_model= yourself"
        )
    return make_chat_model()


def build_illustrator(tools: list, chat_model: Any = None, pictures: int = 3):
    """A compiled LangChain agent over `tools`."""
    from langchain.agents import create_agent

    return create_agent(chat_model or default_chat_model(), tools, system_prompt=ILLUSTRATOR_PROMPT.format(n=pictures))


def _images_of(message) -> list[str]:
    """Image files a tool answer names: an in-process tool's artifact, or the JSON text part of an MCP answer."""
    artifact = getattr(message, "artifact", None)
    if isinstance(artifact, dict) and artifact.get("images"):
        return list(artifact["images"])
    parts = message.content if isinstance(message.content, list) else [message.content]
    for part in parts:
        text = part.get("text") if isinstance(part, dict) else part
        try:
            data = json.loads(text) if isinstance(text, str) else None
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict) and data.get("images"):
            return [str(p) for p in data["images"]]
    return []


def _answer(state: dict, story: str) -> dict:
    messages = state["messages"]
    images = [p for m in messages if getattr(m, "type", "") == "tool" for p in _images_of(m)]
    return {"story": story, "reply": messages[-1].content, "images": [p for p in images if Path(p).is_file()]}


def illustrate(agent, story: str) -> dict:
    """{"story", "reply", "images"}: the agent's last answer and the pictures its tools drew."""
    return _answer(agent.invoke({"messages": [("user", f"Illustrate this story:\n{story}")]}), story)


async def aillustrate(agent, story: str) -> dict:
    return _answer(await agent.ainvoke({"messages": [("user", f"Illustrate this story:\n{story}")]}), story)
