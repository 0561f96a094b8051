"""The tag vocabulary shared by catalogs, the model tree and evaluations (DESIGN.md).

Each word belongs to one facet. A catalog may add words to a facet; the words here keep their meaning.
"""

from __future__ import annotations

STYLE = (
    "photorealistic",
    "anime",
    "illustration",
    "painting",
    "watercolor",
    "3d-render",
    "pixel-art",
    "cinematic",
    "fantasy",
    "concept-art",
    "typography",
    "sketch",
    "general",
)

SUBJECT = (
    "person",
    "animal",
    "landscape",
    "architecture",
    "object",
    "vehicle",
    "food",
    "abstract",
    "pattern",
    "text",
    "shape",
)

VOCABULARY: dict[str, tuple[str, ...]] = {"subject": SUBJECT, "style": STYLE}

# Short glosses make tree-node descriptions say what a word means, so a prompt like "a portrait of my
# grandmother" lands near "person" even when no member model's text mentions portraits.
GLOSSES: dict[str, str] = {
    "photorealistic": "realistic photographs, photos, lifelike detail, natural light, DSLR",
    "anime": "anime and manga style, Japanese animation, cel shading, characters",
    "illustration": "illustrations, cartoons, comics, flat colours, children's book art",
    "painting": "paintings, oil on canvas, brush strokes, impressionism, fine art",
    "watercolor": "watercolour paintings, soft washes, paper texture",
    "3d-render": "3D renders, CGI, Pixar-like characters, octane render, clay, toys",
    "pixel-art": "pixel art, 8-bit and 16-bit retro video game sprites",
    "cinematic": "cinematic film stills, dramatic lighting, movie scenes",
    "fantasy": "fantasy art, dragons, magic, castles, mythical creatures",
    "concept-art": "concept art, game and film design, environments, matte painting",
    "typography": "text, lettering, logos, posters, signs, words written in the image",
    "sketch": "pencil sketches, line art, ink drawings, black and white",
    "general": "general purpose, any subject in any style",
    "person": "people, portraits, faces, men, women, children, characters",
    "animal": "animals, pets, dogs, cats, birds, wildlife",
    "landscape": "landscapes, nature, mountains, beaches, forests, sky, scenery",
    "architecture": "architecture, buildings, cities, interiors, houses, streets",
    "object": "objects, products, still life, items, toys",
    "vehicle": "vehicles, cars, ships, planes, bikes, spaceships",
    "food": "food, dishes, drinks, fruit, cooking",
    "abstract": "abstract art, shapes, colours, surreal compositions",
    "pattern": "patterns, textures, tiles, stripes, ornaments",
    "text": "text, letters, digits, words, signs, logos",
    "shape": "simple geometric shapes, circles, squares, triangles, stars, rings, icons on a plain background",
}


def merged(extra: dict[str, list[str]] | None = None) -> dict[str, tuple[str, ...]]:
    """The base vocabulary plus a catalog's additions, facet by facet, order kept, no repeats."""
    out = {facet: tuple(words) for facet, words in VOCABULARY.items()}
    for facet, words in (extra or {}).items():
        base = out.get(facet, ())
        out[facet] = base + tuple(w for w in words if w not in base)
    return out


def facet_of(word: str, vocab: dict[str, tuple[str, ...]]) -> str | None:
    for facet, words in vocab.items():
        if word in words:
            return facet
    return None
