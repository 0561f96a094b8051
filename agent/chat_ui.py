"""`dgpt chat`: the terminal face of a `ChatSession` (rich). Shows each step as it happens, the drawing progress,
the chosen model and why, and the image path. Commands: /rate N, /history, /thread, /help, /quit."""

from __future__ import annotations

from typing import Any

from agent.chat import ChatSession

HELP = """Describe a picture, then refine it: "make it darker", "same but as a watercolor", "add a boat",
"another one", "use a different model", "go back to the first one". Rate with "/rate 1..5" or in words
("I love it", "that's wrong"). /history shows this thread, /thread its id, /quit leaves (the thread is kept)."""

STEP_WORDS = {
    "interpret": "reading the message",
    "plan": "searching the model tree",
    "reuse": "reusing the last picture's model",
    "switch": "picking the next candidate",
    "revert": "going back",
    "rate": "storing the rating",
    "talk": "answering",
    "confirm": "confirmed",
    "draw": "drawn",
}


class ChatView:
    """Renders a session's events on a rich console."""

    def __init__(self, console=None):
        from rich.console import Console

        self.console = console or Console(highlight=False)
        self._progress = None
        self._task = None
        self._streamed = False  # an answer printed as it was written: not printed again with the result

    def __call__(self, event: dict[str, Any]) -> None:
        kind = event["type"]
        if kind == "update" and not event.get("graph"):  # the search subgraph's own steps are summed up by `plan`
            self._update(event["node"], event["data"] or {})
        elif kind == "progress":
            self._draw_progress(event["step"], event["total"])
        elif kind == "token":
            self.console.print(event["text"], end="", markup=False, highlight=False)
            self._streamed = True

    def _update(self, node: str, data: dict) -> None:
        if node == "interpret":
            intent = data["intent"]
            extra = f" of turn {intent['refinement_of']}" if intent.get("refinement_of") else ""
            self.console.print(f"[dim]· {intent['action'].replace('_', ' ')}{extra}[/dim]")
        elif node in ("plan", "reuse", "switch") and data.get("plan"):
            plan = data["plan"]
            self.console.print(
                f"[dim]· {STEP_WORDS[node]} →[/dim] [bold]{plan['model']}[/bold]"
                + (f" [dim]({plan['note']})[/dim]" if plan.get("note") else "")
            )
            if plan.get("prompt"):
                from rich.markup import escape

                self.console.print(f"[dim]  prompt: {escape(plan['prompt'])}[/dim]")
            top = [c for c in plan.get("candidates") or [] if c.get("score") is not None][:3]
            if top and node == "plan":
                self.console.print(
                    "[dim]  candidates: " + ", ".join(f"{c['id']} {c['score']:.2f}" for c in top) + "[/dim]"
                )
        elif node == "draw":
            self._stop_progress()

    def _draw_progress(self, step: int, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        if self._progress is None:
            self._progress = Progress(
                TextColumn("[dim]· drawing[/dim]"),
                BarColumn(),
                MofNCompleteColumn(),
                console=self.console,
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("draw", total=total)
        self._progress.update(self._task, completed=step, total=total)

    def _stop_progress(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress, self._task = None, None

    def result(self, result: dict) -> None:
        self._stop_progress()
        if result.get("status") == "confirm":
            return
        if self._streamed:
            self._streamed = False
            self.console.print(" …" if result["reply"].endswith(" …") else "", markup=False)
        else:
            self.console.print(result["reply"] or "(no reply)")
        for path in result.get("images") or []:
            self.console.print(f"[green]image:[/green] {path}")

    def history(self, turns: list[dict]) -> None:
        from rich.table import Table

        table = Table("turn", "message", "action", "model", "image")
        for t in turns:
            table.add_row(
                str(t["turn"]),
                t["message"],
                t["action"] + (f" of {t['refinement_of']}" if t.get("refinement_of") else ""),
                t.get("model") or "",
                (t.get("images") or [""])[0],
            )
        self.console.print(table)


def ask_confirm(session: ChatSession, view: ChatView, result: dict) -> dict:
    """Keep asking until the paused turn is answered with yes, no, or a model id the catalog knows."""
    while result.get("status") == "confirm":
        q = result["question"]
        view.console.print(f"[yellow]{q['question']}[/yellow] [dim]candidates: {', '.join(q['candidates'][:5])}[/dim]")
        answer = view.console.input("[bold]confirm>[/bold] ").strip() or "yes"
        try:
            result = session.resume(answer, on_event=view)
        except ValueError as e:
            view.console.print(f"[red]{e}[/red]")
    return result


def interactive(session: ChatSession) -> int:
    view = ChatView()
    view.console.print(
        f"[bold]dgpt chat[/bold] · thread [cyan]{session.thread}[/cyan] · catalog {session.context.catalog} "
        f"· {len(session.history())} earlier turns. /help for help."
    )
    if session.pending() is not None:
        ask_confirm(session, view, {"status": "confirm", "question": session.pending()})
    while True:
        try:
            text = view.console.input("[bold]you>[/bold] ").strip()
        except (EOFError, KeyboardInterrupt):
            view.console.print()
            return 0
        if not text:
            continue
        if text in ("/quit", "/exit", "/q"):
            return 0
        if text == "/help":
            view.console.print(HELP)
            continue
        if text == "/history":
            view.history(session.history())
            continue
        if text == "/thread":
            view.console.print(session.thread)
            continue
        if text.startswith("/") and not text.lower().startswith("/rate"):
            view.console.print(f"[red]unknown command {text.split()[0]}[/red]; /help lists them")
            continue
        try:
            result = session.send(text, on_event=view)
            result = ask_confirm(session, view, result)
            view.result(result)
        except (ValueError, KeyError, LookupError, RuntimeError) as e:
            view._stop_progress()
            view.console.print(f"[red]error:[/red] {e.args[0] if isinstance(e, KeyError) and e.args else e}")
