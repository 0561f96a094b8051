"""The starter zoo's automatic judge (issue 4): a small CNN that reads a procedural image's domain and attributes.

It plays the part ImageReward plays in the paper: it rates a generated image against its prompt, and those ratings
feed the advantage database and the routing benchmark.

    from zoo.judge import Judge
    judge = Judge.load()                         # the committed weights next to this module
    judge.read(image)                            # Reading(domain, domain_p, {attribute: (value, p)})
    judge.rate(image, "a red circle on a blue background")      # in [0, 1]
    judge.rate_batch(images, prompts)

    python -m zoo.judge --train --steps 1200   # re-creates zoo/judge.safetensors and judge.json
    python -m zoo.judge --evaluate             # validation accuracies of the committed weights

The network (`JudgeNet`, 214k parameters, 0.87 MB of float32): four 3x3 conv-BN-ReLU layers on the 32x32 image
(32 | 64, 64 | 128 channels, each stage max-pooled: to 16, 8 and 4 px), a 1x1 conv to 32 channels, the 4x4 map
flattened (position matters: the background is the colour at the border) into a 128-unit layer, and then linear
heads: one over the four `DOMAINS` and one per (domain, attribute) of `world.ATTRIBUTES` (``shapes.shape`` 5
classes, ``glyphs.glyph`` 36, ..., ``landscapes.ground`` 5). An attribute head is trained only on images of its
domain, so its probabilities are conditional on the domain. Images of any size are resized to 32x32 (area when
shrinking, bilinear when enlarging); uint8 arrays, float arrays in [0, 1] (the pipeline's ``output_type="np"``)
and PIL images are accepted.

Training (`train_judge`) draws fresh samples of every combination (held-out ones included: the judge must know
them all) and degrades most of them the way a small diffusion model's samples are degraded: a small affine shift
(+-2 px, +-5% scale), a gaussian blur (sigma up to 1.2), contrast and a per-channel colour shift (+-15), gaussian
noise (sigma up to 10) and low-frequency colour blotches. A tenth of each batch are junk images (noise, blotches,
flat colours) trained towards uniform probabilities on every head ("outlier exposure"), so that noise is not read
confidently as anything. The data and all randomness of step s come from generators seeded with (seed, s), and one
torch thread is used, so a run is deterministic.

The rating. `rate(image, prompt)` parses the prompt with `world.parse_caption` into a domain d and the attributes
A it names, and returns the soft share of those confirmed, the domain counted as one of them:

    rating = (P(d) + sum_{a in A} P(d) * P(a = v_a | d)) / (1 + |A|)

where P are the judge's probabilities. An attribute term is multiplied by P(d) because an attribute head only
speaks for images of its domain (the colour of "a red circle" is not confirmed by a red letter K). Were the heads
independent, this is the expected fraction of the prompt's 1 + |A| named facts that the judge confirms: the
issue's "share of the prompt's attributes it confirms", made smooth (probabilities rather than yes/no), which
ranks two models better when both are right or both wrong. Consequences: the right picture scores ~1; one wrong
attribute of a three-attribute prompt costs 1/4, two cost 1/2; a picture of the wrong domain scores ~0. A prompt
`parse_caption` cannot read (None) rates 0.0: the judge can confirm nothing in it (such prompts are outside the
zoo's world, and no expert should earn credit for them).

One exception, stripes: the world shifts a pattern's phase by up to a whole stripe width, so which of a striped
pattern's two colours is "fg" cannot be seen, and a caption's order of the two is arbitrary. For stripes a colour
counts as confirmed when it is one of the two, P(fg = v) + P(bg = v) (disjoint events, since fg != bg), mixed with
the ordered P(fg = v) by the judge's belief that the image is striped (`UNORDERED_PATTERNS`; checkerboards and
dots keep their order, which can be seen). `Judge.read` likewise reports a striped pattern's two colours without
promising their order.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from zoo import world

DEFAULT_WEIGHTS = Path(__file__).with_name("judge.safetensors")
DEFAULT_RECORD = Path(__file__).with_name("judge.json")
# A file-format tag, not a module path: it names where the judge first lived and is written into the committed
# weights' metadata, so it stays as it is (changing it would orphan every saved judge checkpoint).
FORMAT = "tools.zoo.judge/1"
META_KEY = "judge"  # the safetensors metadata entry: JSON {format, config, heads}
SIZE = 32
WIDTHS = (32, 64, 128)  # conv widths at 32, 16 and 8 px
SQUEEZE = 32  # channels of the 4x4 map that is flattened
HIDDEN = 128
VALIDATION_SIZE = 2000
# Patterns whose fg and bg cannot be told apart: `world` shifts a pattern's phase by up to +-10% of the image
# (+-3.2 px at 32) while a stripe is 4 px wide, so which colour is 'fg' is mostly a coin toss (the heads, trained
# on the labels anyway, learn ~50/50 there). Checkerboards (the shifts in x and y together) and dots are ordered.
UNORDERED_PATTERNS = ("horizontal stripes", "vertical stripes", "diagonal stripes")
OUTLIER_SHARE = 0.1  # of each training batch


def head_names() -> tuple[str, ...]:
    """'domain', then 'domain.attribute' for every attribute of every domain, in `world.ATTRIBUTES` order."""
    return ("domain",) + tuple(f"{d}.{a}" for d in world.DOMAINS for a in world.ATTRIBUTES[d])


def head_values(name: str) -> tuple[str, ...]:
    if name == "domain":
        return world.DOMAINS
    domain, attribute = name.split(".", 1)
    return world.ATTRIBUTES[domain][attribute]


def _key(name: str) -> str:
    return name.replace(".", "__")  # ModuleDict keys may not contain dots


@dataclass(frozen=True)
class Reading:
    """What the judge sees: the most likely domain and, for that domain, each attribute's most likely value."""

    domain: str
    domain_p: float
    attributes: dict[str, tuple[str, float]]  # attribute -> (value, probability given the domain)
    domain_probs: dict[str, float] = field(default_factory=dict)  # every domain's probability


# --------------------------------------------------------------------------------------------------------------
# The network (torch is imported lazily)
# --------------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _net_class():
    import torch
    from torch import nn

    def block(cin: int, cout: int) -> list:
        return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]

    class JudgeNet(nn.Module):
        """uint8-range float images (B, 3, 32, 32) -> {head name: logits (B, classes)}."""

        def __init__(self, widths: Sequence[int] = WIDTHS, squeeze: int = SQUEEZE, hidden: int = HIDDEN):
            super().__init__()
            c1, c2, c3 = widths
            self.features = nn.Sequential(
                *block(3, c1), nn.MaxPool2d(2),  # 16
                *block(c1, c2), *block(c2, c2), nn.MaxPool2d(2),  # 8
                *block(c2, c3), nn.MaxPool2d(2),  # 4
                nn.Conv2d(c3, squeeze, 1, bias=False), nn.BatchNorm2d(squeeze), nn.ReLU(inplace=True),
                nn.Flatten(), nn.Linear(squeeze * 16, hidden), nn.ReLU(inplace=True),
            )  # fmt: skip
            self.heads = nn.ModuleDict({_key(n): nn.Linear(hidden, len(head_values(n))) for n in head_names()})

        def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
            h = self.features(x / 127.5 - 1.0)
            return {n: self.heads[_key(n)](h) for n in head_names()}

    return JudgeNet


def build_net(**config):
    return _net_class()(**config)


def _to_tensor(images) -> Any:
    """Images (uint8 (H, W, 3) or (H, W) arrays, float arrays in [0, 1], PIL images; or one (N, H, W, 3) array)
    -> float tensor (N, 3, 32, 32) in [0, 255]; other sizes are resized (area down, bilinear up)."""
    import torch
    import torch.nn.functional as F

    if isinstance(images, np.ndarray) and images.ndim == 4:
        images = list(images)
    arrays = []
    for im in images:
        a = np.asarray(im.convert("RGB") if hasattr(im, "convert") else im)
        if a.ndim == 2:
            a = np.repeat(a[..., None], 3, axis=-1)
        if a.ndim != 3 or a.shape[-1] not in (3, 4):
            raise ValueError(f"expected an (H, W, 3) image, got shape {a.shape}")
        a = a[..., :3]
        if np.issubdtype(a.dtype, np.floating):
            a = np.clip(a, 0.0, 1.0) * 255.0  # pipeline output_type="np": floats in [0, 1]
        t = torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32)).permute(2, 0, 1)[None]
        if t.shape[-2:] != (SIZE, SIZE):
            if t.shape[-2] >= SIZE and t.shape[-1] >= SIZE:
                t = F.interpolate(t, size=(SIZE, SIZE), mode="area")
            else:
                t = F.interpolate(t, size=(SIZE, SIZE), mode="bilinear", align_corners=False).clamp(0.0, 255.0)
        arrays.append(t)
    if not arrays:
        return torch.zeros(0, 3, SIZE, SIZE)
    return torch.cat(arrays)


# --------------------------------------------------------------------------------------------------------------
# The judge
# --------------------------------------------------------------------------------------------------------------


class Judge:
    """Reads and rates images with a trained `JudgeNet` (CPU, eval mode, deterministic)."""

    def __init__(self, net, meta: dict | None = None):
        self.net = net.eval()
        self.meta = meta or {}

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Judge":
        """Load the weights (default: `judge.safetensors` next to this module); checks the heads match `world`."""
        from safetensors import safe_open
        from safetensors.torch import load_file

        path = Path(path) if path is not None else DEFAULT_WEIGHTS
        with safe_open(str(path), framework="pt") as f:
            header = (f.metadata() or {}).get(META_KEY)
        meta = json.loads(header) if header else {}
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path}: not a judge checkpoint (format {meta.get('format')!r})")
        config = meta["config"]
        heads = {k: tuple(v) for k, v in meta["heads"].items()}
        expected = {n: head_values(n) for n in head_names()}
        if heads != expected:
            raise ValueError(f"{path}: its heads do not match zoo.world (retrain with --train)")
        net = build_net(**config)
        net.load_state_dict(load_file(str(path)))
        return cls(net, meta)

    def probabilities(self, images, chunk: int = 256) -> dict[str, np.ndarray]:
        """{head name: (N, classes) float64 probabilities} for a list of images (or an (N, H, W, 3) array)."""
        return _probabilities(self.net, _to_tensor(images), chunk)

    def read_batch(self, images) -> list[Reading]:
        probs = self.probabilities(images)
        readings = []
        for i in range(len(probs["domain"])):
            p = probs["domain"][i]
            d = world.DOMAINS[int(p.argmax())]
            domain_probs = dict(zip(world.DOMAINS, map(float, p)))
            readings.append(Reading(d, float(p.max()), _decode(probs, i, d), domain_probs))
        return readings

    def read(self, image) -> Reading:
        return self.read_batch([image])[0]

    def rate_batch(self, images, prompts: Sequence[str]) -> list[float]:
        """One rating in [0, 1] per (image, prompt) pair; see the module docstring for the definition."""
        prompts = list(prompts)
        if len(prompts) != len(images):
            raise ValueError(f"{len(images)} images but {len(prompts)} prompts")
        parsed = [world.parse_caption(p) for p in prompts]
        probs = self.probabilities(images) if prompts else {}
        return [_rating(probs, i, parse) for i, parse in enumerate(parsed)]

    def rate(self, image, prompt: str) -> float:
        return self.rate_batch([image], [prompt])[0]


def _probabilities(net, x, chunk: int = 256) -> dict[str, np.ndarray]:
    import torch

    out: dict[str, list[np.ndarray]] = {n: [] for n in head_names()}
    net.eval()
    with torch.inference_mode():
        for i in range(0, max(1, len(x)), chunk):
            for n, v in net(x[i : i + chunk]).items():
                out[n].append(torch.softmax(v.double(), dim=-1).numpy())
    return {n: np.concatenate(v) for n, v in out.items()}


def _stripes_p(probs: dict[str, np.ndarray], i: int) -> float:
    q = probs["patterns.pattern"][i]
    return float(sum(q[world.PATTERNS.index(k)] for k in UNORDERED_PATTERNS))


def _decode(probs: dict[str, np.ndarray], i: int, domain: str) -> dict[str, tuple[str, float]]:
    """Each attribute's most likely value and its probability; for stripes the two colours most likely present
    (P(fg = c) + P(bg = c)), the one with the larger P(fg) - P(bg) called fg."""
    out = {}
    for a, values in world.ATTRIBUTES[domain].items():
        q = probs[f"{domain}.{a}"][i]
        out[a] = (values[int(q.argmax())], float(q.max()))
    if domain == "patterns" and out["pattern"][0] in UNORDERED_PATTERNS:
        pf, pb = probs["patterns.fg"][i], probs["patterns.bg"][i]
        present = np.minimum(1.0, pf + pb)
        first, second = (int(k) for k in np.argsort(-present, kind="stable")[:2])
        if pf[second] - pb[second] > pf[first] - pb[first]:
            first, second = second, first
        out["fg"] = (world.COLOURS[first], float(present[first]))
        out["bg"] = (world.COLOURS[second], float(present[second]))
    return out


def _confirmation(probs: dict[str, np.ndarray], i: int, domain: str, attribute: str, value: str) -> float:
    """The judge's probability that the image (if of this domain) has attribute = value.

    A pattern's colour is confirmed in order for checkerboards and polka dots and as 'one of the two colours' for
    stripes, mixed by the judge's belief that the image is striped."""
    values = world.ATTRIBUTES[domain][attribute]
    p = float(probs[f"{domain}.{attribute}"][i][values.index(value)])
    if domain == "patterns" and attribute in ("fg", "bg"):
        other = "bg" if attribute == "fg" else "fg"
        present = min(1.0, p + float(probs[f"patterns.{other}"][i][values.index(value)]))
        striped = _stripes_p(probs, i)
        p = striped * present + (1.0 - striped) * p
    return p


def _rating(probs: dict[str, np.ndarray], i: int, parse) -> float:
    if parse is None:
        return 0.0
    domain, attributes = parse
    p_domain = float(probs["domain"][i][world.DOMAINS.index(domain)])
    confirmed = p_domain
    for a, value in attributes.items():
        confirmed += p_domain * _confirmation(probs, i, domain, a, value)
    return float(min(1.0, max(0.0, confirmed / (1 + len(attributes)))))


# --------------------------------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------------------------------


def _seed(*entropy: int) -> int:
    return int(np.random.SeedSequence(list(entropy)).generate_state(1, dtype=np.uint64)[0] >> 1)


def _labels(samples: list) -> dict[str, Any]:
    """{head: long tensor (N,)} with -100 (ignored) where a sample is not of the head's domain."""
    import torch

    out = {}
    for n in head_names():
        values = head_values(n)
        if n == "domain":
            out[n] = torch.tensor([values.index(s.domain) for s in samples], dtype=torch.long)
        else:
            d, a = n.split(".", 1)
            out[n] = torch.tensor([values.index(s.attributes[a]) if s.domain == d else -100 for s in samples])
    return out


def _uniform(n: int, lo: float, hi: float, g) -> Any:
    import torch

    return lo + (hi - lo) * torch.rand(n, generator=g)


def _gaussian_blur(x, sigma):
    """Per-sample gaussian blur (sigma (B,), 0 = none), 5 taps, edges replicated."""
    import torch
    import torch.nn.functional as F

    b, c, h, w = x.shape
    taps = torch.arange(-2, 3, dtype=x.dtype)
    k = torch.exp(-(taps[None] ** 2) / (2 * sigma.clamp(min=1e-3)[:, None] ** 2))
    k = k / k.sum(dim=1, keepdim=True)
    k = k.repeat_interleave(c, dim=0)  # (B*C, 5)
    y = F.pad(x.reshape(1, b * c, h, w), (2, 2, 2, 2), mode="replicate")
    y = F.conv2d(y, k[:, None, None, :], groups=b * c)
    y = F.conv2d(y, k[:, None, :, None], groups=b * c)
    return y.reshape(b, c, h, w)


def _smooth_noise(b: int, cells: int, g) -> Any:
    """(B, 3, 32, 32) unit-variance-ish low-frequency noise: a (cells x cells) gaussian grid upsampled bilinearly."""
    import torch
    import torch.nn.functional as F

    grid = torch.randn(b, 3, cells, cells, generator=g)
    return F.interpolate(grid, size=(SIZE, SIZE), mode="bilinear", align_corners=False)


def augment(x, g):
    """Degrade images (B, 3, 32, 32) in [0, 255] like a small diffusion model's samples; each effect per sample."""
    import torch
    import torch.nn.functional as F

    b = x.shape[0]

    def chosen(p: float):
        return (torch.rand(b, generator=g) < p).float()

    # small affine: shift +-2 px, scale +-5%, border replicated (bilinear: fractional shifts soften a little)
    on = chosen(0.6)
    scale = 1.0 + on * _uniform(b, -0.05, 0.05, g)
    shift = on[:, None] * (torch.rand(b, 2, generator=g) * 4.0 - 2.0) * (2.0 / SIZE)
    theta = torch.zeros(b, 2, 3)
    theta[:, 0, 0] = theta[:, 1, 1] = 1.0 / scale
    theta[:, :, 2] = shift
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    moved = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    x = torch.where(on[:, None, None, None] > 0, moved, x)
    # blur
    sigma = chosen(0.6) * _uniform(b, 0.3, 1.2, g)
    blurred = _gaussian_blur(x, sigma)
    x = torch.where(sigma[:, None, None, None] > 0, blurred, x)
    # contrast towards the image mean, then a colour shift per channel
    contrast = 1.0 + chosen(0.4) * _uniform(b, -0.15, 0.1, g)
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    x = mean + (x - mean) * contrast[:, None, None, None]
    x = x + chosen(0.8)[:, None, None, None] * (torch.rand(b, 3, 1, 1, generator=g) * 30.0 - 15.0)
    # low-frequency blotches, then pixel noise
    blotch = chosen(0.3) * _uniform(b, 0.0, 8.0, g)
    x = x + blotch[:, None, None, None] * _smooth_noise(b, 4, g)
    noise = chosen(0.6) * _uniform(b, 0.0, 10.0, g)
    x = x + noise[:, None, None, None] * torch.randn(x.shape, generator=g)
    return x.clamp(0.0, 255.0).round()


def outliers(n: int, g):
    """(n, 3, 32, 32) junk images: uniform noise, gaussian noise around a colour, smooth blotches, flat colours."""
    import torch

    if n == 0:
        return torch.zeros(0, 3, SIZE, SIZE)
    kind = torch.randint(0, 4, (n,), generator=g)
    base = torch.rand(n, 3, 1, 1, generator=g) * 255.0
    uniform = torch.rand(n, 3, SIZE, SIZE, generator=g) * 255.0
    gaussian = base + _uniform(n, 20.0, 90.0, g)[:, None, None, None] * torch.randn(n, 3, SIZE, SIZE, generator=g)
    cells = int(torch.randint(2, 9, (1,), generator=g))
    blotches = base + _uniform(n, 30.0, 100.0, g)[:, None, None, None] * _smooth_noise(n, cells, g)
    flat = base + _uniform(n, 0.0, 10.0, g)[:, None, None, None] * torch.randn(n, 3, SIZE, SIZE, generator=g)
    k = kind[:, None, None, None]
    x = torch.where(k == 0, uniform, torch.where(k == 1, gaussian, torch.where(k == 2, blotches, flat)))
    return x.clamp(0.0, 255.0).round()


def _images(samples: list) -> Any:
    import torch

    return torch.from_numpy(np.stack([s.image for s in samples])).permute(0, 3, 1, 2).float().contiguous()


def _loss(logits: dict, labels: dict, n_real: int) -> Any:
    """Cross-entropy of every head on its domain's samples; rows from n_real on are outliers (target: uniform)."""
    import torch
    import torch.nn.functional as F

    total = 0.0
    for n, v in logits.items():
        real, junk = v[:n_real], v[n_real:]
        y = labels[n]
        if (y >= 0).any():
            total = total + F.cross_entropy(real, y, ignore_index=-100)
        if len(junk):
            kl = -torch.log_softmax(junk, dim=-1).mean(dim=-1) - math.log(junk.shape[-1])  # KL(uniform || p)
            total = total + 0.5 * kl.mean()
    return total


def evaluate(net, samples: list, g=None) -> dict[str, float]:
    """Accuracy per head on the samples, augmented when g is given: the domain on all of them, an attribute on its
    domain's samples as `Judge.read` decodes it (for stripes, fg and bg count as right when the pair is)."""
    x = _images(samples)
    if g is not None:
        x = augment(x, g)
    probs = _probabilities(net, x, 500)
    hits: dict[str, list[bool]] = {n: [] for n in head_names()}
    for i, s in enumerate(samples):
        hits["domain"].append(world.DOMAINS[int(probs["domain"][i].argmax())] == s.domain)
        read = _decode(probs, i, s.domain)
        for a, value in s.attributes.items():
            if s.domain == "patterns" and a in ("fg", "bg") and s.attributes["pattern"] in UNORDERED_PATTERNS:
                pair = {read["fg"][0], read["bg"][0]}
                hits[f"{s.domain}.{a}"].append(pair == {s.attributes["fg"], s.attributes["bg"]})
            else:
                hits[f"{s.domain}.{a}"].append(read[a][0] == value)
    return {n: round(float(np.mean(h)), 4) if h else float("nan") for n, h in hits.items()}


def _outlier_confidence(net, seed: int, n: int) -> float:
    """Mean max domain probability the net gives junk images (uniform would be 0.25)."""
    import torch

    g = torch.Generator().manual_seed(_seed(seed, 2**31, 3))
    return round(float(_probabilities(net, outliers(n, g))["domain"].max(axis=1).mean()), 4)


def save_weights(net, path: Path, config: dict) -> None:
    from safetensors.torch import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().contiguous().clone() for k, v in net.state_dict().items()}
    heads = {n: list(head_values(n)) for n in head_names()}
    # one metadata entry: safetensors writes several in no fixed order, and the file should be reproducible
    meta = {META_KEY: json.dumps({"format": FORMAT, "config": config, "heads": heads}, sort_keys=True)}
    save_file(state, str(path), metadata=meta)


def train_judge(
    out: Path,
    steps: int,
    seed: int = 0,
    batch_size: int = 128,
    log: Callable[[str], Any] = print,
    lr: float = 3e-3,
    record: Path | None = None,
    validation_size: int = VALIDATION_SIZE,
) -> dict:
    """Train a judge from scratch; write `out` (safetensors) and the record (default: `out` with .json); return it.

    Deterministic given (seed, steps, batch_size): step s draws from generators seeded with (seed, s). AdamW
    (weight decay 1e-4) with a linear warm-up over 5% of the steps and a cosine decay. The record holds the accuracy
    of every head on 2,000 fresh validation samples (every combination possible), clean and augmented.
    """
    import torch

    torch.set_num_threads(1)
    out = Path(out)
    record = Path(record) if record is not None else out.with_suffix(".json")
    torch.manual_seed(_seed(seed, 2**31, 0))
    config = {"widths": list(WIDTHS), "squeeze": SQUEEZE, "hidden": HIDDEN}
    net = build_net(**config)
    params = sum(p.numel() for p in net.parameters())
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=1e-4)
    warmup = max(1, steps // 20)

    def lr_at(step: int) -> float:
        if step < warmup:
            return lr * (step + 1) / warmup
        return lr * 0.5 * (1.0 + math.cos(math.pi * (step - warmup) / max(1, steps - warmup)))

    n_junk = round(batch_size * OUTLIER_SHARE)
    n_real = batch_size - n_junk
    log(f"judge: {params} parameters, {steps} steps of {n_real} samples + {n_junk} outliers, seed {seed}")
    start = time.perf_counter()
    running = None
    net.train()
    for step in range(steps):
        rng = np.random.default_rng(_seed(seed, step, 0))
        g = torch.Generator().manual_seed(_seed(seed, step, 1))
        samples = world.batch(None, n_real, rng, size=SIZE, exclude_held_out=False)
        x = torch.cat([augment(_images(samples), g), outliers(n_junk, g)])
        for group in opt.param_groups:
            group["lr"] = lr_at(step)
        loss = _loss(net(x), _labels(samples), n_real)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        value = float(loss.detach())
        running = value if running is None else 0.95 * running + 0.05 * value
        if (step + 1) % 100 == 0 or step + 1 == steps:
            elapsed = time.perf_counter() - start
            log(f"step {step + 1}/{steps}  loss {running:.4f}  lr {lr_at(step):.2e}  {elapsed:.0f}s")
    seconds = time.perf_counter() - start

    val_rng = np.random.default_rng(_seed(seed, 2**31, 1))
    val = world.batch(None, validation_size, val_rng, size=SIZE, exclude_held_out=False)
    clean = evaluate(net, val)
    augmented = evaluate(net, val, torch.Generator().manual_seed(_seed(seed, 2**31, 2)))
    save_weights(net, out, config)
    info = {
        "format": FORMAT,
        "steps": steps,
        "seed": seed,
        "batch_size": batch_size,
        "outliers_per_batch": n_junk,
        "lr": lr,
        "parameters": params,
        "train_seconds": round(seconds, 1),
        "torch": torch.__version__,
        "validation_samples": validation_size,
        "accuracy_clean": clean,
        "accuracy_augmented": augmented,
        "outlier_max_domain_p": _outlier_confidence(net, seed, max(1, validation_size // 4)),
        "weights": out.name,
        "weights_bytes": out.stat().st_size,
    }
    record.write_text(json.dumps(info, indent=2) + "\n")
    log(f"judge: saved {out} ({info['weights_bytes']} bytes) after {seconds:.0f}s")
    log(f"  clean:     {clean}")
    log(f"  augmented: {augmented}")
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zoo.judge", description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", action="store_true", help="train the judge and write its weights and record")
    parser.add_argument("--evaluate", action="store_true", help="accuracy of the weights on fresh validation data")
    parser.add_argument("--steps", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--out", type=Path, default=DEFAULT_WEIGHTS, help="weights file (the record: same name, .json)")
    args = parser.parse_args(argv)
    if args.train:
        train_judge(args.out, args.steps, seed=args.seed, batch_size=args.batch_size, log=partial(print, flush=True))
    if args.evaluate:
        import torch

        torch.set_num_threads(1)
        judge = Judge.load(args.out)
        val_rng = np.random.default_rng(_seed(args.seed, 2**31, 9))  # not the training record's validation set
        val = world.batch(None, VALIDATION_SIZE, val_rng, exclude_held_out=False)
        print("clean:    ", evaluate(judge.net, val))
        print("augmented:", evaluate(judge.net, val, torch.Generator().manual_seed(_seed(args.seed, 2**31, 8))))
    if not (args.train or args.evaluate):
        parser.print_help()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
