"""The selection graph's nodes: parse → tot → select → extend, and for the generation graph pin and generate. Each
returns a partial state update."""

from __future__ import annotations

import time
from collections.abc import Collection
from typing import Callable

from langgraph.runtime import Runtime

from graphs.context import Context, context_of
from graphs.llm import prompts
from graphs.llm.budget import Budget, clock_for, nested
from graphs.llm.factory import chat_model_for
from graphs.llm.schemas import BranchVote, ParsedPrompt
from graphs.llm.structured import ask
from graphs.reading.lexicon import lexicon_styles, named_looks
from graphs.reading.naming import named_models
from graphs.reading.rules import GENRE_STYLES, mentions_subject, rule_parse
from graphs.reading.steering import strip_steering
from graphs.resources import generator_for, resources_for
from graphs.selection.drawing import draw_with_fallback
from graphs.selection.extension import prompt_for
from graphs.selection.scoring import apply_vote, model_scores, node_scores
from graphs.selection.search import Constraint, tot_search
from graphs.selection.state import SelectionState
from tools.advantage import AdvantageParams, advantage

MAX_CANDIDATES = 8


def timed(name: str) -> Callable:
    """Record the node's wall time in `timings_ms` (the CLI's --json reports it per node)."""

    def wrap(fn):
        def node(state: SelectionState, runtime: Runtime[Context]) -> dict:
            start = time.perf_counter()
            update = fn(state, runtime)
            # A node may report finer timings itself (generate: load and draw); those win over its wall time.
            update["timings_ms"] = {
                name: round((time.perf_counter() - start) * 1000, 2),
                **update.get("timings_ms", {}),
            }
            return update

        node.__name__ = name
        return node

    return wrap


def _llm(state: SelectionState, ctx: Context):
    """The request's chat model for the steps after parse, unless parse found it is in no-LLM mode."""
    return chat_model_for(ctx)[0] if state.get("llm_mode", "none") != "none" else None


@timed("parse")
def parse(state: SelectionState, runtime: Runtime[Context]) -> dict:
    ctx = context_of(runtime)
    res = resources_for(ctx)
    vocab = res.catalog.vocabulary
    llm, mode, why_mode = chat_model_for(ctx)
    fallbacks = []
    parsed = None
    update = {}
    if llm is not None:
        # This node starts the request's LLM clock, unless a parent graph's turn started it (the conversation).
        budget = clock_for(state, starts_request=not nested(runtime))
        update["llm_clock"] = budget.clock()
        system = prompts.PARSE_SYSTEM.format(subjects=", ".join(vocab["subject"]), styles=", ".join(vocab["style"]))
        parsed, why = ask(llm, ParsedPrompt, system, prompts.PARSE_USER.format(request=state["request"]), budget)
        if parsed is None:
            fallbacks.append({"node": "parse", "reason": why})
        else:
            # Words outside the vocabulary would match no tree node; drop them rather than trust them.
            parsed = parsed.model_copy(
                update={
                    "styles": [s for s in parsed.styles if s in vocab["style"]],
                    "subjects": [s for s in parsed.subjects if s in vocab["subject"]],
                }
            )
    if parsed is None:
        parsed = rule_parse(state["request"], vocab)
    return {"parsed": parsed, "llm_mode": mode, "llm_reason": why_mode, "fallbacks": fallbacks, **update}


def constraints_for(catalog, parsed: ParsedPrompt, named: Collection[str] = ()) -> list[Constraint]:
    """What the request names outright, most important first: its styles, then its subjects (a requested style
    matters more, so subjects are relaxed first). A model meets one when its tags carry one of the words; `general`
    is no style, so a general-purpose model meets no style constraint by being general. A genre ("fantasy", read
    from "a dragon") counts only when no medium is asked for: "pixel art knight fighting a dragon" wants pixel art.
    A model the request names (`named`, graphs/reading/naming.py) meets every constraint: "LogoRedAF, a chef's hat"
    asks for that model, whatever its tags say about chefs."""
    styles = [w for w in parsed.styles if w != "general"]
    styles = [w for w in styles if w not in GENRE_STYLES] or styles
    out = []
    for facet, words in (("style", styles), ("subject", parsed.subjects)):
        words = tuple(dict.fromkeys(words))
        if words:
            out.append(Constraint(facet, words, catalog.tagged(words) | frozenset(named)))
    return out


@timed("tot")
def tot(state: SelectionState, runtime: Runtime[Context]) -> dict:
    ctx = context_of(runtime)
    res = resources_for(ctx)
    parsed = state["parsed"]
    # Lexical signals beside the embedding: models the request names, and the style lexicon's styles (already in a
    # rule parse; an LLM's parse may have missed "in the style of Monet").
    request = state.get("request") or parsed.core_prompt
    named = named_models(request, res.catalog)
    unsteered = strip_steering(request)
    lex_styles = lexicon_styles(unsteered, res.catalog.vocabulary["style"])
    looks = named_looks(unsteered)
    t0 = time.perf_counter()
    q = res.embedder.embed_query(parsed.core_prompt)
    embed_ms = round((time.perf_counter() - t0) * 1000, 2)
    res.feedback.prefetch(q, ctx.feedback_pool)  # select's lookup, run while the tree is searched
    node_sims, model_sims = res.node_vecs @ q, res.model_vecs @ q
    llm = _llm(state, ctx)
    budget = Budget.of(state.get("llm_clock"))
    fallbacks: list[dict] = []
    votes: dict[str, float] = {}  # leaf-branch id -> the LLM's vote bonus, carried on to the models under it

    def score_nodes(children: list[str]) -> dict[str, float]:
        nonlocal llm
        scores = node_scores(res.tree, res.node_row, node_sims, parsed, children, named, lex_styles)
        if llm is None:
            return scores
        names = {" / ".join(res.tree.path_words(c)): c for c in children}
        user = prompts.VOTE_USER.format(
            prompt=parsed.core_prompt,
            styles=", ".join(parsed.styles) or "none",
            branches="\n".join(f"- {n}" for n in names),
        )
        vote, why = ask(llm, BranchVote, prompts.VOTE_SYSTEM, user, budget)
        if vote is None:
            fallbacks.append({"node": "tot", "reason": why})
            llm = None  # one failure ends voting for this request, so a dead endpoint costs one timeout, not many
            return scores
        voted = apply_vote(scores, [names[n] for n in vote.ranked if n in names])
        votes.update({c: voted[c] - scores[c] for c in children})
        return voted

    result = tot_search(
        res.tree,
        score_nodes,
        lambda ids: model_scores(res.catalog, res.model_row, model_sims, parsed, ids, named, lex_styles, looks),
        beam_width=ctx.beam_width,
        threshold=ctx.threshold,
        max_backtracks=ctx.max_backtracks,
        constraints=constraints_for(res.catalog, parsed, named),
    )
    vote = {
        m: max((votes.get(b, 0.0) for b in result.branches if m in res.tree.nodes[b].models), default=0.0)
        for m in result.relevance
    }
    relevance = {m: r + vote[m] for m, r in result.relevance.items()}
    ranked = sorted(relevance.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]
    return {
        "candidates": [{"id": m, "relevance": round(r, 4), "vote": round(vote[m], 4)} for m, r in ranked],
        "trace": result.trace,
        "fallbacks": fallbacks,
        "timings_ms": {"embed": embed_ms},  # the query embedding, part of tot's time: the floor of a request
    }


def _same_subject(prompt: str, vocab) -> Callable[[str], bool] | None:
    """Rated prompts about another subject say little about this one, however close their wording: "a yellow 0 on
    white" sits nearest "a yellow circle on white", where a glyph model was rightly rated low. Both sides are read
    by the same keyword scan, so an LLM's parse cannot make them disagree; a prompt naming no subject keeps all."""
    wanted = set(mentions_subject(prompt, vocab))
    if not wanted:
        return None
    return lambda doc: not (found := set(mentions_subject(doc, vocab))) or bool(found & wanted)


@timed("select")
def select(state: SelectionState, runtime: Runtime[Context]) -> dict:
    ctx = context_of(runtime)
    res = resources_for(ctx)
    parsed = state["parsed"]
    ids = [c["id"] for c in state["candidates"]]
    q = res.embedder.embed_query(parsed.core_prompt)
    neighbours = res.feedback.neighbours(
        q, ids, ctx.feedback_pool, keep=_same_subject(parsed.core_prompt, res.catalog.vocabulary)
    )
    params = AdvantageParams(k=ctx.feedback_k, min_similarity=ctx.feedback_min_similarity, strength=ctx.shrinkage)
    scored = []
    for cand in state["candidates"]:
        card = res.catalog.get(cand["id"])
        styles = parsed.styles or card.tags_in("style", res.catalog.vocabulary)
        adv = advantage(neighbours[cand["id"]], res.priors.prior(cand["id"], styles), params)
        score = cand["relevance"] + ctx.advantage_weight * (adv.value - 0.5)
        scored.append(
            {
                **cand,
                "advantage": round(adv.value, 4),
                "prior": round(adv.prior, 4),
                "rated_neighbours": adv.neighbours,
                "score": round(score, 4),
            }
        )
    scored.sort(key=lambda c: (-c["score"], c["id"]))
    return {"candidates": scored, "model": scored[0]["id"]}


@timed("extend")
def extend(state: SelectionState, runtime: Runtime[Context]) -> dict:
    ctx = context_of(runtime)
    card = resources_for(ctx).catalog.get(state["model"])
    llm = _llm(state, ctx)
    text, fallback = prompt_for(
        card, state["parsed"].core_prompt, llm, state["parsed"].styles, budget=Budget.of(state.get("llm_clock"))
    )
    return {
        "extended_prompt": text,
        "negative_prompt": card.negative_prompt,
        "fallbacks": [fallback] if fallback else [],
    }


@timed("pin")
def pin(state: SelectionState, runtime: Runtime[Context]) -> dict:
    """`--model ID`: no search; the id is checked against the catalog like any other choice."""
    model = state["forced_model"]
    resources_for(context_of(runtime)).catalog.get(model)  # KeyError with the catalog's name if unknown
    return {
        "model": model,
        "candidates": [{"id": model, "relevance": None, "score": None, "pinned": True}],
        "trace": [],
    }


def route_after_parse(state: SelectionState) -> str:
    return "pin" if state.get("forced_model") else "tot"


@timed("generate")
def generate(state: SelectionState, runtime: Runtime[Context]) -> dict:
    """Draw with the chosen model's tool; if it cannot load, the next candidate, with the reason recorded."""
    ctx = context_of(runtime)
    decision = {
        "request": state["request"],
        "kind": state["parsed"].kind,
        "core_prompt": state["parsed"].core_prompt,
        "candidates": state["candidates"],
        "trace": state["trace"],
        "llm_mode": state.get("llm_mode"),
        "llm_reason": state.get("llm_reason"),
    }
    order = [state["model"]] + [c["id"] for c in state["candidates"] if c["id"] != state["model"]]
    if not state.get("forced_model"):
        # Past the search's candidates (when every model of a requested style fails to load), the nearest cards:
        # a picture from another model, with the failures reported, is more use than no picture.
        res = resources_for(ctx)
        sims = res.model_vecs @ res.embedder.embed_query(state["parsed"].core_prompt)
        order += [
            res.model_ids[i] for i in sorted(range(len(sims)), key=lambda i: -sims[i]) if res.model_ids[i] not in order
        ]
    settings = dict(state.get("settings") or {})
    negative = settings.pop("negative_prompt", None)  # the caller's own replaces the model's
    drawn = draw_with_fallback(
        generator_for(ctx),
        order,
        state["parsed"].core_prompt,
        state["extended_prompt"],
        state["negative_prompt"] if negative is None else negative,
        settings,
        decision,
    )
    result = drawn.result
    update = {
        "generation": result,
        "load_fallbacks": drawn.failures,
        "timings_ms": {"load": result["load_ms"], "generate": result["generate_ms"]},
    }
    if negative is not None:
        update["negative_prompt"] = negative
    if drawn.model != state["model"]:
        update.update({"model": drawn.model, "extended_prompt": drawn.prompt, "negative_prompt": drawn.negative_prompt})
    return update
