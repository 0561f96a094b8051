"""Structured outputs that steer the graph. The LLM fills these; the no-LLM mode builds the same objects by rule."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Kind = Literal["prompt", "instruction", "inspiration", "hypothesis"]


class ParsedPrompt(BaseModel):
    """What the user asked for, reduced to a prompt a diffusion model can draw."""

    kind: Kind = Field(
        description=(
            "prompt: a bare description ('a dog on a beach'); instruction: a command to make an image "
            "('generate an image of a dog'); inspiration: a wish to see something ('I want to see a beach'); "
            "hypothesis: a condition and its consequence ('if you gave me a toy I would laugh')."
        )
    )
    core_prompt: str = Field(
        min_length=1,
        description="The scene to draw, with the request wrapper removed; keep every content and style word.",
    )
    subjects: list[str] = Field(
        default_factory=list, description="Subject words from the vocabulary that fit the scene."
    )
    styles: list[str] = Field(
        default_factory=list, description="Style words from the vocabulary the user asked for; empty if none."
    )


class BranchVote(BaseModel):
    """The LLM's judgement of which tree branches suit the prompt (the paper's ToT step)."""

    ranked: list[str] = Field(description="Names of the offered branches, best first; only names from the list given.")
    reason: str = Field(default="", description="One sentence on why the first branch fits.")


class ExtendedPrompt(BaseModel):
    """The core prompt rewritten in the manner of the chosen model's example prompts."""

    prompt: str = Field(
        min_length=1, description="The rewritten prompt; it must keep all of the core prompt's content."
    )


Action = Literal["new", "style", "content", "local", "reseed", "next_model", "revert", "rate", "chat"]

Op = Literal["set", "replace", "add", "remove", "swap"]
SlotName = Literal[
    "subject",
    "colour",
    "size",
    "orientation",
    "material",
    "background",
    "place",
    "time",
    "weather",
    "season",
    "style",
    "lighting",
    "composition",
    "thing",
    "quality",
    "words",
]


MAX_EDITS = 8  # edits one message may ask for: bounded for an LLM's output, room for a long list of changes


class Edit(BaseModel):
    """One change to the last picture's description."""

    op: Op = Field(
        description=(
            "set: give a slot a new value (colour, size, background, place, time, weather, season, style, ...); "
            "replace: put `value` where `target` was (a subject swapped for another); add: add a thing; "
            "remove: take `target` out; swap: exchange the colours of two things (default: subject and background)."
        )
    )
    slot: SlotName = Field(
        description=(
            "Which slot the change is about; `thing` for added or removed objects; `quality` for any other word "
            "describing a thing ('ginger', 'fluffy', 'rusty'); `words` (with add) for a change that fits no slot, "
            "its words added to the prompt as said ('the windows glowing with warm light')."
        )
    )
    value: str = Field("", max_length=80, description="The new words, e.g. 'white', 'a wolf', 'a beach', 'dusk'.")
    target: str = Field(
        "", max_length=80, description="What it applies to or replaces, e.g. 'fox'; empty for the main subject."
    )


class TurnIntent(BaseModel):
    """How one message in a conversation relates to the picture before it."""

    action: Action = Field(
        description=(
            "new: a request unrelated to the last picture; style: the same scene in another style ('same but as a "
            "watercolor'); content: the scene with something added, removed or changed ('add a boat'); local: a "
            "global look change of the last picture itself ('make it darker'); reseed: the same again with a new seed "
            "('another one'); next_model: the same with a different model; revert: go back to an earlier picture; "
            "rate: the user judges the last picture ('I love it', 'that's wrong', '/rate 4'); chat: neither a "
            "request nor a change ('hi', 'thanks', 'which models do you have?'): nothing is drawn."
        )
    )
    prompt: str = Field(
        default="",
        description=(
            "new, style, content, local: the complete scene to draw now, i.e. the previous prompt with the change "
            "applied (new: the request's own scene). Empty for reseed, next_model, revert and rate."
        ),
    )
    change: str = Field(
        default="", description="The change asked for, in a few words ('darker', 'watercolor', 'add a boat')."
    )
    target_turn: int | None = Field(default=None, description="revert: the turn number to go back to (1 = the first).")
    stars: int | None = Field(default=None, ge=1, le=5, description="rate: 1 (wrong) to 5 (perfect).")
    edits: list[Edit] = Field(
        default_factory=list,
        max_length=MAX_EDITS,
        description=(
            "style and content: the change as operations on the last picture's description, e.g. 'make the fox white' "
            "-> [{op: set, slot: colour, value: white, target: fox}]; 'a wolf instead' -> [{op: replace, slot: "
            "subject, value: a wolf}]; 'now at dusk' -> [{op: set, slot: time, value: dusk}]. The prompt to draw is "
            "written from them, keeping every other word."
        ),
    )
