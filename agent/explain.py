"""Human-readable account of a selection result (`dgpt select --explain`)."""

from __future__ import annotations

KIND_WORDS = {
    "prompt": "a prompt (a description to draw as is)",
    "instruction": "an instruction (a command to make an image)",
    "inspiration": "an inspiration (a wish to see something)",
    "hypothesis": "a hypothesis (a condition and what follows)",
}


def _node(node_id: str) -> str:
    return " / ".join(part.split(":", 1)[1] for part in node_id.split("/"))


def explain(result: dict) -> str:
    lines = [f"Request: {result['request']}"]
    lines.append(f'  read as {KIND_WORDS.get(result["kind"], result["kind"])}; core prompt: "{result["core_prompt"]}"')
    if result["styles"] or result["subjects"]:
        lines.append(
            f"  styles asked for: {', '.join(result['styles']) or 'none'}; subjects: {', '.join(result['subjects']) or 'none'}"
        )
    lines.append("Tree-of-Thought search over the model tree:")
    for step in result["trace"]:
        if step["step"] == "expand":
            kept = ", ".join(f"{_node(k['node'])} {k['score']:.2f}" for k in step["kept"])
            pruned = ", ".join(f"{_node(k['node'])} {k['score']:.2f}" for k in step["pruned"][:4])
            more = f" (+{len(step['pruned']) - 4} more)" if len(step["pruned"]) > 4 else ""
            lines.append(f"  {step['level']}: kept {kept}" + (f"; pruned {pruned}{more}" if pruned else ""))
        elif step["step"] == "evaluate":
            why = f" (it offers no model of {' and '.join(step['unmet'])})" if step.get("unmet") else ""
            lines.append(
                f"  branch {_node(step['branch'])}: best model {step['best_model']} {step['best_score']:.2f} -> {step['status']}{why}"
            )
        elif step["step"] == "backtrack":
            notes = []
            if step.get("skipped"):
                notes.append(f"passing over {step['skipped']} alternative(s) with no model meeting the request")
            if step.get("extra"):
                notes.append("replacing a branch that missed the request; not counted against the backtrack limit")
            lines.append(f"  backtrack to {_node(step['to'])} ({step['score']:.2f})" + "".join(f"; {n}" for n in notes))
        elif step["step"] == "relax":
            lines.append(
                f"  requirement relaxed: {step['constraint']} {' or '.join(step['words'])} ({step['reason']}), "
                "so the search does not insist on it"
            )
        elif step["step"] == "fallback":
            lines.append(f"  no branch was good enough ({step['reason']}); using {_node(step['branch'])}")
    if result["candidates"] and result["candidates"][0].get("pinned"):
        lines.append(f"Model given by the user: {result['model']} (no search)")
    else:
        lines.append("Candidates (score = relevance + weight x (advantage - 0.5)):")
    for c in [c for c in result["candidates"] if not c.get("pinned")][:5]:
        lines.append(
            f"  {c['id']:<32} relevance {c['relevance']:.3f}  advantage {c['advantage']:.3f} "
            f"({c['rated_neighbours']} rated similar prompts, prior {c['prior']:.2f})  score {c['score']:.3f}"
        )
    lines.append(f"Chosen: {result['model']} ({result['model_name']}), tags {', '.join(result['tags'])}")
    lines.append(f"Prompt for the model: {result['extended_prompt']}")
    if result["negative_prompt"]:
        lines.append(f"Negative prompt: {result['negative_prompt']}")
    mode, why = result["llm_mode"], result.get("llm_reason") or ""
    if mode == "none":
        lines.append("LLM mode: none: rule-based parse, embedding-only search, template extension.")
        lines.append(f"  Why: {why}.")
        if "no endpoint configured" in why:
            lines.append(
                "  To use an LLM: set DGPT_LLM_BASE_URL and DGPT_LLM_MODEL (any OpenAI-compatible server) or OPENAI_API_KEY."
            )
    else:
        lines.append(f"LLM mode: {mode}" + (f"\n  Why: {why}." if why else ""))
    for fb in [f for f in result["fallbacks"] if f["node"] != "generate"]:
        lines.append(f"  LLM failed at {fb['node']} ({fb['reason']}); the rule-based step was used instead.")
    for fb in result.get("load_fallbacks", []):
        lines.append(f"  {fb['model']} could not be loaded ({fb['reason']}); the next candidate drew instead.")
    if result.get("images"):
        lines.append(
            f"Images ({'cached pipeline' if result['cache_hit'] else 'pipeline loaded'}, seed {result['seed']}): "
            + ", ".join(result["images"])
        )
    t = result["timings_ms"]
    lines.append("Timings (ms): " + ", ".join(f"{k} {v:.1f}" for k, v in t.items()))
    return "\n".join(lines)


def why_line(result: dict) -> str:
    """One line on why this model drew: what the request asked for and where the model ranked."""
    model = result.get("model")
    if not model:
        return "no model was chosen"
    name = result.get("model_name") or model
    candidates = result.get("candidates") or []
    if candidates and candidates[0].get("pinned"):
        return f"{name}: named in the request, so no search ran"
    asked = [*(result.get("styles") or []), *(result.get("subjects") or [])]
    head = f"{name} ({', '.join(result.get('tags') or [])})"
    top = next((c for c in candidates if c.get("id") == model), None)
    if top is None or top.get("score") is None:
        return f"{head} drew" + (f" for {', '.join(asked)}" if asked else "")
    rank = f"best of {len(candidates)} candidate{'s' * (len(candidates) != 1)}"
    evidence = (
        f"{top['rated_neighbours']} rated similar prompt{'s' * (top['rated_neighbours'] != 1)}"
        if top.get("rated_neighbours")
        else "no rated similar prompts, the prior"
    )
    return (
        f"{head}: {rank} for {', '.join(asked) or 'the request'}, score {top['score']:.2f} "
        f"(relevance {top['relevance']:.2f}, advantage {top['advantage']:.2f} from {evidence}); "
        f"LLM mode {result.get('llm_mode')}"
    )
