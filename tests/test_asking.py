"""A request said with its story around it asks for the scene alone (graphs/chat/asking.py); the story, kept, was drawn
and every later turn refined it ("now the letter D" replaced the "letters" of "learning his letters")."""

import pytest

from graphs.chat.asking import asked_scene
from graphs.chat.refine import rule_intent


@pytest.mark.parametrize(
    ("text", "scene"),
    [
        (
            "My son is learning his letters, can you draw a big letter B in orange on a white background? He likes orange",
            "a big letter B in orange on a white background",
        ),
        (
            "my daughter is obsessed with otters right now so could you make me a picture of an otter floating on its "
            "back holding a starfish, for her birthday card",
            "an otter floating on its back holding a starfish",
        ),
        (
            "We went to Santorini for our honeymoon and I'd love a picture of the white houses with blue domes over the "
            "sea at sunset to hang in the hallway",
            "the white houses with blue domes over the sea at sunset, Santorini",
        ),
        (
            "my boss wants a logo for our coffee shop: a brown coffee cup with steam on a cream background",
            "a logo of a brown coffee cup with steam on a cream background",
        ),
        (
            "I walk past Tower Bridge every day on my way to work and I'd love a moody photo of it at night",
            "a moody photo of Tower Bridge at night",
        ),
        (
            "a night sky over the desert with the moon? I'm doing a little astronomy presentation for my class",
            "a night sky over the desert with the moon",
        ),
        (
            "could I have a blue letter G on a yellow background, it's for the cover of a notebook",
            "a blue letter G on a yellow background",
        ),
        (
            "i want a birthday card picture: a teddy bear holding balloons",
            "a birthday card of a teddy bear holding balloons",
        ),
    ],
)
def test_the_scene_is_asked_for_without_the_story(text, scene):
    assert asked_scene(text) == scene


@pytest.mark.parametrize(
    "text",
    [
        "a red fox in the snow",
        "draw a cat with a hat",
        "I just adopted a grey cat and I think it would be hilarious to see him as a pirate",  # the scene is the story
        "I'm designing a game and the villain is a plague doctor with a crow, can you draw him?",
    ],
)
def test_a_request_without_a_story_or_whose_scene_is_in_it_stays_as_said(text):
    assert asked_scene(text) == text


def test_the_first_turn_draws_the_scene_and_the_next_turn_refines_it():
    first = rule_intent(
        "My son is learning his letters, can you draw a big letter B in orange on a white background?", None
    )
    assert first.action == "new" and first.prompt == "a big letter B in orange on a white background"
    nxt = rule_intent("now the letter D", first.prompt)
    assert "letter D" in nxt.prompt and "son" not in nxt.prompt


def test_the_search_is_sent_the_scene():
    from graphs.chat.intent import new_request

    said = "hi, could I get a night sky over snowy mountains with the moon? it's for a phone wallpaper"
    assert new_request(said, rule_intent(said, None)) == "a night sky over snowy mountains with the moon"


def test_what_the_person_loves_is_the_story_not_the_scene():
    said = "For my niece's birthday card: a yellow star on a blue background, she loves stars"
    assert asked_scene(said) == "a birthday card of a yellow star on a blue background"
