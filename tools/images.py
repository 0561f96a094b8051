"""Writing images: PNG with an A1111-style `parameters` chunk (read by most image tools) plus a JSON sidecar.

Writes are atomic (temporary file, then rename), so a failed or interrupted generation leaves no partial file.
"""

from __future__ import annotations

import json
from pathlib import Path

from tools.files import atomic_write


def a1111_parameters(
    prompt: str,
    negative: str,
    steps: int,
    sampler: str,
    cfg: float,
    seed: int,
    width: int,
    height: int,
    model: str,
    denoising_strength: float | None = None,
) -> str:
    """`denoising_strength`: set for image-to-image, where A1111 writes it as "Denoising strength"."""
    lines = [prompt]
    if negative:
        lines.append(f"Negative prompt: {negative}")
    settings = (
        f"Steps: {steps}, Sampler: {sampler}, CFG scale: {cfg:g}, Seed: {seed}, Size: {width}x{height}, Model: {model}"
    )
    if denoising_strength is not None:
        settings += f", Denoising strength: {denoising_strength:g}"
    lines.append(settings)
    return "\n".join(lines)


def parse_parameters(text: str) -> dict:
    """Inverse of `a1111_parameters` for the fields this project writes (used by tests and importers)."""
    lines = text.split("\n")
    out = {"prompt": lines[0], "negative_prompt": ""}
    for line in lines[1:]:
        if line.startswith("Negative prompt: "):
            out["negative_prompt"] = line[len("Negative prompt: ") :]
        else:
            for part in line.split(", "):
                key, _, value = part.partition(": ")
                out[key.strip()] = value.strip()
    return out


def save_png(image, path: Path, parameters: str, sidecar: dict) -> Path:
    """Write `image` (PIL) to `path` with the parameters chunk, then `path.with_suffix('.json')`."""
    from PIL.PngImagePlugin import PngInfo

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    info = PngInfo()
    info.add_text("parameters", parameters)
    side = path.with_suffix(".json")
    data = json.dumps(sidecar, indent=1, ensure_ascii=False, default=str).encode()
    atomic_write(side, lambda f: f.write(data))
    try:
        atomic_write(path, lambda f: image.save(f, format="PNG", pnginfo=info))
    except BaseException:
        side.unlink(missing_ok=True)
        raise
    return path
