#!/usr/bin/env python3
"""A LLaMA-3-8B-shaped checkpoint with random bf16 weights, for bench/checkpoint-8b.sh (never for tests).

Writes config.json, model.safetensors.index.json and N shards (model-0000i-of-0000N.safetensors) in Hugging Face's
layout, tensor by tensor, without torch or the safetensors package (numpy only: the format is an 8-byte header
length, a JSON header padded with spaces to a multiple of 8, then the raw little-endian data). Weights are
N(0, 0.02²) rounded to bf16 (norm gains 1): a 256 MB pool of such values is drawn once and every tensor is cut from
it at a random offset (drawing 8 billion normals afresh takes ~20 minutes on a loaded 2-core machine; a benchmark of
byte throughput does not need them distinct).

usage: make_random_llama.py OUT_DIR [--layers 32] [--shards 4] [--seed 0]
"""
import argparse
import json
import os
import struct

import numpy as np

D, INTER, HEADS, KV, HD, VOCAB = 4096, 14336, 32, 8, 128, 128256


def tensors(layers):
    yield "model.embed_tokens.weight", (VOCAB, D)
    for i in range(layers):
        p = f"model.layers.{i}."
        yield p + "input_layernorm.weight", (D,)
        yield p + "self_attn.q_proj.weight", (HEADS * HD, D)
        yield p + "self_attn.k_proj.weight", (KV * HD, D)
        yield p + "self_attn.v_proj.weight", (KV * HD, D)
        yield p + "self_attn.o_proj.weight", (D, HEADS * HD)
        yield p + "post_attention_layernorm.weight", (D,)
        yield p + "mlp.gate_proj.weight", (INTER, D)
        yield p + "mlp.up_proj.weight", (INTER, D)
        yield p + "mlp.down_proj.weight", (D, INTER)
    yield "model.norm.weight", (D,)
    yield "lm_head.weight", (VOCAB, D)


POOL = 128 << 20  # elements (256 MB of bf16)


def pool(rng):
    x = rng.standard_normal(POOL, dtype=np.float32) * np.float32(0.02)
    bits = x.view(np.uint32)
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16  # round to nearest even, as torch does
    return bits.astype("<u2")


def write_bf16(f, shape, rng, values, norm):
    n = int(np.prod(shape))
    if norm:
        f.write(np.full(n, 0x3F80, dtype="<u2").tobytes())  # bf16 1.0
        return
    step = 32 << 20
    for at in range(0, n, step):
        k = min(step, n - at)
        start = int(rng.integers(0, POOL - k + 1))
        f.write(values[start:start + k].tobytes())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--layers", type=int, default=32)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=False)
    all_tensors = list(tensors(a.layers))
    total = sum(2 * int(np.prod(s)) for _, s in all_tensors)
    # fill shards in order up to total/shards bytes each (transformers' max_shard_size splitting)
    shards, cur, cur_bytes = [], [], 0
    for name, shape in all_tensors:
        b = 2 * int(np.prod(shape))
        if cur and cur_bytes + b > total / a.shards and len(shards) < a.shards - 1:
            shards.append(cur)
            cur, cur_bytes = [], 0
        cur.append((name, shape))
        cur_bytes += b
    shards.append(cur)
    rng = np.random.default_rng(a.seed)
    values = pool(rng)
    weight_map = {}
    for k, shard in enumerate(shards):
        fname = f"model-{k + 1:05d}-of-{len(shards):05d}.safetensors"
        header, offset = {"__metadata__": {"format": "pt"}}, 0
        for name, shape in shard:
            b = 2 * int(np.prod(shape))
            header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + b]}
            offset += b
            weight_map[name] = fname
        h = json.dumps(header, separators=(",", ":")).encode()
        h += b" " * (-len(h) % 8)
        with open(os.path.join(a.out, fname), "wb") as f:
            f.write(struct.pack("<Q", len(h)))
            f.write(h)
            for name, shape in shard:
                write_bf16(f, shape, rng, values, name.endswith("norm.weight"))
        print(f"{fname}: {len(shard)} tensors, {offset / 1e9:.2f} GB", flush=True)
    with open(os.path.join(a.out, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2, sort_keys=True)
        f.write("\n")
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": D, "intermediate_size": INTER,
              "num_hidden_layers": a.layers, "num_attention_heads": HEADS, "num_key_value_heads": KV, "head_dim": HD,
              "vocab_size": VOCAB, "rms_norm_eps": 1e-5, "rope_theta": 500000.0, "tie_word_embeddings": False,
              "hidden_act": "silu", "max_position_embeddings": 8192, "torch_dtype": "bfloat16"}
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
