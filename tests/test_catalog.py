import pytest

from tests.conftest import TINY_MODELS, card, write_catalog
from tools.catalog import CatalogError, LoraSource, available, load_catalog
from tools.vocabulary import STYLE, SUBJECT


def test_shipped_hub_catalog_is_valid_and_covers_every_style():
    cat = load_catalog("hub")
    assert "hub" in available()
    assert len(cat.models) >= 20
    tags = {t for m in cat.models for t in m.tags}
    assert set(STYLE) <= tags, f"styles without a model: {set(STYLE) - tags}"
    assert set(SUBJECT) - tags == set(), f"subjects without a model: {set(SUBJECT) - tags}"
    families = {m.family for m in cat.models}
    assert {"sd15", "sdxl", "sd3", "flux", "pixart"} <= families
    assert sum(isinstance(m.source, LoraSource) for m in cat.models) >= 2
    assert all(len(m.example_prompts) >= 2 for m in cat.models)


def test_catalog_by_path(tiny_catalog):
    cat = load_catalog(tiny_catalog)
    assert cat.name == "tiny" and cat.ids[0] == "photo"
    assert cat.get("pixel").source.base == "photo"


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda m: m[1].update(family="sd9"), ["entry 1 ('anime')", "field 'family'"]),
        (lambda m: m[2].pop("description"), ["entry 2 ('watercolor')", "field 'description'"]),
        (lambda m: m[3].update(id="photo"), ["entry 3 ('photo')", "duplicate id 'photo'"]),
        (
            lambda m: m[0].update(tags=["photorealistic", "person", "vaporwave"]),
            ["entry 0 ('photo')", "unknown tag 'vaporwave'"],
        ),
        (lambda m: m[0].update(example_prompts=["only one"]), ["entry 0 ('photo')", "field 'example_prompts'"]),
        (lambda m: m[3]["source"].update(base="nope"), ["entry 3 ('pixel')", "source.base", "'nope'"]),
        (
            lambda m: m[0].update(source={"kind": "single_file", "path": "model.ckpt"}),
            ["field 'source.single_file.path'", "pickle"],
        ),
        (lambda m: m[0].update(tags=["person"]), ["needs at least one 'style' tag"]),
    ],
)
def test_bad_entries_name_file_entry_and_field(tmp_path, mutate, expected):
    models = [dict(m, source=dict(m["source"])) for m in TINY_MODELS]
    mutate(models)
    path = write_catalog(tmp_path / "bad.yaml", models)
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    msg = str(err.value)
    assert str(path) in msg
    for part in expected:
        assert part in msg


def test_yaml_syntax_error_and_unknown_name(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("models:\n  - id: [unclosed\n")
    with pytest.raises(CatalogError, match="broken.yaml: not valid YAML"):
        load_catalog(bad)
    with pytest.raises(CatalogError, match="unknown catalog 'nope'; use one of .*hub"):
        load_catalog("nope")
    with pytest.raises(CatalogError, match="does not exist"):
        load_catalog(tmp_path / "missing.yaml")


def test_catalog_may_add_vocabulary_words(tmp_path):
    models = TINY_MODELS + [
        card(
            "vapor",
            ["vaporwave", "abstract"],
            "Vaporwave aesthetics, pink and teal.",
            ["a statue, vaporwave", "palm trees, vaporwave"],
        )
    ]
    cat = load_catalog(write_catalog(tmp_path / "v.yaml", models, vocabulary={"style": ["vaporwave"]}))
    assert "vaporwave" in cat.vocabulary["style"] and cat.get("vapor").tags_in("style", cat.vocabulary) == ["vaporwave"]


def test_fingerprint_tracks_content(tmp_path):
    a = load_catalog(write_catalog(tmp_path / "a.yaml"))
    b = load_catalog(write_catalog(tmp_path / "b.yaml"))
    assert a.fingerprint() == b.fingerprint()
    models = [dict(m) for m in TINY_MODELS]
    models[0] = dict(models[0], description="Something else entirely, for the test.")
    assert load_catalog(write_catalog(tmp_path / "c.yaml", models)).fingerprint() != a.fingerprint()
