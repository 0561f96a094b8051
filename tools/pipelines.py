"""Loading catalog models as diffusers pipelines, and keeping them warm in an LRU cache bounded by memory.

Safetensors only, never `trust_remote_code`, never a pickle checkpoint. A LoRA shares its base model's pipeline:
the cache holds one pipeline per base and switches adapters per request, so a LoRA and its base cost one load.
`image_to_image(pipe, family)` derives an image-to-image pipeline from a cached one, sharing its weights.
"""

from __future__ import annotations

import gc
import os
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.catalog import Catalog, HubSource, LoraSource, ModelCard, SingleFileSource
from tools.settings import bad_setting, env_choice, env_float, env_value

# Which pipeline class reads a single-file checkpoint of each family (AutoPipeline has no from_single_file).
SINGLE_FILE_CLASSES = {
    "sd15": "StableDiffusionPipeline",
    "sd21": "StableDiffusionPipeline",
    "sdxl": "StableDiffusionXLPipeline",
    "playground": "StableDiffusionXLPipeline",
    "sd3": "StableDiffusion3Pipeline",
    "flux": "FluxPipeline",
}


class ModelLoadError(RuntimeError):
    """A model could not be loaded; the message says why and how to fix it."""


# Accepted dtype names (DGPT_DTYPE or pick_dtype's argument), short and long spellings.
DTYPES = {"fp32": "float32", "fp16": "float16", "bf16": "bfloat16"}
DTYPE_ALIASES = {long: short for short, long in DTYPES.items()}
DEVICE_AUTO = "to pick cuda, then mps, then cpu"


def _mps_available(torch) -> bool:
    return bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())


def check_device(value: str, name: str = "DGPT_DEVICE") -> str:
    """`value` if torch knows the device and, for cuda/mps, can see it; SettingError naming `name` otherwise."""
    import torch

    usual = "use cpu, cuda, cuda:N, mps or another torch device type such as xpu"
    try:
        dev = torch.device(value.strip())
    except (RuntimeError, ValueError) as e:
        raise bad_setting(name, value, "is not a torch device", usual, DEVICE_AUTO) from e
    seen = ["cpu"] + (["mps"] if _mps_available(torch) else [])

    def use(names: list[str]) -> str:
        return f"use {names[0]}" if len(names) == 1 else f"use one of {', '.join(names)}"

    if dev.type == "cuda":
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if count == 0:
            raise bad_setting(name, value, "names a CUDA device but torch sees none", use(seen), DEVICE_AUTO)
        if dev.index is not None and dev.index >= count:
            cudas = ["cuda"] + [f"cuda:{i}" for i in range(count)]
            raise bad_setting(
                name, value, f"names CUDA device {dev.index} but torch sees {count}", use(cudas + seen), DEVICE_AUTO
            )
    elif dev.type == "mps" and not _mps_available(torch):
        cudas = ["cuda"] if torch.cuda.is_available() else []
        raise bad_setting(name, value, "names the mps device but torch sees none", use(cudas + seen), DEVICE_AUTO)
    return value.strip()


def pick_device(requested: str | None = None) -> str:
    """The argument, else `DGPT_DEVICE` (checked: SettingError if torch cannot use it), else cuda, then mps, then cpu."""
    import torch

    if requested:
        return requested
    want = env_value("DGPT_DEVICE")
    if want:
        return check_device(want)
    if torch.cuda.is_available():
        return "cuda"
    if _mps_available(torch):
        return "mps"
    return "cpu"


def pick_dtype(device: str, requested: str | None = None):
    """The argument, else `DGPT_DTYPE` (fp32/fp16/bf16 or float32/float16/bfloat16), else the device's default."""
    import torch

    if requested:
        name = DTYPE_ALIASES.get(requested.lower(), requested.lower())
        if name not in DTYPES:
            raise ValueError(f"dtype '{requested}' is not one of {', '.join([*DTYPES, *DTYPE_ALIASES])}")
    else:
        name = env_choice("DGPT_DTYPE", DTYPES, what="a dtype", aliases=DTYPE_ALIASES, unset="for the device's default")
    if name:
        return getattr(torch, DTYPES[name])
    if device.startswith("cuda"):
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if device == "mps":
        return torch.float16
    return torch.float32


def pipeline_bytes(pipe) -> int:
    import torch

    total = 0
    for component in getattr(pipe, "components", {}).values():
        if isinstance(component, torch.nn.Module):
            total += sum(p.numel() * p.element_size() for p in component.parameters())
            total += sum(b.numel() * b.element_size() for b in component.buffers())
    return total


def default_budget_bytes(device: str) -> int:
    """`DGPT_CACHE_GB` (a number above 0), else 80% of the GPU's memory, else half the machine's RAM."""
    gib = env_float(
        "DGPT_CACHE_GB",
        above=0,
        what="a number of GiB",
        example="12 or 0.5",
        unset="for 80% of the GPU's memory, or half the RAM without one",
    )
    if gib is not None:
        return int(gib * 2**30)
    if device.startswith("cuda"):
        import torch

        return int(torch.cuda.get_device_properties(torch.device(device)).total_memory * 0.8)
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * 0.5)
    except (ValueError, OSError):
        return 8 * 2**30


def _resolve(path: str, catalog: Catalog) -> str:
    p = Path(path).expanduser()
    return str(p if p.is_absolute() else (catalog.path.parent / p).resolve())


def _hub_error(repo: str, err: Exception) -> ModelLoadError:
    return ModelLoadError(
        f"'{repo}' is not in the local Hugging Face cache and the hub could not be reached ({type(err).__name__}). "
        f"Fetch it where the hub is reachable with `hf download {repo}` (then copy ~/.cache/huggingface), "
        "or point the catalog entry at a local directory (source: {kind: local, path: ...})"
    )


def quiet_torchvision_notice(transformers) -> None:
    """transformers 5 says, once per image-processor class a pipeline touches, that torchvision is missing and it
    falls back to the PIL processor; that fallback is what the pipelines use, so the three lines it printed into
    `dgpt chat` say nothing to a user. Only that notice is dropped; other transformers warnings stay."""
    import logging

    # On the library's handlers: a logger's own filters do not see records from its child loggers.
    for handler in transformers.utils.logging.get_logger("transformers").handlers:
        if not any(getattr(f, "dgpt_torchvision", False) for f in handler.filters):
            notice = logging.Filter()
            notice.filter = lambda record: "requires torchvision" not in record.getMessage()
            notice.dgpt_torchvision = True
            handler.addFilter(notice)


def load_base(card: ModelCard, catalog: Catalog, device: str, dtype) -> Any:
    """A ready pipeline for a non-LoRA card, on `device` in `dtype`."""
    import diffusers
    import transformers

    # The CLI draws its own progress; per-component loading bars are noise.
    diffusers.utils.logging.disable_progress_bar()
    transformers.utils.logging.disable_progress_bar()
    quiet_torchvision_notice(transformers)
    src = card.source
    common = {"dtype": dtype}
    try:
        if isinstance(src, SingleFileSource):
            cls = getattr(diffusers, SINGLE_FILE_CLASSES.get(card.family, ""), None)
            if cls is None:
                raise ModelLoadError(
                    f"model '{card.id}': no single-file loader for family '{card.family}'; use a diffusers directory"
                )
            path = src.path if src.path.startswith(("http://", "https://")) else _resolve(src.path, catalog)
            if not path.startswith("http") and not Path(path).is_file():
                raise ModelLoadError(
                    f"model '{card.id}': checkpoint '{path}' does not exist; fix source.path in {catalog.path}"
                )
            extra = {
                "config": _resolve(src.config, catalog)
                if src.config and Path(_resolve(src.config, catalog)).exists()
                else src.config
            }
            pipe = cls.from_single_file(path, **common, **{k: v for k, v in extra.items() if v})
        else:
            if isinstance(src, HubSource):
                target, extra = src.repo, {"revision": src.revision, "variant": src.variant}
            else:
                target, extra = _resolve(src.path, catalog), {}
                if not Path(target, "model_index.json").is_file():
                    raise ModelLoadError(
                        f"model '{card.id}': '{target}' is not a diffusers directory (no model_index.json); "
                        f"save one with pipe.save_pretrained(...) or fix source.path in {catalog.path}"
                    )
            kwargs = {**common, "use_safetensors": True, **{k: v for k, v in extra.items() if v}}
            pipe = _from_pretrained(target, kwargs, hub=isinstance(src, HubSource), family=card.family)
    except ModelLoadError:
        raise
    except OSError as e:
        if isinstance(src, HubSource):
            raise _hub_error(src.repo, e) from e
        raise ModelLoadError(f"model '{card.id}': could not read its weights: {e}") from e
    except Exception as e:  # diffusers raises ValueError/EnvironmentError/etc. for broken checkpoints
        raise ModelLoadError(f"model '{card.id}': failed to load ({type(e).__name__}: {str(e)[:300]})") from e
    if hasattr(pipe, "set_progress_bar_config"):
        pipe.set_progress_bar_config(disable=True)
    return pipe


def _from_pretrained(target: str, kwargs: dict, hub: bool, family: str = ""):
    from diffusers import AutoPipelineForText2Image, DiffusionPipeline

    classes = (AutoPipelineForText2Image, DiffusionPipeline)
    if family == "starter":
        # The project's own pipeline class: loaded by the class itself, so no remote code is ever needed.
        from tools.starter import StarterPipeline

        classes = (StarterPipeline,)

    # Cached files first, so an unreachable hub fails fast instead of retrying; download only when allowed.
    attempts = [{"local_files_only": True}]
    if hub and os.environ.get("HF_HUB_OFFLINE", "0") in ("0", "", "false", "False"):
        attempts.append({})
    last: Exception | None = None
    for extra in attempts:
        for cls in classes:
            try:
                return cls.from_pretrained(target, **kwargs, **extra)
            except ValueError as e:
                # AutoPipeline refuses classes it does not map (e.g. a project pipeline); the generic loader reads
                # the class named in model_index.json, still without remote code.
                last = e
                continue
            except OSError as e:
                last = e
                break
    assert last is not None
    raise last


# Derived image-to-image pipelines, one per base pipeline object. Weak keys: when the cache evicts a base, its
# derived pipeline (which holds the same modules) goes with it instead of keeping the weights alive.
_IMG2IMG: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_IMG2IMG_LOCK = threading.Lock()


def image_to_image(pipe, family: str):
    """An image-to-image pipeline on `pipe`'s components (shared modules: no load, no extra weights), the same
    object on every call for the same `pipe`. Family "starter" gives a `StarterImg2ImgPipeline`, the others
    what `AutoPipelineForImage2Image` maps `pipe`'s class to. ModelLoadError if the family has none.

    A LoRA activated on `pipe` (`PipelineCache.get`) stays active here: adapters live inside the shared UNet and
    text encoder modules, so the derived pipeline runs exactly the adapters and weights `pipe` would."""
    with _IMG2IMG_LOCK:
        derived = _IMG2IMG.get(pipe)
        if derived is None:
            derived = _derive_img2img(pipe, family)
            _IMG2IMG[pipe] = derived
        return derived


def _derive_img2img(pipe, family: str):
    try:
        if family == "starter":
            from tools.starter import StarterImg2ImgPipeline

            derived = StarterImg2ImgPipeline.from_pipe(pipe)
        else:
            from diffusers import AutoPipelineForImage2Image

            derived = AutoPipelineForImage2Image.from_pipe(pipe)
    except Exception as e:  # diffusers raises ValueError for classes it does not map, others for odd components
        raise ModelLoadError(
            f"model family '{family}' has no image-to-image pipeline ({type(pipe).__name__}: {type(e).__name__}: {str(e)[:200]}); "
            "leave the start image unset to draw from noise, or pick a model of another family"
        ) from e
    # from_pipe copies neither the progress-bar settings (load_base silences the bars) nor model offloading.
    derived.set_progress_bar_config(**getattr(pipe, "_progress_bar_config", {}))
    if getattr(pipe, "_all_hooks", None):
        # Offload hooks are per pipeline: each re-hooks the shared modules in its own order after every call.
        derived.enable_model_cpu_offload(device=getattr(pipe, "_offload_device", None))
    return derived


@dataclass
class Entry:
    pipe: Any
    nbytes: int
    adapters: set[str] = field(default_factory=set)
    offloaded: bool = False


@dataclass
class LoadInfo:
    cache_hit: bool
    load_ms: float
    evicted: list[str]
    offloaded: bool


class PipelineCache:
    """LRU of pipelines keyed by base model id, bounded by `budget_bytes` of weights."""

    def __init__(self, catalog: Catalog, device: str | None = None, dtype=None, budget_bytes: int | None = None):
        self.catalog = catalog
        self.device = pick_device(device)
        self.dtype = dtype if dtype is not None else pick_dtype(self.device)
        self.budget = budget_bytes if budget_bytes is not None else default_budget_bytes(self.device)
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._lock = threading.RLock()
        self.loads = 0

    def __contains__(self, model_id: str) -> bool:
        return self._base_id(self.catalog.get(model_id)) in self._entries

    @property
    def used_bytes(self) -> int:
        return sum(e.nbytes for e in self._entries.values())

    def _base_id(self, card: ModelCard) -> str:
        return card.source.base if isinstance(card.source, LoraSource) else card.id

    def get(self, model_id: str) -> tuple[Any, LoadInfo]:
        """The pipeline for `model_id`, with its LoRA (if any) active and every other adapter off."""
        card = self.catalog.get(model_id)
        base_id = self._base_id(card)
        with self._lock:
            start = time.perf_counter()
            evicted: list[str] = []
            entry = self._entries.get(base_id)
            hit = entry is not None
            if hit:
                self._entries.move_to_end(base_id)
            else:
                pipe = load_base(self.catalog.get(base_id), self.catalog, self.device, self.dtype)
                nbytes = pipeline_bytes(pipe)
                evicted = self._make_room(nbytes)
                entry = Entry(pipe=pipe, nbytes=nbytes)
                if nbytes > self.budget and self.device.startswith("cuda"):
                    pipe.enable_model_cpu_offload()  # too big to keep whole on the GPU: stream components in
                    entry.offloaded = True
                else:
                    pipe.to(self.device)
                self._entries[base_id] = entry
                self.loads += 1
            self._activate(entry, card)
            return entry.pipe, LoadInfo(hit, (time.perf_counter() - start) * 1000, evicted, entry.offloaded)

    def _activate(self, entry: Entry, card: ModelCard) -> None:
        src = card.source
        if not isinstance(src, LoraSource):
            if entry.adapters:
                entry.pipe.disable_lora()
            return
        name = card.id.replace(".", "_")
        if name not in entry.adapters:
            location = src.repo or _resolve(src.path, self.catalog)
            kwargs = {"weight_name": src.weight_name} if src.weight_name else {}
            try:
                from diffusers.utils import logging as dlog

                # A UNet-only LoRA makes diffusers warn that the text encoder got no keys; that is expected.
                level = dlog.get_verbosity()
                dlog.set_verbosity_error()
                try:
                    entry.pipe.load_lora_weights(location, adapter_name=name, **kwargs)
                finally:
                    dlog.set_verbosity(level)
            except Exception as e:
                raise ModelLoadError(
                    f"model '{card.id}': LoRA weights could not be loaded from '{location}' ({type(e).__name__}: {str(e)[:200]})"
                ) from e
            entry.adapters.add(name)
        entry.pipe.enable_lora()
        entry.pipe.set_adapters([name], adapter_weights=[src.scale])

    def _make_room(self, nbytes: int) -> list[str]:
        evicted = []
        while self._entries and self.used_bytes + nbytes > self.budget:
            victim, entry = self._entries.popitem(last=False)
            evicted.append(victim)
            self._release(entry)
        return evicted

    def _release(self, entry: Entry) -> None:
        entry.pipe = None
        if self.device.startswith("cuda"):
            # Reference counting frees host memory at once; CUDA's caching allocator keeps the blocks until the
            # cycle collector has run and the cache is emptied. A full collection costs 100s of ms, so CPU skips it.
            import torch

            gc.collect()
            torch.cuda.empty_cache()

    def clear(self) -> None:
        with self._lock:
            while self._entries:
                self._release(self._entries.popitem()[1])
