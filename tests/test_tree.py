import json

from tests.conftest import write_catalog
from tools.catalog import load_catalog
from tools.tree import build_tree, load_or_build_tree, render, tree_path


def test_tree_is_deterministic_and_reaches_every_model(tiny_catalog):
    cat = load_catalog(tiny_catalog)
    a, b = build_tree(cat), build_tree(cat)
    assert json.dumps(a.model_dump(mode="json")) == json.dumps(b.model_dump(mode="json"))
    leaves = a.leaves()
    assert {m for leaf in leaves for m in leaf.models} == set(cat.ids)
    assert all(leaf.facet == "style" for leaf in leaves)
    # root -> subject -> style, children in vocabulary order
    assert a.root.children[:3] == ["subject:person", "subject:animal", "subject:landscape"]
    assert "subject:animal/style:watercolor" in a.nodes
    assert a.nodes["subject:animal/style:watercolor"].models == ["watercolor"]


def test_hub_tree_every_model_reachable():
    cat = load_catalog("hub")
    tree = build_tree(cat)
    assert {m for leaf in tree.leaves() for m in leaf.models} == set(cat.ids)


def test_descriptions_are_derived_from_members(tiny_catalog):
    tree = build_tree(load_catalog(tiny_catalog))
    node = tree.nodes["subject:animal/style:pixel-art"]
    assert "animal / pixel-art" in node.description and "Pixel art sprites" in node.description


def test_depth_is_data(tmp_path, tiny_catalog):
    cat = load_catalog(write_catalog(tmp_path / "flat.yaml", levels=["style"]))
    tree = build_tree(cat)
    assert tree.levels == ["style"]
    assert all(n.count("/") == 0 for n in tree.nodes if n != "root")
    three = build_tree(load_catalog(write_catalog(tmp_path / "deep.yaml", levels=["style", "subject"])))
    assert "style:anime/subject:person" in three.nodes


def test_saved_tree_is_reused_until_the_catalog_changes(home, tmp_path):
    path = write_catalog(tmp_path / "c.yaml")
    cat = load_catalog(path)
    tree = load_or_build_tree(cat, home)
    saved = tree_path(cat.name, home)
    assert saved.is_file() and json.loads(saved.read_text())["fingerprint"] == cat.fingerprint()
    mtime = saved.stat().st_mtime_ns
    load_or_build_tree(cat, home)
    assert saved.stat().st_mtime_ns == mtime
    changed = load_catalog(write_catalog(path, levels=["style"]))
    assert load_or_build_tree(changed, home).levels == ["style"]
    assert "root" in render(tree)[0]
