"""Model catalogs: validated `ModelCard` entries in YAML files, plus a registry of named catalogs.

Adding a model is adding an entry to a YAML file; no code changes. Catalog names resolve to files shipped in
`tools/catalogs/`; anything else that ends in .yaml/.yml or exists on disk is read as a path.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Annotated, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from tools.errors import describe
from tools.vocabulary import facet_of, merged

CATALOG_DIR = Path(__file__).parent / "catalogs"

Family = Literal["sd15", "sd21", "sdxl", "sd3", "flux", "pixart", "kolors", "playground", "starter"]


class CatalogError(ValueError):
    """A catalog that cannot be used; the message names the file, the entry and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HubSource(_Strict):
    kind: Literal["hub"] = "hub"
    repo: str = Field(description="Hugging Face repo id in diffusers format, e.g. 'stabilityai/sdxl-turbo'.")
    revision: str | None = None
    variant: str | None = Field(None, description="Weight variant such as 'fp16', when the repo ships one.")

    @field_validator("repo")
    @classmethod
    def _repo_shape(cls, v: str) -> str:
        if v.count("/") != 1 or not all(v.split("/")):
            raise ValueError(f"'{v}' is not a hub repo id; write it as 'owner/name'")
        return v


class LocalSource(_Strict):
    kind: Literal["local"] = "local"
    path: str = Field(description="Directory saved by `save_pretrained` (relative paths resolve from the YAML file).")


class SingleFileSource(_Strict):
    kind: Literal["single_file"] = "single_file"
    path: str = Field(description="A .safetensors checkpoint: a local path or a hub URL.")
    config: str | None = Field(None, description="Hub repo id whose configs describe the checkpoint's architecture.")

    @field_validator("path")
    @classmethod
    def _safetensors_only(cls, v: str) -> str:
        if not v.endswith(".safetensors"):
            raise ValueError(f"'{v}' is not a .safetensors file; pickle checkpoints (.ckpt, .bin, .pt) are refused")
        return v


class LoraSource(_Strict):
    kind: Literal["lora"] = "lora"
    base: str = Field(description="Id of the catalog model the LoRA is applied to.")
    repo: str | None = Field(None, description="Hub repo id holding the LoRA weights.")
    path: str | None = Field(None, description="Local directory or file holding the LoRA weights.")
    weight_name: str | None = Field(None, description="File name inside the repo or directory.")
    scale: float = Field(1.0, ge=0.0, le=2.0, description="LoRA scale applied when loading.")

    @model_validator(mode="after")
    def _one_location(self) -> "LoraSource":
        if (self.repo is None) == (self.path is None):
            raise ValueError("a LoRA source needs exactly one of 'repo' or 'path'")
        if self.weight_name and not self.weight_name.endswith(".safetensors"):
            raise ValueError(f"weight_name '{self.weight_name}' is not a .safetensors file")
        return self


Source = Annotated[Union[HubSource, LocalSource, SingleFileSource, LoraSource], Field(discriminator="kind")]


class Defaults(_Strict):
    steps: int = Field(25, ge=1, le=200)
    guidance: float = Field(7.0, ge=0.0, le=30.0)
    width: int = Field(512, ge=16, le=4096, multiple_of=8)
    height: int = Field(512, ge=16, le=4096, multiple_of=8)


class ModelCard(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", description="Stable id; also the tool name.")
    name: str
    family: Family
    source: Source
    tags: list[str] = Field(min_length=1, description="Words from the catalog's vocabulary (style and subject).")
    description: str = Field(min_length=10)
    example_prompts: list[str] = Field(min_length=2)
    negative_prompt: str = ""
    trigger_words: list[str] = Field(default_factory=list)
    look: str | None = Field(
        None,
        min_length=2,
        description=(
            "The house look this model puts on every picture, when it has one ('elden ring', 'van gogh'): a request "
            "that names another artist or art movement is not given to it unless it names the model."
        ),
    )
    defaults: Defaults = Field(default_factory=Defaults)
    license: str
    url: str | None = Field(None, description="Where the model is published (model page).")

    def tags_in(self, facet: str, vocab: dict[str, tuple[str, ...]]) -> list[str]:
        return [t for t in self.tags if facet_of(t, vocab) == facet]

    def embedding_text(self) -> str:
        """What the model index embeds for relevance: name, tags, description and example prompts."""
        return f"{self.name}. {', '.join(self.tags)}. {self.description} Examples: " + " | ".join(self.example_prompts)


class Catalog(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    name: str
    path: Path
    models: list[ModelCard]
    vocabulary: dict[str, tuple[str, ...]]
    levels: tuple[str, ...] = ("subject", "style")
    _by_id: dict[str, ModelCard] | None = PrivateAttr(default=None)
    _by_tag: dict[str, frozenset[str]] | None = PrivateAttr(default=None)

    @property
    def ids(self) -> list[str]:
        return [m.id for m in self.models]

    def get(self, model_id: str) -> ModelCard:
        if self._by_id is None:
            self._by_id = {m.id: m for m in self.models}
        if model_id in self._by_id:
            return self._by_id[model_id]
        raise KeyError(
            f"model '{model_id}' is not in catalog '{self.name}'; `dgpt models list --catalog {self.name}` shows its ids"
        )

    def tagged(self, words) -> frozenset[str]:
        """Ids of the models whose tags carry any of `words`. Indexed once: every request's search asks this of
        the whole catalog, and a scan of 1,000 cards cost 1.5 ms a request."""
        if self._by_tag is None:
            index: dict[str, set[str]] = {}
            for m in self.models:
                for t in m.tags:
                    index.setdefault(t, set()).add(m.id)
            self._by_tag = {t: frozenset(ids) for t, ids in index.items()}
        return frozenset().union(*(self._by_tag.get(w, frozenset()) for w in words))

    def fingerprint(self) -> str:
        """Changes whenever any card, the vocabulary or the tree levels change; keys the index and the tree."""
        blob = json.dumps(
            {
                "models": [m.model_dump(mode="json") for m in self.models],
                "vocab": self.vocabulary,
                "levels": self.levels,
            },
            sort_keys=True,
        )
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def available() -> list[str]:
    """The shipped catalogs' names. Read once: they are package data, and a served graph checks a client's catalog
    name on the server's event loop, where listing a folder on every run would block."""
    return list(_shipped())


@functools.lru_cache(maxsize=1)
def _shipped() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in CATALOG_DIR.glob("*.yaml")))


def resolve_path(name_or_path: str | Path) -> Path:
    text = str(name_or_path)
    candidate = Path(text).expanduser()
    if text.endswith((".yaml", ".yml")) or candidate.exists():
        if not candidate.is_file():
            raise CatalogError(
                f"catalog file '{candidate}' does not exist; pass an existing YAML file or one of: {', '.join(available())}"
            )
        return candidate
    shipped = CATALOG_DIR / f"{text}.yaml"
    if not shipped.is_file():
        raise CatalogError(f"unknown catalog '{text}'; use one of {', '.join(available())} or a path to a YAML file")
    return shipped


def load_catalog(name_or_path: str | Path) -> Catalog:
    path = resolve_path(name_or_path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise CatalogError(f"{path}: not valid YAML: {e}; fix the syntax at the line shown") from e
    if not isinstance(raw, dict) or not isinstance(raw.get("models"), list) or not raw["models"]:
        raise CatalogError(
            f"{path}: a catalog is a mapping with a non-empty 'models:' list; see tools/catalogs/hub.yaml"
        )
    unknown_top = set(raw) - {"catalog", "description", "vocabulary", "levels", "models"}
    if unknown_top:
        raise CatalogError(
            f"{path}: unknown top-level keys {sorted(unknown_top)}; allowed: catalog, description, vocabulary, levels, models"
        )
    vocab = merged(raw.get("vocabulary"))
    levels = tuple(raw.get("levels") or ("subject", "style"))
    for level in levels:
        if level not in vocab:
            raise CatalogError(f"{path}: tree level '{level}' is not a vocabulary facet ({', '.join(vocab)})")

    cards: list[ModelCard] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(raw["models"]):
        label = f"entry {i}" + (f" ('{entry.get('id')}')" if isinstance(entry, dict) and entry.get("id") else "")
        try:
            card = ModelCard.model_validate(entry)
        except ValidationError as e:
            raise CatalogError(describe(e, f"{path}: {label}, ", empty="(entry)")) from e
        if card.id in seen:
            raise CatalogError(
                f"{path}: {label}, field 'id': duplicate id '{card.id}' (first used by entry {seen[card.id]}); ids must be unique"
            )
        seen[card.id] = i
        for tag in card.tags:
            if facet_of(tag, vocab) is None:
                raise CatalogError(
                    f"{path}: {label}, field 'tags': unknown tag '{tag}'; use a vocabulary word or add it under 'vocabulary:'"
                )
        for level in levels:
            if not card.tags_in(level, vocab):
                raise CatalogError(
                    f"{path}: {label}, field 'tags': needs at least one '{level}' tag so the model has a place in the tree"
                )
        cards.append(card)
    for i, card in enumerate(cards):
        if isinstance(card.source, LoraSource):
            base = next((c for c in cards if c.id == card.source.base), None)
            if base is None:
                raise CatalogError(
                    f"{path}: entry {i} ('{card.id}'), field 'source.base': no model '{card.source.base}' in this catalog"
                )
            if isinstance(base.source, LoraSource):
                raise CatalogError(
                    f"{path}: entry {i} ('{card.id}'), field 'source.base': '{base.id}' is itself a LoRA; stack on a full model"
                )
    return Catalog(name=str(raw.get("catalog") or path.stem), path=path, models=cards, vocabulary=vocab, levels=levels)
