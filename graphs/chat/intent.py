"""Reading a message against the thread: the LLM's `TurnIntent` when it gives a usable one, else the rules'. The
conversation graph and `dgpt eval llm` read messages only through `read_intent`."""

from __future__ import annotations

from graphs.chat.asking import asked_scene
from graphs.chat.changes import read_changes
from graphs.chat.refine import intent_from_edits, rule_intent
from graphs.chat.spelling import normalise
from graphs.llm import prompts
from graphs.llm.budget import Budget
from graphs.llm.schemas import TurnIntent
from graphs.llm.structured import ask

ACCEPT = {"", "y", "yes", "ok", "okay", "sure", "go", "draw", "accept", "true"}
CANCEL = {"n", "no", "cancel", "stop", "abort", "false"}
CHAT_OVER_NEW = "the LLM read a greeting or a question about the system as a picture to draw; answered it instead"


def _from_llm(
    llm, text: str, previous_core: str | None, n_turns: int, budget: Budget | None = None
) -> tuple[TurnIntent | None, str]:
    user = prompts.INTERPRET_USER.format(
        previous=previous_core if previous_core else "(none: nothing drawn yet)", turns=n_turns, message=text
    )
    out, why = ask(llm, TurnIntent, prompts.INTERPRET_SYSTEM, user, budget)
    if out is None:
        return None, why
    if out.action == "rate" and out.stars is None:
        return None, "a rating without stars"
    if out.action in ("style", "content") and previous_core:
        # The LLM's edits go through the same slot operations as the rules'; without edits or a prompt, its
        # change words are read by rule.
        edits = out.edits or ([] if out.prompt.strip() else (read_changes(out.change) or read_changes(text) or []))
        if edits:
            out = out.model_copy(
                update={"edits": edits, "prompt": intent_from_edits(edits, text, previous_core).prompt}
            )
        elif not out.prompt.strip():
            out = out.model_copy(update={"prompt": f"{previous_core}, {out.change}"})
    if out.action == "local" and previous_core and not out.prompt.strip():
        out = out.model_copy(update={"prompt": f"{previous_core}, {out.change}"})
    if out.action == "new" and not out.prompt.strip():
        out = out.model_copy(update={"prompt": text})
    return out, ""


def new_request(message: str, intent: TurnIntent) -> str:
    """What a new request sends to the search: the message with shorthand spelled out ("gimme" -> "give me"), as the
    rules read it, less a lead the reader took off ("Next one: red stripes", "something different now. A cat
    knitting"), which the search would keep in the prompt for every later turn to refine."""
    said = normalise(message) or message
    scene = intent.prompt.strip()
    if scene and scene != said and (said.rstrip(" ?!.").endswith(scene.rstrip(" ?!.")) or asked_scene(said) == scene):
        return scene  # "My son is learning his letters, can you draw a big letter B ...": the scene, not the story
    return said


def read_intent(
    llm, text: str, previous_core: str | None, n_turns: int, budget: Budget | None = None
) -> tuple[TurnIntent, list[dict[str, str]]]:
    """(intent, fallbacks). `previous_core`: the last drawn turn's core prompt, None when nothing is drawn yet;
    `budget`: the turn's LLM time budget (None: no limit beyond each call's timeout)."""
    fallbacks: list[dict[str, str]] = []
    if llm is not None:
        intent, why = _from_llm(llm, text, previous_core, n_turns, budget)
        if intent is not None and intent.action == "new":
            ruled = rule_intent(text, previous_core)
            if ruled.action == "chat":
                # The rules call a message talk only when it is a greeting, thanks or a question about the system
                # ("what can you do?"), which no one means as a scene; a small model draws it as one.
                fallbacks.append({"node": "interpret", "reason": CHAT_OVER_NEW})
                return ruled, fallbacks
        if intent is not None:
            return intent, fallbacks
        fallbacks.append({"node": "interpret", "reason": why})
    return rule_intent(text, previous_core), fallbacks


def read_answer(answer, model: str, candidate_ids: list[str], catalog) -> str | None:
    """A paused turn's answer: None to draw as planned, "" to cancel, or a model id to draw with instead."""
    if isinstance(answer, dict):
        answer = answer.get("model") or ("yes" if answer.get("accept", True) else "no")
    if answer is None or answer is True:
        return None
    if answer is False:
        return ""
    text = str(answer).strip()
    if text.lower() in ACCEPT or text == model:
        return None
    if text.lower() in CANCEL:
        return ""
    if text not in catalog.ids:
        raise ValueError(
            f"'{text}' is not a model in catalog '{catalog.name}'; answer yes, no, or one of {', '.join(candidate_ids[:5])}"
        )
    return text
