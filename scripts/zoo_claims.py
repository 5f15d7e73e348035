"""Numerical checks of the least obvious claims in the zoo's ground truth (docs/ZOO.md), on the torch models.

Each check moves the weights of a copy of the model by a group element the expectation declares, and
compares outputs; where the expectation says a larger group is NOT a symmetry, it checks that moving by such
an element changes the outputs. make_zoo.py runs them and stops if one fails.
"""

import copy

import torch

EXACT, BROKEN = 1e-5, 1e-4  # relative output change: float32 rounding of a move (~1e-7) vs. a changed function


def rel_change(model, moved, x):
    with torch.no_grad():
        y, z = model(x), moved(x)
    return float((y - z).abs().max() / y.abs().max())


def rope_block(dh, rng, commuting):
    """A random invertible map on one head's channels: a*I + b*J on every rotary pair (i, i + dh/2) when
    `commuting`, otherwise a generic well-conditioned matrix."""
    if not commuting:
        q, _ = torch.linalg.qr(torch.randn(dh, dh, generator=rng, dtype=torch.float64))
        return q @ torch.diag(torch.exp(torch.rand(dh, generator=rng, dtype=torch.float64) - 0.5))
    a = torch.zeros(dh, dh, dtype=torch.float64)
    half = dh // 2
    for i in range(half):
        r, s = float(torch.rand(1, generator=rng)) + 0.5, float(torch.randn(1, generator=rng))
        a[i, i], a[i + half, i + half] = r, r
        a[i, i + half], a[i + half, i] = s, -s
    return a


def move_llama_qk(model, commuting, seed=0):
    """q -> q A_j for every query head reading kv head j, k_j -> k_j A_j^{-T} (layer 0)."""
    m = copy.deepcopy(model)
    blk = m.layers[0]
    rng = torch.Generator().manual_seed(seed)
    dh, rep = blk.dh, blk.h // blk.kv
    with torch.no_grad():
        wq, wk = blk.wq.weight.double(), blk.wk.weight.double()  # [out, in]: rows are channels
        for j in range(blk.kv):
            a = rope_block(dh, rng, commuting)
            kj = slice(j * dh, (j + 1) * dh)
            wk[kj] = torch.linalg.inv(a) @ wk[kj]  # k A^{-T}: rows of W_k times A^{-1}
            for h in range(j * rep, (j + 1) * rep):
                qh = slice(h * dh, (h + 1) * dh)
                wq[qh] = a.T @ wq[qh]  # q A: rows of W_q times A^T
        blk.wq.weight.copy_(wq.float())
        blk.wk.weight.copy_(wk.float())
    return m


def move_llama_vo(model, seed=1):
    """v_j -> v_j B_j, and the output columns of every query head reading kv head j times B_j^{-T} (layer 0)."""
    m = copy.deepcopy(model)
    blk = m.layers[0]
    rng = torch.Generator().manual_seed(seed)
    dh, rep = blk.dh, blk.h // blk.kv
    with torch.no_grad():
        wv, wo = blk.wv.weight.double(), blk.wo.weight.double()
        for j in range(blk.kv):
            b = rope_block(dh, rng, commuting=False)
            vj = slice(j * dh, (j + 1) * dh)
            wv[vj] = b.T @ wv[vj]
            for h in range(j * rep, (j + 1) * rep):
                oh = slice(h * dh, (h + 1) * dh)
                wo[:, oh] = wo[:, oh] @ torch.linalg.inv(b).T
        blk.wv.weight.copy_(wv.float())
        blk.wo.weight.copy_(wo.float())
    return m


def move_swin_heads(model, with_bias_table, seed=2):
    """Permute the heads of the first Swin block: q, k, v rows of the fused qkv (and bias), proj's input columns,
    and (when asked) the relative position bias table's head column."""
    m = copy.deepcopy(model)
    attn = m.features[1][0].attn
    h, c = attn.num_heads, attn.qkv.in_features
    dh = c // h
    perm = torch.randperm(h, generator=torch.Generator().manual_seed(seed))
    while bool((perm == torch.arange(h)).all()):
        perm = perm.roll(1)
    idx = torch.cat([perm[i] * dh + torch.arange(dh) for i in range(h)])
    with torch.no_grad():
        rows = torch.cat([idx + s * c for s in range(3)])
        attn.qkv.weight.copy_(attn.qkv.weight[rows])
        attn.qkv.bias.copy_(attn.qkv.bias[rows])
        attn.proj.weight.copy_(attn.proj.weight[:, idx])
        if with_bias_table:
            attn.relative_position_bias_table.copy_(attn.relative_position_bias_table[:, perm])
    return m


def check(name, model, x):
    results = []
    if name == "llama":
        results += [("RoPE-commuting A = aI + bJ per rotary pair, shared by a key head's query heads", move_llama_qk(model, True), True),
                    ("generic GL(16) on q/k (ignores RoPE)", move_llama_qk(model, False), False),
                    ("GL(16) per key/value head on v and the output columns of its query heads", move_llama_vo(model), True)]
    if name == "swin_t":
        results += [("head permutation with the relative position bias table permuted", move_swin_heads(model, True), True),
                    ("head permutation leaving the bias table in place", move_swin_heads(model, False), False)]
    for what, moved, exact in results:
        err = rel_change(model, moved, x)
        ok = err <= EXACT if exact else err >= BROKEN
        print("  claim %-90s %s: relative output change %.1e" % (what, "exact" if exact else "breaks", err))
        assert ok, "%s: the ground truth's claim '%s' does not hold (%.2e)" % (name, what, err)
