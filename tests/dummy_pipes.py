"""Tiny random diffusers pipelines for tests, notebooks and benchmarks, built from in-code configs (no hub access).

Every builder is deterministic (same seed -> bit-identical weights), takes well under a second on CPU
and writes a few MB at most. Pipelines are sized so that a 64x64 image is a 32x32 latent (the tiny VAE
has two blocks, so its scale factor is 2, not 8); 32x32 images work too.

    sd = make_sd15(tmp_path / "sd")                     # StableDiffusionPipeline folder
    xl = make_sdxl(tmp_path / "xl")                     # StableDiffusionXLPipeline folder
    lora = make_lora(tmp_path / "lora", sd)             # pytorch_lora_weights.safetensors for sd's UNet
    ckpt = make_single_file(tmp_path / "sd.safetensors", sd)
    # StableDiffusionPipeline.from_single_file(ckpt, config=str(sd)) gives the same weights as `sd`.

Heavy imports (torch, diffusers, transformers, peft) happen inside the functions.
"""

from __future__ import annotations

from pathlib import Path

LORA_WEIGHT_NAME = "pytorch_lora_weights.safetensors"
MAX_LENGTH = 77  # tokenizer model_max_length == text encoder max_position_embeddings
TEXT_HIDDEN = 32


# --------------------------------------------------------------------------- tokenizer / text encoders


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's byte -> printable unicode character table (as used by CLIP's byte-level BPE)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def tiny_tokenizer():
    """A byte-level CLIP tokenizer built in memory: the 256 byte characters, their ``</w>`` forms and the two
    special tokens (ids 0..511, 512 = ``<|startoftext|>``, 513 = ``<|endoftext|>``, also pad/unk); no merges."""
    from transformers import CLIPTokenizer

    chars = list(_bytes_to_unicode().values())
    tokens = chars + [c + "</w>" for c in chars] + ["<|startoftext|>", "<|endoftext|>"]
    vocab = {t: i for i, t in enumerate(tokens)}
    return CLIPTokenizer(vocab=vocab, merges=[], model_max_length=MAX_LENGTH)


UNET_CHANNELS = (16, 32)  # with norm_num_groups=8; (32, 64) works too but triples the size
VOCAB_SIZE = 514
BOS_ID, EOS_ID = 512, 513


def _clip_config(**extra):
    from transformers import CLIPTextConfig

    return CLIPTextConfig(
        vocab_size=VOCAB_SIZE,
        hidden_size=TEXT_HIDDEN,
        intermediate_size=37,
        num_hidden_layers=2,
        num_attention_heads=4,
        max_position_embeddings=MAX_LENGTH,
        layer_norm_eps=1e-5,
        hidden_act="gelu",
        bos_token_id=BOS_ID,
        eos_token_id=EOS_ID,
        pad_token_id=EOS_ID,
        **extra,
    )


def _vae():
    from diffusers import AutoencoderKL

    return AutoencoderKL(
        block_out_channels=[16, 32],
        norm_num_groups=8,
        in_channels=3,
        out_channels=3,
        down_block_types=["DownEncoderBlock2D", "DownEncoderBlock2D"],
        up_block_types=["UpDecoderBlock2D", "UpDecoderBlock2D"],
        latent_channels=4,
        sample_size=64,
    )


# --------------------------------------------------------------------------- SD 1.x


def sd15_components(seed: int = 0) -> dict:
    """Components for a tiny ``StableDiffusionPipeline`` (diffusers' own ``get_dummy_components`` pattern)."""
    import torch
    from diffusers import DDIMScheduler, UNet2DConditionModel
    from transformers import CLIPTextModel

    torch.manual_seed(seed)
    unet = UNet2DConditionModel(
        block_out_channels=UNET_CHANNELS,
        norm_num_groups=8,
        layers_per_block=2,
        sample_size=32,
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=TEXT_HIDDEN,
    )
    scheduler = DDIMScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        clip_sample=False,
        set_alpha_to_one=False,
        steps_offset=1,
    )
    torch.manual_seed(seed)
    vae = _vae()
    torch.manual_seed(seed)
    text_encoder = CLIPTextModel(_clip_config())
    return {
        "unet": unet,
        "scheduler": scheduler,
        "vae": vae,
        "text_encoder": text_encoder.eval(),
        "tokenizer": tiny_tokenizer(),
        "safety_checker": None,
        "feature_extractor": None,
        "image_encoder": None,
    }


def make_sd15(dir: Path, seed: int = 0) -> Path:
    """Save a tiny SD 1.x pipeline (safetensors) to ``dir``; loadable by ``AutoPipelineForText2Image``."""
    from diffusers import StableDiffusionPipeline

    dir = Path(dir)
    pipe = StableDiffusionPipeline(**sd15_components(seed), requires_safety_checker=False)
    pipe.save_pretrained(dir, safe_serialization=True)
    return dir


# --------------------------------------------------------------------------- SDXL


def sdxl_components(seed: int = 0) -> dict:
    """Components for a tiny ``StableDiffusionXLPipeline``: two text encoders (the second with a projection),
    two tokenizers and a ``text_time`` UNet (cross-attention dim = 32 + 32)."""
    import torch
    from diffusers import EulerDiscreteScheduler, UNet2DConditionModel
    from transformers import CLIPTextModel, CLIPTextModelWithProjection

    time_embed_dim = 8
    projection_dim = 32
    torch.manual_seed(seed)
    unet = UNet2DConditionModel(
        block_out_channels=UNET_CHANNELS,
        norm_num_groups=8,
        layers_per_block=2,
        sample_size=32,
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        attention_head_dim=(2, 4),
        use_linear_projection=True,
        addition_embed_type="text_time",
        addition_time_embed_dim=time_embed_dim,
        transformer_layers_per_block=(1, 2),
        projection_class_embeddings_input_dim=6 * time_embed_dim + projection_dim,  # 6 time ids + pooled text
        cross_attention_dim=2 * TEXT_HIDDEN,
    )
    scheduler = EulerDiscreteScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        steps_offset=1,
        beta_schedule="scaled_linear",
        timestep_spacing="leading",
    )
    torch.manual_seed(seed)
    vae = _vae()
    torch.manual_seed(seed)
    text_encoder = CLIPTextModel(_clip_config())
    torch.manual_seed(seed + 1)
    text_encoder_2 = CLIPTextModelWithProjection(_clip_config(projection_dim=projection_dim))
    return {
        "unet": unet,
        "scheduler": scheduler,
        "vae": vae,
        "text_encoder": text_encoder.eval(),
        "tokenizer": tiny_tokenizer(),
        "text_encoder_2": text_encoder_2.eval(),
        "tokenizer_2": tiny_tokenizer(),
        "image_encoder": None,
        "feature_extractor": None,
    }


def make_sdxl(dir: Path, seed: int = 0) -> Path:
    """Save a tiny SDXL pipeline (safetensors) to ``dir``; loadable by ``AutoPipelineForText2Image``."""
    from diffusers import StableDiffusionXLPipeline

    dir = Path(dir)
    pipe = StableDiffusionXLPipeline(**sdxl_components(seed))
    pipe.save_pretrained(dir, safe_serialization=True)
    return dir


# --------------------------------------------------------------------------- LoRA


def make_lora(dir: Path, base_dir: Path, seed: int = 0, rank: int = 4) -> Path:
    """Save a random (non-zero) LoRA for the UNet of the tiny SD 1.x pipeline at ``base_dir`` to
    ``dir/pytorch_lora_weights.safetensors``. ``lora_alpha == rank`` so scale 1.0 means the weights as stored."""
    import torch
    from diffusers import StableDiffusionPipeline, UNet2DConditionModel
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    dir = Path(dir)
    unet = UNet2DConditionModel.from_pretrained(base_dir, subfolder="unet")
    config = LoraConfig(
        r=rank,
        lora_alpha=rank,
        target_modules=["to_q", "to_k", "to_v", "to_out.0"],
        init_lora_weights=False,  # lora_B not zero-initialised -> the LoRA changes the output
    )
    torch.manual_seed(seed)
    unet.add_adapter(config)
    StableDiffusionPipeline.save_lora_weights(
        dir,
        unet_lora_layers=get_peft_model_state_dict(unet),
        weight_name=LORA_WEIGHT_NAME,
        safe_serialization=True,
    )
    return dir


# --------------------------------------------------------------------------- single-file (LDM layout) checkpoint


def _unet_to_ldm(sd: dict, config: dict) -> dict:
    """Rename a diffusers UNet2DConditionModel state dict to the original LDM (``model.diffusion_model.*``) layout:
    the inverse of diffusers' ``convert_ldm_unet_checkpoint`` for SD-1.x-style UNets."""
    L = config["layers_per_block"]
    n_up = len(config["up_block_types"])
    renames = {
        "time_embedding.linear_1.": "time_embed.0.",
        "time_embedding.linear_2.": "time_embed.2.",
        "add_embedding.linear_1.": "label_emb.0.0.",
        "add_embedding.linear_2.": "label_emb.0.2.",
        "conv_in.": "input_blocks.0.0.",
        "conv_norm_out.": "out.0.",
        "conv_out.": "out.2.",
        "mid_block.resnets.0.": "middle_block.0.",
        "mid_block.attentions.0.": "middle_block.1.",
        "mid_block.resnets.1.": "middle_block.2.",
    }
    for i in range(len(config["down_block_types"])):
        for j in range(L):
            renames[f"down_blocks.{i}.resnets.{j}."] = f"input_blocks.{1 + i * (L + 1) + j}.0."
            renames[f"down_blocks.{i}.attentions.{j}."] = f"input_blocks.{1 + i * (L + 1) + j}.1."
        renames[f"down_blocks.{i}.downsamplers.0.conv."] = f"input_blocks.{1 + i * (L + 1) + L}.0.op."
    for i in range(n_up):
        has_attn = any(k.startswith(f"up_blocks.{i}.attentions.") for k in sd)
        for j in range(L + 1):
            renames[f"up_blocks.{i}.resnets.{j}."] = f"output_blocks.{i * (L + 1) + j}.0."
            renames[f"up_blocks.{i}.attentions.{j}."] = f"output_blocks.{i * (L + 1) + j}.1."
        renames[f"up_blocks.{i}.upsamplers.0.conv."] = f"output_blocks.{i * (L + 1) + L}.{2 if has_attn else 1}.conv."
    resnet_inner = {
        "norm1.": "in_layers.0.",
        "conv1.": "in_layers.2.",
        "time_emb_proj.": "emb_layers.1.",
        "norm2.": "out_layers.0.",
        "conv2.": "out_layers.3.",
        "conv_shortcut.": "skip_connection.",
    }
    out = {}
    for key, value in sd.items():
        for old, new in renames.items():
            if key.startswith(old):
                rest = key[len(old) :]
                if ".resnets." in old:
                    for o, n in resnet_inner.items():
                        if rest.startswith(o):
                            rest = n + rest[len(o) :]
                            break
                out["model.diffusion_model." + new + rest] = value
                break
        else:
            raise KeyError(f"no LDM name for UNet key {key!r}")
    return out


def _vae_to_ldm(sd: dict, config: dict) -> dict:
    """Rename a diffusers AutoencoderKL state dict to the LDM (``first_stage_model.*``) layout."""
    n_up = len(config["up_block_types"])
    renames = {
        "encoder.conv_norm_out.": "encoder.norm_out.",
        "decoder.conv_norm_out.": "decoder.norm_out.",
    }
    for part in ("encoder", "decoder"):
        renames[f"{part}.mid_block.resnets.0."] = f"{part}.mid.block_1."
        renames[f"{part}.mid_block.resnets.1."] = f"{part}.mid.block_2."
        renames[f"{part}.mid_block.attentions.0."] = f"{part}.mid.attn_1."
    for i in range(len(config["down_block_types"])):
        renames[f"encoder.down_blocks.{i}.resnets."] = f"encoder.down.{i}.block."
        renames[f"encoder.down_blocks.{i}.downsamplers.0."] = f"encoder.down.{i}.downsample."
    for i in range(n_up):
        renames[f"decoder.up_blocks.{i}.resnets."] = f"decoder.up.{n_up - 1 - i}.block."
        renames[f"decoder.up_blocks.{i}.upsamplers.0."] = f"decoder.up.{n_up - 1 - i}.upsample."
    attn_inner = {
        "group_norm.": "norm.",
        "to_q.": "q.",
        "to_k.": "k.",
        "to_v.": "v.",
        "to_out.0.": "proj_out.",
    }
    out = {}
    for key, value in sd.items():
        new = key
        for old, repl in renames.items():
            if key.startswith(old):
                rest = key[len(old) :]
                if ".attn_1." in repl:
                    for o, n in attn_inner.items():
                        if rest.startswith(o):
                            rest = n + rest[len(o) :]
                            break
                    if value.ndim == 2:  # LDM stores the attention projections as 1x1 convs
                        value = value[:, :, None, None]
                new = repl + rest.replace("conv_shortcut.", "nin_shortcut.")
                break
        out["first_stage_model." + new] = value
    return out


def make_single_file(path: Path, base_dir: Path) -> Path:
    """Write the tiny SD 1.x pipeline at ``base_dir`` as one original-layout (LDM) ``.safetensors`` checkpoint
    (``model.diffusion_model.*``, ``first_stage_model.*``, ``cond_stage_model.transformer.text_model.*``).
    Load it with ``StableDiffusionPipeline.from_single_file(path, config=str(base_dir))``: the configs, scheduler
    and tokenizer come from ``base_dir``, the weights from ``path``."""
    import json

    from safetensors.torch import load_file, save_file

    path, base_dir = Path(path), Path(base_dir)
    unet_cfg = json.loads((base_dir / "unet" / "config.json").read_text())
    vae_cfg = json.loads((base_dir / "vae" / "config.json").read_text())
    state = {}
    state.update(_unet_to_ldm(load_file(base_dir / "unet" / "diffusion_pytorch_model.safetensors"), unet_cfg))
    state.update(_vae_to_ldm(load_file(base_dir / "vae" / "diffusion_pytorch_model.safetensors"), vae_cfg))
    for key, value in load_file(base_dir / "text_encoder" / "model.safetensors").items():
        key = (
            key if key.startswith("text_model.") else "text_model." + key
        )  # transformers >= 5.6 flattened CLIPTextModel
        state["cond_stage_model.transformer." + key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in sorted(state.items())}, str(path))
    return path
