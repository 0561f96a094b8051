""" "Why this model, as a picture": a turn's Tree-of-Thought search drawn as an SVG from its `trace` and
`candidates` (the same fields `dgpt select --json` prints; `agent/explain.py` reads them as text).

Columns are the tree's levels (root, then each level the search expanded, then the models the kept branches offer);
a node is green when kept, grey when pruned, orange when the search backtracked to it, red when its branch was
abandoned. Under the tree: relaxed requirements and fallbacks, then each candidate's relevance, advantage, prior and
score as bars. Plain SVG, no script, every label escaped: the page shows it inline.
"""

from __future__ import annotations

from html import escape
from typing import Any

COL_W, ROW_H, BOX_W, BOX_H, PAD = 200, 30, 168, 22, 16
MAX_PRUNED = 5  # pruned nodes drawn per level; the rest are counted
COLOURS = {
    "kept": ("#d9f2dd", "#2e7d32"),
    "pruned": ("#f1f1f1", "#9e9e9e"),
    "backtrack": ("#ffe7c2", "#e65100"),
    "abandoned": ("#fde0e0", "#c62828"),
    "chosen": ("#cfe3ff", "#1565c0"),
    "root": ("#ffffff", "#424242"),
}


def _label(node: str) -> str:
    return node.rsplit("/", 1)[-1].split(":", 1)[-1]


def _parent(node: str) -> str:
    return node.rsplit("/", 1)[0] if "/" in node else "root"


def _text(x: float, y: float, s: str, size: int = 12, anchor: str = "start", weight: str = "normal", fill="#212121"):
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
        f'fill="{fill}">{escape(s)}</text>'
    )


def _box(x: float, y: float, label: str, status: str, title: str, dashed: bool = False) -> str:
    fill, stroke = COLOURS[status]
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    short = label if len(label) <= 24 else label[:23] + "…"
    return (
        f'<g class="node {status}"><title>{escape(title)}</title>'
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="5" fill="{fill}" stroke="{stroke}"'
        f' stroke-width="1.5"{dash}/>' + _text(x + 7, y + 15, short, 12) + "</g>"
    )


def search_svg(result: dict[str, Any]) -> str:
    """The SVG of one turn's search (a selection or turn result as a dict); a short note when no search ran."""
    trace = result.get("trace") or []
    candidates = [c for c in result.get("candidates") or [] if c.get("score") is not None]
    chosen = result.get("model")
    if not trace and not candidates:
        pinned = (result.get("candidates") or [{}])[0].get("pinned")
        why = "the model was named, so no search ran" if pinned else "this turn ran no model search"
        return _wrap(480, 40, [_text(PAD, 24, f"No tree to draw: {why}.", 13)])

    # -- which nodes, in which column, with which status --------------------------------------------------------
    levels: list[str] = []
    nodes: dict[str, dict] = {}  # node id -> {"col", "score", "status", "order"}
    backtracks = 0

    def put(node: str, col: int, score: float, status: str) -> None:
        old = nodes.get(node)
        rank = {"pruned": 0, "kept": 1, "backtrack": 2, "abandoned": 3}
        if old is None:
            nodes[node] = {"col": col, "score": score, "status": status, "order": len(nodes), "note": ""}
        elif rank[status] > rank[old["status"]]:
            old["status"] = status

    notes: list[str] = []
    evaluations: list[dict] = []
    for step in trace:
        kind = step.get("step")
        if kind == "expand":
            if step["level"] not in levels:
                levels.append(step["level"])
            col = levels.index(step["level"]) + 1
            for k in step.get("kept") or []:
                put(k["node"], col, k["score"], "kept")
            for k in step.get("pruned") or []:
                put(k["node"], col, k["score"], "pruned")
        elif kind == "evaluate":
            evaluations.append(step)
            if step.get("status") == "abandoned" and step["branch"] in nodes:
                nodes[step["branch"]]["status"] = "abandoned"
        elif kind == "backtrack":
            backtracks += 1
            if step["to"] in nodes:
                nodes[step["to"]]["status"] = "backtrack"
                nodes[step["to"]]["note"] = f"backtrack {backtracks}"
            notes.append(f"backtrack {backtracks}: to {step['to'].replace('/', ' / ')} ({step['score']:.2f})")
        elif kind == "relax":
            notes.append(f"requirement relaxed: {step['constraint']} {' or '.join(step['words'])} ({step['reason']})")
        elif kind == "fallback":
            notes.append(f"no branch good enough ({step['reason']}); used {step['branch'].replace('/', ' / ')}")

    # Pruned nodes beyond MAX_PRUNED per column are counted, not drawn.
    shown: dict[int, list[str]] = {}
    hidden: dict[int, int] = {}
    for node, info in sorted(nodes.items(), key=lambda kv: (kv[1]["status"] == "pruned", kv[1]["order"])):
        col = info["col"]
        pruned_shown = sum(1 for n in shown.get(col, []) if nodes[n]["status"] == "pruned")
        if info["status"] == "pruned" and pruned_shown >= MAX_PRUNED:
            hidden[col] = hidden.get(col, 0) + 1
            continue
        shown.setdefault(col, []).append(node)

    models: list[str] = []
    model_status: dict[str, str] = {}
    for ev in evaluations:
        m = ev["best_model"]
        if m not in models:
            models.append(m)
        status = "chosen" if m == chosen else ("kept" if ev.get("status") == "kept" else "abandoned")
        if model_status.get(m) != "chosen":
            model_status[m] = status if model_status.get(m) != "kept" or status == "chosen" else "kept"
    model_col = len(levels) + 1
    rows = max([1, len(models)] + [len(v) + (1 if hidden.get(c) else 0) for c, v in shown.items()])

    top = 46
    pos: dict[str, tuple[float, float]] = {}
    parts: list[str] = []
    width = PAD * 2 + COL_W * (model_col + 1) - (COL_W - BOX_W)
    headers = ["root", *levels, "models"]
    for col, name in enumerate(headers):
        parts.append(_text(PAD + col * COL_W, 30, name, 13, weight="bold", fill="#424242"))
    pos["root"] = (PAD, top)
    for col, col_nodes in shown.items():
        for row, node in enumerate(col_nodes):
            pos[node] = (PAD + col * COL_W, top + row * ROW_H)
        if hidden.get(col):
            y = top + len(col_nodes) * ROW_H + 15
            parts.append(_text(PAD + col * COL_W + 7, y, f"+{hidden[col]} more pruned", 11, fill="#757575"))
    for row, m in enumerate(models):
        pos["model:" + m] = (PAD + model_col * COL_W, top + row * ROW_H)

    edges: list[str] = []

    def edge(a: str, b: str, colour: str, dashed: bool = False, label: str | None = None) -> None:
        if a not in pos or b not in pos:
            return
        (x1, y1), (x2, y2) = pos[a], pos[b]
        x1, y1, x2, y2 = x1 + BOX_W, y1 + BOX_H / 2, x2, y2 + BOX_H / 2
        mid = (x1 + x2) / 2
        dash = ' stroke-dasharray="4 3"' if dashed else ""
        edges.append(
            f'<path d="M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}" fill="none" '
            f'stroke="{colour}" stroke-width="1.4"{dash}/>'
        )
        if label:
            edges.append(_text(x2 - 4, y2 - 4, label, 10, anchor="end", fill=colour))

    for node in pos:
        if node in nodes:
            status = nodes[node]["status"]
            edge(_parent(node), node, COLOURS[status][1], dashed=status == "pruned")
    for ev in evaluations:
        m = ev["best_model"]
        ok = ev.get("status") == "kept"
        edge(ev["branch"], "model:" + m, COLOURS["kept" if ok else "abandoned"][1], not ok, f"{ev['best_score']:.2f}")

    boxes = [_box(*pos["root"], "root", "root", "the tree's root")]
    for node, (x, y) in pos.items():
        if node in nodes:
            info = nodes[node]
            label = f"{_label(node)}  {info['score']:.2f}" + (f"  ↩{info['note'].split()[-1]}" if info["note"] else "")
            title = f"{node}: {info['status']}, score {info['score']:.3f}" + (
                f" ({info['note']})" if info["note"] else ""
            )
            boxes.append(_box(x, y, label, info["status"], title, dashed=info["status"] == "pruned"))
    for ev in evaluations:
        if ev.get("status") == "abandoned" and ev.get("unmet"):
            notes.append(
                f"branch {ev['branch'].replace('/', ' / ')} abandoned: no model of {' and '.join(ev['unmet'])}"
            )
    for m in models:
        x, y = pos["model:" + m]
        title = f"{m}: " + ("chosen" if m == chosen else model_status[m])
        boxes.append(_box(x, y, ("★ " if m == chosen else "") + m, model_status[m], title))

    y = top + rows * ROW_H + 24
    legend = [("kept", "kept"), ("pruned", "pruned"), ("backtrack", "backtracked to"), ("abandoned", "abandoned")]
    lx = PAD
    for status, word in legend:
        fill, stroke = COLOURS[status]
        parts.append(f'<rect x="{lx}" y="{y - 10}" width="12" height="12" rx="2" fill="{fill}" stroke="{stroke}"/>')
        parts.append(_text(lx + 17, y, word, 11, fill="#424242"))
        lx += 30 + 7 * len(word)
    y += 10
    for note in notes:
        y += 18
        parts.append(_text(PAD, y, note, 12, fill="#5d4037"))

    # -- candidates: relevance, advantage, prior, score as bars --------------------------------------------------
    y += 34
    parts.append(_text(PAD, y, "Candidates (score = relevance + 0.5 × (advantage − 0.5))", 13, weight="bold"))
    metrics = [("relevance", "#43a047"), ("advantage", "#fb8c00"), ("prior", "#8e24aa"), ("score", "#1e88e5")]
    y += 20
    bar_x, bar_w = PAD + 230, 130
    for i, (name, colour) in enumerate(metrics):
        parts.append(_text(bar_x + i * (bar_w + 20), y, name, 11, fill=colour, weight="bold"))
    for c in candidates[:8]:
        y += 24
        mark = "★ " if c["id"] == chosen else ""
        parts.append(_text(PAD, y, mark + c["id"], 12, weight="bold" if mark else "normal"))
        for i, (name, colour) in enumerate(metrics):
            value = float(c.get(name) or 0.0)
            x = bar_x + i * (bar_w + 20)
            w = max(0.0, min(1.0, value)) * (bar_w - 40)
            parts.append(f'<rect x="{x}" y="{y - 11}" width="{bar_w - 40}" height="12" fill="#eeeeee"/>')
            parts.append(f'<rect x="{x}" y="{y - 11}" width="{w:.1f}" height="12" fill="{colour}"/>')
            parts.append(_text(x + bar_w - 36, y, f"{value:.2f}", 11))
        if c.get("rated_neighbours"):
            parts.append(_text(bar_x + 4 * (bar_w + 20), y, f"{c['rated_neighbours']} rated", 11, fill="#757575"))
    width = max(width, bar_x + 4 * (bar_w + 20) + 70)
    return _wrap(width, y + PAD, [*edges, *boxes, *parts])


def _wrap(width: float, height: float, parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="dgpt-tree" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="system-ui, sans-serif" role="img" '
        f'aria-label="Tree-of-Thought search">' + "".join(parts) + "</svg>"
    )
