"""What the graph's nodes read: catalog, tree, index, feedback and priors, prepared once per process per catalog.

Preparing syncs the Chroma collections (a no-op when they already match the catalog) and loads the card and
node vectors from Chroma into memory, so scoring a request costs one query embedding, a few matrix products
and one feedback query.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tools.catalog import Catalog, load_catalog, resolve_path
from tools.embeddings import Embedder, get_embedder
from tools.feedback import FeedbackStore
from tools.index import Index, collection_name
from tools.priors import Priors, load_priors
from tools.settings import data_home
from tools.tree import ModelTree, load_or_build_tree


@dataclass
class Resources:
    catalog: Catalog
    tree: ModelTree
    index: Index
    feedback: FeedbackStore
    priors: Priors
    embedder: Embedder
    model_ids: list[str]
    model_vecs: np.ndarray
    node_ids: list[str]
    node_vecs: np.ndarray
    model_row: dict[str, int] = field(init=False)
    node_row: dict[str, int] = field(init=False)

    def __post_init__(self):
        self.model_row = {m: i for i, m in enumerate(self.model_ids)}
        self.node_row = {n: i for i, n in enumerate(self.node_ids)}


def sync_index(catalog: Catalog, tree: ModelTree, index: Index) -> dict[str, bool]:
    """Write the catalog's cards and tree nodes into Chroma; returns which collections changed."""
    fp = catalog.fingerprint()
    cards = catalog.models
    changed_models = index.sync(
        collection_name("models", catalog.name),
        fp,
        [c.id for c in cards],
        [c.embedding_text() for c in cards],
        [{"family": c.family, "tags": ",".join(c.tags), "name": c.name} for c in cards],
    )
    nodes = [n for n in tree.nodes.values() if n.id != "root"]
    changed_nodes = index.sync(
        collection_name("nodes", catalog.name),
        fp,
        [n.id for n in nodes],
        [n.description for n in nodes],
        [{"facet": n.facet or "", "word": n.word or "", "models": len(n.models)} for n in nodes],
    )
    return {"models": changed_models, "nodes": changed_nodes}


def prepare(catalog: Catalog, home: Path | None = None, embedder: Embedder | None = None) -> Resources:
    embedder = embedder or get_embedder()
    index = Index(home=home, embedder=embedder)
    tree = load_or_build_tree(catalog, home)
    sync_index(catalog, tree, index)
    node_ids = [n for n in tree.nodes if n != "root"]
    return Resources(
        catalog=catalog,
        tree=tree,
        index=index,
        feedback=FeedbackStore(index),
        priors=load_priors(),
        embedder=embedder,
        model_ids=catalog.ids,
        model_vecs=index.matrix(collection_name("models", catalog.name), catalog.ids),
        node_ids=node_ids,
        node_vecs=index.matrix(collection_name("nodes", catalog.name), node_ids),
    )


_cache: dict[tuple, Resources] = {}
_lock = threading.Lock()


def get_resources(catalog_ref: str, home: str | Path | None = None) -> Resources:
    """Cached per catalog file (and its modification time) and data home."""
    path = resolve_path(catalog_ref)
    key = (str(path.resolve()), path.stat().st_mtime_ns, str(home or data_home()))
    with _lock:
        if key not in _cache:
            _cache[key] = prepare(load_catalog(path), Path(home) if home else None)
        return _cache[key]


_generators: dict[tuple, object] = {}


def get_generator(catalog_ref: str, home: str | Path | None = None):
    """One ImageGenerator (and so one pipeline cache) per catalog per process."""
    from tools.generate import ImageGenerator

    res = get_resources(catalog_ref, home)
    key = (res.catalog.path, res.catalog.fingerprint(), str(home or data_home()))
    with _lock:
        if key not in _generators:
            _generators[key] = ImageGenerator(res.catalog, out_dir=Path(home or data_home()) / "images")
        return _generators[key]


def resources_for(ctx) -> Resources:
    """The resources a run's context names (its catalog and data home)."""
    return get_resources(ctx.catalog, ctx.home)


# -- live objects a caller in this process hands to the graphs ----------------------------------------------------
# A context holds strings and numbers only (a served graph's context comes from a client), so a caller's own chat
# model or image generator is registered here and the context carries its key.


@dataclass
class Live:
    chat_model: Any = None  # a ready chat model (tests, embedding apps); overrides the LLM mode
    generator: Any = None  # a tools.generate.ImageGenerator (an output folder of the caller's, a shared cache)


_live: dict[str, Live] = {}


def register_live(chat_model: Any = None, generator: Any = None) -> str:
    key = uuid.uuid4().hex
    _live[key] = Live(chat_model=chat_model, generator=generator)
    return key


def release_live(key: str | None) -> None:
    if key:
        _live.pop(key, None)


def live_for(ctx) -> Live:
    key = getattr(ctx, "session", None)
    if key is None:
        return Live()
    if key not in _live:
        raise LookupError(
            f"session '{key}' is not registered in this process; register live objects with "
            "graphs.resources.register_live and pass its key as the context's session"
        )
    return _live[key]


def generator_for(ctx):
    """The caller's generator if it registered one, else this process's shared one for the catalog."""
    return live_for(ctx).generator or get_generator(ctx.catalog, ctx.home)
