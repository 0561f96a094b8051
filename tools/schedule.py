"""Image-to-image step arithmetic, as diffusers does it: a start image pushed `strength` of the way into the noise
schedule is denoised by the last `int(steps * strength)` steps. A leaf module: the loader, the starter pipeline and
the conversation graph all count steps here."""

from __future__ import annotations

import math


def img2img_steps(num_inference_steps: int, strength: float) -> int:
    """How many denoising steps image-to-image runs: `int(num_inference_steps * strength)`, as in diffusers."""
    if not 0 < strength <= 1:
        raise ValueError(
            f"strength must be in (0, 1] (the share of the schedule redrawn over the start image), not {strength!r}"
        )
    steps = min(int(num_inference_steps * strength), num_inference_steps)
    if steps == 0:
        raise ValueError(
            f"strength {strength} of {num_inference_steps} steps runs no denoising step "
            f"(int({num_inference_steps} * {strength}) == 0); raise strength or the number of steps"
        )
    return steps


def min_img2img_steps(strength: float) -> int:
    """The fewest scheduled steps for which image-to-image at `strength` still runs one (see `img2img_steps`)."""
    if not 0 < strength <= 1:
        raise ValueError(
            f"strength must be in (0, 1] (the share of the schedule redrawn over the start image), not {strength!r}"
        )
    return math.ceil(1 / strength)
