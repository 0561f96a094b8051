"""A reading that takes the message's talk for a thing ("a travel poster of a make", "a girl in a yellow i'd") gives
way to the next reader's when that one names no talk (graphs/chat/talk.py `first_reading`); lettering may say
anything; a wish reported for someone else is the wish ("my wife wants sage green cabinets")."""

import pytest

from graphs.chat import talk
from graphs.chat.refine import rule_intent
from graphs.llm.schemas import Edit
from tests.merging import assert_content


@pytest.mark.parametrize(
    ("prompt", "text", "merged"),
    [
        (
            "a moon in a night sky over a desert",
            "I wonder if we could replace the desert with the sea, please.",
            "a moon in a night sky over a sea",
        ),
        (
            "a girl in a yellow dress sitting on a swing under an oak tree in autumn",
            "hmm, i'd rather a red dress",
            "a girl in a red dress sitting on a swing under an oak tree in autumn",
        ),
        (
            "a white kitchen with marble countertops, brass handles and a big window over the sink",
            "hmm, I think my wife wants sage green cabinets instead of white, can you show that? keep the marble and brass",
            "sage green cabinets with marble countertops, brass handles and a big window over the sink",
        ),
        # the words a sign spells are no talk, though they say "I" and "you"
        (
            "a wooden sign that says OPEN on a door",
            "change the text to I LOVE YOU",
            "a wooden sign that says I LOVE YOU on a door",
        ),
    ],
)
def test_talk_is_no_thing(prompt, text, merged):
    assert_content(prompt, text, merged)


def test_the_first_clean_reading_wins_and_a_talking_one_stands_when_none_is_clean():
    talking = [Edit(op="replace", slot="subject", value="a wonder replace sea")]
    clean = [Edit(op="set", slot="place", value="over a sea")]
    assert talk.first_reading([lambda: talking, lambda: None, lambda: clean], "a moon over a desert") == clean
    assert talk.first_reading([lambda: talking, lambda: None], "a moon over a desert") == talking
    assert talk.first_reading([lambda: None, lambda: []], "a moon over a desert") == []  # as `a or b`: the last
    lettering = [Edit(op="replace", slot="subject", value="I MISS YOU", target="OPEN")]
    assert not talk.talks(lettering, "a sign that says OPEN")
    assert talk.talks([Edit(op="add", slot="thing", value="a want red square")], "a red circle")


@pytest.mark.parametrize(
    ("prompt", "text", "merged"),
    [
        # who asked for it, after "and", "also" or "liked it but", and the reason after it, are set aside
        (
            "a logo of a navy coffee cup with steam on a cream background, simple flat design",
            "also he says the steam should go, it looks like smoke lol",
            "a logo of a navy coffee cup on a cream background, simple flat design",
        ),
        (
            "a minimalist logo of a mountain and a rising sun, for an outdoor gear brand",
            "My boss liked it but wants the logo in navy",
            "a navy minimalist logo of a mountain and a rising sun, for an outdoor gear brand",
        ),
        (
            "a jar of honey with a wooden dipper, bees flying around, product photo",
            "great, and she wants the background white, cleaner for printing",
            "a jar of honey with a wooden dipper, bees flying around on a white background, product photo",
        ),
        # a background that "could be" white is white
        (
            "a logo of a navy coffee cup on a cream background",
            "he also asked whether the background could be white",
            "a logo of a navy coffee cup on a white background",
        ),
    ],
)
def test_who_asked_and_why_are_not_drawn(prompt, text, merged):
    assert_content(prompt, text, merged)


@pytest.mark.parametrize(
    ("prompt", "text", "merged"),
    [
        # a story told before the change it leads to; a change before "so" keeps its own reading
        (
            "the letter A in red on a yellow background",
            "actually the brand name starts with B, so the letter B please",
            "the letter B in red on a yellow background",
        ),
        ("a cat on a sofa", "my daughter loves dogs, so a dog instead please", "a dog on a sofa"),
        ("a red star on a blue background", "make it yellow, so it pops", "a yellow star on a blue background"),
        # "the cat's a dog now": the thing named becomes the other; "the blue is a bit cold" is no thing
        ("a cat on a sofa", "the cat's a dog now", "a dog on a sofa"),
        (
            "an orange circle on a blue background",
            "Could you maybe make the background purple? The blue is a bit cold.",
            "an orange circle on a purple background",
        ),
    ],
)
def test_the_story_before_a_change_is_not_drawn(prompt, text, merged):
    assert_content(prompt, text, merged)


def test_an_edit_said_twice_is_applied_once():
    from graphs.reading.edits import apply_edits

    twice = [Edit(op="add", slot="thing", value="a B"), Edit(op="add", slot="thing", value="a b")]
    assert apply_edits("a red star", twice) == "a red star, with a B"


@pytest.mark.parametrize(
    ("prompt", "text", "merged"),
    [
        # a view said with what it shows is the camera, not a new picture
        (
            "a firefighter carrying a puppy out of a smoky building",
            "close-up on his face, covered in soot",
            "a firefighter carrying a puppy out of a smoky building, close-up on his face, covered in soot",
        ),
        (
            "a rock climber hanging off a red sandstone cliff",
            "shot from above, looking down at the canyon",
            "a rock climber hanging off a red sandstone cliff, shot from above, looking down at the canyon",
        ),
        (
            "a barn owl on a fence post at dusk",
            "wide angle instead so we see the whole farm",
            "a barn owl on a fence post at dusk, wide angle, showing the whole farm",
        ),
    ],
)
def test_a_view_with_what_it_shows(prompt, text, merged):
    assert_content(prompt, text, merged)


def test_a_view_asked_for_is_the_camera_of_the_picture_drawn():
    assert (
        rule_intent("gimme a close-up", "an orange dog on a sofa, photo").prompt
        == "an orange dog on a sofa, close-up, photo"
    )
    new = rule_intent("show me a close-up of a tiger", "a red car on a street")
    assert new.action == "new" and "tiger" in new.prompt and "car" not in new.prompt


@pytest.mark.parametrize("text", ["the sky is a mess", "the dog is a disaster", "the cat looks like a blob"])
def test_a_thing_called_a_mess_is_a_complaint_not_a_replacement(text):
    got = rule_intent(text, "a dog and a cat in a park under a blue sky")
    assert got.action == "rate" and got.stars == 2
