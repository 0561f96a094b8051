"""A scripted chat model for graph tests (LangGraph's fake-chat-model pattern: `bind_tools` returns a model).

`script` maps a schema name (ParsedPrompt, BranchVote, ExtendedPrompt) to a queue of answers: a dict is returned as
that tool call's arguments, a string as plain text (garbage for a structured call), an exception is raised. The last
answer of a queue repeats. `calls` records the schema name of every call.
"""

from __future__ import annotations

from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult


class ScriptedChat(BaseChatModel):
    script: dict[str, list[Any]] = {}
    calls: list[str] = []
    bound_tool: str | None = None

    def bind_tools(self, tools, **kwargs):
        tool = tools[0]
        name = tool.__name__ if isinstance(tool, type) else tool.get("name") or tool["function"]["name"]
        return self.model_copy(update={"bound_tool": name})

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        name = self.bound_tool or "text"
        self.calls.append(name)
        queue = self.script.get(name, [""])
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(item, BaseException):
            raise item
        if isinstance(item, str):
            message = AIMessage(content=item)
        else:
            message = AIMessage(content="", tool_calls=[{"name": name, "args": item, "id": f"call-{len(self.calls)}"}])
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):
        """A plain-text answer comes word by word, as a server streams it; anything else in one piece."""
        from langchain_core.messages import AIMessageChunk
        from langchain_core.outputs import ChatGenerationChunk

        message = self._generate(messages, stop, run_manager, **kwargs).generations[0].message
        if message.tool_calls or not message.content:
            yield ChatGenerationChunk(message=AIMessageChunk(content=message.content, tool_calls=message.tool_calls))
            return
        words = message.content.split(" ")
        for i, word in enumerate(words):
            yield ChatGenerationChunk(message=AIMessageChunk(content=word if i == 0 else " " + word))

    @property
    def _llm_type(self) -> str:
        return "scripted"


class ToolCaller(BaseChatModel):
    """A scripted tool-calling chat model for agent tests: `turns` is the list of replies, in order; a reply is
    either text or a list of (tool name, args) calls. After the last reply it repeats a final text."""

    turns: list[Any] = []
    seen: list[list[str]] = []  # the tool names offered at each call

    def bind_tools(self, tools, **kwargs):
        names = [t.name if hasattr(t, "name") else t.get("name") or t["function"]["name"] for t in tools]
        self.seen.append(names)
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        done = sum(1 for m in messages if m.type == "ai")
        turn = self.turns[done] if done < len(self.turns) else "done"
        if isinstance(turn, str):
            message = AIMessage(content=turn)
        else:
            calls = [{"name": n, "args": a, "id": f"call-{done}-{i}"} for i, (n, a) in enumerate(turn)]
            message = AIMessage(content="", tool_calls=calls)
        return ChatResult(generations=[ChatGeneration(message=message)])

    @property
    def _llm_type(self) -> str:
        return "scripted-tools"
