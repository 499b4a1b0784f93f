#!/usr/bin/env python3
"""Independent check of `./rlhf logprobs` for Llama 3.1 rope scaling, Qwen3 and Mistral checkpoints.

For each family this writes a tiny Hugging Face checkpoint with random weights of its own (config.json, F32
model.safetensors written here, a tokenizer trained once by `./rlhf tokenizer train`), asks `./rlhf logprobs` for the
log-probs of a fixed id sequence, computes them again with the numpy forward below (float64, written from the
transformers modelling code: RMSNorm, rotate-half rotary with `_compute_llama3_parameters`, Qwen3 q/k norm before the
rotation, GQA, SwiGLU), and fails when they differ by more than --tolerance.

Needs numpy only. Usage, from the repository root:
    python3 bench/parity/logprobs_parity.py [--work /tmp/parity] [--tolerance 1e-4]
"""
import argparse
import json
import math
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np

VOCAB = 300
BASE = dict(vocab_size=VOCAB, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, rms_norm_eps=1e-6, max_position_embeddings=128, bos_token_id=0, eos_token_id=0)
FAMILIES = {
    "llama3": dict(BASE, architectures=["LlamaForCausalLM"], model_type="llama", head_dim=8, rope_theta=10000.0,
                   tie_word_embeddings=False,
                   rope_scaling=dict(rope_type="llama3", factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                                     original_max_position_embeddings=128)),
    "qwen3": dict(BASE, architectures=["Qwen3ForCausalLM"], model_type="qwen3", head_dim=16, rope_theta=1e6,
                  tie_word_embeddings=True, attention_bias=False),
    "mistral": dict(BASE, architectures=["MistralForCausalLM"], model_type="mistral", head_dim=8, rope_theta=1e6,
                    tie_word_embeddings=False, sliding_window=None),
}
IDS = [5, 17, 42, 9, 250, 3, 77, 123, 8, 199, 64, 1]


def shapes(c):
    d, e, h, k, f = c["hidden_size"], c["head_dim"], c["num_attention_heads"], c["num_key_value_heads"], \
        c["intermediate_size"]
    out = {"model.embed_tokens.weight": (c["vocab_size"], d), "model.norm.weight": (d,)}
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        out.update({p + "input_layernorm.weight": (d,), p + "post_attention_layernorm.weight": (d,),
                    p + "self_attn.q_proj.weight": (h * e, d), p + "self_attn.k_proj.weight": (k * e, d),
                    p + "self_attn.v_proj.weight": (k * e, d), p + "self_attn.o_proj.weight": (d, h * e),
                    p + "mlp.gate_proj.weight": (f, d), p + "mlp.up_proj.weight": (f, d),
                    p + "mlp.down_proj.weight": (d, f)})
        if c["model_type"] == "qwen3":
            out.update({p + "self_attn.q_norm.weight": (e,), p + "self_attn.k_norm.weight": (e,)})
    if not c["tie_word_embeddings"]:
        out["lm_head.weight"] = (c["vocab_size"], d)
    return out


def random_weights(c, seed):
    rng = np.random.default_rng(seed)
    return {name: (1 + 0.1 * rng.standard_normal(shape) if name.endswith("norm.weight")
                   else 0.2 * rng.standard_normal(shape)).astype(np.float32)
            for name, shape in shapes(c).items()}


def write_safetensors(path, tensors):
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name in sorted(tensors):
        size = tensors[name].nbytes
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + size]}
        offset += size
    raw = json.dumps(header).encode()
    raw += b" " * (-(8 + len(raw)) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(raw)) + raw)
        for name in sorted(tensors):
            out.write(tensors[name].astype("<f4").tobytes())


def inverse_frequencies(c):
    e = c["head_dim"]
    f = c["rope_theta"] ** (-np.arange(0, e, 2, dtype=np.float64) / e)
    s = c.get("rope_scaling")
    if s and s.get("rope_type", s.get("type")) == "llama3":
        original, low, high = s["original_max_position_embeddings"], s["low_freq_factor"], s["high_freq_factor"]
        wavelength = 2 * math.pi / f
        smooth = (original / wavelength - low) / (high - low)
        f = np.where(wavelength > original / low, f / s["factor"],
                     np.where(wavelength < original / high, f, (1 - smooth) * f / s["factor"] + smooth * f))
    return f


def rms_norm(x, w, eps):
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * w


def rotate(x, cos, sin):  # x (heads, T, E)
    half = x.shape[-1] // 2
    rotated = np.concatenate([-x[..., half:], x[..., :half]], -1)
    return x * cos + rotated * sin


def log_probs(c, w, ids):
    eps, e, h, k = c["rms_norm_eps"], c["head_dim"], c["num_attention_heads"], c["num_key_value_heads"]
    w = {n: v.astype(np.float64) for n, v in w.items()}
    t = len(ids)
    angles = np.arange(t)[:, None] * inverse_frequencies(c)[None, :]  # (T, E/2)
    cos, sin = np.cos(np.concatenate([angles, angles], -1)), np.sin(np.concatenate([angles, angles], -1))
    causal = np.triu(np.full((t, t), -np.inf), 1)
    x = w["model.embed_tokens.weight"][ids]  # (T, D)
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        a = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        q = (a @ w[p + "self_attn.q_proj.weight"].T).reshape(t, h, e).transpose(1, 0, 2)
        kk = (a @ w[p + "self_attn.k_proj.weight"].T).reshape(t, k, e).transpose(1, 0, 2)
        v = (a @ w[p + "self_attn.v_proj.weight"].T).reshape(t, k, e).transpose(1, 0, 2)
        if c["model_type"] == "qwen3":
            q, kk = rms_norm(q, w[p + "self_attn.q_norm.weight"], eps), rms_norm(kk, w[p + "self_attn.k_norm.weight"], eps)
        q, kk = rotate(q, cos, sin), rotate(kk, cos, sin)
        kk, v = np.repeat(kk, h // k, 0), np.repeat(v, h // k, 0)
        scores = q @ kk.transpose(0, 2, 1) / math.sqrt(e) + causal
        probs = np.exp(scores - scores.max(-1, keepdims=True))
        probs /= probs.sum(-1, keepdims=True)
        x = x + (probs @ v).transpose(1, 0, 2).reshape(t, h * e) @ w[p + "self_attn.o_proj.weight"].T
        m = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        gate = m @ w[p + "mlp.gate_proj.weight"].T
        x = x + (gate / (1 + np.exp(-gate)) * (m @ w[p + "mlp.up_proj.weight"].T)) @ w[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, w["model.norm.weight"], eps)
    logits = x @ w["model.embed_tokens.weight" if c["tie_word_embeddings"] else "lm_head.weight"].T
    logits -= logits.max(-1, keepdims=True)
    lsm = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    return np.array([lsm[i, ids[i + 1]] for i in range(t - 1)])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", default="/tmp/rlhf-parity")
    parser.add_argument("--rlhf", default="./rlhf")
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    tok = work / "tok"
    if not (tok / "tokenizer.json").exists():
        subprocess.run([args.rlhf, "tokenizer", "train", "--input", "data/tinyshakespeare.txt", "--vocab-size",
                        str(VOCAB), "--out", str(tok)], check=True, stdout=subprocess.DEVNULL)
    worst = 0.0
    for seed, (family, config) in enumerate(FAMILIES.items()):
        model = work / family
        model.mkdir(exist_ok=True)
        (model / "config.json").write_text(json.dumps(config, indent=2))
        weights = random_weights(config, seed)
        write_safetensors(model / "model.safetensors", weights)
        for name in ("tokenizer.json", "tokenizer_config.json"):
            if (tok / name).exists():
                shutil.copy(tok / name, model / name)
        run = subprocess.run([args.rlhf, "logprobs", "--model", str(model), "--ids", ",".join(map(str, IDS))],
                             check=True, capture_output=True, text=True)
        java = np.array(json.loads(run.stdout.strip().splitlines()[-1])["logprobs"])
        diff = float(np.abs(java - log_probs(config, weights, IDS)).max())
        worst = max(worst, diff)
        print(f"{family:8s} max |rlhf - numpy| log-prob {diff:.3g} over {len(java)} positions")
    sys.exit(0 if worst <= args.tolerance else 1)


if __name__ == "__main__":
    main()
