"""Readings that took a message's own verbs and asides for things ("a travel poster of a make", "at calm the sea and
make it a moonlit night"), or answered a first request as a change to nothing."""

import re

import pytest

from graphs.chat.refine import rule_intent
from tests.merging import assert_content


@pytest.mark.parametrize(
    ("text", "scene"),
    [
        (
            "Could you make a picture of a grumpy old wizard trying to use a laptop? It's for a meme",
            "a grumpy old wizard trying to use a laptop",
        ),
        ("make me a red fox in the snow", "a red fox in the snow"),
        ("can you please make two cats on a sofa", "two cats on a sofa"),
    ],
)
def test_make_a_thing_with_nothing_drawn_is_a_request(text, scene):
    # before, "make" read as a change to nothing drawn, and the reply said there was no picture to refine
    got = rule_intent(text, None)
    assert got.action == "new"
    assert scene in got.prompt


@pytest.mark.parametrize("text", ["make it red", "make the fox white", "make a wolf instead"])
def test_a_change_with_nothing_drawn_is_still_a_change(text):
    # the chat graph answers that there is nothing to change yet, rather than drawing "make it red"
    assert rule_intent(text, None).action == "content"


@pytest.mark.parametrize(
    ("prompt", "text", "merged"),
    [
        (
            "a hummingbird sipping from a red hibiscus flower",
            "Would it be possible to make the hibiscus a pale apricot colour instead of red?",
            "a hummingbird sipping from a pale apricot hibiscus flower",
        ),
        ("a cheerful yellow submarine", "make the submarine copper-coloured", "a cheerful copper submarine"),
        ("a red car", "make it a dark forest green shade", "a dark forest green car"),
        (
            "a bakery window display with croissants, a strawberry tart and a chocolate cake",
            "replace the chocolate cake with macarons in pastel colours",
            "a bakery window display with croissants, a strawberry tart and macarons in pastel colours",
        ),
        ("a little robot on a balcony", "the robot in orange paint", "a little orange robot on a balcony"),
    ],
)
def test_words_said_to_be_a_colour_are_the_colour(prompt, text, merged):
    assert_content(prompt, text, merged)


@pytest.mark.parametrize(
    ("prompt", "text", "merged"),
    [
        (
            "a travel poster of Kyoto with a pagoda and maple trees in autumn",
            "Could we make it winter with snow on the pagoda, instead of autumn?",
            "a travel poster of Kyoto with a pagoda and maple trees in the snow in winter",
        ),
        (
            "a cheerful yellow submarine exploring a coral reef",
            "Perhaps we could make the submarine copper-coloured, and add a curious octopus, too?",
            "a cheerful copper submarine exploring a coral reef, with a curious octopus",
        ),
    ],
)
def test_the_verb_of_a_change_is_never_the_thing(prompt, text, merged):
    assert_content(prompt, text, merged)


@pytest.mark.parametrize(
    ("prompt", "text", "merged"),
    [
        (
            "an oil painting of a sailing ship in a storm",
            "Could we calm the sea and make it a moonlit night, instead of the storm?",
            "an oil painting of a sailing ship on a moonlit night",
        ),
        (
            "a black labrador with a stick in snow",
            "the snow, make it autumn leaves",
            "a black labrador with a stick in autumn leaves",
        ),
        (
            "a little robot watering sunflowers on a balcony, sunrise, city skyline, soft 3d look",
            "robot in rusty orange paint, and evening instead of sunrise",
            "a little rusty orange robot watering sunflowers on a balcony, city skyline in the evening, soft 3d look",
        ),
    ],
)
def test_a_new_time_for_an_old_weather_is_the_words_that_name_it(prompt, text, merged):
    assert_content(prompt, text, merged)


@pytest.mark.parametrize(
    ("prompt", "text", "scene"),
    [
        (
            "a grumpy old wizard trying to use an old CRT monitor",
            "OK, separate request for my own desk: a bonsai tree on a windowsill in the rain",
            "a bonsai tree on a windowsill in the rain",
        ),
        ("a cat on a sofa", "a separate one: a dog in a park", "a dog in a park"),
    ],
)
def test_a_separate_request_is_a_new_picture(prompt, text, scene):
    got = rule_intent(text, prompt)
    assert got.action == "new"
    assert got.prompt == scene


@pytest.mark.parametrize(
    ("prompt", "text", "merged"),
    [
        (
            "three paper cranes in washi paper, on a light oak table, soft diffused light",
            "put them on dark slate, not oak",
            "three paper cranes on a dark slate background in washi paper, soft diffused light",
        ),
        ("a sea in the night", "and the moon, not sun", "a sea in the night, with the moon"),
        ("a red fox in the snow", "not the fox, a wolf", "a red wolf in the snow"),
    ],
)
def test_what_the_message_says_goes_is_gone(prompt, text, merged):
    assert_content(prompt, text, merged)


@pytest.mark.parametrize(
    ("prompt", "text", "whole"),
    [
        ("red polka dots on a black background", "stripes diagonal instead dots", "polka dots"),
        ("the digit 8 in blue on orange", "the background purple instead of blue", "in blue"),
    ],
)
def test_the_subject_is_never_cut_to_a_stray_word(prompt, text, whole):
    # dropping "dots" from "red polka dots" drew "red polka"; "blue" of "the digit 8 in blue", "the digit 8 in"
    got = rule_intent(text, prompt).prompt
    first = whole.split()[0]
    assert whole in got or not re.search(rf"\b{first}\b", got)


@pytest.mark.parametrize(
    ("prompt", "text", "merged"),
    [
        (
            "a bearded lumberjack in a red flannel shirt chopping wood",
            "flannel should be blue and black checked",
            "a bearded lumberjack in a blue and black checked flannel shirt chopping wood",
        ),
        (
            "a waitress in a blue dirndl",
            "make the dirndl red and white checked",
            "a waitress in a red and white checked dirndl",
        ),
    ],
)
def test_colours_with_the_pattern_they_make_are_one_value(prompt, text, merged):
    # "white checked" was read as a thing called "checked", drawn as "..., with a black checked"
    assert_content(prompt, text, merged)


@pytest.mark.parametrize(
    ("prompt", "text", "merged"),
    [
        (
            "aerial drone shot of a winding road, crimson trees",
            "no more crimson",
            "aerial drone shot of a winding road",
        ),
        ("a red fox and a white rabbit in the snow", "no more rabbit", "a red fox in the snow"),
    ],
)
def test_no_more_is_a_removal(prompt, text, merged):
    # "no" was taken for a filler word, and "more crimson" set the road crimson
    assert_content(prompt, text, merged)
