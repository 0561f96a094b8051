"""The ONNX Runtime embedder against sentence-transformers on the same MiniLM weights, and its export."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
import yaml

from tools.embeddings import Embedder, embed_backend
from tools.onnx_embed import OnnxExportError, check_supported, ensure_export, export_dir
from tools.settings import SettingError
from tools.vocabulary import VOCABULARY


def varied_texts() -> list[str]:
    """A few hundred texts: the labelled requests, catalog-like phrases, and edge cases (empty, one character,
    longer than the 256-token window, other scripts, punctuation, emoji, numbers)."""
    from importlib.resources import files

    items = yaml.safe_load(files("tools").joinpath("data/llm_eval.yaml").read_text(encoding="utf-8"))
    items = items["items"] if isinstance(items, dict) else items
    texts = [it["request"] for it in items]
    rng = random.Random(0)
    words = VOCABULARY["style"] + VOCABULARY["subject"]
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))) for _ in range(120)]
    texts += [
        "",
        "a",
        "A RED FOX IN THE SNOW!!!",
        "a red fox, " * 200,  # truncated at max_seq_length
        "我想看一只在雪中的狐狸",
        "dessine-moi un mouton sous la pluie",
        "🦊❄️🌲 watercolor",
        "1024x1024, 8k, masterpiece, (best quality:1.2), [lowres]",
        "   leading and trailing spaces   ",
        "tab\tand\nnewline",
    ]
    return texts


def test_embed_backend_setting(monkeypatch):
    monkeypatch.delenv("DGPT_EMBED_BACKEND", raising=False)
    assert embed_backend() == "onnx"
    monkeypatch.setenv("DGPT_EMBED_BACKEND", " Torch ")
    assert embed_backend() == "torch"
    monkeypatch.setenv("DGPT_EMBED_BACKEND", "tensorflow")
    with pytest.raises(
        SettingError, match=r"DGPT_EMBED_BACKEND='tensorflow' is not an embedding backend; use one of onnx, torch"
    ):
        embed_backend()


def test_export_is_reused_and_redone_when_the_model_changes(tmp_path):
    home = tmp_path / "home"
    emb = Embedder(backend="onnx", home=home)
    emb.embed_query("a red fox")
    folder = export_dir(Path(emb.path), home, packaged=True)
    assert folder == home / "onnx" / "all-MiniLM-L6-v2"
    assert (folder / "model.onnx").is_file() and json.loads((folder / "source.json").read_text())["opset"] == 17
    mtime = (folder / "model.onnx").stat().st_mtime_ns
    assert ensure_export(Path(emb.path), home, True) == folder / "model.onnx"
    assert (folder / "model.onnx").stat().st_mtime_ns == mtime  # reused, nothing rewritten
    assert [p.name for p in folder.parent.iterdir()] == ["all-MiniLM-L6-v2"]  # no temporary folder left behind
    record = json.loads((folder / "source.json").read_text())
    record["files"]["model.safetensors"][0] += 1  # as if the weights had changed
    (folder / "source.json").write_text(json.dumps(record))
    ensure_export(Path(emb.path), home, True)
    assert (folder / "model.onnx").stat().st_mtime_ns != mtime  # exported again


def test_unsupported_model_folders_say_how_to_go_on(tmp_path):
    with pytest.raises(OnnxExportError, match="no tokenizer.json.*DGPT_EMBED_BACKEND=torch"):
        check_supported(tmp_path)
    (tmp_path / "tokenizer.json").write_text("{}")
    (tmp_path / "modules.json").write_text(
        json.dumps([{"type": "sentence_transformers.models.Transformer"}, {"type": "x.Dense"}])
    )
    with pytest.raises(OnnxExportError, match=r"has the modules \['Transformer', 'Dense'\].*DGPT_EMBED_BACKEND=torch"):
        check_supported(tmp_path)
    (tmp_path / "modules.json").write_text(
        json.dumps([{"type": "a.Transformer"}, {"type": "a.Pooling", "path": "1_Pooling"}])
    )
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_cls_token": True}))
    with pytest.raises(OnnxExportError, match="pools with"):
        check_supported(tmp_path)


@pytest.mark.slow  # loads sentence-transformers (about 10 s of imports)
def test_onnx_matches_sentence_transformers():
    """Cosine >= 0.999 per text (batched and one by one) to sentence-transformers' normalised embeddings."""
    texts = varied_texts()
    assert len(texts) >= 300
    onnx, torch_ = Embedder(backend="onnx"), Embedder(backend="torch")
    a, b = onnx.embed(texts), torch_.embed(texts)
    assert a.shape == b.shape == (len(texts), 384) and a.dtype == np.float32
    cos = (a * b).sum(axis=1)
    assert cos.min() >= 0.999, [texts[i] for i in np.argsort(cos)[:3]]
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    singles = np.stack([onnx.embed([t])[0] for t in texts[:40]])
    assert ((singles * b[:40]).sum(axis=1)).min() >= 0.999


def test_query_path_needs_no_sentence_transformers_once_exported(tmp_path):
    """In a fresh process with the export in place, embedding a query imports neither torch nor
    sentence-transformers."""
    import os
    import subprocess
    import sys

    Embedder(backend="onnx").embed_query("export first")  # the shared test home's export
    code = (
        "import sys; from tools.embeddings import get_embedder; v = get_embedder().embed_query('a red fox'); "
        "print(v.shape[0], sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ), check=True, timeout=120
    )
    assert out.stdout.split() == ["384", "[]"]
