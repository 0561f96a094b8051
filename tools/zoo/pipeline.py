"""`StarterPipeline`: the starter zoo's small pixel-space, text-conditioned diffusion model as a diffusers pipeline.

Components: `unet` (a `UNet2DConditionModel` working on 32x32 RGB in [-1, 1]) and `scheduler` (the sampler; a
thresholded DPM-Solver++ when saved by `tools.zoo.train`). Prompts are encoded with the project's MiniLM
(`tools.embeddings.get_embedder()`, loaded on first use); it is not a registered component, so `save_pretrained`
writes only `unet/`, `scheduler/` and `model_index.json`, and `StarterPipeline.from_pretrained(dir)` reads them back
without remote code.

    pipe = StarterPipeline.from_pretrained("zoo/shapes/pipeline")
    image = pipe("a red star on a white background", generator=torch.Generator().manual_seed(0)).images[0]

The model draws at `unet.config.sample_size` (32); `width`/`height` only set the size of the returned image, which is
the model's output upscaled (nearest neighbour unless `resample="bicubic"`), 256x256 by default.

Text conditioning (`text_condition`): MiniLM's `last_hidden_state`, padded or truncated to 16 tokens, pad positions
zeroed, divided by 0.43 (about unit variance). With `addition_embed_type="text"` the UNet attention-pools these hidden
states into its time embedding itself, so the mean-pooled vector that `text_condition` also returns is used only by a
UNet built with `class_embed_type="projection"` (passed as `class_labels`). The unconditional input for classifier-free
guidance is all zeros, as in training.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import torch
from diffusers import DiffusionPipeline, DPMSolverMultistepScheduler, ImagePipelineOutput, UNet2DConditionModel
from diffusers.callbacks import MultiPipelineCallbacks, PipelineCallback
from diffusers.utils.torch_utils import randn_tensor

TEXT_DIM = 384
MAX_TOKENS = 16
TEXT_SCALE = 0.43  # std of MiniLM's last_hidden_state over real tokens: dividing by it gives about unit variance
DEFAULT_OUTPUT_SIZE = 256

# The measured recipe (2.47 M parameters, 9.45 MB fp32). `attention_head_dim` is, in diffusers' legacy naming,
# the number of heads (4, so 16 channels per head at 64 channels). `addition_embed_type="text"` needs no other key:
# with `encoder_hid_dim` unset the pooling layer reads `cross_attention_dim` (384) wide hidden states, and its
# `addition_embed_type_num_heads` (default 64) must divide 384.
UNET_CONFIG: dict[str, Any] = {
    "sample_size": 32,
    "in_channels": 3,
    "out_channels": 3,
    "block_out_channels": (32, 64, 64),
    "layers_per_block": 1,
    "norm_num_groups": 16,
    "attention_head_dim": 4,
    "down_block_types": ("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
    "up_block_types": ("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
    "cross_attention_dim": TEXT_DIM,
    "addition_embed_type": "text",
}

# Training and sampling share the noise schedule; sampling uses DPM-Solver++ with thresholding (without it the
# output is saturated noise).
NOISE_SCHEDULE: dict[str, Any] = {
    "num_train_timesteps": 1000,
    "beta_schedule": "squaredcos_cap_v2",
    "prediction_type": "v_prediction",
}


def build_unet(config_overrides: dict | None = None) -> UNet2DConditionModel:
    """The recipe UNet (random weights from torch's global RNG), with `config_overrides` applied on top."""
    return UNet2DConditionModel(**{**UNET_CONFIG, **(config_overrides or {})})


def sampling_scheduler() -> DPMSolverMultistepScheduler:
    return DPMSolverMultistepScheduler(
        **NOISE_SCHEDULE,
        algorithm_type="dpmsolver++",
        solver_order=2,
        thresholding=True,
        sample_max_value=1.0,
    )


def text_condition(texts: list[str], max_tokens: int = MAX_TOKENS) -> tuple[torch.Tensor, torch.Tensor]:
    """MiniLM hidden states (B, max_tokens, 384) with pad positions zeroed, and their mean over real tokens
    (B, 384); both divided by 0.43. float32 on the CPU. Each row depends only on its own text (no batch effects
    were measured), so cached and freshly batched encodings agree."""
    from tools.embeddings import get_embedder

    texts = list(texts)
    if not texts:
        return torch.zeros(0, max_tokens, TEXT_DIM), torch.zeros(0, TEXT_DIM)
    module = get_embedder().model[0]  # sentence-transformers' Transformer module
    enc = module.tokenizer(texts, padding="max_length", truncation=True, max_length=max_tokens, return_tensors="pt")
    mask = enc["attention_mask"].to(torch.float32)
    with torch.no_grad():
        out = module.model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], return_dict=True)
        hidden = out.last_hidden_state.float() * mask[..., None] / TEXT_SCALE
        pooled = hidden.sum(1) / mask.sum(1, keepdim=True).clamp(min=1.0)
    return hidden.contiguous(), pooled.contiguous()


def unet_forward(unet: UNet2DConditionModel, sample: torch.Tensor, timestep, hidden: torch.Tensor, pooled: torch.Tensor | None):
    """The UNet's prediction for `sample`, conditioned on `hidden` (and `pooled` where the UNet takes class labels)."""
    class_labels = pooled if unet.config.class_embed_type == "projection" else None
    return unet(sample, timestep, encoder_hidden_states=hidden, class_labels=class_labels, return_dict=False)[0]


def _as_list(value, n: int) -> list[str]:
    if isinstance(value, str):
        return [value] * n
    value = list(value)
    if len(value) != n:
        raise ValueError(f"negative_prompt has {len(value)} entries for {n} prompts")
    return value


class StarterPipeline(DiffusionPipeline):
    """Text-to-image with a starter-zoo expert; see the module docstring."""

    model_cpu_offload_seq = "unet"
    _callback_tensor_inputs = ["latents", "prompt_embeds", "negative_prompt_embeds"]

    def __init__(self, unet: UNet2DConditionModel, scheduler):
        super().__init__()
        self.register_modules(unet=unet, scheduler=scheduler)

    def encode_prompt(
        self, prompt: list[str], negative_prompt: list[str] | None, device, dtype
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """(hidden, pooled) for the prompts and for the unconditional branch: zeros (the training's dropped
        condition) unless negative prompts are given."""
        hidden, pooled = text_condition(prompt)
        if negative_prompt is None:
            neg_hidden, neg_pooled = torch.zeros_like(hidden), torch.zeros_like(pooled)
        else:
            neg_hidden, neg_pooled = text_condition(negative_prompt)
        return tuple(t.to(device=device, dtype=dtype) for t in (hidden, pooled, neg_hidden, neg_pooled))

    @torch.no_grad()
    def __call__(
        self,
        prompt: str | list[str],
        negative_prompt: str | list[str] | None = None,
        num_inference_steps: int = 20,
        guidance_scale: float = 4.0,
        width: int | None = None,
        height: int | None = None,
        num_images_per_prompt: int = 1,
        generator: torch.Generator | list[torch.Generator] | None = None,
        latents: torch.Tensor | None = None,
        output_type: str = "pil",
        return_dict: bool = True,
        callback_on_step_end: Callable | PipelineCallback | MultiPipelineCallbacks | None = None,
        callback_on_step_end_tensor_inputs: list[str] | None = None,
        resample: str = "nearest",
    ):
        """Generate images.

        `negative_prompt`: when given (non-empty), its embedding replaces the zero condition in the unconditional
        branch of classifier-free guidance. `guidance_scale` <= 1 runs the conditional branch only.
        `width`/`height`: size of the returned images (the model always draws at `unet.config.sample_size`);
        one given sets both, neither gives 256x256. `output_type`: "pil", "np" (float in [0, 1], NHWC),
        "pt" (float in [0, 1], NCHW) or "latent" (the model's raw [-1, 1] output, not resized).
        `callback_on_step_end(pipe, step, timestep, callback_kwargs)` runs after every step and may return a dict
        whose "latents" replaces the current ones. `resample`: "nearest" or "bicubic" upscaling.
        """
        prompts = [prompt] if isinstance(prompt, str) else list(prompt)
        if not prompts:
            raise ValueError("prompt is empty")
        if negative_prompt is not None and not isinstance(negative_prompt, str):
            negative_prompt = list(negative_prompt)
        if not negative_prompt or (isinstance(negative_prompt, list) and not any(negative_prompt)):
            negative_prompt = None
        if output_type not in ("pil", "np", "pt", "latent"):
            raise ValueError(f"output_type must be 'pil', 'np', 'pt' or 'latent', not {output_type!r}")
        if resample not in ("nearest", "bicubic"):
            raise ValueError(f"resample must be 'nearest' or 'bicubic', not {resample!r}")
        if isinstance(callback_on_step_end, (PipelineCallback, MultiPipelineCallbacks)):
            callback_on_step_end_tensor_inputs = callback_on_step_end.tensor_inputs
        tensor_inputs = list(callback_on_step_end_tensor_inputs or ["latents"])
        bad = [k for k in tensor_inputs if k not in self._callback_tensor_inputs]
        if bad:
            raise ValueError(f"callback_on_step_end_tensor_inputs {bad} not in {self._callback_tensor_inputs}")
        height = height or width or DEFAULT_OUTPUT_SIZE
        width = width or height

        device = self._execution_device
        dtype = self.unet.dtype
        size = int(self.unet.config.sample_size)
        channels = int(self.unet.config.in_channels)
        batch = len(prompts) * num_images_per_prompt

        prompts = [p for p in prompts for _ in range(num_images_per_prompt)]
        negatives = None if negative_prompt is None else [
            n for n in _as_list(negative_prompt, len(prompts) // num_images_per_prompt) for _ in range(num_images_per_prompt)
        ]
        prompt_embeds, pooled, negative_prompt_embeds, neg_pooled = self.encode_prompt(prompts, negatives, device, dtype)
        do_cfg = guidance_scale > 1.0

        self.scheduler.set_timesteps(num_inference_steps, device=device)
        timesteps = self.scheduler.timesteps
        if latents is None:
            latents = randn_tensor((batch, channels, size, size), generator=generator, device=device, dtype=dtype)
        else:
            latents = latents.to(device=device, dtype=dtype)
        latents = latents * self.scheduler.init_noise_sigma

        self._num_timesteps = len(timesteps)
        with self.progress_bar(total=len(timesteps)) as bar:
            for i, t in enumerate(timesteps):
                model_in = self.scheduler.scale_model_input(latents, t)
                if do_cfg:
                    both = unet_forward(
                        self.unet,
                        torch.cat([model_in, model_in]),
                        t,
                        torch.cat([negative_prompt_embeds, prompt_embeds]),
                        torch.cat([neg_pooled, pooled]),
                    )
                    uncond, cond = both.chunk(2)
                    pred = uncond + guidance_scale * (cond - uncond)
                else:
                    pred = unet_forward(self.unet, model_in, t, prompt_embeds, pooled)
                latents = self.scheduler.step(pred, t, latents, return_dict=False)[0]

                if callback_on_step_end is not None:
                    scope = {"latents": latents, "prompt_embeds": prompt_embeds, "negative_prompt_embeds": negative_prompt_embeds}
                    outputs = callback_on_step_end(self, i, t, {k: scope[k] for k in tensor_inputs})
                    if isinstance(outputs, dict):
                        latents = outputs.pop("latents", latents)
                        prompt_embeds = outputs.pop("prompt_embeds", prompt_embeds)
                        negative_prompt_embeds = outputs.pop("negative_prompt_embeds", negative_prompt_embeds)
                bar.update()

        self.maybe_free_model_hooks()
        if output_type == "latent":
            images: Any = latents
        else:
            images = (latents.float() / 2 + 0.5).clamp(0, 1)
            if (height, width) != (size, size):
                if resample == "nearest":
                    images = torch.nn.functional.interpolate(images, size=(height, width), mode="nearest-exact")
                else:
                    images = torch.nn.functional.interpolate(images, size=(height, width), mode="bicubic", align_corners=False)
                    images = images.clamp(0, 1)
            if output_type == "pt":
                pass
            else:
                images = images.permute(0, 2, 3, 1).cpu().numpy()
                if output_type == "pil":
                    images = self.numpy_to_pil(np.ascontiguousarray(images))
        if not return_dict:
            return (images,)
        return ImagePipelineOutput(images=images)
