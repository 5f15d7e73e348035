#!/usr/bin/python3
"""Small random Hugging Face-style checkpoints with reference outputs, for Orbit's checkpoint tests.

Writes src/test/resources/checkpoints/<name>/ for LLaMA, Mistral, Qwen2, Qwen3, GPT-2 and BERT shapes:
config.json, the weights as safetensors (written by hand: no `safetensors` package on Debian), and
reference.json with the logits (and hidden states after every block) of this script's OWN plain-torch forward
for a fixed token sequence, in float64 and float32.

Independent checks, all enforced here (the script stops on failure):
- decoders: the HF forward (rotary pairs (k, k + hd/2), rotate_half) equals a Meta-style forward (pairs
  (2k, 2k + 1) as complex numbers) run on weights converted back with the inverse of HF's conversion permute;
  so the pairing is tied to HF's published conversion, not to this script's reading of it;
- GPT-2 (pre-norm) and BERT (post-norm) blocks equal torch.nn.TransformerEncoderLayer with the same weights;
- the interleaved (wrong) pairing changes the logits at every position after the first.

Run from the repository root:  /usr/bin/python3 scripts/make_checkpoints.py
Deterministic: fixed seeds, one thread; running it twice gives identical files.
"""
import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F

OUT = os.path.join("src", "test", "resources", "checkpoints")
TOKENS = [3, 17, 42, 5, 88, 64, 21]
DTYPE_NAMES = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
               torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
               torch.bool: "BOOL"}
# the reference implementation's dtype order (increasing alignment); its writer sorts by descending rank, then name
DTYPE_RANK = {"BOOL": 0, "U8": 1, "I8": 2, "I16": 5, "F16": 7, "BF16": 8, "I32": 9, "F32": 11, "F64": 12, "I64": 13}

torch.set_num_threads(1)


# ---------------------------------------------------------------------------------------------- safetensors I/O

def tensor_bytes(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16 or t.dtype == torch.float16:
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    if t.dtype == torch.bool:
        return t.to(torch.uint8).numpy().tobytes()
    return t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()


def safetensors_bytes(tensors, metadata):
    """The reference layout: sorted by dtype rank (descending) then name; compact JSON padded to 8 bytes."""
    names = sorted(tensors, key=lambda n: (-DTYPE_RANK[DTYPE_NAMES[tensors[n].dtype]], n.encode("utf-8")))
    header, data, offset = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for n in names:
        b = tensor_bytes(tensors[n])
        header[n] = {"dtype": DTYPE_NAMES[tensors[n].dtype], "shape": list(tensors[n].shape),
                     "data_offsets": [offset, offset + len(b)]}
        data.append(b)
        offset += len(b)
    js = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    js += b" " * ((8 - len(js) % 8) % 8)
    return struct.pack("<Q", len(js)) + js + b"".join(data)


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def save_checkpoint(folder, tensors, config, shards=1):
    os.makedirs(folder, exist_ok=True)
    for f in os.listdir(folder):
        os.remove(os.path.join(folder, f))
    write(os.path.join(folder, "config.json"), (json.dumps(config, indent=2, sort_keys=True) + "\n").encode())
    meta = {"format": "pt"}
    if shards == 1:
        write(os.path.join(folder, "model.safetensors"), safetensors_bytes(tensors, meta))
        return
    names = list(tensors)  # model order: embeddings and early layers first, as HF's sharding keeps it
    per = math.ceil(len(names) / shards)
    weight_map, total = {}, 0
    for s in range(shards):
        file = "model-%05d-of-%05d.safetensors" % (s + 1, shards)
        part = {n: tensors[n] for n in names[s * per:(s + 1) * per]}
        write(os.path.join(folder, file), safetensors_bytes(part, meta))
        for n, t in part.items():
            weight_map[n] = file
            total += t.numel() * t.element_size()
    index = {"metadata": {"total_size": total}, "weight_map": weight_map}
    write(os.path.join(folder, "model.safetensors.index.json"), (json.dumps(index, indent=2, sort_keys=True) + "\n").encode())


# ----------------------------------------------------------------------------------------------- random weights

class Init:
    def __init__(self, seed, dtype):
        self.g = torch.Generator().manual_seed(seed)
        self.dtype = dtype

    def normal(self, *shape, std=1.0, mean=0.0):
        return (torch.randn(*shape, generator=self.g, dtype=torch.float64) * std + mean).to(self.dtype)

    def linear(self, out, inp):
        return self.normal(out, inp, std=1.0 / math.sqrt(inp))

    def gain(self, n):
        return self.normal(n, std=0.1, mean=1.0)

    def bias(self, n):
        return self.normal(n, std=0.1)


# -------------------------------------------------------------------------------------------- LLaMA-style decoders

def decoder_checkpoint(c, seed, dtype):
    init = Init(seed, dtype)
    d, hd, h, kv, inter = c["hidden_size"], c["head_dim"], c["num_attention_heads"], c["num_key_value_heads"], c["intermediate_size"]
    qkv_bias = c["model_type"] == "qwen2"
    w = {"model.embed_tokens.weight": init.normal(c["vocab_size"], d)}
    for i in range(c["num_hidden_layers"]):
        p = "model.layers.%d." % i
        w[p + "input_layernorm.weight"] = init.gain(d)
        w[p + "self_attn.q_proj.weight"] = init.linear(h * hd, d)
        w[p + "self_attn.k_proj.weight"] = init.linear(kv * hd, d)
        w[p + "self_attn.v_proj.weight"] = init.linear(kv * hd, d)
        if qkv_bias:
            w[p + "self_attn.q_proj.bias"] = init.bias(h * hd)
            w[p + "self_attn.k_proj.bias"] = init.bias(kv * hd)
            w[p + "self_attn.v_proj.bias"] = init.bias(kv * hd)
        if c["model_type"] == "qwen3":
            w[p + "self_attn.q_norm.weight"] = init.gain(hd)
            w[p + "self_attn.k_norm.weight"] = init.gain(hd)
        w[p + "self_attn.o_proj.weight"] = init.linear(d, h * hd)
        w[p + "post_attention_layernorm.weight"] = init.gain(d)
        w[p + "mlp.gate_proj.weight"] = init.linear(inter, d)
        w[p + "mlp.up_proj.weight"] = init.linear(inter, d)
        w[p + "mlp.down_proj.weight"] = init.linear(d, inter)
    w["model.norm.weight"] = init.gain(d)
    if not c["tie_word_embeddings"]:
        w["lm_head.weight"] = init.linear(c["vocab_size"], d)
    return w


def rms_norm(x, g, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * g


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def rope_hf(x, theta):
    """x [heads, T, hd]; HF layout: dims k and k + hd/2 rotate together by angle pos * theta^(-2k/hd)."""
    hd, T = x.shape[-1], x.shape[-2]
    inv = 1.0 / theta ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd)
    ang = torch.outer(torch.arange(T, dtype=torch.float64), inv)
    emb = torch.cat((ang, ang), dim=-1).to(x.dtype)
    return x * emb.cos() + rotate_half(x) * emb.sin()


def rope_interleaved(x, theta):
    """Meta / GPT-J layout: dims 2k and 2k + 1 form the complex number rotated by pos * theta^(-2k/hd)."""
    hd, T = x.shape[-1], x.shape[-2]
    inv = 1.0 / theta ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd)
    ang = torch.outer(torch.arange(T, dtype=torch.float64), inv)
    rot = torch.polar(torch.ones_like(ang), ang)
    xc = torch.view_as_complex(x.to(torch.float64).reshape(*x.shape[:-1], hd // 2, 2).contiguous())
    return torch.view_as_real(xc * rot).flatten(-2).to(x.dtype)


def decoder_forward(c, w, dt, rope=rope_hf):
    """Logits [T, V] and the hidden states after the embedding and after every block."""
    W = {k: v.to(dt) for k, v in w.items()}
    d, hd, h, kv = c["hidden_size"], c["head_dim"], c["num_attention_heads"], c["num_key_value_heads"]
    eps, theta, T = c["rms_norm_eps"], c["rope_theta"], len(TOKENS)
    x = W["model.embed_tokens.weight"][torch.tensor(TOKENS)]
    hidden = [x]
    mask = torch.full((T, T), float("-inf"), dtype=dt).triu(1)
    for i in range(c["num_hidden_layers"]):
        p = "model.layers.%d." % i
        a = rms_norm(x, W[p + "input_layernorm.weight"], eps)
        q = a @ W[p + "self_attn.q_proj.weight"].T
        k = a @ W[p + "self_attn.k_proj.weight"].T
        v = a @ W[p + "self_attn.v_proj.weight"].T
        if p + "self_attn.q_proj.bias" in W:
            q, k, v = q + W[p + "self_attn.q_proj.bias"], k + W[p + "self_attn.k_proj.bias"], v + W[p + "self_attn.v_proj.bias"]
        q = q.view(T, h, hd).transpose(0, 1)
        k = k.view(T, kv, hd).transpose(0, 1)
        v = v.view(T, kv, hd).transpose(0, 1)
        if p + "self_attn.q_norm.weight" in W:
            q = rms_norm(q, W[p + "self_attn.q_norm.weight"], eps)
            k = rms_norm(k, W[p + "self_attn.k_norm.weight"], eps)
        q, k = rope(q, theta), rope(k, theta)
        k = k.repeat_interleave(h // kv, dim=0)  # query head j reads kv head j // (h / kv)
        v = v.repeat_interleave(h // kv, dim=0)
        att = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(hd) + mask, dim=-1)
        o = (att @ v).transpose(0, 1).reshape(T, h * hd)
        x = x + o @ W[p + "self_attn.o_proj.weight"].T
        m = rms_norm(x, W[p + "post_attention_layernorm.weight"], eps)
        m = (F.silu(m @ W[p + "mlp.gate_proj.weight"].T) * (m @ W[p + "mlp.up_proj.weight"].T)) @ W[p + "mlp.down_proj.weight"].T
        x = x + m
        hidden.append(x)
    x = rms_norm(x, W["model.norm.weight"], eps)
    head = W["model.embed_tokens.weight"] if c["tie_word_embeddings"] else W["lm_head.weight"]
    return x @ head.T, hidden


def hf_to_meta(c, w):
    """Inverse of HF's conversion permute (view(n, hd/2, 2, d).transpose(1, 2)) on q/k rows and per-head vectors."""
    hd = c["head_dim"]

    def unpermute(t, n):
        rest = t.shape[1:]
        return t.reshape(n, 2, hd // 2, *rest).transpose(1, 2).reshape(n * hd, *rest)

    out = dict(w)
    for i in range(c["num_hidden_layers"]):
        p = "model.layers.%d.self_attn." % i
        for name, n in (("q_proj", c["num_attention_heads"]), ("k_proj", c["num_key_value_heads"])):
            out[p + name + ".weight"] = unpermute(w[p + name + ".weight"], n)
            if p + name + ".bias" in w:
                out[p + name + ".bias"] = unpermute(w[p + name + ".bias"], n)
        for name in ("q_norm", "k_norm"):
            if p + name + ".weight" in w:
                out[p + name + ".weight"] = unpermute(w[p + name + ".weight"], 1)
    return out


# ---------------------------------------------------------------------------------------------------- GPT-2

def gpt2_checkpoint(c, seed, dtype):
    init = Init(seed, dtype)
    d, inner, n_pos = c["n_embd"], c["n_inner"], c["n_positions"]
    w = {"wte.weight": init.normal(c["vocab_size"], d), "wpe.weight": init.normal(n_pos, d, std=0.5)}
    for i in range(c["n_layer"]):
        p = "h.%d." % i
        w[p + "ln_1.weight"], w[p + "ln_1.bias"] = init.gain(d), init.bias(d)
        w[p + "attn.c_attn.weight"] = init.linear(3 * d, d).T.contiguous()  # Conv1D: [in, out]
        w[p + "attn.c_attn.bias"] = init.bias(3 * d)
        w[p + "attn.c_proj.weight"] = init.linear(d, d).T.contiguous()
        w[p + "attn.c_proj.bias"] = init.bias(d)
        w[p + "ln_2.weight"], w[p + "ln_2.bias"] = init.gain(d), init.bias(d)
        w[p + "mlp.c_fc.weight"] = init.linear(inner, d).T.contiguous()
        w[p + "mlp.c_fc.bias"] = init.bias(inner)
        w[p + "mlp.c_proj.weight"] = init.linear(d, inner).T.contiguous()
        w[p + "mlp.c_proj.bias"] = init.bias(d)
        # the causal-mask buffer the original GPT-2 files carry (not a parameter)
        w[p + "attn.bias"] = torch.tril(torch.ones(n_pos, n_pos)).view(1, 1, n_pos, n_pos).to(dtype)
    w["ln_f.weight"], w["ln_f.bias"] = init.gain(d), init.bias(d)
    return w


def gpt2_forward(c, w, dt):
    W = {k: v.to(dt) for k, v in w.items()}
    d, h, eps, T = c["n_embd"], c["n_head"], c["layer_norm_epsilon"], len(TOKENS)
    hd = d // h
    x = W["wte.weight"][torch.tensor(TOKENS)] + W["wpe.weight"][:T]
    hidden = [x]
    mask = torch.full((T, T), float("-inf"), dtype=dt).triu(1)
    for i in range(c["n_layer"]):
        p = "h.%d." % i
        a = F.layer_norm(x, (d,), W[p + "ln_1.weight"], W[p + "ln_1.bias"], eps)
        qkv = a @ W[p + "attn.c_attn.weight"] + W[p + "attn.c_attn.bias"]
        q, k, v = (t.view(T, h, hd).transpose(0, 1) for t in qkv.split(d, dim=-1))
        att = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(hd) + mask, dim=-1)
        o = (att @ v).transpose(0, 1).reshape(T, d)
        x = x + o @ W[p + "attn.c_proj.weight"] + W[p + "attn.c_proj.bias"]
        m = F.layer_norm(x, (d,), W[p + "ln_2.weight"], W[p + "ln_2.bias"], eps)
        m = F.gelu(m @ W[p + "mlp.c_fc.weight"] + W[p + "mlp.c_fc.bias"], approximate="tanh")
        x = x + m @ W[p + "mlp.c_proj.weight"] + W[p + "mlp.c_proj.bias"]
        hidden.append(x)
    x = F.layer_norm(x, (d,), W["ln_f.weight"], W["ln_f.bias"], eps)
    return x @ W["wte.weight"].T, hidden


def gpt2_check_with_nn(c, w):
    """Each block against torch.nn.TransformerEncoderLayer (norm_first, tanh-GELU, causal mask)."""
    W = {k: v.to(torch.float64) for k, v in w.items()}
    d, T = c["n_embd"], len(TOKENS)
    _, hidden = gpt2_forward(c, w, torch.float64)
    mask = torch.full((T, T), float("-inf"), dtype=torch.float64).triu(1)
    for i in range(c["n_layer"]):
        p = "h.%d." % i
        layer = torch.nn.TransformerEncoderLayer(d, c["n_head"], c["n_inner"], dropout=0.0,
                                                 activation=lambda t: F.gelu(t, approximate="tanh"),
                                                 layer_norm_eps=c["layer_norm_epsilon"], batch_first=True,
                                                 norm_first=True).double().eval()
        with torch.no_grad():
            layer.self_attn.in_proj_weight.copy_(W[p + "attn.c_attn.weight"].T)
            layer.self_attn.in_proj_bias.copy_(W[p + "attn.c_attn.bias"])
            layer.self_attn.out_proj.weight.copy_(W[p + "attn.c_proj.weight"].T)
            layer.self_attn.out_proj.bias.copy_(W[p + "attn.c_proj.bias"])
            layer.linear1.weight.copy_(W[p + "mlp.c_fc.weight"].T)
            layer.linear1.bias.copy_(W[p + "mlp.c_fc.bias"])
            layer.linear2.weight.copy_(W[p + "mlp.c_proj.weight"].T)
            layer.linear2.bias.copy_(W[p + "mlp.c_proj.bias"])
            layer.norm1.weight.copy_(W[p + "ln_1.weight"]); layer.norm1.bias.copy_(W[p + "ln_1.bias"])
            layer.norm2.weight.copy_(W[p + "ln_2.weight"]); layer.norm2.bias.copy_(W[p + "ln_2.bias"])
        out = layer(hidden[i].unsqueeze(0), src_mask=mask)[0].detach()
        check(f"GPT-2 block {i} vs nn.TransformerEncoderLayer", out, hidden[i + 1], 1e-12)


# ------------------------------------------------------------------------------------------------------ BERT

def bert_checkpoint(c, seed, dtype):
    init = Init(seed, dtype)
    d, inter, V = c["hidden_size"], c["intermediate_size"], c["vocab_size"]
    e = "bert.embeddings."
    w = {e + "word_embeddings.weight": init.normal(V, d),
         e + "position_embeddings.weight": init.normal(c["max_position_embeddings"], d, std=0.5),
         e + "token_type_embeddings.weight": init.normal(c["type_vocab_size"], d, std=0.5),
         e + "LayerNorm.weight": init.gain(d), e + "LayerNorm.bias": init.bias(d),
         # a buffer older BERT files carry (not a parameter)
         e + "position_ids": torch.arange(c["max_position_embeddings"], dtype=torch.int64).view(1, -1)}
    for i in range(c["num_hidden_layers"]):
        p = "bert.encoder.layer.%d." % i
        for n in ("query", "key", "value"):
            w[p + "attention.self." + n + ".weight"] = init.linear(d, d)
            w[p + "attention.self." + n + ".bias"] = init.bias(d)
        w[p + "attention.output.dense.weight"], w[p + "attention.output.dense.bias"] = init.linear(d, d), init.bias(d)
        w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"] = init.gain(d), init.bias(d)
        w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"] = init.linear(inter, d), init.bias(inter)
        w[p + "output.dense.weight"], w[p + "output.dense.bias"] = init.linear(d, inter), init.bias(d)
        w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"] = init.gain(d), init.bias(d)
    t = "cls.predictions.transform."
    w[t + "dense.weight"], w[t + "dense.bias"] = init.linear(d, d), init.bias(d)
    w[t + "LayerNorm.weight"], w[t + "LayerNorm.bias"] = init.gain(d), init.bias(d)
    w["cls.predictions.bias"] = init.bias(V)  # decoder weight tied to the word embeddings: not stored
    return w


def bert_forward(c, w, dt):
    W = {k: (v.to(dt) if v.is_floating_point() else v) for k, v in w.items()}
    d, h, eps, T = c["hidden_size"], c["num_attention_heads"], c["layer_norm_eps"], len(TOKENS)
    hd = d // h
    e = "bert.embeddings."
    x = W[e + "word_embeddings.weight"][torch.tensor(TOKENS)] + W[e + "position_embeddings.weight"][:T] \
        + W[e + "token_type_embeddings.weight"][0]
    x = F.layer_norm(x, (d,), W[e + "LayerNorm.weight"], W[e + "LayerNorm.bias"], eps)
    hidden = [x]
    for i in range(c["num_hidden_layers"]):
        p = "bert.encoder.layer.%d." % i
        q, k, v = (x @ W[p + "attention.self." + n + ".weight"].T + W[p + "attention.self." + n + ".bias"]
                   for n in ("query", "key", "value"))
        q, k, v = (t.view(T, h, hd).transpose(0, 1) for t in (q, k, v))
        att = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(hd), dim=-1)
        o = (att @ v).transpose(0, 1).reshape(T, d)
        o = o @ W[p + "attention.output.dense.weight"].T + W[p + "attention.output.dense.bias"]
        x = F.layer_norm(x + o, (d,), W[p + "attention.output.LayerNorm.weight"], W[p + "attention.output.LayerNorm.bias"], eps)
        m = F.gelu(x @ W[p + "intermediate.dense.weight"].T + W[p + "intermediate.dense.bias"])
        m = m @ W[p + "output.dense.weight"].T + W[p + "output.dense.bias"]
        x = F.layer_norm(x + m, (d,), W[p + "output.LayerNorm.weight"], W[p + "output.LayerNorm.bias"], eps)
        hidden.append(x)
    t = "cls.predictions.transform."
    y = F.gelu(x @ W[t + "dense.weight"].T + W[t + "dense.bias"])
    y = F.layer_norm(y, (d,), W[t + "LayerNorm.weight"], W[t + "LayerNorm.bias"], eps)
    return y @ W[e + "word_embeddings.weight"].T + W["cls.predictions.bias"], hidden


def bert_check_with_nn(c, w):
    """Each block against torch.nn.TransformerEncoderLayer (post-norm, erf-GELU, no mask)."""
    W = {k: v.to(torch.float64) for k, v in w.items() if v.is_floating_point()}
    d = c["hidden_size"]
    _, hidden = bert_forward(c, w, torch.float64)
    for i in range(c["num_hidden_layers"]):
        p = "bert.encoder.layer.%d." % i
        layer = torch.nn.TransformerEncoderLayer(d, c["num_attention_heads"], c["intermediate_size"], dropout=0.0,
                                                 activation="gelu", layer_norm_eps=c["layer_norm_eps"],
                                                 batch_first=True, norm_first=False).double().eval()
        s = p + "attention.self."
        with torch.no_grad():
            layer.self_attn.in_proj_weight.copy_(torch.cat([W[s + n + ".weight"] for n in ("query", "key", "value")]))
            layer.self_attn.in_proj_bias.copy_(torch.cat([W[s + n + ".bias"] for n in ("query", "key", "value")]))
            layer.self_attn.out_proj.weight.copy_(W[p + "attention.output.dense.weight"])
            layer.self_attn.out_proj.bias.copy_(W[p + "attention.output.dense.bias"])
            layer.linear1.weight.copy_(W[p + "intermediate.dense.weight"]); layer.linear1.bias.copy_(W[p + "intermediate.dense.bias"])
            layer.linear2.weight.copy_(W[p + "output.dense.weight"]); layer.linear2.bias.copy_(W[p + "output.dense.bias"])
            layer.norm1.weight.copy_(W[p + "attention.output.LayerNorm.weight"]); layer.norm1.bias.copy_(W[p + "attention.output.LayerNorm.bias"])
            layer.norm2.weight.copy_(W[p + "output.LayerNorm.weight"]); layer.norm2.bias.copy_(W[p + "output.LayerNorm.bias"])
        # grad enabled: keeps torch 1.13 off the fused inference fast path
        out = layer(hidden[i].unsqueeze(0))[0].detach()
        check(f"BERT block {i} vs nn.TransformerEncoderLayer", out, hidden[i + 1], 1e-12)


# ------------------------------------------------------------------------------------------------------ driver

def check(what, a, b, tol):
    err = ((a - b).abs().max() / b.abs().max()).item()
    if not err <= tol:
        sys.exit(f"FAILED: {what}: relative error {err:.3e} > {tol:g}")
    print(f"  ok  {what}: {err:.1e}")


def rows(t):
    return [[float(v) for v in row] for row in t.tolist()]


def save_reference(folder, family, dtype_name, forward, note):
    logits64, hidden64 = forward(torch.float64)
    logits32, _ = forward(torch.float32)
    ref = {
        "family": family,
        "dtype": dtype_name,
        "tokens": TOKENS,
        "description": note,
        "logits": rows(logits64),
        "logits_float32": rows(logits32.to(torch.float64)),
        "hidden_states": [rows(hs) for hs in hidden64],
    }
    with open(os.path.join(folder, "reference.json"), "w") as f:
        json.dump(ref, f, separators=(",", ":"))
        f.write("\n")
    return logits64


def decoder_config(model_type, arch, **kw):
    c = {"model_type": model_type, "architectures": [arch], "hidden_size": 64, "intermediate_size": 96,
         "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16,
         "vocab_size": 96, "max_position_embeddings": 64, "rms_norm_eps": 1e-6, "rope_theta": 10000.0,
         "hidden_act": "silu", "tie_word_embeddings": False, "rope_scaling": None, "torch_dtype": "float32"}
    c.update(kw)
    return c


def make_decoder(name, c, seed, dtype, shards=1):
    folder = os.path.join(OUT, name)
    w = decoder_checkpoint(c, seed, dtype)
    stored = {k: v for k, v in w.items()}
    save_checkpoint(folder, stored, c, shards)
    logits, _ = decoder_forward(c, w, torch.float64)
    meta_logits, _ = decoder_forward(c, hf_to_meta(c, w), torch.float64, rope=rope_interleaved)
    check(f"{name}: HF rotate_half forward vs Meta complex forward on unpermuted weights", meta_logits, logits, 1e-12)
    wrong, _ = decoder_forward(c, w, torch.float64, rope=rope_interleaved)
    check(f"{name}: wrong pairing agrees at position 0", wrong[0:1], logits[0:1], 1e-12)
    diff = ((wrong[1:] - logits[1:]).abs().amax(dim=-1) / logits[1:].abs().amax(dim=-1)).min().item()
    if not diff > 1e-3:
        sys.exit(f"FAILED: {name}: the interleaved pairing is not distinguishable (min relative change {diff:.2e})")
    print(f"  ok  {name}: interleaved pairing changes every later position (min relative change {diff:.2e})")
    save_reference(folder, c["model_type"], DTYPE_NAMES[dtype], lambda dt: decoder_forward(c, w, dt),
                   f"{c['model_type']} decoder, {DTYPE_NAMES[dtype]} weights; logits of make_checkpoints.py's own torch forward")


def make_gpt2():
    c = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "n_embd": 64, "n_layer": 2, "n_head": 4,
         "n_inner": 128, "n_positions": 32, "n_ctx": 32, "vocab_size": 96, "layer_norm_epsilon": 1e-5,
         "activation_function": "gelu_new", "scale_attn_weights": True, "tie_word_embeddings": True,
         "torch_dtype": "float32"}
    folder = os.path.join(OUT, "gpt2")
    w = gpt2_checkpoint(c, 4, torch.float32)
    save_checkpoint(folder, w, c)
    gpt2_check_with_nn(c, w)
    save_reference(folder, "gpt2", "F32", lambda dt: gpt2_forward(c, w, dt),
                   "GPT-2, original naming (no transformer. prefix, attn.bias buffers), tied head; make_checkpoints.py's own torch forward")


def make_bert():
    c = {"model_type": "bert", "architectures": ["BertForMaskedLM"], "hidden_size": 64, "num_hidden_layers": 2,
         "num_attention_heads": 4, "intermediate_size": 128, "hidden_act": "gelu", "max_position_embeddings": 32,
         "type_vocab_size": 2, "vocab_size": 96, "layer_norm_eps": 1e-12, "position_embedding_type": "absolute",
         "tie_word_embeddings": True, "torch_dtype": "float32"}
    folder = os.path.join(OUT, "bert")
    w = bert_checkpoint(c, 5, torch.float32)
    save_checkpoint(folder, w, c)
    bert_check_with_nn(c, w)
    save_reference(folder, "bert", "F32", lambda dt: bert_forward(c, w, dt),
                   "BERT masked LM (post-norm, token type 0), decoder tied to the word embeddings; make_checkpoints.py's own torch forward")


def main():
    os.makedirs(OUT, exist_ok=True)
    make_decoder("llama", decoder_config("llama", "LlamaForCausalLM"), 0, torch.float32)
    make_decoder("mistral", decoder_config("mistral", "MistralForCausalLM", num_key_value_heads=1, rope_theta=1e6,
                                           sliding_window=4096, torch_dtype="bfloat16"), 1, torch.bfloat16, shards=2)
    make_decoder("qwen2", decoder_config("qwen2", "Qwen2ForCausalLM", tie_word_embeddings=True, rope_theta=1e6,
                                         use_sliding_window=False), 2, torch.float32)
    make_decoder("qwen3", decoder_config("qwen3", "Qwen3ForCausalLM", head_dim=32, tie_word_embeddings=True,
                                         attention_bias=False, rope_theta=1e6, torch_dtype="float16"), 3, torch.float16)
    make_gpt2()
    make_bert()
    total = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(OUT) for f in fs)
    print(f"checkpoints: {total} bytes")
    if total > 2_000_000:
        sys.exit("FAILED: checkpoints exceed 2 MB")


if __name__ == "__main__":
    main()
