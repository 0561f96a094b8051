"""The model tree: root → one level per catalog facet (default subject → style) → models, built from card tags.

Deterministic (vocabulary order, then id order), every model reachable, node descriptions derived from their
members so that retrieval over nodes needs no hand-written text. Saved as JSON under the data home.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field

from tools.catalog import Catalog
from tools.files import atomic_write
from tools.settings import data_home
from tools.vocabulary import GLOSSES

# Enough members to say what a node holds; more only lengthens the text MiniLM embeds (and truncates at 256 tokens).
MAX_MEMBERS_IN_DESCRIPTION = 4


class TreeNode(BaseModel):
    id: str
    facet: str | None = None
    word: str | None = None
    description: str
    children: list[str] = Field(default_factory=list)
    models: list[str] = Field(default_factory=list, description="Ids of every model under this node, sorted.")


class ModelTree(BaseModel):
    catalog: str
    fingerprint: str
    levels: list[str]
    nodes: dict[str, TreeNode]

    @property
    def root(self) -> TreeNode:
        return self.nodes["root"]

    def leaves(self) -> list[TreeNode]:
        return [n for n in self.nodes.values() if n.id != "root" and not n.children]

    def path_words(self, node_id: str) -> list[str]:
        return [part.split(":", 1)[1] for part in node_id.split("/") if ":" in part]


def _describe(facet: str, word: str, path_words: list[str], members: list, total: int) -> str:
    head = " / ".join(path_words)
    gloss = GLOSSES.get(word, word)
    shown = members[:MAX_MEMBERS_IN_DESCRIPTION]
    lines = [f"{head}. {facet.capitalize()} {word}: {gloss}."]
    for card in shown:
        lines.append(f"{card.name}: {card.description.split('. ')[0].rstrip('.')}.")
    if total > len(shown):
        lines.append(f"And {total - len(shown)} more models.")
    return " ".join(lines)


def build_tree(catalog: Catalog) -> ModelTree:
    vocab = catalog.vocabulary
    cards = sorted(catalog.models, key=lambda c: c.id)
    nodes: dict[str, TreeNode] = {}

    def grow(node_id: str, members: list, depth: int, words: list[str]) -> None:
        node = nodes[node_id]
        node.models = [c.id for c in members]
        if depth == len(catalog.levels):
            return
        facet = catalog.levels[depth]
        for word in vocab[facet]:
            group = [c for c in members if word in c.tags]
            if not group:
                continue
            child_id = f"{node_id}/{facet}:{word}" if node_id != "root" else f"{facet}:{word}"
            # Rank members by how specific they are to this word, so a description shows the specialists first.
            ranked = sorted(group, key=lambda c: (len(c.tags_in(facet, vocab)), c.id))
            nodes[child_id] = TreeNode(
                id=child_id,
                facet=facet,
                word=word,
                description=_describe(facet, word, words + [word], ranked, len(group)),
            )
            node.children.append(child_id)
            grow(child_id, group, depth + 1, words + [word])

    nodes["root"] = TreeNode(id="root", description=f"All {len(cards)} models of catalog {catalog.name}.")
    grow("root", cards, 0, [])
    return ModelTree(catalog=catalog.name, fingerprint=catalog.fingerprint(), levels=list(catalog.levels), nodes=nodes)


def tree_path(catalog_name: str, home: Path | None = None) -> Path:
    return (home or data_home()) / "trees" / f"{catalog_name}.json"


def save_tree(tree: ModelTree, path: Path) -> Path:
    """Atomic write: a reader never sees half a tree."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(tree.model_dump(mode="json"), indent=1).encode("utf-8")
    atomic_write(path, lambda f: f.write(data))
    return path


def load_or_build_tree(catalog: Catalog, home: Path | None = None) -> ModelTree:
    """The saved tree when it matches the catalog's fingerprint; otherwise build and save a new one."""
    path = tree_path(catalog.name, home)
    if path.is_file():
        try:
            tree = ModelTree.model_validate_json(path.read_text(encoding="utf-8"))
            if tree.fingerprint == catalog.fingerprint():
                return tree
        except ValueError:
            pass  # unreadable or from an older version: rebuild below
    tree = build_tree(catalog)
    save_tree(tree, path)
    return tree


def render(tree: ModelTree, node_id: str = "root", indent: str = "") -> list[str]:
    node = tree.nodes[node_id]
    label = "root" if node_id == "root" else f"{node.facet}: {node.word}"
    lines = [f"{indent}{label} ({len(node.models)} models)"]
    for child in node.children:
        lines += render(tree, child, indent + "  ")
    if not node.children and node_id != "root":
        lines += [f"{indent}  - {m}" for m in node.models]
    return lines
