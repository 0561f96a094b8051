"""`StarterPipeline`: the starter zoo's small pixel-space, text-conditioned diffusion model as a diffusers pipeline.

Components: `unet` (a `UNet2DConditionModel` working on 32x32 RGB in [-1, 1]) and `scheduler` (the sampler; a
thresholded DPM-Solver++ when saved by `zoo.train`). Prompts are encoded with the project's MiniLM
(`tools.embeddings.get_embedder()`, loaded on first use); it is not a registered component, so `save_pretrained`
writes only `unet/`, `scheduler/` and `model_index.json`, and `StarterPipeline.from_pretrained(dir)` reads them back
without remote code.

    pipe = StarterPipeline.from_pretrained("runs/shapes/pipeline")
    image = pipe("a red star on a white background", generator=torch.Generator().manual_seed(0)).images[0]

The model draws at `unet.config.sample_size` (32); `width`/`height` only set the size of the returned image, which is
the model's output upscaled (nearest neighbour unless `resample="bicubic"`), 256x256 by default.

`StarterImg2ImgPipeline` redraws a start image (e.g. a previous result) towards a prompt with the same components;
`StarterImg2ImgPipeline.from_pipe(pipe)` shares a loaded pipeline's UNet and scheduler instead of loading again:

    img2img = StarterImg2ImgPipeline.from_pipe(pipe)
    image = img2img("a blue star on a white background", image=image, strength=0.4).images[0]

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

from tools.schedule import img2img_steps

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


def unet_forward(
    unet: UNet2DConditionModel, sample: torch.Tensor, timestep, hidden: torch.Tensor, pooled: torch.Tensor | None
):
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

    @classmethod
    def from_pipe(cls, pipeline: DiffusionPipeline, **components):
        """A pipeline of this class on `pipeline`'s components, shared (no copy, no load), e.g.
        `StarterImg2ImgPipeline.from_pipe(text_to_image)`; keyword arguments replace components."""
        # Built here rather than by DiffusionPipeline.from_pipe, which casts the new pipeline to `dtype` (float32
        # unless given): the modules are the ones `pipeline` keeps using, so the cast would change its precision too.
        expected, _ = cls._get_signature_keys(cls)
        unknown = sorted(set(components) - set(expected))
        if unknown:
            raise ValueError(f"{cls.__name__} has no component(s) {unknown}; it takes {sorted(expected)}")
        parts = {k: v for k, v in pipeline.components.items() if k in expected} | components
        missing = sorted(set(expected) - set(parts))
        if missing:
            raise ValueError(
                f"{type(pipeline).__name__} has no {missing} for {cls.__name__}; pass them as keyword arguments"
            )
        new = cls(**parts)
        if pipeline.config.get("_name_or_path"):
            new.register_to_config(_name_or_path=pipeline.config["_name_or_path"])
        return new

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
        prompts, negative_prompt, tensor_inputs = self._check_inputs(
            prompt, negative_prompt, output_type, resample, callback_on_step_end, callback_on_step_end_tensor_inputs
        )
        width, height = _output_size(width, height)
        device, dtype = self._execution_device, self.unet.dtype
        size = int(self.unet.config.sample_size)
        channels = int(self.unet.config.in_channels)
        batch = len(prompts) * num_images_per_prompt
        condition = self._condition(prompts, negative_prompt, num_images_per_prompt, device, dtype)

        self.scheduler.set_timesteps(num_inference_steps, device=device)
        timesteps = self.scheduler.timesteps
        if latents is None:
            latents = randn_tensor((batch, channels, size, size), generator=generator, device=device, dtype=dtype)
        else:
            latents = latents.to(device=device, dtype=dtype)
        latents = latents * self.scheduler.init_noise_sigma

        latents = self._denoise(latents, timesteps, condition, guidance_scale, callback_on_step_end, tensor_inputs)
        self.maybe_free_model_hooks()
        return self._to_output(latents, output_type, width, height, resample, return_dict)

    def _check_inputs(self, prompt, negative_prompt, output_type, resample, callback, tensor_inputs):
        """The prompts as a list, the negative prompt (None when empty) and the tensors the callback asks for;
        ValueError for anything the pipeline cannot do."""
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
        if isinstance(callback, (PipelineCallback, MultiPipelineCallbacks)):
            tensor_inputs = callback.tensor_inputs
        tensor_inputs = list(tensor_inputs or ["latents"])
        bad = [k for k in tensor_inputs if k not in self._callback_tensor_inputs]
        if bad:
            raise ValueError(f"callback_on_step_end_tensor_inputs {bad} not in {self._callback_tensor_inputs}")
        return prompts, negative_prompt, tensor_inputs

    def _condition(self, prompts: list[str], negative_prompt, num_images_per_prompt: int, device, dtype):
        """`encode_prompt` for every image of the batch: each prompt (and its negative) repeated per image."""
        n = num_images_per_prompt
        negatives = (
            None if negative_prompt is None else [m for m in _as_list(negative_prompt, len(prompts)) for _ in range(n)]
        )
        return self.encode_prompt([p for p in prompts for _ in range(n)], negatives, device, dtype)

    def _denoise(
        self, latents, timesteps, condition, guidance_scale: float, callback, tensor_inputs: list[str]
    ) -> torch.Tensor:
        """Run the sampler over `timesteps` from `latents`; `callback` sees the step's index within `timesteps`."""
        prompt_embeds, pooled, negative_prompt_embeds, neg_pooled = condition
        do_cfg = guidance_scale > 1.0
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

                if callback is not None:
                    scope = {
                        "latents": latents,
                        "prompt_embeds": prompt_embeds,
                        "negative_prompt_embeds": negative_prompt_embeds,
                    }
                    outputs = callback(self, i, t, {k: scope[k] for k in tensor_inputs})
                    if isinstance(outputs, dict):
                        latents = outputs.pop("latents", latents)
                        prompt_embeds = outputs.pop("prompt_embeds", prompt_embeds)
                        negative_prompt_embeds = outputs.pop("negative_prompt_embeds", negative_prompt_embeds)
                bar.update()
        return latents

    def _to_output(
        self, latents: torch.Tensor, output_type: str, width: int, height: int, resample: str, return_dict: bool
    ):
        """The model's [-1, 1] drawing as `output_type`, upscaled to `width` x `height`."""
        size = int(self.unet.config.sample_size)
        if output_type == "latent":
            images: Any = latents
        else:
            images = (latents.float() / 2 + 0.5).clamp(0, 1)
            if (height, width) != (size, size):
                if resample == "nearest":
                    images = torch.nn.functional.interpolate(images, size=(height, width), mode="nearest-exact")
                else:
                    images = torch.nn.functional.interpolate(
                        images, size=(height, width), mode="bicubic", align_corners=False
                    )
                    images = images.clamp(0, 1)
            if output_type != "pt":
                images = images.permute(0, 2, 3, 1).cpu().numpy()
                if output_type == "pil":
                    images = self.numpy_to_pil(np.ascontiguousarray(images))
        if not return_dict:
            return (images,)
        return ImagePipelineOutput(images=images)


class StarterImg2ImgPipeline(StarterPipeline):
    """Image-to-image with a starter-zoo expert: the start image, noised to a point of the schedule set by
    `strength`, is denoised towards the prompt. Same components as `StarterPipeline`; build one from a loaded
    text-to-image pipeline without reloading with `StarterImg2ImgPipeline.from_pipe(pipe)`.

        img = StarterImg2ImgPipeline.from_pipe(pipe)
        out = img("a blue star on a white background", image=previous, strength=0.4).images[0]
    """

    @torch.no_grad()
    def __call__(
        self,
        prompt: str | list[str],
        image,
        strength: float = 0.5,
        negative_prompt: str | list[str] | None = None,
        num_inference_steps: int = 20,
        guidance_scale: float = 4.0,
        width: int | None = None,
        height: int | None = None,
        num_images_per_prompt: int = 1,
        generator: torch.Generator | list[torch.Generator] | None = None,
        output_type: str = "pil",
        return_dict: bool = True,
        callback_on_step_end: Callable | PipelineCallback | MultiPipelineCallbacks | None = None,
        callback_on_step_end_tensor_inputs: list[str] | None = None,
        resample: str = "nearest",
    ):
        """Redraw `image` towards `prompt`.

        `image`: a PIL image, a float array (HWC or NHWC) or tensor (CHW or NCHW) in [0, 1], or a list of them:
        one for every prompt or one for all. It is area-resized to the model's `sample_size` (the model draws at
        32x32 pixels). `strength` in (0, 1]: how far into the noise schedule the image is pushed, so how much it
        may change (1 keeps only its faint trace); `int(num_inference_steps * strength)` steps run, and progress
        callbacks count those steps. The other arguments are those of `StarterPipeline.__call__`.
        """
        steps = img2img_steps(num_inference_steps, strength)
        prompts, negative_prompt, tensor_inputs = self._check_inputs(
            prompt, negative_prompt, output_type, resample, callback_on_step_end, callback_on_step_end_tensor_inputs
        )
        width, height = _output_size(width, height)
        device, dtype = self._execution_device, self.unet.dtype
        init = image_batch(image, int(self.unet.config.sample_size), int(self.unet.config.in_channels))
        init = _per_image(init, len(prompts), num_images_per_prompt).to(device=device, dtype=dtype)
        condition = self._condition(prompts, negative_prompt, num_images_per_prompt, device, dtype)

        timesteps = self._shortened_timesteps(num_inference_steps, steps, device)
        noise = randn_tensor(init.shape, generator=generator, device=device, dtype=dtype)
        latents = self.scheduler.add_noise(init, noise, timesteps[:1].repeat(init.shape[0]))

        latents = self._denoise(latents, timesteps, condition, guidance_scale, callback_on_step_end, tensor_inputs)
        self.maybe_free_model_hooks()
        return self._to_output(latents, output_type, width, height, resample, return_dict)

    def _shortened_timesteps(self, num_inference_steps: int, steps: int, device) -> torch.Tensor:
        """The last `steps` steps of the `num_inference_steps` schedule (diffusers' img2img `get_timesteps`)."""
        self.scheduler.set_timesteps(num_inference_steps, device=device)
        begin = max(num_inference_steps - steps, 0) * self.scheduler.order
        # Samplers that keep a step index (DPM-Solver, Euler) must start it at `begin`: add_noise and the first
        # step read their sigma from it instead of searching the full schedule for the timestep.
        if hasattr(self.scheduler, "set_begin_index"):
            self.scheduler.set_begin_index(begin)
        return self.scheduler.timesteps[begin:]


def image_batch(image, size: int, channels: int = 3) -> torch.Tensor:
    """`image` (see `StarterImg2ImgPipeline.__call__`) as a float32 (N, channels, size, size) tensor in [-1, 1]."""
    from PIL import Image

    items = list(image) if isinstance(image, (list, tuple)) else [image]
    if not items:
        raise ValueError("image is empty; pass a PIL image or a float array in [0, 1]")
    tensors = []
    for item in items:
        if isinstance(item, Image.Image):
            x = torch.from_numpy(np.asarray(item.convert("RGB" if channels == 3 else "L"), dtype=np.float32) / 255.0)
            x = x.reshape(x.shape[0], x.shape[1], -1).permute(2, 0, 1)[None]
        elif isinstance(item, (np.ndarray, torch.Tensor)):
            x = _array_nchw(item, channels)
        else:
            raise ValueError(f"image must be a PIL image, a numpy array or a torch tensor, not {type(item).__name__}")
        # Area averaging: the model works on 32x32 pixels, and averaging keeps a downscaled image's colours
        # (nearest neighbour would alias fine detail into noise).
        tensors.append(torch.nn.functional.interpolate(x, size=(size, size), mode="area"))
    return torch.cat(tensors) * 2 - 1


def _array_nchw(array, channels: int) -> torch.Tensor:
    """A float (N, C, H, W) tensor in [0, 1] from an HWC/NHWC array or a CHW/NCHW tensor (integers are /255)."""
    is_tensor = isinstance(array, torch.Tensor)
    x = array.detach().cpu() if is_tensor else torch.from_numpy(np.ascontiguousarray(array))
    if not torch.is_floating_point(x):
        x = x.float() / 255.0
    x = x.float()
    if x.ndim == 3:
        x = x[None]
    if x.ndim != 4:
        raise ValueError(f"image array must have 3 or 4 dimensions, not shape {tuple(array.shape)}")
    if not is_tensor:
        x = x.permute(0, 3, 1, 2)  # numpy images are channels-last, torch ones channels-first (as in diffusers)
    if x.shape[1] != channels:
        layout = "CHW/NCHW" if is_tensor else "HWC/NHWC"
        raise ValueError(
            f"image has {x.shape[1]} channels, the model takes {channels}; pass {layout} with {channels} channels"
        )
    if x.min() < -1e-3 or x.max() > 1 + 1e-3:
        raise ValueError(
            f"image values must be in [0, 1], got [{x.min():.3g}, {x.max():.3g}]; rescale ([-1, 1] input: (x + 1) / 2)"
        )
    return x.clamp(0, 1)


def _per_image(init: torch.Tensor, n_prompts: int, num_images_per_prompt: int) -> torch.Tensor:
    """One start image for every image drawn, in the order the prompts are expanded (each prompt's images together)."""
    if init.shape[0] == 1:
        return init.expand(n_prompts * num_images_per_prompt, -1, -1, -1).contiguous()
    if init.shape[0] != n_prompts:
        raise ValueError(f"{init.shape[0]} start images for {n_prompts} prompts; pass one image, or one per prompt")
    return init.repeat_interleave(num_images_per_prompt, dim=0)


def _output_size(width: int | None, height: int | None) -> tuple[int, int]:
    """(width, height) of the returned images: one given sets both, neither gives the default."""
    height = height or width or DEFAULT_OUTPUT_SIZE
    return width or height, height
