"""`dgpt`: the command line. Heavy modules load inside commands so `dgpt --help` answers at once."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from graphs.context import LLM_MODES

DEMO_PROMPT = "I want to see a watercolor painting of a fox in a snowy forest"


def _catalog_arg(p: argparse.ArgumentParser, default: str | None = None) -> None:
    default = default or os.environ.get("DGPT_CATALOG", "hub")
    p.add_argument("--catalog", default=default, help="catalog name (hub, starter, ...) or path to a YAML file")


def _add_select(sub) -> None:
    p = sub.add_parser("select", help="choose the best model for a request and rewrite its prompt")
    p.add_argument("prompt", nargs="?", help="the request, in plain words")
    p.add_argument("--batch", type=Path, help="file with one request per line; prints one JSON object per line")
    _catalog_arg(p)
    p.add_argument("--llm", choices=LLM_MODES, default=None, help="LLM mode (env DGPT_LLM; default auto)")
    p.add_argument("--explain", action="store_true", help="print why the model was chosen")
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")
    p.add_argument("--beam", type=int, default=None, help="beam width of the tree search (default 2)")
    # None marks "not given", so that a request sent to DGPT_SERVER takes the server's catalog unless one is named.
    p.set_defaults(catalog=None)


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size '{text}' is not WIDTHxHEIGHT, e.g. 512x512") from None
    if w % 8 or h % 8 or w < 16 or h < 16:
        raise argparse.ArgumentTypeError(f"size '{text}': width and height must be multiples of 8, at least 16")
    return w, h


def _add_generate(sub) -> None:
    p = sub.add_parser("generate", help="choose a model (or use --model) and draw the image")
    p.add_argument("prompt", nargs="?", help="the request, in plain words")
    p.add_argument("--batch", type=Path, help="file with one request per line; one JSON object per line out")
    _catalog_arg(p)
    p.add_argument("--model", help="catalog model id: skip selection")
    p.add_argument("--seed", type=int)
    p.add_argument("--steps", type=int)
    p.add_argument("--guidance", type=float)
    p.add_argument("--size", type=_size, help="WIDTHxHEIGHT (default: the model's)")
    p.add_argument("--num-images", type=int, default=1)
    p.add_argument("--out", type=Path, help="directory for the PNGs (default: DGPT_HOME/images)")
    p.add_argument("--llm", choices=LLM_MODES, default=None)
    p.add_argument("--explain", action="store_true")
    p.add_argument("--json", action="store_true")


def _strength(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"strength '{text}' is not a number") from None
    if not 0 < v <= 1:
        raise argparse.ArgumentTypeError(f"strength {v} is outside (0, 1]; 0.3 changes little, 0.8 a lot")
    return v


def _add_chat(sub) -> None:
    p = sub.add_parser("chat", help="a conversation: ask, look, refine, rate; threads survive restarts")
    p.add_argument("--thread", help="thread id to continue (default: a new thread)")
    p.add_argument("--message", help="send one message and exit (non-interactive)")
    p.add_argument("--answer", help="answer a turn paused by --confirm: yes, no, or a model id")
    p.add_argument("--history", action="store_true", help="print the thread's turns and exit")
    p.add_argument("--confirm", action="store_true", help="pause before drawing to confirm or swap the model")
    p.add_argument(
        "--strength", type=_strength, default=0.5, help="image-to-image strength of local changes (default 0.5)"
    )
    p.add_argument("--seed", type=int)
    p.add_argument("--out", type=Path, help="directory for the PNGs (default: DGPT_HOME/images)")
    _catalog_arg(p)
    p.add_argument("--llm", choices=LLM_MODES, default=None)
    p.add_argument("--json", action="store_true", help="print the turn's result (or the history) as JSON")


def _add_eval(sub) -> None:
    ev = sub.add_parser("eval", help="measure the project on labelled data").add_subparsers(
        dest="action", required=True
    )
    p = ev.add_parser("llm", help="score each LLM mode's parse and turn reading on the labelled request set")
    p.add_argument(
        "--modes", default="none,local,openai", help="comma-separated LLM modes: none, local, openai (default all)"
    )
    p.add_argument(
        "--set", dest="eval_set", type=Path, help="labelled set YAML (default: the shipped tools/data/llm_eval.yaml)"
    )
    _catalog_arg(p)
    p.add_argument("--limit", type=int, help="evaluate only N items, taken round-robin over the categories")
    p.add_argument(
        "--json", action="store_true", help="print every mode's metrics and per-item rows as one JSON object"
    )
    p.add_argument(
        "--verdicts",
        type=Path,
        help="where a none-vs-local verdict is recorded (default DGPT_HOME/llm_verdicts.json; "
        "the project's own measurements go to tools/data/llm_verdicts.json)",
    )
    c = ev.add_parser("chat", help="score conversation reading (actions, merged prompts) and style reading per half")
    c.add_argument("--modes", default="none", help="comma-separated LLM modes: none, local, openai (default none)")
    c.add_argument(
        "--sets",
        default="a,b",
        help="sets (a, c-g, i-l, n-p, r-t, v-z: tuned on; h, m, q, u, aa: blind checks; b: held out) or YAML paths, "
        "comma-separated (default a,b)",
    )
    c.add_argument("--json", action="store_true", help="print every result with its per-turn rows as one JSON object")
    c.add_argument(
        "--limit", type=int, help="per set, only N conversations and N style requests, evenly spaced through it"
    )


def _add_mcp(sub) -> None:
    p = sub.add_parser("mcp", help="serve the image tools over MCP (stdio, or streamable HTTP with --http)")
    _catalog_arg(p, default=os.environ.get("DGPT_CATALOG") or "starter")
    p.add_argument("--llm", choices=LLM_MODES, default=None, help="LLM mode (env DGPT_LLM; default auto)")
    p.add_argument("--http", action="store_true", help="streamable HTTP at http://HOST:PORT/mcp instead of stdio")
    p.add_argument("--host", default="127.0.0.1", help="with --http: address to bind (off loopback: DGPT_API_KEYS)")
    p.add_argument("--port", type=int, default=8000, help="with --http: port (default 8000)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dgpt", description="DiffusionGPT: choose the right diffusion model for each request."
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="on an error, print the full traceback (with its causes) first (env DGPT_DEBUG=1)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _add_select(sub)
    _add_generate(sub)
    _add_chat(sub)
    _add_eval(sub)
    _add_mcp(sub)

    models = sub.add_parser("models", help="list or show catalog models").add_subparsers(dest="action", required=True)
    for name in ("list", "show"):
        p = models.add_parser(name)
        _catalog_arg(p)
        if name == "show":
            p.add_argument("id")
        p.add_argument("--json", action="store_true")

    index = sub.add_parser("index", help="build the Chroma index of models and tree nodes").add_subparsers(
        dest="action", required=True
    )
    _catalog_arg(index.add_parser("build"))

    tree = sub.add_parser("tree", help="build or show the model tree").add_subparsers(dest="action", required=True)
    for name in ("build", "show"):
        p = tree.add_parser(name)
        _catalog_arg(p)
        if name == "show":
            p.add_argument("--json", action="store_true")

    fb = sub.add_parser("feedback", help="record ratings that steer future choices").add_subparsers(
        dest="action", required=True
    )
    add = fb.add_parser("add", help="rate a model's image for a prompt")
    add.add_argument("prompt")
    add.add_argument("--model", required=True, help="catalog model id")
    grp = add.add_mutually_exclusive_group(required=True)
    grp.add_argument("--rating", type=float, help="0 (bad) .. 1 (perfect)")
    grp.add_argument("--stars", type=float, help="1 .. 5")
    add.add_argument("--source", default="user")
    _catalog_arg(add)
    imp = fb.add_parser("import", help="import ratings from CSV (prompt,model,rating[,source,time]) or JSONL")
    imp.add_argument("file", type=Path)
    _catalog_arg(imp)
    serve = sub.add_parser("serve", help="serve OpenAI's images and chat APIs (and native ones) from one warm process")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (non-loopback needs DGPT_API_KEYS)")
    serve.add_argument("--port", type=int, default=8000)
    _catalog_arg(serve, default=os.environ.get("DGPT_CATALOG") or "starter")
    serve.add_argument("--llm", choices=LLM_MODES, default=None, help="LLM mode (env DGPT_LLM; default auto)")
    zoo = sub.add_parser("zoo", help="the starter zoo: small expert models this project trains").add_subparsers(
        dest="action", required=True
    )
    zoo.add_parser("train", help="train (or resume) an expert; options as `python -m zoo.train --help`", add_help=False)
    rate = zoo.add_parser(
        "rate", help="every starter model draws a prompt set; the judge's ratings go into the feedback index"
    )
    _catalog_arg(rate, default="starter")
    rate.add_argument("--per-domain", type=int, default=40, help="prompts per domain (seen attribute combinations)")
    rate.add_argument("--seed", type=int, default=0, help="picks the prompts and the starting noise")
    rate.add_argument("--models", help="comma-separated model ids (default: every starter model in the catalog)")
    rate.add_argument(
        "--out", type=Path, help="also write the records to this JSONL file (importable with `dgpt feedback import`)"
    )
    rate.add_argument("--no-store", action="store_true", help="do not write into the feedback index")
    return parser


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=str))


def cmd_select(args) -> int:
    from agent.explain import explain

    if bool(args.prompt) == bool(args.batch):
        raise ValueError("give either a PROMPT or --batch FILE")
    select = _remote_select(args)
    if select is None:
        from agent.selector import Selector  # not imported for a server's answer: it pulls in LangGraph (0.7 s)

        catalog = args.catalog or os.environ.get("DGPT_CATALOG", "hub")
        llm = args.llm or os.environ.get("DGPT_LLM", "auto")
        beam = {"beam_width": args.beam} if args.beam else {}  # else the Context's default
        select = Selector(catalog=catalog, llm=llm, **beam).select
    if args.batch:
        if not args.batch.is_file():
            raise ValueError(f"batch file '{args.batch}' does not exist")
        for line in args.batch.read_text(encoding="utf-8").splitlines():
            if line.strip():
                _print_json(select(line.strip()))
        return 0
    result = select(args.prompt)
    if args.json:
        _print_json(result)
    elif args.explain:
        print(explain(result))
    else:
        print(f"{result['model']}\t{result['extended_prompt']}")
    return 0


def _remote_select(args):
    """With DGPT_SERVER set, a function sending each request to that server; else None (select in process)."""
    from agent.remote import remote_select, server_url

    url = server_url()
    if url is None:
        return None
    if args.llm:
        raise ValueError(
            f"DGPT_SERVER={url} chooses with its own LLM mode (dgpt serve --llm); drop --llm, or unset DGPT_SERVER "
            "to choose the mode in this process"
        )
    checked = []  # the catalog is compared with the server's once, not per line of a batch

    def select(prompt: str) -> dict:
        named = args.catalog or os.environ.get("DGPT_CATALOG") or None
        result = remote_select(url, prompt, None if checked else named, args.beam)
        checked.append(True)
        return result

    return select


class _Bar:
    """A one-line progress bar on stderr, fed by the pipeline's step callback."""

    def __call__(self, step: int, total: int) -> None:
        filled = int(24 * step / max(total, 1))
        end = "\n" if step >= total else ""
        print(f"\r  drawing [{'#' * filled}{'.' * (24 - filled)}] {step}/{total}", end=end, file=sys.stderr, flush=True)


def cmd_generate(args) -> int:
    from agent.explain import explain
    from agent.selector import Selector

    if bool(args.prompt) == bool(args.batch):
        raise ValueError("give either a PROMPT or --batch FILE")
    selector = Selector(catalog=args.catalog, llm=args.llm or os.environ.get("DGPT_LLM", "auto"))
    width, height = args.size or (None, None)
    settings = dict(
        seed=args.seed, steps=args.steps, guidance=args.guidance, width=width, height=height, num_images=args.num_images
    )
    bar = None if args.json and not sys.stderr.isatty() else _Bar()
    requests = [args.prompt] if args.prompt else [line.strip() for line in _read_batch(args.batch) if line.strip()]
    for text in requests:
        result = selector.generate(
            text, model=args.model, out_dir=str(args.out) if args.out else None, progress=bar, **settings
        )
        if args.json or args.batch:
            _print_json(result)
        else:
            if args.explain:
                print(explain(result))
            for path in result["images"]:
                print(path)
    return 0


def _read_batch(path: Path) -> list[str]:
    if not path.is_file():
        raise ValueError(f"batch file '{path}' does not exist")
    return path.read_text(encoding="utf-8").splitlines()


def cmd_models(args) -> int:
    from tools.catalog import load_catalog

    catalog = load_catalog(args.catalog)
    if args.action == "show":
        card = catalog.get(args.id)
        if args.json:
            _print_json(card.model_dump(mode="json"))
        else:
            import yaml

            print(yaml.safe_dump(card.model_dump(mode="json"), sort_keys=False, allow_unicode=True))
        return 0
    if args.json:
        _print_json([c.model_dump(mode="json") for c in catalog.models])
    else:
        for c in catalog.models:
            print(f"{c.id:<34} {c.family:<8} {', '.join(c.tags)}")
    return 0


def cmd_mcp(args) -> int:
    # mcp loads here only: `dgpt --help` and the other commands never import it.
    from agent.mcp_server import run_http, run_stdio
    from tools.catalog import resolve_path

    resolve_path(args.catalog)  # a wrong name fails now, not at the client's first call
    llm = args.llm or os.environ.get("DGPT_LLM") or "auto"
    if args.http:
        print(
            f"dgpt mcp: catalog {args.catalog}, LLM mode {llm}; MCP over streamable HTTP at "
            f"http://{args.host}:{args.port}/mcp",
            file=sys.stderr,
            flush=True,
        )
        run_http(host=args.host, port=args.port, catalog=args.catalog, llm=llm)
    else:
        run_stdio(catalog=args.catalog, llm=llm)
    return 0


def cmd_index(args) -> int:
    from graphs.resources import sync_index
    from tools.catalog import load_catalog
    from tools.index import Index
    from tools.tree import load_or_build_tree

    catalog = load_catalog(args.catalog)
    index = Index()
    changed = sync_index(catalog, load_or_build_tree(catalog), index)
    for name, did in changed.items():
        print(f"{name}: {'written' if did else 'already up to date'} ({catalog.name}, {len(catalog.models)} models)")
    print(f"index at {index.url or index.home / 'chroma'}")
    return 0


def cmd_tree(args) -> int:
    from tools.catalog import load_catalog
    from tools.tree import build_tree, load_or_build_tree, render, save_tree, tree_path

    catalog = load_catalog(args.catalog)
    if args.action == "build":
        tree = build_tree(catalog)
        path = save_tree(tree, tree_path(catalog.name))
        print(f"tree of {len(catalog.models)} models, {len(tree.nodes) - 1} nodes, saved to {path}")
        return 0
    tree = load_or_build_tree(catalog)
    if args.json:
        _print_json(tree.model_dump(mode="json"))
    else:
        print("\n".join(render(tree)))
    return 0


def cmd_feedback(args) -> int:
    from tools.catalog import load_catalog
    from tools.feedback import FeedbackError, FeedbackRecord, FeedbackStore, read_records, stars_to_rating
    from tools.index import Index

    catalog = load_catalog(args.catalog)
    store = FeedbackStore(Index())
    if args.action == "add":
        if args.model not in catalog.ids:
            raise FeedbackError(
                f"model '{args.model}' is not in catalog '{catalog.name}'; see `dgpt models list --catalog {args.catalog}`"
            )
        rating = stars_to_rating(args.stars) if args.stars is not None else args.rating
        from datetime import datetime, timezone

        # An explicit time makes each `add` its own event, even when the same rating is given twice.
        now = datetime.now(timezone.utc)
        store.add([FeedbackRecord(prompt=args.prompt, model=args.model, rating=rating, source=args.source, time=now)])
        print(f'stored: {args.model} rated {rating:.2f} for "{args.prompt}" ({store.count()} records)')
        return 0
    records = read_records(args.file, known_models=set(catalog.ids))
    store.add(records)
    print(f"imported {len(records)} records from {args.file} ({store.count()} records in the index)")
    return 0


def cmd_chat(args) -> int:
    from agent.chat import ChatSession

    if sum(x is not None and x is not False for x in (args.message, args.answer, args.history or None)) > 1:
        raise ValueError("give at most one of --message, --answer and --history")
    if (args.answer is not None or args.history) and not args.thread:
        raise ValueError("--answer and --history need --thread ID (the id printed by an earlier turn)")
    session = ChatSession(
        thread=args.thread,
        catalog=args.catalog,
        llm=args.llm or os.environ.get("DGPT_LLM", "auto"),
        confirm=args.confirm,
        strength=args.strength,
        out_dir=str(args.out) if args.out else None,
    )
    with session:
        if args.history:
            turns = session.history()
            if args.json:
                _print_json({"thread": session.thread, "turns": turns})
            else:
                from agent.chat_ui import ChatView

                ChatView().history(turns)
            return 0
        if args.message is None and args.answer is None:
            from agent.chat_ui import interactive

            return interactive(session)
        bar = None if args.json and not sys.stderr.isatty() else _Bar()
        on_event = (lambda e: bar(e["step"], e["total"]) if e["type"] == "progress" else None) if bar else None
        if args.answer is not None:
            result = session.resume(args.answer, on_event=on_event)
        else:
            result = session.send(args.message, on_event=on_event, seed=args.seed)
        if args.json:
            _print_json(result)
        elif result["status"] == "confirm":
            q = result["question"]
            print(f"{q['question']} (candidates: {', '.join(q['candidates'][:5])})")
            print(f"answer with: dgpt chat --thread {session.thread} --answer yes|no|MODEL")
        else:
            print(f"[thread {session.thread}, turn {result['turn']}] {result['reply']}")
    return 0


def _refs(text: str) -> list[str]:
    return [ref.strip() for ref in text.split(",") if ref.strip()]


def cmd_eval_chat(args) -> int:
    from agent.eval_chat import evaluate_chat, format_chat_table, load_chat_set, spread
    from agent.evaluate import MODES

    modes = [m.strip().lower() for m in args.modes.split(",") if m.strip()]
    unknown = [m for m in modes if m not in MODES]
    if unknown or not modes:
        raise ValueError(
            f"--modes {args.modes!r}: unknown mode(s) {unknown}; use a comma-separated list of {', '.join(MODES)}"
        )
    sets = [(name, spread(chat_set, args.limit)) for name, chat_set in map(load_chat_set, _refs(args.sets))]
    show = sys.stderr.isatty() and not args.json
    results = []
    for name, chat_set in sets:
        for mode in modes:

            def progress(done: int, total: int) -> None:
                print(
                    f"\r  {name}/{mode}: {done}/{total}", end="\n" if done >= total else "", file=sys.stderr, flush=True
                )

            results.append({"half": name, **evaluate_chat(mode, chat_set, progress=progress if show else None)})
    if args.json:
        _print_json({"results": results})
    else:
        print(format_chat_table(results))
    return 0


def cmd_eval(args) -> int:
    from agent.evaluate import MODES, evaluate, format_table, load_eval_set, record_verdict, sample

    if args.action == "chat":
        return cmd_eval_chat(args)

    modes = [m.strip().lower() for m in args.modes.split(",") if m.strip()]
    unknown = [m for m in modes if m not in MODES]
    if unknown or not modes:
        raise ValueError(
            f"--modes {args.modes!r}: unknown mode(s) {unknown}; use a comma-separated list of {', '.join(MODES)}"
        )
    items = sample(load_eval_set(args.eval_set), args.limit)
    show = sys.stderr.isatty() and not args.json

    def progress(done: int, total: int) -> None:
        print(f"\r  {mode}: {done}/{total} items", end="\n" if done >= total else "", file=sys.stderr, flush=True)

    results = []
    for mode in modes:
        results.append(evaluate(mode, items, catalog=args.catalog, progress=progress if show else None))
    if args.json:
        _print_json(
            {
                "set": str(args.eval_set or "tools/data/llm_eval.yaml"),
                "items": len(items),
                "catalog": args.catalog,
                "results": results,
            }
        )
    else:
        print(f"{len(items)} labelled items, catalog {args.catalog}")
        print(format_table(results))
    verdict = record_verdict(
        results, full_set=args.eval_set is None and args.limit is None, catalog=args.catalog, path=args.verdicts
    )
    if verdict and not args.json:
        print(
            f"\nrecorded: local model {verdict.model} {verdict.describe()}; `--llm auto` "
            f"{'now uses it' if verdict.better else 'keeps the no-LLM mode'} when no endpoint is configured"
        )
    return 0


def cmd_zoo_rate(args) -> int:
    from tools.catalog import load_catalog
    from zoo.rate import RateError, format_summary, prompt_set, rating_matrix, summary, to_records, write_jsonl

    catalog = load_catalog(args.catalog)
    if args.models:
        ids = [m.strip() for m in args.models.split(",") if m.strip()]
        unknown = [m for m in ids if m not in catalog.ids]
        if unknown:
            raise RateError(
                f"models {unknown} are not in catalog '{catalog.name}'; see `dgpt models list --catalog {args.catalog}`"
            )
    else:
        ids = [c.id for c in catalog.models if c.family == "starter"]
    if not ids:
        raise RateError(f"catalog '{catalog.name}' has no starter models to rate; use --catalog starter")
    if args.no_store and args.out is None:
        raise RateError("--no-store without --out would throw the ratings away; give --out FILE")
    prompts = prompt_set(args.per_domain, seed=args.seed)
    print(f"rating {len(ids)} models on {len(prompts)} prompts", file=sys.stderr)

    def progress(model: str, done: int, total: int) -> None:
        print(f"\r  {model}: {done}/{total} images", end="\n" if done >= total else "", file=sys.stderr, flush=True)

    ratings = rating_matrix(catalog, ids, prompts, seed=args.seed, progress=progress)
    records = to_records(ids, prompts, ratings)
    if args.out is not None:
        write_jsonl(records, args.out)
        print(f"wrote {len(records)} records to {args.out}")
    if not args.no_store:
        from tools.feedback import FeedbackStore
        from tools.index import Index

        store = FeedbackStore(Index())
        store.add(records)
        print(f"stored {len(records)} ratings ({store.count()} records in the feedback index)")
    print(format_summary(summary(ids, prompts, ratings)))
    return 0


def cmd_zoo(args) -> int:
    from tools.settings import data_home

    if args.action == "rate":
        if args.rest:
            raise ValueError(f"unrecognized arguments: {' '.join(args.rest)}")
        return cmd_zoo_rate(args)
    from zoo.train import main as train_main

    rest = list(args.rest)
    if "--out" not in rest and not {"-h", "--help"} & set(rest):
        domain = rest[rest.index("--domain") + 1] if "--domain" in rest[:-1] else "all"
        rest += ["--out", str(data_home() / "zoo" / domain)]  # resumable: the same command continues a run
    return train_main(rest)


def cmd_serve(args) -> int:
    # fastapi and uvicorn load here only: `dgpt --help` and the other commands never import them.
    from agent.server.run import serve
    from agent.server.settings import ServerSettings

    settings = ServerSettings.from_env(
        host=args.host, port=args.port, catalog=args.catalog, llm=args.llm or os.environ.get("DGPT_LLM", "auto")
    )
    settings.check_bind()
    print(
        f"dgpt serve: catalog {settings.catalog}, LLM mode {settings.llm}, "
        f"{'API keys required' if settings.api_keys else 'no API keys (loopback only)'}; "
        f"listening on {settings.base_url}/v1 (OpenAI base URL); the page: {settings.base_url}/",
        file=sys.stderr,
        flush=True,
    )
    serve(settings)
    return 0


COMMANDS = {
    "serve": cmd_serve,
    "eval": cmd_eval,
    "chat": cmd_chat,
    "zoo": cmd_zoo,
    "select": cmd_select,
    "generate": cmd_generate,
    "models": cmd_models,
    "index": cmd_index,
    "tree": cmd_tree,
    "feedback": cmd_feedback,
    "mcp": cmd_mcp,
}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    # `dgpt zoo train` hands its options to the trainer's own parser; every other command takes only its own.
    args, extra = parser.parse_known_args(argv)
    if args.command == "zoo":
        args.rest = extra
    else:
        if "--debug" in extra:  # also accepted after the command: `dgpt select ... --debug`
            extra.remove("--debug")
            args.debug = True
        if extra:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    from pydantic import ValidationError

    from tools.settings import SettingError, env_choice, env_value

    try:
        debug = (
            args.debug
            or env_choice(
                "DGPT_DEBUG",
                ("1", "0"),
                what="a switch",
                unset="to turn it off",
                aliases={"true": "1", "yes": "1", "on": "1", "false": "0", "no": "0", "off": "0"},
            )
            == "1"
        )
    except SettingError as e:
        print(f"dgpt: error: {e}", file=sys.stderr)
        return 2
    try:
        # The commands read these themselves; checked here so a bad value names its variable.
        if getattr(args, "llm", "") is None:
            env_choice("DGPT_LLM", LLM_MODES, what="an LLM mode", unset="for auto")
        catalog_env = env_value("DGPT_CATALOG")
        if getattr(args, "catalog", None) == "" and os.environ.get("DGPT_CATALOG") == "":
            args.catalog = "hub"  # DGPT_CATALOG set but empty: the default, as for every other variable
        elif catalog_env is not None and hasattr(args, "catalog") and args.catalog in (catalog_env, None):
            from tools.catalog import CatalogError, resolve_path

            try:
                resolve_path(catalog_env)
            except CatalogError as e:
                raise SettingError(f"DGPT_CATALOG={catalog_env!r}: {e} (or unset it for hub)") from e
        return COMMANDS[args.command](args)
    except (ValueError, KeyError, LookupError, RuntimeError, ValidationError) as e:
        if debug:
            import traceback

            traceback.print_exc()  # the chained causes too: what the one-line message below summarises
        msg = e.args[0] if isinstance(e, KeyError) and e.args else e
        print(f"dgpt: error: {msg}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
