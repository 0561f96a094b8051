"""The one check of the rule reader's family tests: a message read as a change whose merged prompt is the one given."""

from graphs.chat.refine import rule_intent


def assert_content(prompt: str, text: str, merged: str) -> None:
    got = rule_intent(text, prompt)
    assert got.action == "content"
    assert got.prompt == merged
