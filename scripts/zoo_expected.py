"""Ground truth for the zoo: the symmetry group of every model, written by hand.

Nothing here analyses an ONNX graph. Each `spec_*` function states, architecture by architecture, the
neuron spaces, their groups and the matrix groups that the per-op rules of ARCHITECTURE.md generate
(docs/ZOO.md gives the reasoning). The only thing read from the exported file is the *name* and *axis* under
which each torch parameter landed there: the exporter renames transposed and BatchNorm-folded weights
(`onnx::MatMul_123`), so `Resolver` finds them by value and takes the axis from the op that consumes them.

Output: one `<file>.expected.json` per ONNX file (format "orbit-zoo-expected/1"):
  spaces[]         name, size, writers[] (the parameter axes that are covariant in the space: the
                   producing weight's output axis, norm gains after the norm, additive constants),
                   readers[] (the next weights' input axes), perm_class (spaces with the same class
                   share one permutation), permutation FULL | HEADS | NONE, scaling POSITIVE | NONZERO |
                   NONE, reason (why restricted), rule_limited (where the exact group is larger than the
                   rules give), output (network outputs: fixed, not hidden).
  matrix_groups[]  QUERY_KEY / VALUE_OUTPUT pairs (left/right parameter axes, heads, kv_heads,
                   head_dim, group GL | ROPE_COMMUTANT, dimension) and STREAM residual streams
                   (writers, size, rotatable as the file is, rotatable_after_folding, dimension).
  totals           hidden_channels, permutable_channels, head_permutable_channels, scalable_channels,
                   matrix_channels, matrix_dimension, covered_channels, coverage.
Every parameter axis is {"parameter", "axis", "offset", "size", "source"}; `source` names the torch
parameter it came from (informative only).
"""

from collections import defaultdict

import numpy as np
from onnx import numpy_helper

FULL, HEADS, NONE_PERM = "FULL", "HEADS", "NONE"
POS, NZ, NONE = "POSITIVE", "NONZERO", "NONE"

LN_REASON = "read by a LayerNorm: only permutations pass a norm (epsilon is fixed, so no common scale is exact)"
RMS_REASON = "read by an RMSNorm: only permutations pass a norm (epsilon is fixed, so no common scale is exact)"
GATE_REASON = ("squeeze-excitation gate: the gate keeps its scale (ARCHITECTURE: a per-channel gate x*g shares "
               "x's permutation but forbids scaling of g)")
GATE_LIMIT = ("the exact group is larger: g's pre-activation could scale with the tau*sigma(x/tau) rewrite and "
              "its factor move into the product x*g, which is a new tensor")
QKV_REASON = ("inside attention: q, k and v channels move only with their partner (per-head GL(d) on the "
              "query-key and value-output pairs); whole heads permute together")


# ---------------------------------------------------------------------------------------
# Where each torch parameter landed in the ONNX file
# ---------------------------------------------------------------------------------------

class Resolver:
    WEIGHT_OPS = ("Conv", "ConvTranspose", "Gemm", "MatMul")

    def __init__(self, onnx_model, torch_model=None):
        g = onnx_model.graph
        self.arrays = {t.name: numpy_helper.to_array(t) for t in g.initializer}
        for n in g.node:
            if n.op_type == "Constant":
                for a in n.attribute:
                    if a.name == "value":
                        self.arrays[n.output[0]] = numpy_helper.to_array(a.t)
        self.consumers = defaultdict(list)
        for n in g.node:
            for i, name in enumerate(n.input):
                self.consumers[name].append((n, i))
        self.state = None
        if torch_model is not None:
            self.state = {k: v.detach().numpy() for k, v in torch_model.state_dict().items()}
        self.cache = {}

    def onnx_name(self, source):
        """The ONNX tensor that holds torch parameter `source` (as is, transposed or BatchNorm-folded)."""
        if self.state is None:
            if source not in self.arrays:
                raise KeyError("no tensor %r in the graph" % source)
            return source
        if source in self.cache:
            return self.cache[source]
        t = self.state[source]
        found = None
        if source in self.arrays and self.arrays[source].shape == t.shape and np.array_equal(self.arrays[source], t):
            found = source
        for name, a in self.arrays.items():
            if found:
                break
            if a.dtype != t.dtype or a.size != t.size:
                continue
            if a.shape == t.shape and np.array_equal(a, t):
                found = name
            elif t.ndim == 2 and a.shape == t.T.shape and np.array_equal(a, t.T):
                found = name
            elif t.ndim == 4 and a.shape == t.shape and self.rows_proportional(a, t):
                found = name  # Conv weight with a BatchNorm folded in: each output row times gamma/sigma
        if found is None:
            raise KeyError("torch parameter %r not found in the ONNX file" % source)
        self.cache[source] = found
        return found

    @staticmethod
    def rows_proportional(a, t):
        a, t = a.reshape(a.shape[0], -1).astype(np.float64), t.reshape(t.shape[0], -1).astype(np.float64)
        if np.any(np.abs(t) < 1e-12):
            return False
        r = a / t
        med = np.median(r, axis=1, keepdims=True)
        return bool(np.all(np.abs(r - med) <= 1e-4 * np.abs(med) + 1e-12))

    def weight_node(self, name):
        for node, i in self.consumers.get(name, []):
            if node.op_type in self.WEIGHT_OPS and i == 1:
                return node
        return None

    def axis(self, name, side):
        """Output ("out") or input ("in") channel axis of a weight; for other tensors the caller's axis."""
        node = self.weight_node(name)
        ndim = self.arrays[name].ndim
        attrs = {a.name: a for a in node.attribute} if node is not None else {}
        if node is None:
            raise KeyError("%s is not the weight of a Conv/ConvTranspose/Gemm/MatMul; give its axis" % name)
        if node.op_type == "Conv":
            group = attrs["group"].i if "group" in attrs else 1
            return 0 if side == "out" or group > 1 else 1
        if node.op_type == "ConvTranspose":
            return 1 if side == "out" else 0
        if node.op_type == "Gemm":
            trans_b = attrs["transB"].i if "transB" in attrs else 0
            return (0 if trans_b else 1) if side == "out" else (1 if trans_b else 0)
        return ndim - 1 if side == "out" else ndim - 2  # MatMul x·W

    def ref(self, source, side, offset=0, size=None, axis=None):
        name = self.onnx_name(source)
        if axis is None:
            shape = self.arrays[name].shape
            if self.weight_node(name) is not None:
                axis = self.axis(name, side)
            else:
                big = [i for i, d in enumerate(shape) if d > 1]
                axis = big[-1] if big else len(shape) - 1
        length = self.arrays[name].shape[axis]
        size = length - offset if size is None else size
        return {"parameter": name, "axis": axis, "offset": offset, "size": size, "source": source}


# ---------------------------------------------------------------------------------------
# The spec being written
# ---------------------------------------------------------------------------------------

class Space:
    def __init__(self, spec, name, size, perm, scaling, perm_class, reason, heads, head_dim, rule_limited, output):
        self.spec, self.name, self.size = spec, name, size
        self.perm, self.scaling, self.perm_class = perm, scaling, perm_class or name
        self.reason, self.heads, self.head_dim, self.rule_limited, self.output = reason, heads, head_dim, rule_limited, output
        self.writers, self.readers, self.permuted = [], [], []

    def w(self, source, offset=0, size=None, axis=None):
        self.writers.append(self.spec.resolver.ref(source, "out", offset, size, axis))
        return self

    def r(self, source, offset=0, size=None, axis=None):
        self.readers.append(self.spec.resolver.ref(source, "in", offset, size, axis))
        return self

    def p(self, source, offset=0, size=None, axis=None):
        """A per-channel parameter applied inside the space (a layer scale): it permutes with the space; which
        factor it carries is a free choice (the producer's weight can carry it instead), so no role is expected."""
        self.permuted.append(self.spec.resolver.ref(source, "out", offset, size, axis))
        return self

    def json(self):
        out = {"name": self.name, "size": self.size, "writers": self.writers, "readers": self.readers,
               "perm_class": self.perm_class, "permutation": self.perm, "scaling": self.scaling}
        if self.permuted:
            out["permuted"] = self.permuted
        if self.heads:
            out["heads"], out["head_dim"] = self.heads, self.head_dim
        if self.reason:
            out["reason"] = self.reason
        if self.rule_limited:
            out["rule_limited"] = self.rule_limited
        if self.output:
            out["output"] = True
        return out


class Spec:
    def __init__(self, resolver):
        self.resolver = resolver
        self.spaces, self.groups = [], []

    def space(self, name, size, perm=FULL, scaling=NZ, cls=None, reason=None, heads=None, head_dim=None,
              rule_limited=None, output=False):
        s = Space(self, name, size, perm, scaling, cls, reason, heads, head_dim, rule_limited, output)
        self.spaces.append(s)
        return s

    def output(self, name, size, source, **kw):
        return self.space(name, size, NONE_PERM, NONE, reason="network output is fixed", output=True).w(source, **kw)

    def heads(self, name, size, heads, head_dim, cls, scaling_reason=QKV_REASON):
        return self.space(name, size, HEADS, NONE, cls=cls, reason=scaling_reason, heads=heads, head_dim=head_dim)

    def pair(self, kind, left, right, heads, head_dim, group="GL", kv_heads=None, score_bias=None, note=None):
        groups_of = kv_heads or heads
        dim = groups_of * (head_dim if group == "ROPE_COMMUTANT" else head_dim * head_dim)
        g = {"kind": kind, "left": left, "right": right, "heads": heads, "head_dim": head_dim, "group": group,
             "dimension": dim}
        if kv_heads:
            g["kv_heads"] = kv_heads
        if score_bias:
            g["score_bias"] = score_bias
        if note:
            g["note"] = note
        self.groups.append(g)

    def qk(self, q, k, **kw):
        self.pair("QUERY_KEY", q.writers, k.writers, q.heads, q.head_dim, **kw)

    def vo(self, v, out_readers, heads, **kw):
        self.pair("VALUE_OUTPUT", v.writers, out_readers, heads, v.head_dim, **kw)

    def stream(self, space, rotatable, after_folding, reason):
        d = space.size
        self.groups.append({"kind": "STREAM", "name": space.name, "size": d, "writers": space.writers,
                            "rotatable": rotatable, "rotatable_after_folding": after_folding,
                            "dimension": d * (d - 1) // 2 if after_folding else 0, "reason": reason})

    def totals(self):
        hidden = [s for s in self.spaces if not s.output]
        matrix_sources = set()
        for g in self.groups:
            if g["kind"] in ("QUERY_KEY", "VALUE_OUTPUT") or g["rotatable_after_folding"]:
                for ref in g.get("left", []) + g.get("right", []) + g.get("writers", []):
                    matrix_sources.add((ref["parameter"], ref["axis"], ref["offset"]))
        in_matrix = lambda s: any((w["parameter"], w["axis"], w["offset"]) in matrix_sources for w in s.writers)
        t = {"hidden_channels": sum(s.size for s in hidden),
             "permutable_channels": sum(s.size for s in hidden if s.perm == FULL),
             "head_permutable_channels": sum(s.size for s in hidden if s.perm == HEADS),
             "scalable_channels": sum(s.size for s in hidden if s.scaling != NONE),
             "matrix_channels": sum(s.size for s in hidden if in_matrix(s)),
             "matrix_dimension": sum(g["dimension"] for g in self.groups),
             "covered_channels": sum(s.size for s in hidden
                                     if s.perm != NONE_PERM or s.scaling != NONE or in_matrix(s))}
        t["coverage"] = round(t["covered_channels"] / t["hidden_channels"], 4) if t["hidden_channels"] else 0.0
        return t

    def json(self, model, file):
        return {"format": "orbit-zoo-expected/1", "model": model, "file": file,
                "derivation": "written by hand in scripts/zoo_expected.py from the per-op rules of "
                              "ARCHITECTURE.md; reasoning in docs/ZOO.md",
                "spaces": [s.json() for s in self.spaces], "matrix_groups": self.groups, "totals": self.totals()}


# ---------------------------------------------------------------------------------------
# CNNs
# ---------------------------------------------------------------------------------------

def spec_resnet18(S, m):
    widths = [m.layer1[0].conv1.out_channels, m.layer2[0].conv1.out_channels,
              m.layer3[0].conv1.out_channels, m.layer4[0].conv1.out_channels]
    stream = S.space("stage 1 stream: stem conv1 (through ReLU and MaxPool) + layer1.*.conv2 (identity skips)",
                     widths[0], scaling=POS, reason="MaxPool after the stem: a negative factor turns max into min")
    stream.w("conv1.weight")
    for i, width in enumerate(widths, start=1):
        layer = getattr(m, "layer%d" % i)
        if i > 1:
            stream.r("layer%d.0.conv1.weight" % i).r("layer%d.0.downsample.0.weight" % i)
            stream = S.space("stage %d stream: layer%d.0.downsample + layer%d.*.conv2 outputs (Add, ReLU)" % (i, i, i),
                             width)
            stream.w("layer%d.0.downsample.0.weight" % i)
        for b in range(len(layer)):
            p = "layer%d.%d" % (i, b)
            stream.w(p + ".conv2.weight")
            if i == 1 or b > 0:
                stream.r(p + ".conv1.weight")
            S.space(p + ".conv1 output channels (BN folded, ReLU)", width).w(p + ".conv1.weight").r(p + ".conv2.weight")
    stream.r("fc.weight")
    S.output("fc output (logits)", 10, "fc.weight")


def _cna(seq):
    """(conv, activation module or None) of a torchvision Conv2dNormActivation."""
    mods = list(seq.children())
    return mods[0], (mods[2] if len(mods) > 2 else None)


def _act_name(act):
    return "linear (no activation)" if act is None else type(act).__name__


def spec_inverted_residual_net(S, m, name):
    """MobileNetV3 and EfficientNet: expand 1x1, depthwise kxk, squeeze-excitation, project 1x1, residual Add."""
    feats = list(m.features.named_children())
    stem_conv, stem_act = _cna(m.features[0])
    cur = S.space("stem conv output (%s)" % _act_name(stem_act), stem_conv.out_channels).w("features.0.0.weight")
    blocks = []
    for idx, mod in feats[1:-1]:
        if hasattr(mod, "block"):
            blocks.append(("features.%s" % idx, mod))
        else:
            blocks += [("features.%s.%s" % (idx, j), b) for j, b in mod.named_children()]
    for prefix, blk in blocks:
        x_in = cur
        parts = list(blk.block.named_children())
        src = x_in
        k = 0
        first_conv, first_act = _cna(parts[0][1])
        if first_conv.groups == 1 and len(parts) > 1 and not hasattr(parts[0][1], "fc1"):
            e = S.space("%s expand 1x1 output (%s)" % (prefix, _act_name(first_act)), first_conv.out_channels)
            e.w("%s.block.0.0.weight" % prefix)
            x_in.r("%s.block.0.0.weight" % prefix)
            src, k = e, 1
        dw_conv, dw_act = _cna(parts[k][1])
        dw_name = "%s.block.%d.0.weight" % (prefix, k)
        src.r(dw_name)
        d = S.space("%s depthwise %dx%d output (%s; permutation shared with its input)"
                    % (prefix, dw_conv.kernel_size[0], dw_conv.kernel_size[1], _act_name(dw_act)),
                    dw_conv.out_channels, cls=src.perm_class).w(dw_name)
        k += 1
        if hasattr(parts[k][1], "fc1"):
            se = parts[k][1]
            sp = "%s.block.%d" % (prefix, k)
            f1 = S.space("%s squeeze-excitation fc1 output (%s)" % (prefix, type(se.activation).__name__),
                         se.fc1.out_channels).w(sp + ".fc1.weight").r(sp + ".fc2.weight")
            d.r(sp + ".fc1.weight")
            S.space("%s squeeze-excitation gate: fc2 output (%s), multiplies the depthwise output"
                    % (prefix, type(se.scale_activation).__name__), se.fc2.out_channels, scaling=NONE,
                    cls=d.perm_class, reason=GATE_REASON, rule_limited=GATE_LIMIT).w(sp + ".fc2.weight")
            k += 1
        proj = "%s.block.%d.0.weight" % (prefix, k)
        d.r(proj)
        if blk.use_res_connect:
            x_in.w(proj)
            x_in.name += " + %s project (residual Add)" % prefix
            cur = x_in
        else:
            cur = S.space("%s project 1x1 output (BN, no activation)" % prefix,
                          _cna(parts[k][1])[0].out_channels).w(proj)
    last_idx = feats[-1][0]
    last_conv, last_act = _cna(m.features[-1])
    cur.r("features.%s.0.weight" % last_idx)
    last = S.space("last 1x1 conv output (%s), global average pool" % _act_name(last_act),
                   last_conv.out_channels).w("features.%s.0.weight" % last_idx)
    linears = [(i, c) for i, c in m.classifier.named_children() if type(c).__name__ == "Linear"]
    for (i, lin), nxt in zip(linears, linears[1:] + [None]):
        last.r("classifier.%s.weight" % i)
        if nxt is None:
            S.output("classifier output (logits)", lin.out_features, "classifier.%s.weight" % i)
        else:
            act = m.classifier[int(i) + 1]
            last = S.space("classifier.%s output (%s)" % (i, type(act).__name__), lin.out_features)
            last.w("classifier.%s.weight" % i)


def spec_convnext(S, m):
    f = m.features
    C = f[0][0].out_channels
    stage = "stage 1"
    S.space("stem 4x4 conv output (before the stem LayerNorm2d)", C, scaling=NONE, cls=stage,
            reason=LN_REASON).w("features.0.0.weight")
    stream = S.space("stage 1 stream: stem LayerNorm2d output + layer-scaled block outputs", C, scaling=NONE,
                     cls=stage, reason=LN_REASON + " (every block's LayerNorm reads it after a depthwise conv, and "
                     "the downsample LayerNorm reads it directly)")
    stream.w("features.0.1.weight").w("features.0.1.bias")
    streams = [stream]
    idx = 1
    for s in range(4):
        for j, blk in enumerate(f[idx]):
            p = "features.%d.%d" % (idx, j)
            stream.r(p + ".block.0.weight")
            S.space(p + " depthwise 7x7 output (before the block LayerNorm; permutation shared with the stream)", C,
                    scaling=NONE, cls=stage, reason=LN_REASON).w(p + ".block.0.weight")
            ln = S.space(p + " LayerNorm output (after the gain)", C, cls=stage)
            ln.w(p + ".block.2.weight").w(p + ".block.2.bias").r(p + ".block.3.weight")
            S.space(p + " pwconv1 output (GELU)", 4 * C).w(p + ".block.3.weight").r(p + ".block.5.weight")
            stream.w(p + ".block.5.weight").p(p + ".layer_scale", axis=0)
        idx += 1
        if s == 3:
            break
        ds = "features.%d" % idx
        S.space("%s downsample LayerNorm2d output (after the gain)" % ds, C, cls=stage).w(ds + ".0.weight") \
            .w(ds + ".0.bias").r(ds + ".1.weight")
        C = f[idx][1].out_channels
        stage = "stage %d" % (s + 2)
        stream = S.space("%s stream: downsample conv output + layer-scaled block outputs" % stage, C, scaling=NONE,
                         cls=stage, reason=LN_REASON)
        stream.w(ds + ".1.weight")
        streams.append(stream)
        idx += 1
    S.space("classifier LayerNorm2d output (after the gain; global average pool before it)", C, cls=stage) \
        .w("classifier.0.weight").w("classifier.0.bias").r("classifier.2.weight")
    S.output("classifier output (logits)", 10, "classifier.2.weight")
    for st in streams:
        S.stream(st, False, False, "read by depthwise convolutions (per-channel kernels do not commute with a "
                                   "rotation) before every block LayerNorm, and by LayerNorms directly")


# ---------------------------------------------------------------------------------------
# Transformers
# ---------------------------------------------------------------------------------------

def _attention(S, prefix, ln_space, q_src, k_src, v_src, out_weight, d, heads, kv_heads=None, rope=False,
               score_bias=None, fused=None):
    """q, k, v head spaces, their pairs, and the output projection reading v's merged heads.

    q_src/k_src/v_src: (source, offset) of the projection weights; fused: one weight for all three."""
    dh = d // heads
    kvh = kv_heads or heads
    cls = prefix + " heads"
    q = S.heads(prefix + " query (%d heads of %d%s)" % (heads, dh, ", rotary" if rope else ""), heads * dh, heads, dh, cls)
    k = S.heads(prefix + " key (%d heads of %d%s)" % (kvh, dh, ", rotary" if rope else ""), kvh * dh, kvh, dh, cls)
    v = S.heads(prefix + " value (%d heads of %d)" % (kvh, dh), kvh * dh, kvh, dh, cls)
    for sp, (src, off) in ((q, q_src), (k, k_src), (v, v_src)):
        sp.w(src, offset=off, size=sp.size)
        if fused is None:
            ln_space.r(src)
    if fused is not None:
        ln_space.r(fused)
    v.r(out_weight)
    group = "ROPE_COMMUTANT" if rope else "GL"
    note = None
    if rope:
        note = ("rotary embeddings in the rotate-half form pair channel i with i + d/2 (same frequency): only maps "
                "commuting with every position's rotation keep q.k, i.e. a*I + b*J on each pair (2 real "
                "dimensions per pair), shared by the query heads of one key head")
    S.qk(q, k, group=group, kv_heads=kv_heads, score_bias=score_bias, note=note)
    vo_note = ("grouped-query attention: one B per key/value head, its inverse applied to the output rows of every "
               "query head that reads it") if kv_heads else None
    S.vo(v, [S.resolver.ref(out_weight, "in")], heads, kv_heads=kv_heads, note=vo_note)
    return q, k, v


def spec_vit(S, m):
    d = m.hidden_dim
    layers = list(m.encoder.layers)
    stream = S.space("residual stream: patch-embedding conv, class token, position embedding, out_proj and mlp.3 "
                     "outputs", d, scaling=NONE, cls="stream", reason=LN_REASON)
    stream.w("conv_proj.weight").w("class_token", axis=2).w("encoder.pos_embedding", axis=2)
    for i, layer in enumerate(layers):
        p = "encoder.layers.encoder_layer_%d" % i
        ln1 = S.space(p + ".ln_1 output (after the gain)", d, cls="stream").w(p + ".ln_1.weight").w(p + ".ln_1.bias")
        w_in = p + ".self_attention.in_proj_weight"
        _attention(S, p, ln1, (w_in, 0), (w_in, d), (w_in, 2 * d), p + ".self_attention.out_proj.weight", d,
                   layer.num_heads, fused=w_in)
        stream.w(p + ".self_attention.out_proj.weight")
        ln2 = S.space(p + ".ln_2 output (after the gain)", d, cls="stream").w(p + ".ln_2.weight").w(p + ".ln_2.bias")
        ln2.r(p + ".mlp.0.weight")
        S.space(p + ".mlp.0 output (GELU)", layer.mlp[0].out_features).w(p + ".mlp.0.weight").r(p + ".mlp.3.weight")
        stream.w(p + ".mlp.3.weight")
    S.space("encoder.ln output (after the gain), class token taken", d, cls="stream") \
        .w("encoder.ln.weight").w("encoder.ln.bias").r("heads.head.weight")
    S.output("head output (logits)", 10, "heads.head.weight")
    S.stream(stream, False, True, "as the file is: LayerNorm gains and mean subtraction block it; after folding "
                                  "the gains into in_proj, mlp.0 and the head and centring the writers, every "
                                  "reader is a gain-free RMSNorm and every writer linear")


def _relative_position_bias(resolver, attn, prefix):
    """The per-head score bias a head permutation must permute: the exporter folds the table gather into a
    [1, heads, N, N] constant; if it did not, the table itself (axis 1 = heads)."""
    folded = attn.get_relative_position_bias().detach().numpy()
    for name, a in resolver.arrays.items():
        if a.shape == folded.shape and np.array_equal(a, folded):
            return {"parameter": name, "axis": 1, "offset": 0, "size": attn.num_heads,
                    "source": prefix + ".attn.relative_position_bias_table (gathered and folded)"}
    ref = resolver.ref(prefix + ".attn.relative_position_bias_table", "out", axis=1)
    return ref


def spec_swin(S, m, resolver):
    feats = m.features
    C = feats[0][0].out_channels
    S.space("patch-embedding conv output (before its LayerNorm)", C, scaling=NONE, cls="stage 1",
            reason=LN_REASON).w("features.0.0.weight")
    stream = S.space("stage 1 stream: patch-embedding LayerNorm output + proj and mlp.3 outputs", C, scaling=NONE,
                     cls="stage 1", reason=LN_REASON).w("features.0.2.weight").w("features.0.2.bias")
    streams = [(stream, False, "its first writer is the patch-embedding LayerNorm: the normalised values "
                               "(gain included) are the stream, so no rotation can be absorbed (as post-norm)")]
    cls = "stage 1"
    for si, idx in enumerate((1, 3)):
        for j, blk in enumerate(feats[idx]):
            p = "features.%d.%d" % (idx, j)
            n1 = S.space(p + ".norm1 output (after the gain; padded, rolled, partitioned into windows)", C, cls=cls)
            n1.w(p + ".norm1.weight").w(p + ".norm1.bias")
            w = p + ".attn.qkv.weight"
            _attention(S, p, n1, (w, 0), (w, C), (w, 2 * C), p + ".attn.proj.weight", C, blk.attn.num_heads, fused=w,
                       score_bias=[_relative_position_bias(resolver, blk.attn, p)])
            stream.w(p + ".attn.proj.weight")
            n2 = S.space(p + ".norm2 output (after the gain)", C, cls=cls).w(p + ".norm2.weight").w(p + ".norm2.bias")
            n2.r(p + ".mlp.0.weight")
            S.space(p + ".mlp.0 output (GELU)", 4 * C).w(p + ".mlp.0.weight").r(p + ".mlp.3.weight")
            stream.w(p + ".mlp.3.weight")
        if si == 0:
            pm = "features.2"
            S.space("PatchMerging LayerNorm output over the 4C concat of strided slices (after the gain; its "
                    "permutation is the stage-1 permutation repeated on each of the 4 slices)", 4 * C, cls=cls) \
                .w(pm + ".norm.weight").w(pm + ".norm.bias").r(pm + ".reduction.weight")
            C *= 2
            cls = "stage 2"
            stream = S.space("stage 2 stream: PatchMerging reduction output + proj and mlp.3 outputs", C,
                             scaling=NONE, cls=cls, reason=LN_REASON).w(pm + ".reduction.weight")
            streams.append((stream, True, "as the file is: LayerNorm gains and mean subtraction block it; after "
                                          "folding (the Pad nodes pad by 0 here: 8x8 tokens, window 4) every "
                                          "reader is a gain-free RMSNorm and every writer linear"))
    S.space("final norm output (after the gain), permuted to NCHW and average-pooled", C, cls=cls) \
        .w("norm.weight").w("norm.bias").r("head.weight")
    S.output("head output (logits)", 10, "head.weight")
    for st, after, why in streams:
        S.stream(st, False, after, why)


def spec_bert(S, m):
    d = 64
    cls = "stream"
    pre = S.space("embedding sum before the embedding LayerNorm: word_embeddings + position_embeddings", d,
                  scaling=NONE, cls=cls, reason=LN_REASON)
    pre.w("word_embeddings.weight").w("position_embeddings", axis=1)
    prev_ln = "embed_norm"
    for i, layer in enumerate(m.layers):
        p = "layers.%d" % i
        a = S.space("%s attention residual before attn_norm: %s output (gain, bias) + attn_out" % (p, prev_ln), d,
                    scaling=NONE, cls=cls, reason=LN_REASON)
        a.w(prev_ln + ".weight").w(prev_ln + ".bias").w(p + ".attn_out.weight")
        _attention(S, p, a, (p + ".query.weight", 0), (p + ".key.weight", 0), (p + ".value.weight", 0),
                   p + ".attn_out.weight", d, layer.h)
        f = S.space("%s FFN residual before out_norm: attn_norm output (gain, bias) + output" % p, d, scaling=NONE,
                    cls=cls, reason=LN_REASON)
        f.w(p + ".attn_norm.weight").w(p + ".attn_norm.bias").w(p + ".output.weight").r(p + ".intermediate.weight")
        S.space(p + ".intermediate output (GELU)", layer.intermediate.out_features).w(p + ".intermediate.weight") \
            .r(p + ".output.weight")
        prev_ln = p + ".out_norm"
    S.space("last out_norm output (after the gain), token 0 taken", d, cls=cls) \
        .w(prev_ln + ".weight").w(prev_ln + ".bias").r("pooler.weight")
    S.space("pooler output (Tanh)", d).w("pooler.weight").r("classifier.weight")
    S.output("classifier output (logits)", 10, "classifier.weight")
    S.stream(pre, False, False, "post-norm: the normalised values (gain included) are the stream, so the gains "
                                "cannot move into the readers and no rotation is exact")


def spec_gpt2(S, m):
    d = 64
    stream = S.space("residual stream: wte, wpe, c_proj and mlp_proj outputs", d, scaling=NONE, cls="stream",
                     reason=LN_REASON)
    stream.w("wte.weight").w("wpe", axis=1)
    for i, blk in enumerate(m.h):
        p = "h.%d" % i
        ln1 = S.space(p + ".ln_1 output (after the gain)", d, cls="stream").w(p + ".ln_1.weight").w(p + ".ln_1.bias")
        w = p + ".c_attn.weight"
        _attention(S, p, ln1, (w, 0), (w, d), (w, 2 * d), p + ".c_proj.weight", d, blk.h, fused=w)
        stream.w(p + ".c_proj.weight")
        ln2 = S.space(p + ".ln_2 output (after the gain)", d, cls="stream").w(p + ".ln_2.weight").w(p + ".ln_2.bias")
        ln2.r(p + ".c_fc.weight")
        S.space(p + ".c_fc output (tanh-GELU)", blk.c_fc.out_features).w(p + ".c_fc.weight").r(p + ".mlp_proj.weight")
        stream.w(p + ".mlp_proj.weight")
    S.space("ln_f output (after the gain)", d, cls="stream").w("ln_f.weight").w("ln_f.bias").r("lm_head.weight")
    S.output("lm_head output (logits)", 10, "lm_head.weight")
    S.stream(stream, False, True, "as the file is: LayerNorm gains and mean subtraction block it; after folding "
                                  "the gains into c_attn, c_fc and lm_head and centring the writers (wte, wpe, "
                                  "c_proj, mlp_proj), every reader is a gain-free RMSNorm")


def spec_llama(S, m):
    d = 64
    stream = S.space("residual stream: tok_embeddings, wo and w2 outputs", d, scaling=NONE, cls="stream",
                     reason=RMS_REASON)
    stream.w("tok_embeddings.weight")
    for i, blk in enumerate(m.layers):
        p = "layers.%d" % i
        an = S.space(p + ".attention_norm output (after the gain)", d, cls="stream").w(p + ".attention_norm.weight")
        _attention(S, p, an, (p + ".wq.weight", 0), (p + ".wk.weight", 0), (p + ".wv.weight", 0), p + ".wo.weight", d,
                   blk.h, kv_heads=blk.kv, rope=True)
        stream.w(p + ".wo.weight")
        fn = S.space(p + ".ffn_norm output (after the gain)", d, cls="stream").w(p + ".ffn_norm.weight")
        fn.r(p + ".w1.weight").r(p + ".w3.weight")
        ff = blk.w1.out_features
        S.space(p + ".w1 output (SiLU gate of SwiGLU)", ff, scaling=NONE, cls=p + " ffn",
                reason="SwiGLU gate silu(w1 x) multiplies w3 x: it shares w3's permutation and keeps its scale "
                       "(the squeeze-excitation gate rule)",
                rule_limited="the exact group is larger: silu(w1 x) could scale with the tau*sigma(x/tau) rewrite, "
                             "w2's columns absorbing both factors").w(p + ".w1.weight")
        S.space(p + ".w3 output (linear side of SwiGLU)", ff, cls=p + " ffn").w(p + ".w3.weight").r(p + ".w2.weight")
        stream.w(p + ".w2.weight")
    S.space("final norm output (after the gain)", d, cls="stream").w("norm.weight").r("output.weight")
    S.output("output (logits)", 10, "output.weight")
    S.stream(stream, False, True, "as the file is: RMSNorm gains block it; after folding them into wq/wk/wv, "
                                  "w1/w3 and output every reader is a gain-free RMSNorm and every writer linear")


# ---------------------------------------------------------------------------------------
# Hand-built
# ---------------------------------------------------------------------------------------

def spec_mlp_layernorm(S, m):
    S.space("fc1 output (before the LayerNorm)", 32, scaling=NONE, cls="ln", reason=LN_REASON).w("0.weight")
    S.space("LayerNorm output (after the gain), ReLU", 32, cls="ln").w("1.weight").w("1.bias").r("3.weight")
    S.output("fc2 output", 10, "3.weight")


def spec_tf_cnn(S, m):
    p = "model/"
    S.space("conv2d output (NHWC; BN as Mul/Add; Max(LeakyRelu(x), -0.5))", 8) \
        .w(p + "conv2d/Conv2D/ReadVariableOp:0").w(p + "batch_normalization/add:0") \
        .r(p + "conv2d_1/Conv2D/ReadVariableOp:0")
    S.space("conv2d_1 output (NHWC; BN as Mul/Add; Min(Max(x, 0), 6))", 16) \
        .w(p + "conv2d_1/Conv2D/ReadVariableOp:0").w(p + "batch_normalization_1/add:0") \
        .r(p + "conv2d_2/Conv2D/ReadVariableOp:0")
    S.space("conv2d_2 output (NHWC; Relu; ReduceMean over H, W)", 24) \
        .w(p + "conv2d_2/Conv2D/ReadVariableOp:0").r(p + "dense/MatMul/ReadVariableOp:0")
    S.output("dense output (logits)", 10, p + "dense/MatMul/ReadVariableOp:0")


def spec_paddle_attention(S, m):
    d, h = 32, 4
    s0 = S.space("embedding + attention output (residual) before layer_norm_0", d, scaling=NONE, cls="stream",
                 reason=LN_REASON).w("linear_0.w_0").w("linear_2.w_0")
    _attention(S, "attention", s0, ("linear_1.w_0", 0), ("linear_1.w_0", d), ("linear_1.w_0", 2 * d), "linear_2.w_0",
               d, h, fused="linear_1.w_0")
    s1 = S.space("layer_norm_0 output (gain, bias) + MLP output (residual) before layer_norm_1", d, scaling=NONE,
                 cls="stream", reason=LN_REASON).w("layer_norm_0.w_0").w("layer_norm_0.b_0").w("linear_4.w_0")
    s1.r("linear_3.w_0")
    S.space("linear_3 output (GELU, Erf form)", 64).w("linear_3.w_0").r("linear_4.w_0")
    S.space("layer_norm_1 output (after the gain), mean over tokens", d, cls="stream") \
        .w("layer_norm_1.w_0").w("layer_norm_1.b_0").r("linear_5.w_0")
    S.output("linear_5 output (logits)", 10, "linear_5.w_0")
    S.stream(s0, False, False, "post-norm: the normalised values (gain included) are the stream")


def spec_detector(S, m):
    S.space("backbone.conv0 output (BN, Hardswish as x*HardSigmoid(x))", 16).w("backbone.conv0.conv.weight") \
        .r("backbone.dw1.conv.weight")
    S.space("backbone.dw1 depthwise output (BN, Relu; permutation shared with conv0)", 16,
            cls="backbone.conv0 output (BN, Hardswish as x*HardSigmoid(x))").w("backbone.dw1.conv.weight") \
        .r("backbone.pw1.conv.weight")
    S.space("backbone.pw1 output (BN with running_var ~3.6e7, no activation)", 24).w("backbone.pw1.conv.weight") \
        .r("head.conv.conv.weight")
    S.space("head.conv output (BN, Relu)", 16).w("head.conv.conv.weight").r("head.up.conv.weight")
    S.space("head.up ConvTranspose output (BN, Relu)", 8).w("head.up.conv.weight").r("head.out.weight")
    S.output("probability map (Sigmoid)", 1, "head.out.weight")


SPECS = {"resnet18": spec_resnet18,
         "mobilenet_v3_small": lambda S, m: spec_inverted_residual_net(S, m, "mobilenet_v3_small"),
         "efficientnet_b0": lambda S, m: spec_inverted_residual_net(S, m, "efficientnet_b0"),
         "convnext_tiny": spec_convnext, "vit_b_16": spec_vit,
         "swin_t": lambda S, m: spec_swin(S, m, S.resolver),
         "bert": spec_bert, "gpt2": spec_gpt2, "llama": spec_llama,
         "mlp_layernorm": spec_mlp_layernorm, "tf_cnn": spec_tf_cnn, "paddle_attention": spec_paddle_attention,
         "detector": spec_detector}


def expected(model_name, file_name, onnx_model, torch_model=None):
    S = Spec(Resolver(onnx_model, torch_model))
    SPECS[model_name](S, torch_model)
    return S.json(model_name, file_name)
