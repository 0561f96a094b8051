"""The conversation graph's nodes. Each message is one turn:

    interpret → search (new request, style or content change) ─┐
              → reuse (local change, another seed)            ─┼→ confirm → draw → record
              → switch (a different model)                    ─┘
              → revert / rate / answer (nothing to refine yet)  → record

Turns are kept in the thread's state (`turns`), so a refinement reads the last picture's prompt, model, seed and file.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from functools import lru_cache

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from graphs import prompts
from graphs.chat_state import ChatState
from graphs.context import Context, context_of
from graphs.nodes import _resources, chat_model, prompt_for
from graphs.refine import merge_content, merge_style, rule_intent
from graphs.schemas import TurnIntent
from tools.generate import GenerateArgs
from tools.pipelines import ModelLoadError

ACCEPT = {"", "y", "yes", "ok", "okay", "sure", "go", "draw", "accept", "true"}
CANCEL = {"n", "no", "cancel", "stop", "abort", "false"}
ACTION_WORDS = {
    "new": "new request",
    "style": "style change",
    "content": "content change",
    "local": "local change (image-to-image from the last picture)",
    "reseed": "another one (new seed)",
    "next_model": "a different model",
    "revert": "back to an earlier picture",
    "rate": "rating",
}


@lru_cache(maxsize=1)
def _selection_graph():
    from graphs.graph import build_selection_graph

    return build_selection_graph().compile()


def drawn(turns: list[dict]) -> list[dict]:
    """Turns that show a picture (a revert shows an earlier one again), oldest first."""
    return [t for t in turns if t.get("images")]


def _intent_from_llm(llm, text: str, previous: dict | None, n_turns: int) -> tuple[TurnIntent | None, str]:
    from graphs.llm import structured

    out, why = structured(
        llm,
        TurnIntent,
        [
            ("system", prompts.INTERPRET_SYSTEM),
            ("user", prompts.INTERPRET_USER.format(
                previous=previous["core_prompt"] if previous else "(none: nothing drawn yet)", turns=n_turns, message=text)),
        ],
    )
    if out is None:
        return None, why
    if out.action == "rate" and out.stars is None:
        return None, "a rating without stars"
    if out.action in ("style", "content", "local") and previous and not out.prompt.strip():
        # The LLM named the change but wrote no prompt: apply the change to the previous prompt by rule.
        core = previous["core_prompt"]
        merged = (merge_style(core, out.change) if out.action == "style" else
                  merge_content(core, "with", out.change) if out.action == "content" else f"{core}, {out.change}")
        out = out.model_copy(update={"prompt": merged})
    if out.action == "new" and not out.prompt.strip():
        out = out.model_copy(update={"prompt": text})
    return out, ""


def interpret(state: ChatState, runtime: Runtime[Context]) -> dict:
    ctx = context_of(runtime)
    text = " ".join(state["message"].split())
    turns = state.get("turns") or []
    pictures = drawn(turns)
    previous = pictures[-1] if pictures else None
    llm, mode = chat_model(ctx)
    fallbacks, intent = [], None
    if llm is not None:
        intent, why = _intent_from_llm(llm, text, previous, len(turns))
        if intent is None:
            fallbacks.append({"node": "interpret", "reason": why})
    if intent is None:
        intent = rule_intent(text, previous["core_prompt"] if previous else None)
    refinement_of = previous["turn"] if previous and intent.action != "new" else None
    return {
        "intent": {**intent.model_dump(), "refinement_of": refinement_of, "llm_mode": mode, "fallbacks": fallbacks},
        "plan": None,
        "generation": None,
        "reply": "",
    }


def route_intent(state: ChatState) -> str:
    intent = state["intent"]
    if intent["action"] == "new":
        return "search"
    if intent["refinement_of"] is None:
        return "answer"
    return {"style": "search", "content": "search", "local": "reuse", "reseed": "reuse", "next_model": "switch",
            "revert": "revert", "rate": "rate"}[intent["action"]]


def _llm_for_prompts(ctx: Context, intent: dict):
    return chat_model(ctx)[0] if intent.get("llm_mode", "none") != "none" else None


def search(state: ChatState, runtime: Runtime[Context]) -> dict:
    """Run the model search on the request (new) or on the previous prompt with the change applied."""
    ctx = context_of(runtime)
    intent = state["intent"]
    request = state["message"] if intent["action"] == "new" else intent["prompt"]
    sel = _selection_graph().invoke({"request": request}, context=ctx)
    parsed = sel["parsed"]
    plan = {
        "model": sel["model"], "prompt": sel["extended_prompt"], "negative_prompt": sel["negative_prompt"],
        "core_prompt": parsed.core_prompt, "kind": parsed.kind, "styles": parsed.styles, "subjects": parsed.subjects,
        "candidates": sel["candidates"], "trace": sel["trace"], "llm_mode": sel["llm_mode"],
        "llm_reason": sel.get("llm_reason", ""),
        "fallbacks": intent["fallbacks"] + sel.get("fallbacks", []), "timings_ms": sel.get("timings_ms", {}),
        "reused_model": False, "note": "", "seed": None, "init_image": None, "strength": None,
        "fallback_order": [c["id"] for c in sel["candidates"] if c["id"] != sel["model"]],
    }
    pictures = drawn(state.get("turns") or [])
    previous = pictures[-1] if intent["refinement_of"] is not None and pictures else None
    if previous is None:
        return {"plan": plan}
    old = previous["model"]
    scores = {c["id"]: c["score"] for c in sel["candidates"]}
    best = sel["candidates"][0]
    if intent["action"] == "content" and old in scores and best["score"] - scores[old] <= ctx.keep_margin:
        # A content change keeps the model unless the search clearly prefers another: same look, new content.
        if old != plan["model"]:
            card = _resources(ctx).catalog.get(old)
            plan["prompt"], fb = prompt_for(card, parsed.core_prompt, _llm_for_prompts(ctx, intent))
            plan["negative_prompt"] = card.negative_prompt
            plan["fallbacks"] += [fb] if fb else []
        plan.update(model=old, reused_model=True, fallback_order=[], note=(
            f"content change: kept {old}, the search still ranks it first" if old == best["id"] else
            f"content change: kept {old}, within {ctx.keep_margin} of the best candidate {best['id']}"))
    elif intent["action"] == "content":
        why = "no longer a candidate" if old not in scores else f"{best['id']} scores {best['score'] - scores[old]:.2f} higher"
        plan["note"] = f"content change: switched from {old} to {plan['model']} ({why})"
    else:
        plan["reused_model"] = plan["model"] == old
        plan["note"] = f"style change: searched again; {'kept' if plan['reused_model'] else 'switched from ' + old + ' to'} {plan['model']}"
    return {"plan": plan}


def _carry(previous: dict) -> dict:
    keys = ("model", "prompt", "negative_prompt", "core_prompt", "kind", "styles", "subjects", "candidates", "trace",
            "llm_mode", "llm_reason", "seed", "init_image", "strength")
    # A refinement of a picture stays with its model: no fallback to another one if it cannot load.
    return {k: previous.get(k) for k in keys} | {"fallbacks": [], "timings_ms": {}, "fallback_order": []}


def reuse(state: ChatState, runtime: Runtime[Context]) -> dict:
    """Same model. Local change: image-to-image from the last picture; another one: same prompt, new seed."""
    ctx = context_of(runtime)
    intent = state["intent"]
    previous = drawn(state["turns"])[-1]
    plan = _carry(previous) | {"reused_model": True, "fallbacks": list(intent["fallbacks"])}
    if intent["action"] == "reseed":
        plan.update(seed=None, note=f"another one: {previous['model']} again with a new seed")
        return {"plan": plan}
    card = _resources(ctx).catalog.get(previous["model"])
    prompt, fb = prompt_for(card, intent["prompt"], _llm_for_prompts(ctx, intent))
    strength = (state.get("settings") or {}).get("strength") or ctx.strength
    plan.update(
        prompt=prompt, core_prompt=intent["prompt"], init_image=previous["images"][0], strength=strength,
        note=f"local change: image-to-image from turn {previous['turn']} with {previous['model']} (strength {strength})",
    )
    plan["fallbacks"] += [fb] if fb else []
    return {"plan": plan}


def switch(state: ChatState, runtime: Runtime[Context]) -> dict:
    """The next candidate of the last search that has not drawn this prompt yet, from the same seed."""
    ctx = context_of(runtime)
    pictures = drawn(state["turns"])
    previous = pictures[-1]
    tried = {t["model"] for t in pictures if t["core_prompt"] == previous["core_prompt"]}
    untried = [c["id"] for c in previous.get("candidates") or [] if c["id"] not in tried]
    if not untried:
        return {"plan": None, "reply": (
            f"Every candidate for \"{previous['core_prompt']}\" has drawn it already ({', '.join(sorted(tried))}); "
            "try rephrasing the request or name a model with --model.")}
    nxt = untried[0]
    card = _resources(ctx).catalog.get(nxt)
    prompt, fb = prompt_for(card, previous["core_prompt"], _llm_for_prompts(ctx, state["intent"]))
    plan = _carry(previous) | {
        "model": nxt, "prompt": prompt, "negative_prompt": card.negative_prompt, "reused_model": False,
        "init_image": None, "strength": None, "fallbacks": list(state["intent"]["fallbacks"]) + ([fb] if fb else []),
        "fallback_order": untried[1:],
        "note": f"a different model: {nxt}, the next candidate after {', '.join(sorted(tried))} (same seed)",
    }
    return {"plan": plan}


def revert(state: ChatState, runtime: Runtime[Context]) -> dict:
    """Show an earlier picture again; the next refinement builds on it. Nothing is drawn."""
    pictures = [t for t in drawn(state["turns"]) if t["action"] != "revert"]
    target = state["intent"].get("target_turn")
    if target is None:  # "the previous one", "undo": the picture before the last one
        chosen = pictures[-2] if len(pictures) > 1 else None
    else:
        chosen = pictures[target - 1] if 1 <= target <= len(pictures) else None
    if chosen is None:
        n = len(pictures)
        return {"plan": None, "reply": f"There is no such picture to go back to: this thread has {n} picture{'s' * (n != 1)}."}
    plan = _carry(chosen) | {"images": chosen["images"], "reused_model": True, "note": f"back to turn {chosen['turn']}"}
    return {"plan": plan, "reply": f"Back to the picture of turn {chosen['turn']} ({chosen['model']}): {chosen['images'][0]}"}


def rate(state: ChatState, runtime: Runtime[Context]) -> dict:
    """Store the rating against the last picture's prompt and model: similar requests in any thread will weigh it."""
    from tools.feedback import FeedbackRecord, stars_to_rating

    ctx = context_of(runtime)
    previous = drawn(state["turns"])[-1]
    stars = int(state["intent"]["stars"])
    record = FeedbackRecord(prompt=previous["core_prompt"], model=previous["model"], rating=stars_to_rating(stars),
                            source="chat", time=datetime.now(timezone.utc))
    _resources(ctx).feedback.add([record])
    return {"plan": None, "reply": f"Stored {stars}/5 for {previous['model']} on \"{previous['core_prompt']}\"; "
                                   "similar requests will weigh it when choosing a model."}


def answer(state: ChatState, runtime: Runtime[Context]) -> dict:
    """A refinement or rating with no picture before it: say so, and how to start."""
    action = state["intent"]["action"]
    what = "to rate" if action == "rate" else "to refine"
    return {"plan": None, "reply": (
        f"There is no picture in this conversation yet {what} (\"{state['message']}\" reads as a {ACTION_WORDS[action]}). "
        "Describe the picture you want first, for example \"a red fox in the snow\".")}


def _read_answer(answer, plan: dict, catalog) -> str | None:
    """None to draw as planned, "" to cancel, or a model id to draw with instead."""
    if isinstance(answer, dict):
        answer = answer.get("model") or ("yes" if answer.get("accept", True) else "no")
    if answer is None or answer is True:
        return None
    if answer is False:
        return ""
    text = str(answer).strip()
    if text.lower() in ACCEPT or text == plan["model"]:
        return None
    if text.lower() in CANCEL:
        return ""
    if text not in catalog.ids:
        ids = [c["id"] for c in plan.get("candidates") or []][:5]
        raise ValueError(f"'{text}' is not a model in catalog '{catalog.name}'; answer yes, no, or one of {', '.join(ids)}")
    return text


def confirm(state: ChatState, runtime: Runtime[Context]) -> dict:
    """Opt-in human in the loop: pause before drawing; resuming runs this node again with the answer, then draws once."""
    ctx = context_of(runtime)
    plan = state["plan"]
    if not ctx.confirm:
        return {}
    answer_ = interrupt({
        "question": f"Draw with {plan['model']}? Answer yes, no, or another model id.",
        "model": plan["model"], "candidates": [c["id"] for c in plan.get("candidates") or []],
        "prompt": plan["prompt"], "note": plan.get("note", ""),
    })
    catalog = _resources(ctx).catalog
    choice = _read_answer(answer_, plan, catalog)
    if choice is None:
        return {}
    if choice == "":
        return {"plan": {**plan, "cancelled": True}, "reply": "Cancelled: nothing was drawn."}
    card = catalog.get(choice)
    prompt, _ = prompt_for(card, plan["core_prompt"], None)
    return {"plan": {**plan, "model": choice, "prompt": prompt, "negative_prompt": card.negative_prompt, "fallback_order": [],
                     "reused_model": False, "init_image": None, "strength": None, "note": f"model chosen by the user: {choice}"}}


def route_after_plan(state: ChatState) -> str:
    plan = state.get("plan")
    return "confirm" if plan and not plan.get("images") else "record"


def route_after_confirm(state: ChatState) -> str:
    return "record" if state["plan"].get("cancelled") else "draw"


def draw(state: ChatState, runtime: Runtime[Context]) -> dict:
    """Call the chosen model's tool. If it cannot load, the plan's `fallback_order` is tried next (the other
    candidates of a fresh search); a refinement of a picture stays with its model and reports the failure instead."""
    from graphs.resources import get_generator

    ctx = context_of(runtime)
    generator = ctx.generator or get_generator(ctx.catalog, ctx.home)
    catalog = _resources(ctx).catalog
    plan = state["plan"]
    settings = {k: v for k, v in (state.get("settings") or {}).items() if k != "strength" and v is not None}
    settings.setdefault("seed", plan.get("seed"))
    order = [plan["model"]] + [m for m in plan.get("fallback_order") or [] if m != plan["model"]]
    failures: list[dict] = []
    strength = plan.get("strength") or ctx.strength
    if plan.get("init_image"):
        # Image-to-image runs int(steps * strength) steps; a short schedule at low strength would run none.
        steps = settings.get("steps") or catalog.get(plan["model"]).defaults.steps
        if int(steps * strength) < 1:
            settings["steps"] = math.ceil(1 / strength)
    for model_id in order:
        card = catalog.get(model_id)
        prompt, negative = (plan["prompt"], plan["negative_prompt"]) if model_id == plan["model"] else (
            prompt_for(card, plan["core_prompt"], None)[0], card.negative_prompt)
        args = GenerateArgs(prompt=prompt, negative_prompt=negative, image=plan.get("init_image"), strength=strength, **settings).model_dump(exclude_none=True)
        tool = generator.tools_by_id()[model_id]
        sidecar = {"message": state["message"], "action": state["intent"]["action"], "core_prompt": plan["core_prompt"],
                   "refinement_of": state["intent"]["refinement_of"], "note": plan.get("note", "")}
        try:
            message = tool.invoke({"type": "tool_call", "name": tool.name, "args": args, "id": f"chat-{model_id}"},
                                  config={"metadata": {"sidecar": sidecar}})
        except ModelLoadError as e:
            failures.append({"model": model_id, "reason": str(e)})
            continue
        update = {"generation": message.artifact}
        if model_id != plan["model"]:
            update["plan"] = {**plan, "model": model_id, "prompt": prompt, "negative_prompt": negative, "reused_model": False,
                              "note": "; ".join(filter(None, [plan.get("note"), f"{plan['model']} could not be loaded, drew with {model_id}"]))}
        if failures:
            update.setdefault("plan", dict(plan))["load_fallbacks"] = failures
        return update
    raise ModelLoadError("no candidate model could be loaded: " + "; ".join(f"{f['model']}: {f['reason']}" for f in failures))


def record(state: ChatState, runtime: Runtime[Context]) -> dict:
    """Append this turn to the thread and write the reply."""
    turns = state.get("turns") or []
    intent, plan, gen = state["intent"], state.get("plan") or {}, state.get("generation")
    turn = {
        "turn": len(turns) + 1, "message": state["message"], "action": intent["action"], "change": intent.get("change", ""),
        "refinement_of": intent["refinement_of"], "stars": intent.get("stars"),
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        **{k: v for k, v in plan.items() if k not in ("cancelled",)},
        "images": plan.get("images") or [],
    }
    if gen:
        turn.update(images=gen["images"], seed=gen["seed"], steps=gen["steps"], guidance=gen["guidance"],
                    size=[gen["width"], gen["height"]], cache_hit=gen["cache_hit"], evicted=gen["evicted"],
                    timings_ms={**plan.get("timings_ms", {}), "load": gen["load_ms"], "generate": gen["generate_ms"]})
    reply = state.get("reply") or ""
    if gen:
        what = ACTION_WORDS[intent["action"]]
        note = plan.get("note") or ""
        head = what.split(" (")[0] + ": "
        note = note[len(head):] if note.startswith(head) else note  # the reply already opens with the action
        reply = f"{what[0].upper()}{what[1:]}: drew with {turn['model']}" + (f" ({note})" if note else "") + f". {gen['images'][0]}"
    turn["reply"] = reply
    return {"turns": [turn], "reply": reply}
