"""The conversation graph's nodes. Each message is one turn:

    interpret → search (the selection subgraph) → plan ─┐
              → reuse (local change, another seed)      ─┼→ confirm → draw → record
              → switch (a different model)              ─┘
              → revert / rate / answer (nothing to draw)  → record

Turns are kept in the thread's state (`turns`), so a refinement reads the last picture's prompt, model, seed and file.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from langchain_core.messages import AIMessage
from langgraph.config import get_stream_writer
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from graphs.chat.intent import new_request, read_answer, read_intent
from graphs.chat.refine import looks_like_refinement, revert_target
from graphs.chat.state import ChatState, Intent, Plan
from graphs.context import Context, context_of
from graphs.llm import prompts
from graphs.llm.budget import Budget
from graphs.llm.factory import chat_model_for
from graphs.llm.text import answer_text
from graphs.resources import generator_for, resources_for
from graphs.selection.drawing import draw_with_fallback
from graphs.selection.extension import prompt_for
from tools.schedule import min_img2img_steps

ACTION_WORDS = {
    "new": "new request",
    "style": "style change",
    "content": "content change",
    "local": "local change (image-to-image from the last picture)",
    "reseed": "another one (new seed)",
    "next_model": "a different model",
    "revert": "back to an earlier picture",
    "rate": "rating",
    "chat": "talk",
}
GREETING_REPLY = (
    'Hello! Describe a picture, for example "a red fox in the snow", and I will choose the model that suits it and '
    'draw it. Then change it in plain words: "a wolf instead", "make it white", "now at dusk", "make it darker".'
)
THANKS_REPLY = "You're welcome. Describe the next picture, or tell me what to change in the last one."
MODELS_REPLY = (
    "Catalog {catalog} has {n} models, each good at some styles and subjects: {models}. For every request I search "
    'them by what you ask for and by how similar requests were rated; say "use a different model" to try the next '
    'candidate, or rate a picture ("/rate 4") to teach me.'
)
UNREAD_NOTE = 'I could not read "{message}" as a change to the last picture, so I drew it as a new request'
AS_SAID_NOTE = 'I could not split "{message}" into changes, so I added its words to the last prompt as you said them'
TALK_MODELS = 40  # cards named to the LLM when it answers a question: enough for the shipped catalogs, in its context
SEARCHED = ("new", "style", "content")  # actions whose prompt goes through the model search again


def drawn(turns: list[dict]) -> list[dict]:
    """Turns that show a picture (a revert shows an earlier one again), oldest first."""
    return [t for t in turns if t.get("images")]


def turn_message(state: ChatState) -> tuple[str, list]:
    """This turn's text: `message` (ChatSession, the CLI), else the last human message of `messages` (chat clients of
    the LangGraph server); and the messages to add to the transcript."""
    from langchain_core.messages import HumanMessage

    text = state.get("message") or ""
    if text.strip():
        return text, [HumanMessage(content=text)]
    for m in reversed(state.get("messages") or []):
        if m.type == "human" and m.text.strip():
            return m.text, []
        if m.type == "ai":
            break  # the last human message was answered already
    raise ValueError(
        "this turn has no message; send the user's text as input {'messages': [{'role': 'user', 'content': "
        "'a yellow star on a purple background'}]} (or {'message': '...'})"
    )


def interpret(state: ChatState, runtime: Runtime[Context]) -> dict:
    ctx = context_of(runtime)
    message, said = turn_message(state)
    state = {**state, "message": message}
    text = " ".join(message.split())
    turns = state.get("turns") or []
    pictures = drawn(turns)
    previous = pictures[-1] if pictures else None
    llm, mode, _ = chat_model_for(ctx)
    # The turn's LLM clock starts here and spans the search (its parse keeps it) and the prompt rewrites after it.
    budget = Budget.start() if llm is not None else None
    read, fallbacks = read_intent(llm, text, previous["core_prompt"] if previous else None, len(turns), budget)
    refinement_of = previous["turn"] if previous and read.action not in ("new", "chat") else None
    note = UNREAD_NOTE.format(message=text) if read.action == "new" and previous and looks_like_refinement(text) else ""
    if previous and any(e.slot == "words" for e in read.edits):
        note = AS_SAID_NOTE.format(message=text)
    intent = Intent(**read.model_dump(), refinement_of=refinement_of, llm_mode=mode, fallbacks=fallbacks, note=note)
    update = {
        "intent": intent,
        "plan": None,
        "generation": None,
        "reply": "",
        "message": message,
        "messages": said,
        "llm_clock": budget.clock() if budget else None,
    }
    if intent.action in SEARCHED:
        update["request"] = new_request(state["message"], intent) if intent.action == "new" else intent.prompt
    return update


def _noted(intent: Intent, note: str) -> str:
    """The plan's note, after what the reading could not do ("I could not split ... into changes")."""
    return f"{intent.note}; {note}" if intent.note else note


def route_intent(state: ChatState) -> str:
    intent = state["intent"]
    if intent.action == "new":
        return "search"
    if intent.action == "chat":
        return "talk"
    if intent.refinement_of is None:
        return "answer"
    return {
        "style": "search",
        "content": "search",
        "local": "reuse",
        "reseed": "reuse",
        "next_model": "switch",
        "revert": "revert",
        "rate": "rate",
    }[intent.action]


def _llm_for_prompts(ctx: Context, intent: Intent):
    return chat_model_for(ctx)[0] if intent.llm_mode != "none" else None


def _budget(state: ChatState) -> Budget | None:
    """The turn's LLM time budget, started by interpret."""
    return Budget.of(state.get("llm_clock"))


def plan(state: ChatState, runtime: Runtime[Context]) -> dict:
    """After the search: draw its choice, except that a content change keeps the last picture's model unless the
    search clearly prefers another (same look, new content). A model or negative prompt the caller set in the turn's
    settings (`model`, `negative_prompt`: MCP's generate_image) wins over both."""
    update = _searched_plan(state, runtime)
    settings = state.get("settings") or {}
    pinned, negative = settings.get("model"), settings.get("negative_prompt")
    planned = update["plan"]
    if pinned and pinned != planned.model:
        ctx = context_of(runtime)
        card = resources_for(ctx).catalog.get(pinned)
        prompt, fb = prompt_for(
            card, planned.core_prompt, _llm_for_prompts(ctx, state["intent"]), budget=_budget(state)
        )
        planned = planned.model_copy(
            update={
                "model": pinned,
                "prompt": prompt,
                "negative_prompt": card.negative_prompt,
                "fallbacks": planned.fallbacks + ([fb] if fb else []),
                "fallback_order": [],
                "reused_model": False,
                "note": f"{pinned} named by the caller (the search ranked {planned.model} first)",
            }
        )
    if negative is not None:
        planned = planned.model_copy(update={"negative_prompt": negative})
    return {"plan": planned}


def _searched_plan(state: ChatState, runtime: Runtime[Context]) -> dict:
    ctx = context_of(runtime)
    intent = state["intent"]
    parsed = state["parsed"]
    candidates = state["candidates"]
    new = Plan(
        model=state["model"],
        prompt=state["extended_prompt"],
        negative_prompt=state["negative_prompt"],
        core_prompt=parsed.core_prompt,
        kind=parsed.kind,
        styles=parsed.styles,
        subjects=parsed.subjects,
        candidates=candidates,
        trace=state["trace"],
        llm_mode=state["llm_mode"],
        llm_reason=state.get("llm_reason", ""),
        fallbacks=intent.fallbacks + state.get("fallbacks", []),
        timings_ms=state.get("timings_ms", {}),
        fallback_order=[c["id"] for c in candidates if c["id"] != state["model"]],
    )
    pictures = drawn(state.get("turns") or [])
    previous = pictures[-1] if intent.refinement_of is not None and pictures else None
    if previous is None:
        return {"plan": new.model_copy(update={"note": intent.note})}
    old = previous["model"]
    scores = {c["id"]: c["score"] for c in candidates}
    best = candidates[0]
    if intent.action == "content" and old in scores and best["score"] - scores[old] <= ctx.keep_margin:
        if old != new.model:
            card = resources_for(ctx).catalog.get(old)
            prompt, fb = prompt_for(card, parsed.core_prompt, _llm_for_prompts(ctx, intent), budget=_budget(state))
            new = new.model_copy(
                update={
                    "prompt": prompt,
                    "negative_prompt": card.negative_prompt,
                    "fallbacks": new.fallbacks + ([fb] if fb else []),
                }
            )
        note = (
            f"content change: kept {old}, the search still ranks it first"
            if old == best["id"]
            else f"content change: kept {old}, within {ctx.keep_margin} of the best candidate {best['id']}"
        )
        note = _noted(intent, note)
        return {"plan": new.model_copy(update={"model": old, "reused_model": True, "fallback_order": [], "note": note})}
    if intent.action == "content":
        why = (
            "no longer a candidate"
            if old not in scores
            else f"{best['id']} scores {best['score'] - scores[old]:.2f} higher"
        )
        note = f"content change: switched from {old} to {new.model} ({why})"
        return {"plan": new.model_copy(update={"note": _noted(intent, note)})}
    kept = new.model == old
    note = f"style change: searched again; {'kept' if kept else 'switched from ' + old + ' to'} {new.model}"
    return {"plan": new.model_copy(update={"reused_model": kept, "note": note})}


_CARRIED = (
    "model",
    "prompt",
    "negative_prompt",
    "core_prompt",
    "kind",
    "styles",
    "subjects",
    "candidates",
    "trace",
    "llm_mode",
    "llm_reason",
    "seed",
    "init_image",
    "strength",
)


def _carry(previous: dict) -> Plan:
    # A refinement of a picture stays with its model: no fallback to another one if it cannot load.
    return Plan(**{k: previous.get(k) for k in _CARRIED if previous.get(k) is not None})


def reuse(state: ChatState, runtime: Runtime[Context]) -> dict:
    """Same model. Local change: image-to-image from the last picture; another one: same prompt, new seed."""
    ctx = context_of(runtime)
    intent = state["intent"]
    previous = drawn(state["turns"])[-1]
    carried = _carry(previous).model_copy(update={"reused_model": True, "fallbacks": list(intent.fallbacks)})
    if intent.action == "reseed":
        return {
            "plan": carried.model_copy(
                update={"seed": None, "note": f"another one: {previous['model']} again with a new seed"}
            )
        }
    card = resources_for(ctx).catalog.get(previous["model"])
    prompt, fb = prompt_for(card, intent.prompt, _llm_for_prompts(ctx, intent), budget=_budget(state))
    strength = (state.get("settings") or {}).get("strength") or ctx.strength
    return {
        "plan": carried.model_copy(
            update={
                "prompt": prompt,
                "core_prompt": intent.prompt,
                "init_image": previous["images"][0],
                "strength": strength,
                "fallbacks": carried.fallbacks + ([fb] if fb else []),
                "note": f"local change: image-to-image from turn {previous['turn']} with {previous['model']} (strength {strength})",
            }
        )
    }


def switch(state: ChatState, runtime: Runtime[Context]) -> dict:
    """The next candidate of the last search that has not drawn this prompt yet, from the same seed."""
    ctx = context_of(runtime)
    intent = state["intent"]
    pictures = drawn(state["turns"])
    previous = pictures[-1]
    tried = {t["model"] for t in pictures if t["core_prompt"] == previous["core_prompt"]}
    untried = [c["id"] for c in previous.get("candidates") or [] if c["id"] not in tried]
    if not untried:
        return {
            "plan": None,
            "reply": (
                f'Every candidate for "{previous["core_prompt"]}" has drawn it already ({", ".join(sorted(tried))}); '
                "try rephrasing the request or name a model with --model."
            ),
        }
    nxt = untried[0]
    card = resources_for(ctx).catalog.get(nxt)
    prompt, fb = prompt_for(card, previous["core_prompt"], _llm_for_prompts(ctx, intent), budget=_budget(state))
    return {
        "plan": _carry(previous).model_copy(
            update={
                "model": nxt,
                "prompt": prompt,
                "negative_prompt": card.negative_prompt,
                "reused_model": False,
                "init_image": None,
                "strength": None,
                "fallbacks": list(intent.fallbacks) + ([fb] if fb else []),
                "fallback_order": untried[1:],
                "note": f"a different model: {nxt}, the next candidate after {', '.join(sorted(tried))} (same seed)",
            }
        )
    }


def revert(state: ChatState, runtime: Runtime[Context]) -> dict:
    """Show an earlier picture again; the next refinement builds on it. Nothing is drawn."""
    pictures = [t for t in drawn(state["turns"]) if t["action"] != "revert"]
    index = revert_target([t["core_prompt"] or "" for t in pictures], state["intent"])
    chosen = pictures[index] if index is not None else None
    if chosen is None:
        n = len(pictures)
        return {
            "plan": None,
            "reply": f"There is no such picture to go back to: this thread has {n} picture{'s' * (n != 1)}.",
        }
    shown = _carry(chosen).model_copy(
        update={"images": chosen["images"], "reused_model": True, "note": f"back to turn {chosen['turn']}"}
    )
    return {
        "plan": shown,
        "reply": f"Back to the picture of turn {chosen['turn']} ({chosen['model']}): {chosen['images'][0]}",
    }


def rate(state: ChatState, runtime: Runtime[Context]) -> dict:
    """Store the rating against the last picture's prompt and model: similar requests in any thread will weigh it."""
    from tools.feedback import FeedbackRecord, stars_to_rating

    ctx = context_of(runtime)
    previous = drawn(state["turns"])[-1]
    stars = int(state["intent"].stars)
    record_ = FeedbackRecord(
        prompt=previous["core_prompt"],
        model=previous["model"],
        rating=stars_to_rating(stars),
        source="chat",
        time=datetime.now(timezone.utc),
    )
    resources_for(ctx).feedback.add([record_])
    return {
        "plan": None,
        "reply": f'Stored {stars}/5 for {previous["model"]} on "{previous["core_prompt"]}"; '
        "similar requests will weigh it when choosing a model.",
    }


def talk_messages(catalog, message: str) -> list[tuple[str, str]]:
    """The LLM's prompt for a question to the conversation: what the system does and the catalog's models."""
    cards = "; ".join(f"{c.id} ({', '.join(c.tags)})" for c in catalog.models[:TALK_MODELS])
    if len(catalog.models) > TALK_MODELS:
        cards += f"; and {len(catalog.models) - TALK_MODELS} more"
    return [
        ("system", prompts.TALK_SYSTEM.format(catalog=catalog.name, n=len(catalog.models), models=cards)),
        ("user", prompts.TALK_USER.format(message=message)),
    ]


def talk(state: ChatState, runtime: Runtime[Context]) -> dict:
    """A greeting, thanks or a question about the system: an answer, nothing drawn."""
    text = state["message"].lower()
    if state["intent"].change == "greeting" or not text.rstrip().endswith("?") and len(text.split()) <= 3:
        reply = THANKS_REPLY if re.search(r"\b(?:thanks?|thx|ty|cheers)\b", text) else GREETING_REPLY
        return {"plan": None, "reply": reply}
    ctx = context_of(runtime)
    catalog = resources_for(ctx).catalog
    ids = catalog.ids
    listed = ", ".join(ids[:12]) + (f" and {len(ids) - 12} more (dgpt models list)" if len(ids) > 12 else "")
    rules = MODELS_REPLY.format(catalog=catalog.name, n=len(ids), models=listed)
    intent = state["intent"]
    llm = _llm_for_prompts(ctx, intent)
    if llm is None:
        return {"plan": None, "reply": rules}
    # With a language model the question is answered in words, grounded in the catalog; streamed to a client that
    # asks for messages. The rules' reply stands in when it cannot answer in time.
    write = get_stream_writer()
    text, why = answer_text(
        llm, talk_messages(catalog, state["message"]), _budget(state), on_text=lambda piece: write({"token": piece})
    )
    update = {"plan": None, "reply": text or rules}
    if why:
        fallbacks = [*intent.fallbacks, {"node": "talk", "reason": why}]
        update["intent"] = intent.model_copy(update={"fallbacks": fallbacks})
    return update


def answer(state: ChatState, runtime: Runtime[Context]) -> dict:
    """A refinement or rating with no picture before it: say so, and how to start."""
    action = state["intent"].action
    what = "to rate" if action == "rate" else "to refine"
    return {
        "plan": None,
        "reply": (
            f'There is no picture in this conversation yet {what} ("{state["message"]}" reads as a {ACTION_WORDS[action]}). '
            'Describe the picture you want first, for example "a red fox in the snow".'
        ),
    }


def confirm(state: ChatState, runtime: Runtime[Context]) -> dict:
    """Opt-in human in the loop: pause before drawing; resuming runs this node again with the answer, then draws once."""
    ctx = context_of(runtime)
    planned = state["plan"]
    if not ctx.confirm:
        return {}
    candidate_ids = [c["id"] for c in planned.candidates]
    reply = interrupt(
        {
            "question": f"Draw with {planned.model}? Answer yes, no, or another model id.",
            "model": planned.model,
            "candidates": candidate_ids,
            "prompt": planned.prompt,
            "note": planned.note,
        }
    )
    catalog = resources_for(ctx).catalog
    choice = read_answer(reply, planned.model, candidate_ids, catalog)
    if choice is None:
        return {}
    if choice == "":
        return {"plan": planned.model_copy(update={"cancelled": True}), "reply": "Cancelled: nothing was drawn."}
    card = catalog.get(choice)
    prompt, _ = prompt_for(card, planned.core_prompt, None)
    return {
        "plan": planned.model_copy(
            update={
                "model": choice,
                "prompt": prompt,
                "negative_prompt": card.negative_prompt,
                "fallback_order": [],
                "reused_model": False,
                "init_image": None,
                "strength": None,
                "note": f"model chosen by the user: {choice}",
            }
        )
    }


def route_after_plan(state: ChatState) -> str:
    planned = state.get("plan")
    return "confirm" if planned and not planned.images else "record"


def route_after_confirm(state: ChatState) -> str:
    return "record" if state["plan"].cancelled else "draw"


def draw(state: ChatState, runtime: Runtime[Context]) -> dict:
    """Call the chosen model's tool. If it cannot load, the plan's `fallback_order` is tried next (the other
    candidates of a fresh search); a refinement of a picture stays with its model and reports the failure instead."""
    ctx = context_of(runtime)
    generator = generator_for(ctx)
    planned = state["plan"]
    # strength, model and negative prompt are already in the plan
    settings = {
        k: v
        for k, v in (state.get("settings") or {}).items()
        if k not in ("strength", "model", "negative_prompt") and v is not None
    }
    settings.setdefault("seed", planned.seed)
    strength = planned.strength or ctx.strength
    if planned.init_image:
        # Image-to-image runs int(steps * strength) steps; a short schedule at low strength would run none.
        steps = settings.get("steps") or generator.catalog.get(planned.model).defaults.steps
        if steps < min_img2img_steps(strength):
            settings["steps"] = min_img2img_steps(strength)
        settings["image"] = planned.init_image
    settings["strength"] = strength
    order = [planned.model] + [m for m in planned.fallback_order if m != planned.model]
    sidecar = {
        "message": state["message"],
        "action": state["intent"].action,
        "core_prompt": planned.core_prompt,
        "refinement_of": state["intent"].refinement_of,
        "note": planned.note,
    }
    drawn_ = draw_with_fallback(
        generator,
        order,
        planned.core_prompt,
        planned.prompt,
        planned.negative_prompt,
        settings,
        sidecar,
        call_id="chat",
    )
    update: dict = {"generation": drawn_.result}
    if drawn_.model != planned.model:
        note = "; ".join(filter(None, [planned.note, f"{planned.model} could not be loaded, drew with {drawn_.model}"]))
        planned = planned.model_copy(
            update={
                "model": drawn_.model,
                "prompt": drawn_.prompt,
                "negative_prompt": drawn_.negative_prompt,
                "reused_model": False,
                "note": note,
            }
        )
        update["plan"] = planned
    if drawn_.failures:
        update["plan"] = planned.model_copy(update={"load_fallbacks": drawn_.failures})
    return update


def record(state: ChatState, runtime: Runtime[Context]) -> dict:
    """Append this turn to the thread and write the reply."""
    turns = state.get("turns") or []
    intent, gen = state["intent"], state.get("generation")
    planned = state.get("plan")
    fields = planned.model_dump(exclude={"cancelled"}) if planned else {}
    turn = {
        "turn": len(turns) + 1,
        "message": state["message"],
        "action": intent.action,
        "change": intent.change,
        "refinement_of": intent.refinement_of,
        "stars": intent.stars,
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "llm_mode": intent.llm_mode,
        "fallbacks": list(intent.fallbacks),  # a turn that plans nothing still says which LLM steps fell back
        **fields,
        "images": fields.get("images") or [],
    }
    if gen:
        turn.update(
            images=gen["images"],
            seed=gen["seed"],
            steps=gen["steps"],
            guidance=gen["guidance"],
            size=[gen["width"], gen["height"]],
            cache_hit=gen["cache_hit"],
            evicted=gen["evicted"],
            timings_ms={**fields.get("timings_ms", {}), "load": gen["load_ms"], "generate": gen["generate_ms"]},
        )
    reply = state.get("reply") or ""
    if gen:
        what = ACTION_WORDS[intent.action]
        note = fields.get("note") or ""
        head = what.split(" (")[0] + ": "
        note = note[len(head) :] if note.startswith(head) else note  # the reply already opens with the action
        reply = (
            f"{what[0].upper()}{what[1:]}: drew with {turn['model']}"
            + (f" ({note})" if note else "")
            + f". {gen['images'][0]}"
        )
    turn["reply"] = reply
    # `message` is cleared so that a chat client's next turn, which sends only `messages`, is read from those.
    return {"turns": [turn], "reply": reply, "message": "", "messages": [reply_message(turn)]}


INLINE_PICTURE_BYTES = 4 * 1024 * 1024  # larger pictures are named by path only: the thread store keeps every message


def reply_message(turn: dict) -> AIMessage:
    """The turn as the transcript's AI message: the reply, then the picture inline (a standard base64 image block,
    which Agent Chat UI shows); the file paths and the model in `additional_kwargs["dgpt"]`."""
    import base64
    from pathlib import Path

    content: list[dict] = [{"type": "text", "text": turn["reply"]}]
    images = turn.get("images") or []
    if images and Path(images[0]).is_file() and Path(images[0]).stat().st_size <= INLINE_PICTURE_BYTES:
        data = base64.b64encode(Path(images[0]).read_bytes()).decode()
        content.append({"type": "image", "base64": data, "mime_type": "image/png"})
    meta = {k: turn.get(k) for k in ("turn", "action", "model", "seed", "prompt", "images") if turn.get(k) is not None}
    return AIMessage(content=content, additional_kwargs={"dgpt": meta})
