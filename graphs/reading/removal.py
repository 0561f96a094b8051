"""A thing taken out of a scene ("remove the hat", "no people", "no storm"), for graphs.reading.edits.apply_edit: the
words of the thing go and the rest stays as written."""

from __future__ import annotations

import re

from graphs.reading.attributes import LEAD
from graphs.reading.scene import (
    CLASSES,
    COLOUR_WORDS,
    KEPT_ADJECTIVES,
    SCENE_CLASSES,
    WORN,
    Part,
    Scene,
    class_of,
    words_of,
)

# What a removed thing's own words may carry in the subject phrase ("wearing a tiny crown").
_QUALITY = "|".join(sorted({*CLASSES["colour"], *CLASSES["size"], *CLASSES["material"], *KEPT_ADJECTIVES}))


_LOCATOR = re.compile(
    r"^(?:in|on|up\s+in|high\s+in|across|above|over)\s+(?:the\s+)?(?:sky|air|background|distance|it|them|top)$", re.I
)


def remove(scene: Scene, target: str) -> Scene:
    """`scene` without `target`: a thing beside the subject, one of a list, a thing the subject wears or holds, a
    word made of it ("no storm" of a stormy sea); a thing the picture lacks is drawn "without" it."""
    t = target.lower().strip()
    t = re.sub(r"^(?:the|a|an|all\s+the|some)\s+", "", t)
    if not t:
        return scene
    parts = list(scene.parts)
    if (by_colour := re.fullmatch(rf"(?P<c>{COLOUR_WORDS})\s+ones?", t, re.I)) is not None:
        # "remove the green one" of "a red star, a green star and a blue star": the green star goes
        item = rf"(?:,\s*|\s+and\s+)?\b(?:an?|the|one)\s+{by_colour['c']}\s+[\w-]+"
        for i, p in enumerate(parts):
            if (found := re.search(item, p.text, re.I)) and (
                kept := (p.text[: found.start()] + p.text[found.end() :]).strip(" ,")
            ):
                # the list's "and" stays with what follows: "a red star, a green star and a blue star" -> "a red
                # star and a blue star"
                sep = " " if kept.lower().startswith("and ") and i else p.sep
                parts[i] = p.model_copy(update={"text": kept if i else re.sub(r"^and\s+", "", kept), "sep": sep})
                return Scene(parts=parts)
    for i, p in enumerate(parts):
        if i == scene.first("subject"):
            continue
        if re.search(rf"\b{re.escape(t)}(?:e?s)?\b", p.text, re.I):
            # "with people and umbrellas" loses the people and keeps the umbrellas
            item = rf"(?:an?\s+|the\s+|some\s+)?(?:(?!and\b|with\b)[\w-]+\s+){{0,2}}?{re.escape(t)}(?:e?s)?"
            kept = re.sub(rf"\b{item}\s+and\s+|\s+and\s+{item}\b", "", p.text, count=1, flags=re.I)
            if kept != p.text:
                parts[i] = p.model_copy(update={"text": kept})
                return Scene(parts=parts)
            del parts[i]
            if (
                p.role in ("extra", "weather")
                and i < len(parts)
                and parts[i].sep == " "
                and _LOCATOR.match(parts[i].text)
            ):
                del parts[i]  # "with a rainbow in the sky": where the rainbow was goes with it
            return Scene(parts=parts)
    subject = scene.first("subject")
    if subject is not None:  # "without the hat" of "a cat in a hat and a scarf", or a modifier word
        text = parts[subject].text
        item = rf"(?:an?|the|some|two|three)\s+(?:[\w-]+\s+){{0,3}}?{re.escape(t)}(?:e?s)?\b"
        listed = re.search(rf"\s+and\s+{item}", text, re.I) or re.match(
            rf"^{item}\s+and\s+(?=(?:an?|the|some)\s)", text, re.I
        )
        if listed:  # "a golden retriever and a grey tabby cat" loses "and a grey tabby cat", not just "cat"
            parts[subject] = parts[subject].model_copy(update={"text": text[: listed.start()] + text[listed.end() :]})
            return Scene(parts=parts)
        worn = re.search(
            rf"\s+in\s+(?:an?\s+|the\s+|some\s+)?(?:[\w-]+\s+){{0,3}}?{re.escape(t)}(?:e?s)?\b", text, re.I
        )
        if worn and t in WORN and text[: worn.start()].strip():  # "frog in a tiny wizard hat" loses the hat
            parts[subject] = parts[subject].model_copy(update={"text": text[: worn.start()] + text[worn.end() :]})
            return Scene(parts=parts)
        stripped = re.sub(
            rf"(?:\s*,?\s*\b(?:and|with|wearing|holding|carrying)\s+)?\b(?:an?\s+|the\s+|some\s+)?"
            rf"(?:(?:{_QUALITY})\s+)*{re.escape(t)}(?:e?s)?\b",
            "",
            text,
            count=1,
            flags=re.I,
        )
        if stripped != text and stripped.strip():
            parts[subject] = parts[subject].model_copy(update={"text": stripped.strip()})
            return Scene(parts=parts)
    # "no storm" of a "stormy sea", "no clouds" of a "cloudy sky": the word made of it goes, the sea stays
    base = t.rstrip("s") if len(t) > 3 else t
    forms = "|".join(re.escape(f) for f in {f"{base}y", f"{base}{base[-1:]}y", f"{base}ing"})
    for i, p in enumerate(parts):
        if (m := re.search(rf"\b(?:{forms})\b\s*", p.text, re.I)) and len(p.text.split()) > 1:
            text = (p.text[: m.start()] + p.text[m.end() :]).strip()
            role = p.role
            if role in SCENE_CLASSES and not words_of(role, text):  # "on street rainy" is a street once dry
                role = "place" if LEAD.match(text) else "extra"
            parts[i] = p.model_copy(update={"text": text, "role": role})
            return Scene(parts=parts)
    if class_of(t) in SCENE_CLASSES:
        return scene  # "day" of a sunny evening: a time or weather the picture no longer has is not drawn "without"
    parts.append(Part(role="extra", text=f"without {target.strip()}", sep=", "))
    return Scene(parts=parts)
