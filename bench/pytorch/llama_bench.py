"""PyTorch eager CPU baseline for the DJL Llama benchmark (cli/.../bench/ModelBenchmark.java).

A small Llama decoder written in plain PyTorch (no transformers), measured the same way as the Java
benchmark: training, forward-only and greedy decoding with and without a KV cache. Every figure is the
median of --runs timed runs after one warm-up run. See README.md for the command (OpenBLAS!).
"""
import argparse
import json
import os
import platform
import statistics
import time

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--runs", type=int, default=5)
# The shape of the measurement, named as in `./rlhf bench model`; the defaults are the published figures' (tiny
# values only check that the script runs end to end).
parser.add_argument("--batch", type=int, default=16)
parser.add_argument("--seq-len", type=int, default=128)
parser.add_argument("--train-steps", type=int, default=5)
parser.add_argument("--new-tokens", type=int, default=128)
args = parser.parse_args()
# OpenBLAS (pthread build) reads this once at load time; torch.set_num_threads does not reach it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

VOCAB, HIDDEN, INTER, LAYERS, HEADS, KV_HEADS = 8000, 256, 688, 4, 4, 4
BATCH, SEQ, TRAIN_STEPS, PROMPT_LEN, NEW_TOKENS = args.batch, args.seq_len, args.train_steps, 16, args.new_tokens
EPS, THETA, LR = 1e-5, 10000.0, 1e-4
HEAD_DIM = HIDDEN // HEADS


class RMSNorm(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + EPS) * self.weight


def rope(positions):
    """cos/sin tables (T, HEAD_DIM) for the Hugging Face rotate-half convention."""
    inv_freq = 1.0 / THETA ** (torch.arange(0, HEAD_DIM, 2, dtype=torch.float32) / HEAD_DIM)
    freqs = torch.outer(positions.float(), inv_freq)
    emb = torch.cat([freqs, freqs], dim=-1)
    return emb.cos(), emb.sin()


def rotate_half(x):
    x1, x2 = x[..., : HEAD_DIM // 2], x[..., HEAD_DIM // 2:]
    return torch.cat([-x2, x1], dim=-1)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q = nn.Linear(HIDDEN, HEADS * HEAD_DIM, bias=False)
        self.k = nn.Linear(HIDDEN, KV_HEADS * HEAD_DIM, bias=False)
        self.v = nn.Linear(HIDDEN, KV_HEADS * HEAD_DIM, bias=False)
        self.o = nn.Linear(HEADS * HEAD_DIM, HIDDEN, bias=False)

    def forward(self, x, cos, sin, mask, cache=None):
        b, t, _ = x.shape
        q = self.q(x).view(b, t, HEADS, HEAD_DIM).transpose(1, 2)      # (B, H, T, D)
        k = self.k(x).view(b, t, KV_HEADS, HEAD_DIM).transpose(1, 2)
        v = self.v(x).view(b, t, KV_HEADS, HEAD_DIM).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        if cache is not None:                                            # cache: dict for this layer
            if "k" in cache:
                k, v = torch.cat([cache["k"], k], dim=2), torch.cat([cache["v"], v], dim=2)
            cache["k"], cache["v"] = k, v
        if KV_HEADS != HEADS:                                            # grouped-query attention
            k = k.repeat_interleave(HEADS // KV_HEADS, dim=1)
            v = v.repeat_interleave(HEADS // KV_HEADS, dim=1)
        scores = q @ k.transpose(-2, -1) / HEAD_DIM ** 0.5 + mask       # (B, H, T, S)
        out = F.softmax(scores, dim=-1) @ v
        return self.o(out.transpose(1, 2).reshape(b, t, HEADS * HEAD_DIM))


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.gate = nn.Linear(HIDDEN, INTER, bias=False)
        self.up = nn.Linear(HIDDEN, INTER, bias=False)
        self.down = nn.Linear(INTER, HIDDEN, bias=False)

    def forward(self, x):
        return self.down(F.silu(self.gate(x)) * self.up(x))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn_norm, self.attn = RMSNorm(HIDDEN), Attention()
        self.mlp_norm, self.mlp = RMSNorm(HIDDEN), MLP()

    def forward(self, x, cos, sin, mask, cache=None):
        x = x + self.attn(self.attn_norm(x), cos, sin, mask, cache)
        return x + self.mlp(self.mlp_norm(x))


class Llama(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, HIDDEN)
        self.layers = nn.ModuleList(Block() for _ in range(LAYERS))
        self.norm = RMSNorm(HIDDEN)
        self.lm_head = nn.Linear(HIDDEN, VOCAB, bias=False)              # untied
        for p in self.parameters():
            if p.dim() == 2:
                nn.init.normal_(p, std=0.02)

    def forward(self, ids, caches=None):
        t = ids.shape[1]
        past = caches[0]["k"].shape[2] if caches and "k" in caches[0] else 0
        s = past + t
        cos, sin = rope(torch.arange(past, s))
        mask = torch.full((t, s), float("-inf")).triu(past + 1)         # additive causal mask (T, S)
        x = self.embed(ids)
        for i, layer in enumerate(self.layers):
            x = layer(x, cos, sin, mask, caches[i] if caches else None)
        return self.lm_head(self.norm(x))


def train(model, batch):
    opt = torch.optim.AdamW(model.parameters(), lr=LR)
    start = time.perf_counter()
    for _ in range(TRAIN_STEPS):
        logits = model(batch)
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, VOCAB), batch[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return TRAIN_STEPS * BATCH * SEQ / (time.perf_counter() - start)


@torch.no_grad()
def forward(model, batch):
    start = time.perf_counter()
    model(batch)
    return BATCH * SEQ / (time.perf_counter() - start)


@torch.no_grad()
def decode(model, kv_cache):
    """Prefill a 16-token prompt, then greedy tokens one at a time: NEW_TOKENS model calls in all."""
    seq = torch.tensor([[1 + (i * 37) % (VOCAB - 1) for i in range(PROMPT_LEN)]])  # as ModelBenchmark.java
    caches = [{} for _ in range(LAYERS)] if kv_cache else None
    start = time.perf_counter()
    logits = model(seq, caches)
    for step in range(NEW_TOKENS):
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        seq = torch.cat([seq, nxt], dim=1)
        if step == NEW_TOKENS - 1:
            break
        logits = model(nxt, caches) if kv_cache else model(seq)
    return NEW_TOKENS / (time.perf_counter() - start)


def busy_seconds():
    """(CPU seconds used by the whole machine, by this process) -- to spot other load during a measurement."""
    with open("/proc/stat") as f:
        user, nice, system, _idle, _iowait, irq, softirq = map(int, f.readline().split()[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK"), sum(os.times()[:2])


def measure(name, fn):
    fn()  # warm-up
    (all0, own0), wall0 = busy_seconds(), time.perf_counter()
    runs = [fn() for _ in range(args.runs)]
    (all1, own1), wall = busy_seconds(), time.perf_counter() - wall0
    others = max(0.0, (all1 - all0) - (own1 - own0)) / (wall * os.cpu_count())  # share of all cores
    return {"name": name, "median": statistics.median(runs), "runs": runs, "others_cpu": others}


def main():
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = Llama()
    batch = torch.randint(0, VOCAB, (BATCH, SEQ))
    print(f"torch {torch.__version__}, python {platform.python_version()}, threads {torch.get_num_threads()}, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}, "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '(unset)')}, "
          f"GLIBC_TUNABLES={os.environ.get('GLIBC_TUNABLES', '(unset: glibc defaults)')}, "
          f"batch {BATCH}x{SEQ}, "
          f"params {sum(p.numel() for p in model.parameters()):,}")
    model.train()
    results = [measure("train tokens/s", lambda: train(model, batch))]
    model.eval()
    results += [measure("forward tokens/s", lambda: forward(model, batch)),
                measure("decode tokens/s, KV cache", lambda: decode(model, True)),
                measure("decode tokens/s, no cache", lambda: decode(model, False))]
    print(f"{'benchmark':<28}{'median':>10}  {'others_cpu':>10}  runs")
    for r in results:
        print(f"{r['name']:<28}{r['median']:>10.1f}  {r['others_cpu']:>10.0%}  "
              + ", ".join(f"{v:.1f}" for v in r["runs"]))
    print(json.dumps({"torch": torch.__version__, "threads": args.threads, "runs": args.runs,
                      "glibc_tunables": os.environ.get("GLIBC_TUNABLES"), "batch": BATCH, "seq_len": SEQ,
                      "results": {r["name"]: {"median": round(r["median"], 2),
                                              "runs": [round(v, 2) for v in r["runs"]],
                                              "others_cpu": round(r["others_cpu"], 3)} for r in results}}))


if __name__ == "__main__":
    main()
