"""The style lexicon: artists, movements, media and "X style" phrases mapped to the tag vocabulary's style words.

Data in `tools/data/style_lexicon.yaml` (each entry says where its mapping comes from), validated on load: a bad
entry raises `LexiconError` naming the file, the entry (number and phrase) and the field. Loaded once per path; the
import itself is light (yaml is imported on the first load), so the rule reader can use it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tools.vocabulary import STYLE

LEXICON_PATH = Path(__file__).parent / "data" / "style_lexicon.yaml"

# "general" says nothing about a look: a phrase that names one maps to the words that do.
LEXICON_STYLES = tuple(s for s in STYLE if s != "general")

Kind = Literal["artist", "movement", "medium", "phrase"]


class LexiconError(ValueError):
    """A style lexicon that cannot be used; the message names the file, the entry and the field."""


def fold(text: str) -> str:
    """Lowercase with accents dropped ("Dalí" -> "dali", "Stålenhag" -> "stalenhag"), character for character."""
    low = text.lower()
    if low.isascii():
        return low
    return "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))


class LexiconEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    phrase: str = Field(min_length=2, description="What a request says; matched whole-word, case-insensitively.")
    aliases: tuple[str, ...] = Field((), description="Other spellings or names of the same thing.")
    kind: Kind
    styles: tuple[str, ...] = Field(min_length=1, description="Style words of tools/vocabulary.py, 'general' aside.")
    source: str = Field(min_length=8, description="Where the mapping comes from.")

    @field_validator("phrase", "aliases", mode="before")
    @classmethod
    def _stripped(cls, v):
        if isinstance(v, str):
            return v.strip()
        if isinstance(v, list):
            return [a.strip() if isinstance(a, str) else a for a in v]
        return v

    @field_validator("phrase")
    @classmethod
    def _has_word(cls, v: str) -> str:
        if not any(c.isalnum() for c in v):
            raise ValueError(f"'{v}' has no letter or digit to match")
        return v

    @field_validator("aliases")
    @classmethod
    def _aliases_have_words(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for a in v:
            if len(a) < 2 or not any(c.isalnum() for c in a):
                raise ValueError(f"alias '{a}' has no word to match")
        return v

    @field_validator("styles")
    @classmethod
    def _known_styles(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [s for s in v if s not in LEXICON_STYLES]
        if bad:
            raise ValueError(f"{bad} not among the style words: {', '.join(LEXICON_STYLES)}")
        if len(set(v)) != len(v):
            raise ValueError(f"{list(v)} repeats a style")
        return v

    def spellings(self) -> tuple[str, ...]:
        return (self.phrase, *self.aliases)


class Lexicon(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: Path
    entries: tuple[LexiconEntry, ...]

    def by_kind(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.entries:
            out[e.kind] = out.get(e.kind, 0) + 1
        return out


def _key(spelling: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in fold(spelling)).split())


def parse_lexicon(data: object, path: Path | str = "<lexicon>") -> Lexicon:
    """Validate loaded YAML (`{"entries": [...]}`); one entry's problem is reported with its number and phrase."""
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise LexiconError(f"style lexicon {path}: expected a mapping with an 'entries' list")
    extra = set(data) - {"entries"}
    if extra:
        raise LexiconError(f"style lexicon {path}: unknown top-level field(s) {sorted(extra)}; only 'entries'")
    entries: list[LexiconEntry] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(data["entries"], start=1):
        label = f"entry {i}" + (f" ('{raw.get('phrase')}')" if isinstance(raw, dict) and raw.get("phrase") else "")
        if not isinstance(raw, dict):
            raise LexiconError(f"style lexicon {path}: {label}: expected a mapping, got {type(raw).__name__}")
        try:
            entry = LexiconEntry.model_validate(raw)
        except ValidationError as e:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'entry'}: {err['msg'].removeprefix('Value error, ')}"
                for err in e.errors()
            )
            raise LexiconError(f"style lexicon {path}: {label}: {problems}") from None
        for spelling in entry.spellings():
            key = _key(spelling)
            if seen.get(key, i) != i:  # an accented spelling of the entry's own phrase is only redundant
                raise LexiconError(
                    f"style lexicon {path}: {label}: '{spelling}' is already listed by entry {seen[key]}; "
                    "each spelling maps to one entry"
                )
            seen[key] = i
        entries.append(entry)
    return Lexicon(path=Path(path), entries=tuple(entries))


@lru_cache(maxsize=4)
def load_lexicon(path: Path | str = LEXICON_PATH) -> Lexicon:
    """The lexicon at `path` (default: the shipped one), validated, loaded once per path."""
    import yaml

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise LexiconError(f"style lexicon {p}: cannot be read ({e.strerror or e})") from e
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        raise LexiconError(f"style lexicon {p}: not valid YAML ({e})") from e
    return parse_lexicon(data, p)
