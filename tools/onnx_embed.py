"""MiniLM on ONNX Runtime: the same weights as sentence-transformers, without importing torch to embed a query.

The model folder's transformer is exported once to `DGPT_HOME/onnx/<name>/model.onnx` (the export uses torch,
transformers and onnx, and writes to a temporary folder renamed into place, so a reader never sees half a model);
after that a process needs only `onnxruntime`, `tokenizers` and numpy. Tokenisation reads the folder's
`tokenizer.json` with sentence-transformers' settings (truncation at `max_seq_length`, padding to the longest text
of a batch); the sentence vector is the mean of the last hidden states over the attention mask, L2-normalised, as
sentence-transformers' Pooling (mean) and Normalize modules compute it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
PACKAGED_NAME = "all-MiniLM-L6-v2"


class OnnxExportError(RuntimeError):
    pass


def _read_json(path: Path, default=None):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default


def check_supported(model_dir: Path) -> int:
    """The model's max_seq_length, if the folder is a transformer + mean pooling (+ Normalize) sentence-transformers
    model with a tokenizer.json; else OnnxExportError saying what differs and how to go on."""
    fix = "set DGPT_EMBED_BACKEND=torch to run it with sentence-transformers"
    if not (model_dir / "tokenizer.json").is_file():
        raise OnnxExportError(
            f"the embedding model '{model_dir}' has no tokenizer.json, which the ONNX backend reads; {fix}"
        )
    modules = _read_json(model_dir / "modules.json", [])
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
    if kinds and kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        raise OnnxExportError(
            f"the embedding model '{model_dir}' has the modules {kinds}; the ONNX backend runs only "
            f"Transformer, Pooling (mean) and Normalize; {fix}"
        )
    pooling = next((m for m in modules if m.get("type", "").endswith("Pooling")), None)
    if pooling is not None:
        cfg = _read_json(model_dir / pooling.get("path", "") / "config.json", {})
        modes = sorted(k for k, v in cfg.items() if k.startswith("pooling_mode") and v)
        if modes and modes != ["pooling_mode_mean_tokens"]:
            raise OnnxExportError(
                f"the embedding model '{model_dir}' pools with {modes}; the ONNX backend mean-pools only; {fix}"
            )
    st_cfg = _read_json(model_dir / "sentence_bert_config.json", {})
    if st_cfg.get("do_lower_case"):
        raise OnnxExportError(
            f"the embedding model '{model_dir}' sets do_lower_case, which the ONNX backend does not apply; {fix}"
        )
    return int(st_cfg.get("max_seq_length") or 512)


def source_record(model_dir: Path) -> dict:
    """What an export was made from: the folder and its weight and config files' sizes and times."""
    files = sorted(
        p
        for p in model_dir.iterdir()
        if p.is_file() and p.suffix in (".safetensors", ".bin", ".json") and p.name != "README.md"
    )
    return {
        "model_dir": str(model_dir.resolve()),
        "files": {p.name: [p.stat().st_size, p.stat().st_mtime_ns] for p in files},
        "opset": OPSET,
    }


def export_dir(model_dir: Path, home: Path, packaged: bool) -> Path:
    if packaged:
        name = PACKAGED_NAME
    else:
        name = f"{model_dir.name}-{hashlib.sha256(str(model_dir.resolve()).encode()).hexdigest()[:10]}"
    return home / "onnx" / name


def export(model_dir: Path, target: Path) -> Path:
    """Export the folder's transformer (inputs input_ids, attention_mask, token_type_ids; output last_hidden_state,
    batch and sequence axes dynamic) to `target/model.onnx`; returns that path. Uses torch, transformers and onnx."""
    try:
        import onnx  # noqa: F401  (torch's exporter needs it; fail here with a fix rather than inside torch)
        import torch
        from transformers import AutoModel
    except ImportError as e:
        raise OnnxExportError(
            f"exporting the embedding model to ONNX needs torch, transformers and onnx ({e.name} is missing); "
            "run `pip install torch transformers onnx`, or set DGPT_EMBED_BACKEND=torch"
        ) from e
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    class Hidden(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    ids = torch.tensor(
        [[101, 2023, 2003, 102], [101, 2023, 102, 0]]
    )  # two lengths, one padded: the mask path is traced
    sample = (ids, (ids > 0).long(), torch.zeros_like(ids))
    axes = {name: {0: "batch", 1: "sequence"} for name in (*INPUTS, "last_hidden_state")}
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part"))
    try:
        import warnings

        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # tracer warnings about Python control flow on shapes; checked by tests
            torch.onnx.export(
                Hidden(model),
                sample,
                str(tmp / "model.onnx"),
                input_names=list(INPUTS),
                output_names=["last_hidden_state"],
                dynamic_axes=axes,
                opset_version=OPSET,
                dynamo=False,
            )
        (tmp / "source.json").write_text(json.dumps(source_record(model_dir), indent=1), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)  # a stale export (other weights); a concurrent writer's fresh one is equally good
        try:
            os.replace(tmp, target)
        except OSError:
            if not (target / "model.onnx").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target / "model.onnx"


def ensure_export(model_dir: Path, home: Path, packaged: bool) -> Path:
    """The folder's ONNX model under `home`, exported first if missing or made from other files."""
    target = export_dir(model_dir, home, packaged)
    if (target / "model.onnx").is_file() and _read_json(target / "source.json") == source_record(model_dir):
        return target / "model.onnx"
    return export(model_dir, target)


def _threads() -> int:
    """ONNX Runtime's intra-op threads: OMP_NUM_THREADS when it is a positive integer (as torch reads it), else 0
    (ONNX Runtime's default, one per physical core)."""
    value = os.environ.get("OMP_NUM_THREADS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else 0


class OnnxEncoder:
    """Sentence vectors from an exported model: tokenize, run, mean-pool over the mask, L2-normalise."""

    def __init__(self, onnx_path: Path, model_dir: Path, max_seq_length: int):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = _threads()
        opts.inter_op_num_threads = 1
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")  # idle threads would spin beside Chroma
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self.session.get_inputs()}
        tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        tok.enable_truncation(max_length=max_seq_length)
        pad_id = tok.token_to_id("[PAD]")
        tok.enable_padding(pad_id=0 if pad_id is None else pad_id, pad_token="[PAD]" if pad_id is not None else "<pad>")
        self.tokenizer = tok

    def hidden(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Last hidden states (B, T, dim) and the attention mask (B, T)."""
        enc = self.tokenizer.encode_batch(list(texts))
        ids = np.asarray([e.ids for e in enc], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in enc], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        out = self.session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
        return out, mask

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        parts = []
        # Sorting by length keeps padding small in a batch (sentence-transformers does the same); rows are
        # independent of their batch, so the order is restored afterwards.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(texts), batch_size):
            chunk = [texts[i] for i in order[start : start + batch_size]]
            hidden, mask = self.hidden(chunk)
            m = mask[..., None].astype(np.float32)
            summed = (hidden * m).sum(axis=1)
            vecs = summed / np.clip(m.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(vecs, axis=1, keepdims=True)
            parts.append(vecs / np.clip(norms, 1e-12, None))
        out = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
        out[np.asarray(order)] = np.concatenate(parts).astype(np.float32, copy=False)
        return out
