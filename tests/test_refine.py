"""Rule mode for conversations (graphs/chat/refine.py): which messages refine the last picture, and the merged prompt."""

import pytest

from graphs.chat.phrasings import named_style
from graphs.chat.ratings import rating_of
from graphs.chat.refine import rule_intent
from graphs.llm.schemas import Edit
from graphs.reading.edits import apply_edits
from graphs.reading.restyle import merge_style, strip_styles

PREV = "a yellow star on a purple background"


@pytest.mark.parametrize(
    "text, action, prompt",
    [
        ("make it darker", "local", PREV + ", darker"),
        ("a little brighter please", "local", PREV + ", a little brighter"),
        ("more contrast", "local", PREV + ", more contrast"),
        ("same but as a watercolor", "style", PREV + ", watercolor"),
        ("now in anime style", "style", PREV + ", anime style"),
        ("make it a watercolor painting", "style", PREV + ", watercolor painting"),
        ("add a boat", "content", PREV + ", with a boat"),
        ("make the star red", "content", "a red star on a purple background"),
        ("replace the star with a circle", "content", "a yellow circle on a purple background"),
        ("another one", "reseed", ""),
        ("try again", "reseed", ""),
        ("use a different model", "next_model", ""),
        ("a different model please", "next_model", ""),
        ("a red fox in the snow", "new", "a red fox in the snow"),
        ("a watercolor of a fox", "new", "a watercolor of a fox"),
        ("draw a cat with a hat", "new", "a cat with a hat"),  # the asking is no part of the scene
        ("a sign that says I love it", "new", "a sign that says I love it"),
    ],
)
def test_actions_and_merged_prompts(text, action, prompt):
    intent = rule_intent(text, PREV)
    assert (intent.action, intent.prompt) == (action, prompt)


@pytest.mark.parametrize(
    "text, target",
    [
        ("go back to the first one", 1),
        ("back to the second picture", 2),
        ("go back to the previous one", None),
        ("undo", None),
        ("return to the 3rd one", 3),
    ],
)
def test_revert_targets(text, target):
    intent = rule_intent(text, PREV)
    assert intent.action == "revert" and intent.target_turn == target


@pytest.mark.parametrize(
    "text, stars",
    [
        ("/rate 4", 4),
        ("I love it", 5),
        ("love it!", 5),
        ("that's wrong", 1),
        ("not what I wanted", 1),
        ("nice", 4),
        ("I like it", 4),
        ("/rate 9", None),
        ("a wrong-way sign", None),
        ("I love it when it rains, draw that", None),
    ],
)
def test_ratings_are_whole_messages(text, stars):
    assert rating_of(text) == stars


def test_refinements_are_recognised_without_a_previous_picture():
    for text in (
        "make it darker",
        "another one",
        "use a different model",
        "go back to the first one",
        "/rate 3",
        "same but as a watercolor",
        "add a boat",
    ):
        assert rule_intent(text, None).action != "new", text
    assert rule_intent("make it darker", None).prompt == ""


def test_merging_helpers():
    assert strip_styles("a fox in a snowy forest, oil painting") == "a fox in a snowy forest"
    assert merge_style("a photo of a fox", "watercolor") == "a fox, watercolor"
    assert merge_style("a fox, anime style", "pixel art") == "a fox, pixel art"
    assert merge_style("a castle in watercolor style", "oil painting") == "a castle, oil painting"
    remove_boat = [Edit(op="remove", slot="thing", target="boat")]
    assert apply_edits("a lake with a boat at sunset", remove_boat) == "a lake at sunset"
    assert apply_edits("a lake", remove_boat) == "a lake, without boat"
    assert apply_edits("a lake", [Edit(op="replace", slot="subject", target="lake", value="a sea")]) == "a sea"


@pytest.mark.parametrize(
    "text, action",
    [
        ("that's great, love it", "rate"),
        ("haha love it", "rate"),
        ("i love this one", "rate"),
        ("hmm, try again", "reseed"),
        ("pls another seed", "reseed"),
        ("can you make the colours pop more", "local"),
        ("hmm too dark, brighten it up a little", "local"),
        ("lol nice", "chat"),
    ],
)
def test_talk_with_interjections_and_several_clauses(text, action):
    assert rule_intent(text, "a wooden cabin by a lake, with a red boat").action == action


@pytest.mark.parametrize(
    "text, style",
    [
        ("as a Van Gogh", "in the style of Van Gogh"),
        ("art nouveau pls", "art nouveau"),
        ("low poly pls", "low poly"),
        ("linocut print version", "linocut print"),
        ("as a medieval tapestry", "medieval tapestry"),
    ],
)
def test_a_style_named_on_its_own_is_a_style_change(text, style):
    intent = rule_intent(text, "a teapot on a checkered tablecloth")
    assert (intent.action, intent.prompt) == ("style", f"a teapot on a checkered tablecloth, {style}")


def test_a_bare_content_word_is_not_read_as_a_style():
    # "dragon" matches the fantasy pattern and "sign" typography: content, not a look
    for text in ("a dragon", "make it a sign", "a red car", "as a knight", "medieval castle"):
        assert named_style(text) is None, text


def test_a_whole_sentence_read_as_a_subject_is_no_reading_not_a_crash():
    """The Edit schema holds a value to 80 characters; a rule that would take a long polite sentence for the new
    subject reads nothing instead (the turn is drawn new, or read another way), and never raises."""
    from graphs.chat.refine import rule_intent

    long = (
        "That looks nice! I was wondering if you could change it to a sunset, and put the sea there instead of "
        "the hills?"
    )
    intent = rule_intent(long, "hills at day with the sun")
    assert all(len(e.value) <= 80 and len(e.target) <= 80 for e in intent.edits)


@pytest.mark.parametrize(
    "text, change",
    [
        ("lower the exposure a stop", "lower the exposure a stop"),
        ("cooler white balance, lift the shadows", "cooler white balance, lift the shadows"),
        ("bump the saturation", "bump the saturation"),
        ("crush the blacks a little more", "crush the blacks a little more"),
        ("is too much saturated, make less", "is too much saturated, make less"),
        ("put more warm the colors", "put more warm the colours"),
        ("warmr colors", "warmer colours"),
        ("moar contrast plz", "more contrast"),
    ],
)
def test_a_look_change_in_an_editors_or_a_learners_words_is_local(text, change):
    intent = rule_intent(text, PREV)
    assert (intent.action, intent.change, intent.prompt) == ("local", change, f"{PREV}, {change}")


@pytest.mark.parametrize(
    "text", ["make it white", "make the background dark blue", "add a dark forest", "white background"]
)
def test_a_colour_or_a_thing_beside_look_words_is_not_a_look_change(text):
    assert rule_intent(text, PREV).action == "content"


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Thanks a lot, have a lovely day!", "greeting"),
        ("Thank you so much, you've been very helpful!", "greeting"),
        ("ok, thanks, I'll think about it", "greeting"),
        ("ur the best thx", "greeting"),
        ("k bye", "greeting"),
        ("whats a lora lol", "question"),
        ("why that checkpoint?", "question"),
        ("what's the difference between SDXL and SD 1.5?", "question"),
        ("Thank you. How long does a picture usually take to make?", "question"),
        ("hello, how you work? you use AI?", "question"),
    ],
)
def test_small_talk_and_questions_about_the_system_are_answered(text, kind):
    assert (rule_intent(text, PREV).action, rule_intent(text, PREV).change) == ("chat", kind)


@pytest.mark.parametrize("text", ["what about a model of a ship", "what if it was an ai robot instead"])
def test_a_scene_that_names_a_system_word_is_not_a_question(text):
    assert rule_intent(text, PREV).action != "chat"


@pytest.mark.parametrize(
    "text, turn, desc",
    [
        ("prev pls", None, ""),
        ("orig pls", 1, ""),
        ("the first was better, go back", 1, ""),
        ("ugh the second one was better", 2, ""),
        ("nah blue was better", None, "blue"),
        ("return back to the rain one", None, "rain"),
        ("revert to the orange version", None, "orange"),
        ("I think I actually preferred the yellow one", None, "yellow"),
        ("let's go back to the mountains", None, "mountains"),
    ],
)
def test_a_revert_built_from_a_verb_of_return_and_a_picture_named_any_way(text, turn, desc):
    intent = rule_intent(text, PREV)
    assert (intent.action, intent.target_turn, intent.change) == ("revert", turn, desc)


def test_a_revert_to_the_version_without_a_thing_finds_the_latest_picture_lacking_it():
    from graphs.chat.refine import revert_target

    prompts = ["a train on a bridge", "a train on a bridge, with fog", "a train on a bridge, with fog, at night"]
    intent = rule_intent("go back to the version without the fog", prompts[-1])
    assert revert_target(prompts, intent) == 0


@pytest.mark.parametrize(
    "text, prompt",
    [
        ("bg white", "a yellow star on a white background"),
        ("+ a moon", PREV + ", with a moon"),
    ],
)
def test_a_power_users_shorthand_reads_as_the_full_words(text, prompt):
    assert rule_intent(text, PREV).prompt == prompt


@pytest.mark.parametrize(
    "text, action, change",
    [
        ("hmm, make it darker. no, actually, brighter", "local", "brighter"),
        ("less contrast please. no wait, more", "local", "more contrast"),
        ("make them lemons. or limes? no, lemons.", "content", "replace subject = lemons"),
        ("make the dragon green. hmm, maybe gold would be better. gold", "content", "set colour = gold"),
        ("Thank you! Would you mind making it daytime?", "content", "set time = daytime"),
        ("Could you possibly give it a little more contrast, please? It looks a bit flat to me.", "local", None),
        ("Sorry, could you please try that one more time? I'd like to see a different version.", "reseed", None),
        ("Oh dear, I think just one was nicer. Could we please undo that?", "revert", None),
        ("Thank you so much! I'd rate that a 4 out of 5.", "rate", None),
    ],
)
def test_a_long_or_self_correcting_message_is_read_by_the_sentence_that_asks(text, action, change):
    intent = rule_intent(text, PREV)
    assert intent.action == action
    assert change is None or intent.change == change


@pytest.mark.parametrize(
    "text", ["can you make again one more time?", "render it again with a different seed", "reroll it"]
)
def test_a_redraw_said_with_again_or_reroll_is_a_reseed(text):
    assert rule_intent(text, PREV).action == "reseed"


@pytest.mark.parametrize(
    "text, stars",
    [
        ("I'd give that one a 5 out of 5, thank you!", 5),
        ("very nice, i give it 5 of 5", 5),
        ("That's perfect, thank you very much!", 5),
        ("perfect lol", 5),
        ("lmao thats amazing", 5),
    ],
)
def test_a_rating_beside_thanks_or_laughter_is_still_a_rating(text, stars):
    assert (rule_intent(text, PREV).action, rule_intent(text, PREV).stars) == ("rate", stars)


@pytest.mark.parametrize(
    "text, action",
    [
        ("lol nice", "chat"),
        ("omg cute, again!", "reseed"),
        ("Ah, I see, thank you! Could you then please try another seed for this picture?", "reseed"),
        ("Sorry to bother you again, could you please make the colours a bit warmer?", "local"),
    ],
)
def test_praise_or_courtesy_before_a_request_leaves_the_request(text, action):
    assert rule_intent(text, PREV).action == action
