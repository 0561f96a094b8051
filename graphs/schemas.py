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
    subjects: list[str] = Field(default_factory=list, description="Subject words from the vocabulary that fit the scene.")
    styles: list[str] = Field(default_factory=list, description="Style words from the vocabulary the user asked for; empty if none.")


class BranchVote(BaseModel):
    """The LLM's judgement of which tree branches suit the prompt (the paper's ToT step)."""

    ranked: list[str] = Field(description="Names of the offered branches, best first; only names from the list given.")
    reason: str = Field(default="", description="One sentence on why the first branch fits.")


class ExtendedPrompt(BaseModel):
    """The core prompt rewritten in the manner of the chosen model's example prompts."""

    prompt: str = Field(min_length=1, description="The rewritten prompt; it must keep all of the core prompt's content.")
