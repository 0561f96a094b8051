"""Which word of a prompt a thing is named by when the user calls it otherwise: a short name ("the sub" of a
submarine), the last part of a compound ("the bike" of a motorbike, "the boat" of a sailboat), another name for a
starter shape ("the ball" of a circle), or the family a kind belongs to ("the cat" of a grey tabby, "the fish" of a
salmon). The table is data: a name, and the words it may stand for in a prompt."""

from __future__ import annotations

import re

from graphs.reading.scene import Scene

# Words naming what kind of thing the picture shows, not which: "same shape but orange" is the subject.
KIND_WORDS = frozenset("shape thing object figure form symbol icon design".split())
# Short words people use for a thing the prompt names in full.
_CLIPPED: dict[str, tuple[str, ...]] = {
    "sub": ("submarine",),
    "bike": ("bicycle", "motorbike", "motorcycle"),
    "fridge": ("refrigerator",),
    "plane": ("airplane", "aeroplane"),
    "lab": ("labrador",),
    "croc": ("crocodile",),
    "hippo": ("hippopotamus",),
    "rhino": ("rhinoceros",),
    "gator": ("alligator",),
    "pup": ("puppy",),
    "limo": ("limousine",),
    "mic": ("microphone",),
    "tux": ("tuxedo",),
    "sofa": ("couch",),
    "couch": ("sofa",),
    "tv": ("television",),
    "telly": ("television",),
    "cab": ("taxi",),
    "taxi": ("cab",),
    "kitty": ("kitten", "cat"),
    "ufo": ("spaceship",),
    # the starter zoo's shapes and glyphs, said by another name
    "ball": ("circle",),
    "dot": ("circle",),
    "disc": ("circle",),
    "disk": ("circle",),
    "box": ("square",),
    "rectangle": ("square",),
    "donut": ("ring",),
    "doughnut": ("ring",),
    "hoop": ("ring",),
    "number": ("digit", "numeral"),
    "digit": ("number", "numeral"),
    "numeral": ("digit", "number"),
    "water": ("sea", "lake", "ocean", "river"),
    "ocean": ("sea",),
    "sea": ("ocean",),
    # a kind said by its family name ("the cat" of a grey tabby, "the fish" of a salmon)
    "cat": ("kitten", "tabby", "persian", "siamese", "kitty"),
    "dog": (
        "puppy",
        "labrador",
        "retriever",
        "poodle",
        "collie",
        "terrier",
        "husky",
        "corgi",
        "dachshund",
        "beagle",
        "spaniel",
        "shepherd",
        "borzoi",
        "greyhound",
        "pug",
        "bulldog",
        "dalmatian",
        "samoyed",
        "newfoundland",
    ),
    "fish": ("salmon", "trout", "snapper", "tuna", "carp", "koi", "goldfish", "cod"),
    "bird": (
        "parrot",
        "owl",
        "raven",
        "crow",
        "eagle",
        "falcon",
        "hawk",
        "robin",
        "sparrow",
        "pigeon",
        "seagull",
        "gull",
        "toucan",
        "heron",
        "egret",
        "flamingo",
        "swan",
        "duck",
        "hummingbird",
        "peacock",
    ),
    "horse": ("pony", "stallion", "mare", "foal"),
    "car": ("sedan", "lowrider", "convertible", "jeep", "porsche", "ferrari", "beetle", "coupe", "roadster"),
    "scooter": ("vespa", "moped"),
    "flower": ("rose", "tulip", "daisy", "sunflower", "orchid", "lily", "peony", "poppy", "lotus"),
    "jacket": ("raincoat", "coat", "parka", "blazer", "anorak"),
    "coat": ("raincoat", "parka", "jacket", "overcoat", "trench"),
    "shoe": ("sneaker", "boot", "heel", "sandal", "loafer"),
    "hat": ("cap", "beanie", "fedora", "beret", "bonnet"),
    "boat": ("sailboat", "canoe", "kayak", "yacht", "dinghy", "rowboat", "ship"),
    "shop": ("patisserie", "bakery", "boutique", "store", "cafe", "florist"),
    "lady": ("woman",),
    "kid": ("child", "boy", "girl", "toddler"),
    "child": ("kid", "boy", "girl", "toddler"),
}


def clipped(scene: Scene, target: str) -> str | None:
    """The word of the prompt a short or partial name stands for: "the sub" of a submarine, "the bike" of a
    motorbike, "the boat" of a sailboat (the last part of a compound); None when there is none."""
    t = re.sub(r"^(?:the|a|an|her|his|its|their)\s+", "", target.strip(), flags=re.I).lower()
    if not re.fullmatch(r"[a-z]{3,}", t):
        return None
    text = scene.render()
    for w in re.findall(r"[A-Za-z][\w-]*", text):
        low = w.lower()
        if low != t and (low in _CLIPPED.get(t, ()) or (len(t) >= 4 and low.endswith(t) and len(low) > len(t) + 2)):
            return w
    return None
