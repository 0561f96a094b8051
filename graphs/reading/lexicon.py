"""Phrase lookup over a request's words: the style lexicon (tools/data/style_lexicon.yaml) and, through
`PhraseTable`, any other list of phrases (graphs/reading/naming.py: the catalog's model names).

A request is split into words once (lowercased, accents folded); each word that starts a known phrase tries its
longest phrase first, so "art nouveau poster" is one hit for "art nouveau" and "post-impressionism" is not also
"impressionism". Matching is whole-word; the words of a phrase may be joined by spaces, hyphens, apostrophes or
dots ("ukiyo-e", "o'keeffe", "h.r. giger"), never by a comma. A dict lookup per word, no regex alternation of
hundreds of phrases, so a call costs a few microseconds.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Generic, Iterable, TypeVar

from tools.lexicon import LEXICON_PATH, fold, load_lexicon

T = TypeVar("T")

_TOKEN = re.compile(r"[^\W_]+")
_JOINERS = frozenset(" \t-‐‑–'’.&/")  # what may sit between the words of one phrase
# Text to draw: a sign that "says" something names no style and no model.
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|(?<!\w)'[^']+'(?!\w)")

Span = tuple[int, int]


def words(phrase: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(fold(phrase)))


def quoted_spans(text: str) -> list[Span]:
    return [m.span() for m in _QUOTED.finditer(text)] if any(q in text for q in "\"“‘'") else []


class PhraseTable(Generic[T]):
    """Phrases (word tuples) to values; `scan` finds them in a text, longest first, left to right."""

    def __init__(self, items: Iterable[tuple[tuple[str, ...], T]]):
        self.table: dict[str, T] = {}
        self.longest: dict[str, int] = {}  # first word -> word count of the longest phrase it starts
        for ws, value in items:
            if not ws:
                continue
            self.table.setdefault(" ".join(ws), value)
            self.longest[ws[0]] = max(self.longest.get(ws[0], 0), len(ws))

    def scan(self, text: str, skip: Iterable[Span] = ()) -> list[tuple[int, int, T]]:
        """(start, end offset, value) of each phrase in `text`, left to right. A hit lying wholly inside a `skip` span
        (already read by another rule) or touching a quoted span is dropped, its words consumed all the same."""
        low = text.lower()
        toks = _TOKEN.findall(low)
        if not low.isascii():
            toks = [w if w.isascii() else fold(w) for w in toks]
        table, longest = self.table, self.longest
        out: list[tuple[int, int, T]] = []
        spans: list[Span] | None = None  # word offsets, found only once a phrase matches (most requests: never)
        quoted: list[Span] = []
        i, n = 0, len(toks)
        while i < n:
            k = min(longest.get(toks[i], 0), n - i)
            while k:
                value = table.get(toks[i] if k == 1 else " ".join(toks[i : i + k]))
                if value is not None:
                    if spans is None:
                        spans = [m.span() for m in _TOKEN.finditer(low)]
                        quoted = quoted_spans(text)
                    if all(set(low[spans[j][1] : spans[j + 1][0]]) <= _JOINERS for j in range(i, i + k - 1)):
                        break
                k -= 1
            if not k:
                i += 1
                continue
            start, end = spans[i][0], spans[i + k - 1][1]
            if not any(a <= start and end <= b for a, b in skip) and not any(start < b and a < end for a, b in quoted):
                out.append((start, end, value))
            i += k
        return out


@lru_cache(maxsize=4)
def style_table(path: Path | str = LEXICON_PATH) -> PhraseTable[tuple[str, ...]]:
    """The lexicon's spellings to their styles; movements, media and phrases also in the plural ("woodcuts")."""
    lexicon = load_lexicon(path)
    exact = [(words(s), e.styles) for e in lexicon.entries for s in e.spellings()]
    plural = [
        ((*ws[:-1], ws[-1] + "s"), e.styles)
        for e in lexicon.entries
        if e.kind != "artist"
        for s in e.spellings()
        if (ws := words(s)) and not ws[-1].endswith("s") and not ws[-1][-1].isdigit()
    ]
    return PhraseTable(exact + plural)  # exact spellings first: a derived plural never shadows one


# "art deco letters", "a bauhaus font": a look named for the lettering asks for lettering.
_LETTERING = re.compile(
    r"[\s-]+(?:letters|lettering|letterforms?|fonts?|typefaces?|type|typography|title|headlines?)\b"
)


def lexicon_hits(text: str, skip: Iterable[Span] = ()) -> list[tuple[int, tuple[str, ...]]]:
    """(start offset, styles) of each lexicon phrase in `text`, outside quotes and `skip` spans; a phrase followed
    by a lettering word ("art deco letters") is typography."""
    hits = style_table().scan(text, skip)
    if not hits:
        return []
    low = text.lower()
    return [(a, ("typography",) if _LETTERING.match(low, b) else styles) for a, b, styles in hits]


def lexicon_styles(text: str, allowed: Iterable[str] | None = None) -> list[str]:
    """Styles of the lexicon phrases in `text`, first mention first (only `allowed` ones, when given)."""
    keep = None if allowed is None else set(allowed)
    out = dict.fromkeys(s for _, styles in lexicon_hits(text) for s in styles if keep is None or s in keep)
    return list(out)


@lru_cache(maxsize=4)
def kind_table(path: Path | str = LEXICON_PATH) -> PhraseTable[str]:
    """The lexicon's spellings to their kind (artist, movement, medium, phrase), for readers that need to know
    where a style phrase ends and whether it names a person ("as a Van Gogh": in the style of Van Gogh)."""
    lexicon = load_lexicon(path)
    return PhraseTable((words(s), e.kind) for e in lexicon.entries for s in e.spellings())


def named_looks(text: str) -> list[str]:
    """The artists and art movements `text` names, as their lowercase words ("cubist", "van gogh"), first mention
    first: looks asked for by name, which a model with another house look (a card's `look`) would paint over."""
    hits = kind_table().scan(text, quoted_spans(text))
    return list(dict.fromkeys(" ".join(words(text[a:b])) for a, b, kind in hits if kind in ("artist", "movement")))
