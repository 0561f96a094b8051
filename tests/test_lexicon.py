"""The style lexicon (tools/data/style_lexicon.yaml): it loads and validates, the rule reader finds its phrases, and
a request that names a model or its trigger word routes to it."""

import numpy as np
import pytest

from agent.selector import Selector
from graphs.llm.schemas import ParsedPrompt
from graphs.reading.lexicon import lexicon_styles
from graphs.reading.naming import model_phrases, named_models
from graphs.reading.rules import mentions_style, rule_parse
from graphs.selection.scoring import MODEL_NAME_BONUS, MODEL_STYLE_BONUS, model_scores
from tests.conftest import TINY_MODELS, card, write_catalog
from tools.catalog import load_catalog
from tools.lexicon import LEXICON_STYLES, LexiconError, load_lexicon, parse_lexicon
from tools.vocabulary import merged


def test_shipped_lexicon_loads_and_covers_every_kind():
    lx = load_lexicon()
    assert len(lx.entries) >= 300
    kinds = lx.by_kind()
    assert set(kinds) == {"artist", "movement", "medium", "phrase"}
    assert all(n >= 50 for n in kinds.values()), kinds
    for e in lx.entries:
        assert set(e.styles) <= set(LEXICON_STYLES)
        assert e.source.strip()
    assert load_lexicon() is lx  # loaded once


def _entry(**kw):
    return {"phrase": "monet", "kind": "artist", "styles": ["painting"], "source": "Wikipedia: Claude Monet", **kw}


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (_entry(styles=["paintng"]), ["entry 2 ('monet')", "styles", "paintng"]),
        (_entry(styles=["general"]), ["entry 2", "styles", "general"]),
        (_entry(styles=[]), ["entry 2", "styles"]),
        (_entry(kind="painter"), ["entry 2", "kind"]),
        ({"phrase": "monet", "kind": "artist", "styles": ["painting"]}, ["entry 2", "source"]),
        (_entry(colour="blue"), ["entry 2", "colour"]),
        (_entry(phrase="--"), ["entry 2", "phrase"]),
        (_entry(phrase="Pop Art", aliases=[]), ["entry 2 ('Pop Art')", "already listed by entry 1"]),
        ("monet", ["entry 2", "mapping"]),
    ],
)
def test_a_bad_entry_is_named_with_its_field(bad, words):
    good = {"phrase": "pop art", "kind": "movement", "styles": ["illustration"], "source": "Wikipedia: Pop art"}
    with pytest.raises(LexiconError) as e:
        parse_lexicon({"entries": [good, bad]}, "lex.yaml")
    msg = str(e.value)
    assert msg.startswith("style lexicon lex.yaml: ")
    for w in words:
        assert w in msg, msg


def test_a_broken_file_names_itself(tmp_path):
    p = tmp_path / "lex.yaml"
    p.write_text("entries: [ {phrase: monet\n")
    with pytest.raises(LexiconError, match="lex.yaml: not valid YAML"):
        load_lexicon(p)
    p.write_text("items: []\n")
    with pytest.raises(LexiconError, match="'entries' list"):
        load_lexicon(p)


@pytest.mark.parametrize(
    ("text", "styles"),
    [
        ("a bowl of ramen in the style of Monet", ["painting"]),
        ("a lighthouse on a cliff, art nouveau poster", ["illustration", "painting"]),
        ("a fish market in Edo, by Hokusai", ["illustration", "painting"]),
        ("a Van Gogh-inspired wheat field", ["painting"]),
        ("MONET STYLE water lilies", ["painting"]),
        ("melting clocks in the manner of Dalí", ["painting"]),  # accents folded
        ("melting clocks in the manner of Dali", ["painting"]),
        ("a mountain pass, ukiyo-e", ["illustration", "painting"]),
        ("a throne room, H.R. Giger", ["concept-art", "painting"]),
        ("a hare in long grass, linocut", ["illustration", "sketch"]),
        ("a windmill, gouache", ["painting"]),  # a STYLE_PATTERNS synonym still
        ("a heron in reeds, sumi-e ink wash", ["painting", "sketch"]),
        ("a knight, cubist painting", ["painting"]),
        ("a detective under a streetlamp, film noir", ["cinematic"]),
        ("a fox cub in a garden, Pixar style", ["3d-render"]),
        ("a chess set, low poly", ["3d-render"]),
        ("woodcuts of birds", ["illustration"]),  # plural of a medium
        ("a horse, da vinci notebook study", ["sketch"]),  # the longest phrase wins over "da vinci"
        ("a clown, pop surrealism", ["painting", "illustration"]),  # not "surrealism" alone
        ("a watercolor in the style of Turner", ["watercolor", "painting"]),  # first mention first
        ("monetary policy meeting", []),  # whole words only
        ("art, deco and more", []),  # a comma does not join a phrase
    ],
)
def test_lexicon_phrases_are_styles(text, styles):
    assert mentions_style(text) == styles
    assert rule_parse(text).styles == styles


def test_quoted_text_is_drawn_not_read_as_a_style():
    assert mentions_style('a poster that reads "Art Deco Night"') == ["typography"]
    assert mentions_style('a gallery sign that says "MONET"') == ["typography"]
    assert mentions_style("a gallery sign that says 'Hokusai Prints'") == ["typography"]
    # the tag words and synonyms keep today's reading, quotes or not
    assert mentions_style('a sign that says "anime"') == ["typography", "anime"]
    assert rule_parse('a poster with the words "Grand Opening"').styles == ["typography"]


def test_the_vocabulary_limits_lexicon_styles():
    vocab = {"subject": ("person",), "style": ("photorealistic", "sketch")}
    assert mentions_style("a portrait in the style of Monet", vocab) == []
    assert mentions_style("a portrait, charcoal like Egon Schiele", vocab) == ["sketch"]
    # a catalog's own word that the lexicon also lists is read once, as the catalog's word
    assert mentions_style("a low poly vaporwave city", merged({"style": ["vaporwave", "low-poly"]})) == [
        "low-poly",
        "vaporwave",
    ]
    assert lexicon_styles("a low poly vaporwave city") == ["3d-render", "illustration"]


def test_model_phrases_come_from_names_ids_and_trigger_words():
    hub = {c.id: c for c in load_catalog("hub").models}
    phrases = {i: model_phrases(c) for i, c in hub.items()}
    for model, phrase in [
        ("sd15-ghibli", "ghibli"),
        ("sd15-van-gogh", "van gogh"),
        ("sd15-van-gogh", "lvngvncnt"),
        ("sd15-inkpunk", "inkpunk"),
        ("sd15-inkpunk", "nvinkpunk"),
        ("sd15-elden-ring", "elden ring"),
        ("sdxl-animagine-3.1", "animagine"),
        ("sdxl-juggernaut-v9", "juggernaut"),
        ("sd15-mo-di", "mo di"),
        ("lora-logo-redmond", "logoredaf"),
    ]:
        assert phrase in phrases[model], (model, phrases[model])
    # a name made only of style words, or one ordinary word, names no model by itself
    assert phrases["lora-pixel-art-xl"] == () and phrases["lora-watercolor-xl"] == ()
    assert "epic" not in phrases["sd15-epic-diffusion"] and "epic diffusion" in phrases["sd15-epic-diffusion"]
    assert "photo" not in phrases["sd15-dreamlike-photoreal-2"]  # its trigger word is just the style
    assert not any(phrases[m] for m in ("sd15-base", "sdxl-base", "sd21", "sd-turbo", "sdxl-turbo", "sd3-medium"))


def test_steering_and_quotes_name_no_model():
    hub = load_catalog("hub")
    assert named_models("a shrine in a forest, ghibli style", hub) == ["sd15-ghibli"]
    assert named_models("Use sd15-van-gogh no matter what. Generate a photo of a skyscraper", hub) == []
    assert named_models('a sign that says "Kolors"', hub) == []
    assert named_models("an epic battle on a playground", hub) == []
    assert set(named_models("a castle, dreamshaper", hub)) == {"sd15-dreamshaper-8", "sdxl-dreamshaper"}


def test_model_scores_add_the_name_bonus_and_lexicon_styles(tmp_path):
    cat = load_catalog(write_catalog(tmp_path / "c.yaml"))
    ids = [c.id for c in cat.models]
    row = {m: i for i, m in enumerate(ids)}
    sims = np.full(len(ids), 0.3)
    bare = ParsedPrompt(kind="prompt", core_prompt="a fox", subjects=[], styles=[])
    base = model_scores(cat, row, sims, bare, ids)
    named = model_scores(cat, row, sims, bare, ids, named=["watercolor"])
    assert named["watercolor"] - base["watercolor"] == pytest.approx(MODEL_NAME_BONUS)
    assert all(named[m] == base[m] for m in ids if m != "watercolor")
    # an LLM's parse that missed "in the style of Monet": the lexicon's styles still earn the style bonus
    lex = model_scores(cat, row, sims, bare, ids, lexicon_styles=["painting"])
    assert lex["watercolor"] == pytest.approx(0.3 + MODEL_STYLE_BONUS)
    assert lex["photo"] == pytest.approx(0.3)


NAMED_MODELS = [
    *TINY_MODELS,
    card(
        "inkwell-v2",
        ["sketch", "illustration", "person", "animal"],
        "Loose ink drawings of characters and creatures.",
        ["a cat, loose ink lines", "an old man reading, ink lines"],
        name="Inkwell Diffusion v2",
    ),
]


@pytest.fixture(scope="module")
def named_selector(tmp_path_factory):
    d = tmp_path_factory.mktemp("named")
    home = d / "home"
    home.mkdir()
    return Selector(catalog=write_catalog(d / "named.yaml", NAMED_MODELS), llm="none", home=home)


@pytest.mark.parametrize(
    ("text", "model"),
    [
        ("a dog sleeping in the sun, natural light, sharp focus", "photo"),  # control: the photo model
        ("a dog sleeping in the sun, natural light, sharp focus, wtrclr", "watercolor"),  # the card's trigger word
        ("a golden retriever in a park, bokeh", "photo"),
        ("a golden retriever in a park, bokeh, like Inkwell", "inkwell-v2"),  # the model's name
        # a named model is reachable and meets the search's subject requirements whatever its tags: Inkwell is not
        # tagged vehicle or landscape, the watercolor card carries no person
        ("a red sports car on a mountain road", "pixel"),
        ("a red sports car on a mountain road, Inkwell", "inkwell-v2"),
        ("a woman reading in a garden", "general"),
        ("a woman reading in a garden, wtrclr", "watercolor"),
    ],
)
def test_naming_a_model_or_its_trigger_routes_to_it(named_selector, text, model):
    assert named_selector.select(text)["model"] == model


def test_a_trigger_word_in_quotes_is_text_to_draw(named_selector):
    r = named_selector.select('a dog sleeping in the sun holding a sign that says "wtrclr"')
    assert r["model"] != "watercolor"


def test_named_looks_are_the_artists_and_movements_a_request_names():
    from graphs.reading.lexicon import named_looks

    assert named_looks("a knight on horseback, cubist painting") == ["cubist"]
    assert named_looks("ramen in the style of Monet, then art nouveau") == ["monet", "art nouveau"]
    assert named_looks("a cat, pixel art, watercolor") == []  # media and phrases are not someone's look
    assert named_looks('a sign that says "Monet"') == []  # quoted text is what to write, not a look
