"""A style change: the prompt's style words taken out and the new style put in their place."""

from __future__ import annotations

import re

from graphs.reading.rules import STYLE_PATTERNS
from graphs.reading.scene import tidy

# Words that name a look, not content: "fantasy" and "typography" patterns match dragons, wizards and signs, which
# a style change must keep.
_STYLE_ALTS = "|".join(f"(?:{p})" for k, p in STYLE_PATTERNS.items() if k not in ("fantasy", "typography"))


def strip_styles(prompt: str) -> str:
    """The prompt without its style words (and the 'in ... style' / 'as a ...' around them)."""
    prompt = re.sub(r"(?:,\s*)?\bin\s+the\s+style\s+of\s+[^,]+", "", prompt, flags=re.I)  # an earlier artist
    # "a portrait photo of an old fisherman" keeps "a portrait of": the medium goes, the framing stays
    prompt = re.sub(
        rf"\b(portrait|picture|close-?up|shot|view)\s+(?:{_STYLE_ALTS})\s+of\b", r"\1 of", prompt, flags=re.I
    )
    prompt = re.sub(r"(?:,\s*)?\b[\w-]+(?:\s+[\w-]+)?\s+style\b", "", prompt, flags=re.I)  # "ghibli style"
    out = re.sub(rf"\b(?:an?\s+)?(?:{_STYLE_ALTS})\s+of\s+", "", prompt, flags=re.I)  # "a photo of a fox" -> "a fox"
    out = re.sub(
        rf"(?:,\s*)?\b(?:in\s+(?:an?\s+|the\s+)?|as\s+(?:an?\s+)?)?(?:{_STYLE_ALTS})(?:\s+style)?\b",
        "",
        out,
        flags=re.I,
    )
    return tidy(out)


def merge_style(previous_core: str, style: str) -> str:
    """The previous prompt with its style words replaced by `style`."""
    return tidy(f"{strip_styles(previous_core)}, {style}")
