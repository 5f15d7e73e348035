#!/usr/bin/python3
"""Generate Orbit's ONNX test fixtures and its default MNIST model.

Run from the repository root with the Debian Python (which has torch + onnx):

    /usr/bin/python3 scripts/make_fixtures.py

Outputs
-------
src/test/resources/fixtures/NAME.onnx          the model
src/test/resources/fixtures/NAME.json          {"input_shape", "opset", "description"}
src/test/resources/fixtures/NAME.input.bin     sample input, raw little-endian float32, batch 2
src/test/resources/fixtures/NAME.output.bin    reference output for that input (same format),
                                               omitted where no reference exists (unknown_op)
src/main/resources/models/mnist_mlp.onnx       default MNIST classifier (trained here)
src/main/resources/models/mnist_mlp.json       its test accuracy and provenance

Every model has one input named "input" whose dim 0 is the symbolic dimension "batch",
and one output named "output" (the MNIST model's output is named "logits").

Two kinds of fixtures are produced:

* PyTorch models exported with torch.onnx.export; the reference output is PyTorch's own.
* Hand-written graphs built with onnx.helper (no PyTorch), mimicking other exporters
  (Constant nodes instead of initializers, decomposed ops, external data, custom ops).

onnx 1.12 has no reference evaluator and onnxruntime is not packaged in Debian, so this
file carries a small numpy ONNX interpreter (`NumpyEvaluator`). It is used to
  * check every PyTorch export against PyTorch, at batch 2 (the fixture input) and at
    batch 1 and 3 (which proves the "batch" axis really is dynamic), and
  * compute the reference outputs of the hand-written graphs; each of those is itself
    cross-checked against an independent torch.nn.functional computation.
The script stops with an error if any check fails.

Everything is deterministic: every model and every sample input is seeded from a fixed
seed derived from the fixture name, and training runs single-threaded.
"""

import gzip
import json
import math
import os
import sys
import zlib

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(REPO_ROOT, "src", "test", "resources", "fixtures")
MODELS = os.path.join(REPO_ROOT, "src", "main", "resources", "models")
MNIST_DIR = os.environ.get("MNIST_DIR", "/work/shared/data/mnist-10k")

BATCH = 2  # batch size of every sample input / reference output

# Debian's python3-torch 1.13.1 package reports torch.__version__ == "1.13.0a0".
TORCH_VERSION = "1.13.1" if torch.__version__ == "1.13.0a0" else torch.__version__


# ---------------------------------------------------------------------------------------
# Small utilities
# ---------------------------------------------------------------------------------------

def seed_for(name):
    """A fixed seed per fixture name, so fixtures do not depend on generation order."""
    return zlib.crc32(name.encode("utf-8")) & 0x7FFFFFFF


def seed_everything(name):
    s = seed_for(name)
    torch.manual_seed(s)
    np.random.seed(s)
    return s


def sample_input(name, shape):
    """Deterministic standard-normal sample input of the given concrete shape."""
    rng = np.random.default_rng(seed_for(name + ".input"))
    return rng.standard_normal(shape).astype(np.float32)


def write_f32(path, array):
    """Raw little-endian float32, C order, no header."""
    np.ascontiguousarray(array, dtype="<f4").tofile(path)


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def write_fixture_files(name, x, y, opset, description):
    """NAME.json, NAME.input.bin and (if y is not None) NAME.output.bin."""
    write_json(os.path.join(FIXTURES, name + ".json"), {
        "input_shape": list(x.shape),
        "opset": opset,
        "description": description,
    })
    write_f32(os.path.join(FIXTURES, name + ".input.bin"), x)
    out_path = os.path.join(FIXTURES, name + ".output.bin")
    if y is not None:
        write_f32(out_path, y)
    elif os.path.exists(out_path):
        os.remove(out_path)


def check_onnx(path, custom_ops_ok=False):
    """Load + onnx.checker (full check incl. shape inference where possible)."""
    model = onnx.load(path)  # also loads external data sitting next to the file
    try:
        onnx.checker.check_model(model, full_check=not custom_ops_ok)
    except TypeError:  # older onnx without full_check
        onnx.checker.check_model(model)
    return model


def bn_warmup(model, make_batch, steps=5):
    """Give BatchNorm layers non-trivial affine params and running statistics.

    gamma/beta are randomised (PyTorch initialises them to 1/0), then a few random
    batches are run in train mode so running_mean / running_var move away from 0 / 1.
    """
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.1)
        model.train()
        for _ in range(steps):
            model(make_batch())
    model.eval()


# ---------------------------------------------------------------------------------------
# A small numpy ONNX interpreter
# ---------------------------------------------------------------------------------------

class NumpyEvaluator:
    """A deliberately small ONNX interpreter (float32, NCHW) covering exactly the ops that
    appear in these fixtures.  onnx 1.12 has no reference evaluator and onnxruntime is not
    packaged in Debian, so this is used to
      * produce the reference outputs of the hand-written fixtures, and
      * check every PyTorch export against PyTorch itself, at batch 1, 2 and 3 (which also
        checks that the "batch" dimension is really dynamic).
    It is not a general ONNX runtime: attributes not used here are not implemented."""

    def __init__(self, model):
        self.model = model

    def run(self, x):
        g = self.model.graph
        env = {i.name: numpy_helper.to_array(i) for i in g.initializer}
        env[g.input[0].name] = x
        for node in g.node:
            attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            ins = [env[n] if n else None for n in node.input]
            outs = self.op(node.op_type, ins, attrs)
            for name, val in zip(node.output, outs):
                env[name] = val
        return env[g.output[0].name]

    @staticmethod
    def windows(x, kernel, strides, pads, value=0.0):
        """Sliding windows of an NCHW tensor: N,C,OH,OW,kh,kw."""
        x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])),
                   constant_values=value)
        win = np.lib.stride_tricks.sliding_window_view(x, tuple(kernel), axis=(2, 3))
        return win[:, :, ::strides[0], ::strides[1]]

    @classmethod
    def conv(cls, x, w, b, strides=(1, 1), pads=(0, 0, 0, 0), group=1, dilations=(1, 1), **_):
        assert tuple(dilations) == (1, 1)
        win = cls.windows(x, w.shape[2:], strides, pads)
        cin, cout = x.shape[1] // group, w.shape[0] // group
        y = np.concatenate([
            np.einsum("ncijkl,ockl->noij", win[:, g * cin:(g + 1) * cin],
                      w[g * cout:(g + 1) * cout], optimize=True)
            for g in range(group)], axis=1)
        if b is not None:
            y = y + b.reshape(1, -1, 1, 1)
        return y

    def op(self, t, ins, a):
        x = ins[0] if ins else None
        if t == "Constant":
            return [numpy_helper.to_array(a["value"])]
        if t == "Identity":
            return [x]
        # --- arithmetic / activations ---
        binary = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide,
                  "Pow": np.power}
        if t in binary:
            if x.dtype.kind == "i" and t == "Div":  # integer shape arithmetic
                return [np.floor_divide(x, ins[1])]
            return [binary[t](x, ins[1]).astype(np.result_type(x, ins[1]))]
        if t == "Sqrt":
            return [np.sqrt(x)]
        if t == "Tanh":
            return [np.tanh(x)]
        if t == "Relu":
            return [np.maximum(x, 0)]
        if t == "LeakyRelu":
            return [np.where(x >= 0, x, a.get("alpha", 0.01) * x)]
        if t == "Elu":
            return [np.where(x > 0, x, a.get("alpha", 1.0) * (np.exp(np.minimum(x, 0)) - 1))]
        if t == "Sigmoid":
            return [1.0 / (1.0 + np.exp(-x))]
        if t == "HardSigmoid":
            return [np.clip(a.get("alpha", 0.2) * x + a.get("beta", 0.5), 0, 1)]
        if t == "Erf":
            return [np.vectorize(math.erf, otypes=[np.float64])(x).astype(x.dtype)]
        if t == "Clip":  # opset >= 11: min/max are inputs
            return [np.clip(x, ins[1], ins[2])]
        if t == "Softmax":  # opset >= 13 semantics
            e = np.exp(x - x.max(axis=a.get("axis", -1), keepdims=True))
            return [e / e.sum(axis=a.get("axis", -1), keepdims=True)]
        # --- linear algebra ---
        if t == "MatMul":
            return [np.matmul(x, ins[1])]
        if t == "Gemm":
            A, B = ins[0], ins[1]
            if a.get("transA", 0):
                A = A.T
            if a.get("transB", 0):
                B = B.T
            y = a.get("alpha", 1.0) * (A @ B)
            if len(ins) > 2 and ins[2] is not None:
                y = y + a.get("beta", 1.0) * ins[2]
            return [y]
        # --- convolution / pooling / normalisation ---
        if t == "Conv":
            return [self.conv(x, ins[1], ins[2] if len(ins) > 2 else None, **a)]
        if t in ("MaxPool", "AveragePool"):
            assert not a.get("ceil_mode", 0)
            pads = a.get("pads", [0, 0, 0, 0])
            assert t == "MaxPool" or not any(pads)
            win = self.windows(x, a["kernel_shape"], a.get("strides", [1, 1]), pads,
                               value=-np.inf if t == "MaxPool" else 0.0)
            return [win.max(axis=(4, 5)) if t == "MaxPool" else win.mean(axis=(4, 5))]
        if t == "GlobalAveragePool":
            return [x.mean(axis=(2, 3), keepdims=True)]
        if t == "BatchNormalization":  # inference mode
            assert not a.get("training_mode", 0)
            scale, bias, mean, var = [v.reshape(1, -1, 1, 1) for v in ins[1:5]]
            return [(x - mean) / np.sqrt(var + a.get("epsilon", 1e-5)) * scale + bias]
        if t == "LayerNormalization":  # opset 17, normalised over the last axis
            assert a.get("axis", -1) == -1
            mu = x.mean(axis=-1, keepdims=True)
            var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
            y = (x - mu) / np.sqrt(var + a.get("epsilon", 1e-5)) * ins[1]
            return [y + ins[2] if len(ins) > 2 and ins[2] is not None else y]
        if t == "ReduceMean":  # opset < 18: axes is an attribute
            return [x.mean(axis=tuple(a["axes"]), keepdims=bool(a.get("keepdims", 1)))]
        # --- shapes and data movement ---
        if t == "Shape":
            return [np.array(x.shape, dtype=np.int64)]
        if t == "Gather":
            return [np.take(x, ins[1], axis=a.get("axis", 0))]
        if t == "Unsqueeze":  # opset >= 13: axes is an input
            return [np.expand_dims(x, tuple(int(i) for i in ins[1]))]
        if t == "Concat":
            return [np.concatenate(ins, axis=a["axis"])]
        if t == "Reshape":
            shape = [x.shape[i] if d == 0 else d for i, d in enumerate(ins[1])]
            return [x.reshape(shape)]
        if t == "Flatten":
            ax = a.get("axis", 1)
            return [x.reshape(int(np.prod(x.shape[:ax])), -1)]
        if t == "Transpose":
            return [np.transpose(x, a.get("perm"))]
        if t == "Slice":
            starts, ends = ins[1], ins[2]
            axes = ins[3] if len(ins) > 3 else range(len(starts))
            steps = ins[4] if len(ins) > 4 else [1] * len(starts)
            sl = [slice(None)] * x.ndim
            for s, e, ax, st in zip(starts, ends, axes, steps):
                sl[int(ax)] = slice(int(s), int(e), int(st))
            return [x[tuple(sl)]]
        if t == "Pad":
            assert a.get("mode", b"constant") in (b"constant", "constant")
            p = ins[1].reshape(2, -1)
            return [np.pad(x, list(zip(p[0], p[1])),
                           constant_values=ins[2] if len(ins) > 2 and ins[2] is not None else 0)]
        if t == "Cast":
            return [x.astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[a["to"]])]
        raise NotImplementedError(t)


def check_with_evaluator(name, path, model, input_shape, y_ref, x_ref):
    """Run the exported ONNX file with NumpyEvaluator and compare with PyTorch: on the
    fixture's own batch-2 input, and on fresh inputs with batch 1 and 3."""
    onnx_model = onnx.load(path)
    checks = [(x_ref, y_ref)]
    for b in (1, 3):
        xb = sample_input(name + ".batch%d" % b, [b] + list(input_shape[1:]))
        yb = model(torch.from_numpy(xb)).detach().numpy()  # caller sets grad mode
        checks.append((xb, yb))
    worst = 0.0
    for xb, yb in checks:
        got = NumpyEvaluator(onnx_model).run(xb)
        assert got.shape == yb.shape, (name, got.shape, yb.shape)
        err = float(np.abs(got - yb).max())
        assert err < 1e-4, "%s: ONNX graph (numpy) and PyTorch disagree at batch %d: %g" % (
            name, len(xb), err)
        worst = max(worst, err)
    print("  %s: ONNX graph matches PyTorch at batch 2, 1 and 3 (max abs err %.1e)" % (name, worst))


# ---------------------------------------------------------------------------------------
# PyTorch-exported fixtures
# ---------------------------------------------------------------------------------------

def export_torch(name, model, input_shape, description, opset=13, grad=False, **export_kwargs):
    """Export `model` with a dynamic batch axis and write the fixture files.

    The reference output is computed by PyTorch (eval mode, no grad) on a batch-2 input,
    and the exported graph is checked against PyTorch with NumpyEvaluator.
    """
    model.eval()
    x = sample_input(name, input_shape)
    xt = torch.from_numpy(x)
    with torch.set_grad_enabled(grad):  # grad: see make_transformer_encoder
        y = model(xt).detach().numpy()
    path = os.path.join(FIXTURES, name + ".onnx")
    torch.onnx.export(
        model, (xt,), path,
        opset_version=opset,
        input_names=["input"], output_names=["output"],
        dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
        **export_kwargs,
    )
    check_onnx(path)
    with torch.set_grad_enabled(grad):
        check_with_evaluator(name, path, model, input_shape, y, x)
    write_fixture_files(name, x, y, opset,
                        description + " Exported by torch.onnx.export (PyTorch %s); "
                        "reference output computed by PyTorch." % TORCH_VERSION)
    return path


class MLP(nn.Module):
    """in -> 64 -> 32 -> 10 with the given activation after each hidden layer."""

    def __init__(self, in_features, act):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(in_features, 64), act(),
            nn.Linear(64, 32), act(),
            nn.Linear(32, 10),
        )

    def forward(self, x):
        return self.net(x)


def make_mlps():
    acts = [
        # name,          activation factory,                in_features
        ("relu",      nn.ReLU,                            784),
        ("leakyrelu", lambda: nn.LeakyReLU(0.1),          20),
        ("tanh",      nn.Tanh,                            20),
        ("sigmoid",   nn.Sigmoid,                         20),
        ("elu",       nn.ELU,                             20),
        ("gelu",      nn.GELU,                            784),  # exact (erf) GELU
    ]
    for act_name, act, n_in in acts:
        name = "mlp_" + act_name
        seed_everything(name)
        model = MLP(n_in, act)
        export_torch(name, model, [BATCH, n_in],
                     "MLP %d-64-32-10 with %s activations." % (n_in, act_name))


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),   # 28 -> 14
            nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),  # 14 -> 7
        )
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(16 * 7 * 7, 32), nn.ReLU(), nn.Linear(32, 10),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


def make_cnn_bn():
    name = "cnn_bn"
    seed_everything(name)
    model = SmallCNN()
    bn_warmup(model, lambda: torch.randn(16, 1, 28, 28) * 1.5 + 0.3)
    # NB: with training=TrainingMode.EVAL, torch 1.13's exporter always runs its "eval
    # peephole" pass, which folds BatchNorm into the preceding Conv regardless of
    # do_constant_folding.  We try EVAL first as requested; if the BatchNormalization nodes
    # are gone we re-export with TrainingMode.PRESERVE: the model is in eval mode, so BN is
    # still exported in inference form (running stats), but the peephole pass is skipped.
    path = None
    for mode in (torch.onnx.TrainingMode.EVAL, torch.onnx.TrainingMode.PRESERVE):
        path = export_torch(name, model, [BATCH, 1, 28, 28],
                            "Small CNN: [Conv3x3+BatchNorm+ReLU+MaxPool]x2, Flatten, Linear, ReLU, "
                            "Linear(10). BatchNormalization nodes (inference mode, non-trivial "
                            "running stats) are kept in the graph.",
                            do_constant_folding=False, training=mode)
        n_bn = sum(n.op_type == "BatchNormalization" for n in onnx.load(path).graph.node)
        print("  cnn_bn exported with %s: %d BatchNormalization nodes" % (mode, n_bn))
        if n_bn == 2:
            break
    else:
        raise RuntimeError("cnn_bn: BatchNormalization nodes were folded away")
    for n in onnx.load(path).graph.node:
        if n.op_type == "BatchNormalization":
            for a in n.attribute:
                if a.name == "training_mode":
                    assert a.i == 0, "BN exported in training mode"


def conv_bn(cin, cout, k, stride=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=False),
                         nn.BatchNorm2d(cout))


class BasicBlock(nn.Module):
    """ResNet basic block: conv-bn-relu-conv-bn + skip, relu after the add."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(conv_bn(cin, cout, 3, stride), nn.ReLU(), conv_bn(cout, cout, 3))
        self.downsample = conv_bn(cin, cout, 1, stride) if (stride != 1 or cin != cout) else None
        self.relu = nn.ReLU()

    def forward(self, x):
        skip = x if self.downsample is None else self.downsample(x)
        return self.relu(self.body(x) + skip)


class ResNetSmall(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(conv_bn(3, 8, 3), nn.ReLU())
        self.block1 = BasicBlock(8, 8, 1)     # identity skip
        self.block2 = BasicBlock(8, 16, 2)    # stride 2, 1x1 conv downsample
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.block2(self.block1(self.stem(x)))
        return self.fc(torch.flatten(self.pool(x), 1))


def make_resnet_block():
    name = "resnet_block"
    seed_everything(name)
    model = ResNetSmall()
    bn_warmup(model, lambda: torch.randn(16, 3, 16, 16))
    export_torch(name, model, [BATCH, 3, 16, 16],
                 "ResNet: stem conv, basic block with identity skip, basic block with stride 2 "
                 "and 1x1 conv downsample, global average pool, linear(10). BatchNorm is folded "
                 "into the convolutions by the exporter.")


class DenseLayer(nn.Module):
    def __init__(self, cin, growth):
        super().__init__()
        self.f = nn.Sequential(nn.BatchNorm2d(cin), nn.ReLU(), nn.Conv2d(cin, growth, 3, padding=1))

    def forward(self, x):
        return torch.cat([x, self.f(x)], dim=1)  # concatenate on channels


class DenseNetSmall(nn.Module):
    def __init__(self, c0=8, growth=4, layers=3):
        super().__init__()
        self.stem = nn.Conv2d(3, c0, 3, padding=1)
        c = c0
        dense = []
        for _ in range(layers):
            dense.append(DenseLayer(c, growth))
            c += growth
        self.dense = nn.Sequential(*dense)                       # 8 -> 12 -> 16 -> 20 channels
        self.transition = nn.Sequential(nn.BatchNorm2d(c), nn.ReLU(),
                                        nn.Conv2d(c, c // 2, 1), nn.AvgPool2d(2))  # 16x16 -> 8x8
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(c // 2, 10)

    def forward(self, x):
        x = self.transition(self.dense(self.stem(x)))
        return self.fc(torch.flatten(self.pool(x), 1))


def make_densenet_block():
    name = "densenet_block"
    seed_everything(name)
    model = DenseNetSmall()
    bn_warmup(model, lambda: torch.randn(16, 3, 16, 16))
    export_torch(name, model, [BATCH, 3, 16, 16],
                 "DenseNet: stem conv, dense block of 3 layers (BN-ReLU-Conv3x3, output "
                 "concatenated with the layer input on channels), transition (BN-ReLU-1x1 conv + "
                 "2x2 average pool), global average pool, linear(10).")


class InvertedResidual(nn.Module):
    """MobileNetV3 block: expand -> depthwise -> SE -> project, residual add."""

    def __init__(self, c, expand, se_reduce=4):
        super().__init__()
        e = c * expand
        self.expand = nn.Sequential(nn.Conv2d(c, e, 1, bias=False), nn.BatchNorm2d(e), nn.Hardswish())
        self.depthwise = nn.Sequential(nn.Conv2d(e, e, 3, padding=1, groups=e, bias=False),
                                       nn.BatchNorm2d(e), nn.Hardswish())
        self.se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(e, e // se_reduce, 1), nn.ReLU(),
                                nn.Conv2d(e // se_reduce, e, 1), nn.Hardsigmoid())
        self.project = nn.Sequential(nn.Conv2d(e, c, 1, bias=False), nn.BatchNorm2d(c))

    def forward(self, x):
        h = self.depthwise(self.expand(x))
        h = h * self.se(h)          # squeeze-excitation gate
        return x + self.project(h)  # residual


class MobileNetV3Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16),
                                  nn.Hardswish())
        self.block = InvertedResidual(16, expand=3)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.block(self.stem(x))), 1))


def make_mobilenetv3_block():
    name = "mobilenetv3_block"
    seed_everything(name)
    model = MobileNetV3Small()
    bn_warmup(model, lambda: torch.randn(16, 3, 16, 16))
    export_torch(name, model, [BATCH, 3, 16, 16],
                 "MobileNetV3: stem conv+hardswish, inverted residual block (1x1 expand+BN+hardswish, "
                 "3x3 depthwise+BN+hardswish, squeeze-excitation with hardsigmoid gate, 1x1 "
                 "project+BN, residual add), global average pool, linear(10). At opset 13 "
                 "hardswish is exported as x*HardSigmoid(x).")


class TransformerClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        layer = nn.TransformerEncoderLayer(d_model=32, nhead=4, dim_feedforward=64, dropout=0.0,
                                           activation="gelu", batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        return self.fc(self.encoder(x).mean(dim=1))  # mean over tokens


def make_transformer_encoder():
    name = "transformer_encoder"
    seed_everything(name)
    model = TransformerClassifier().eval()
    # nn.TransformerEncoder deep-copies its layer, so both layers start out identical;
    # LayerNorm starts as gamma=1, beta=0 and the attention biases start at 0.  Re-initialise
    # every parameter so the layers differ and all parameters are actually exercised.
    with torch.no_grad():
        for pname, p in model.named_parameters():
            if p.dim() >= 2:
                nn.init.xavier_uniform_(p)
            elif "norm" in pname and pname.endswith("weight"):
                p.uniform_(0.5, 1.5)
            else:  # biases, LayerNorm beta
                p.normal_(0.0, 0.1)
    # In eval mode with autograd off, torch 1.13's TransformerEncoderLayer takes a fused
    # "fast path" (torch._transformer_encoder_layer_fwd) that the ONNX exporter cannot
    # handle. The fast path is only taken when no grad is needed, so exporting with grad
    # enabled (the parameters require grad) makes it trace the ordinary, exportable
    # Python implementation. The reference output is computed the same way.
    with torch.enable_grad():
        export_torch(name, model, [BATCH, 8, 32],
                     "2-layer nn.TransformerEncoder (d_model 32, 4 heads, ff 64, GELU, post-norm, "
                     "batch_first, no dropout) on [batch, 8 tokens, 32], mean over tokens, "
                     "linear(10). Opset 14: LayerNorm is decomposed into primitive ops.",
                     opset=14, grad=True)
    ops = {n.op_type for n in onnx.load(os.path.join(FIXTURES, name + ".onnx")).graph.node}
    assert not any(op.startswith("ATen") or op == "PythonOp" for op in ops), ops


# ---------------------------------------------------------------------------------------
# Attention and residual-stream fixtures (issue 8): small transformers whose attention
# (GL(d) per head, per-head scaling) and residual stream (orthogonal rotations after norm
# folding) Orbit moves. d_model 32, 2 heads, 8 tokens of 16 features.
# ---------------------------------------------------------------------------------------

SEQ, D_IN, D_MODEL, HEADS, D_FF = 8, 16, 32, 2, 64


def reinit_transformer(model):
    """Random non-trivial parameters everywhere (PyTorch starts norms at 1/0 and biases at 0)."""
    with torch.no_grad():
        for pname, p in model.named_parameters():
            if p.dim() >= 2:
                nn.init.xavier_uniform_(p)
            elif "norm" in pname and pname.endswith("weight"):
                p.uniform_(0.5, 1.5)
            else:
                p.normal_(0.0, 0.1)


class EncoderClassifier(nn.Module):
    """Linear embedding of 16 features -> nn.TransformerEncoder (2 layers) -> mean over tokens -> Linear(10)."""

    def __init__(self, norm_first):
        super().__init__()
        self.embed = nn.Linear(D_IN, D_MODEL)
        layer = nn.TransformerEncoderLayer(d_model=D_MODEL, nhead=HEADS, dim_feedforward=D_FF, dropout=0.0,
                                           activation="gelu", batch_first=True, norm_first=norm_first)
        final = nn.LayerNorm(D_MODEL) if norm_first else None
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, norm=final, enable_nested_tensor=False)
        self.fc = nn.Linear(D_MODEL, 10)

    def forward(self, x):
        return self.fc(self.encoder(self.embed(x)).mean(dim=1))


def make_transformer_prenorm():
    name = "transformer_prenorm"
    seed_everything(name)
    model = EncoderClassifier(norm_first=True).eval()
    reinit_transformer(model)
    with torch.enable_grad():  # grad on: avoids the fused fast path (see make_transformer_encoder)
        export_torch(name, model, [BATCH, SEQ, D_IN],
                     "Pre-norm transformer encoder: Linear(16->32) embedding, 2 nn.TransformerEncoderLayer "
                     "(d_model 32, 2 heads, ff 64, GELU, norm_first, batch_first, no dropout), final LayerNorm, "
                     "mean over 8 tokens, linear(10). Opset 17: LayerNorm is the single LayerNormalization op.",
                     opset=17, grad=True)
    ops = {n.op_type for n in onnx.load(os.path.join(FIXTURES, name + ".onnx")).graph.node}
    assert "LayerNormalization" in ops, ops


def make_transformer_postnorm():
    name = "transformer_postnorm"
    seed_everything(name)
    model = EncoderClassifier(norm_first=False).eval()
    reinit_transformer(model)
    with torch.enable_grad():
        export_torch(name, model, [BATCH, SEQ, D_IN],
                     "Post-norm transformer encoder: Linear(16->32) embedding, 2 nn.TransformerEncoderLayer "
                     "(d_model 32, 2 heads, ff 64, GELU, post-norm, batch_first, no dropout), mean over 8 "
                     "tokens, linear(10). Opset 14: LayerNorm decomposed into primitive ops.",
                     opset=14, grad=True)
    ops = {n.op_type for n in onnx.load(os.path.join(FIXTURES, name + ".onnx")).graph.node}
    assert "LayerNormalization" not in ops and "ReduceMean" in ops, ops


def split_heads(t):
    """[b, s, d] -> [b, heads, s, d/heads]."""
    b = t.shape[0]
    return t.reshape(b, SEQ, HEADS, D_MODEL // HEADS).transpose(1, 2)


def merge_heads(t):
    """[b, heads, s, dh] -> [b, s, d]."""
    b = t.shape[0]
    return t.transpose(1, 2).reshape(b, SEQ, D_MODEL)


class ReluAttentionBlock(nn.Module):
    """Embedding, one ReLU-attention block h = x + W_o·Σ_j relu(q·kᵀ/√dh)_j v_j / s, mean, Linear(10)."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(D_IN, D_MODEL)
        self.q = nn.Linear(D_MODEL, D_MODEL)
        self.k = nn.Linear(D_MODEL, D_MODEL)
        self.v = nn.Linear(D_MODEL, D_MODEL)
        self.o = nn.Linear(D_MODEL, D_MODEL)
        self.fc = nn.Linear(D_MODEL, 10)

    def forward(self, x):
        x = self.embed(x)
        q, k, v = split_heads(self.q(x)), split_heads(self.k(x)), split_heads(self.v(x))
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(D_MODEL // HEADS)
        h = merge_heads(torch.matmul(torch.relu(scores) / SEQ, v))
        return self.fc((x + self.o(h)).mean(dim=1))


def make_relu_attention():
    name = "relu_attention"
    seed_everything(name)
    model = ReluAttentionBlock().eval()
    reinit_transformer(model)
    export_torch(name, model, [BATCH, SEQ, D_IN],
                 "ReLU attention: Linear(16->32) embedding, one block x + W_o(relu(q kT/sqrt(16))/8 · v) with "
                 "separate q, k, v, o projections (2 heads of 16), residual, mean over 8 tokens, linear(10).")


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return x / torch.sqrt(x.pow(2).mean(dim=-1, keepdim=True) + self.eps) * self.weight


class DecoderBlock(nn.Module):
    """Pre-norm (RMSNorm) causal self-attention and a SiLU MLP, no biases (LLaMA style)."""

    def __init__(self):
        super().__init__()
        self.norm1, self.norm2 = RMSNorm(D_MODEL), RMSNorm(D_MODEL)
        self.q = nn.Linear(D_MODEL, D_MODEL, bias=False)
        self.k = nn.Linear(D_MODEL, D_MODEL, bias=False)
        self.v = nn.Linear(D_MODEL, D_MODEL, bias=False)
        self.o = nn.Linear(D_MODEL, D_MODEL, bias=False)
        self.up = nn.Linear(D_MODEL, D_FF, bias=False)
        self.down = nn.Linear(D_FF, D_MODEL, bias=False)
        mask = torch.triu(torch.full((SEQ, SEQ), -1e4), diagonal=1)
        self.register_buffer("causal_mask", mask)

    def forward(self, x):
        h = self.norm1(x)
        q, k, v = split_heads(self.q(h)), split_heads(self.k(h)), split_heads(self.v(h))
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(D_MODEL // HEADS) + self.causal_mask
        x = x + self.o(merge_heads(torch.matmul(torch.softmax(scores, dim=-1), v)))
        return x + self.down(F.silu(self.up(self.norm2(x))))


class SmallDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(D_IN, D_MODEL, bias=False)
        self.blocks = nn.Sequential(DecoderBlock(), DecoderBlock())
        self.norm = RMSNorm(D_MODEL)
        self.head = nn.Linear(D_MODEL, 10, bias=False)

    def forward(self, x):
        return self.head(self.norm(self.blocks(self.embed(x)))[:, -1])  # last token


def make_decoder_rmsnorm():
    name = "decoder_rmsnorm"
    seed_everything(name)
    model = SmallDecoder().eval()
    reinit_transformer(model)
    with torch.no_grad():
        # two residual channels carry large activations, as trained language models' residual streams do
        model.embed.weight[[3, 17]] *= 25.0
    export_torch(name, model, [BATCH, SEQ, D_IN],
                 "Small decoder: Linear(16->32) embedding without bias (residual channels 3 and 17 scaled "
                 "x25: planted activation outliers), 2 pre-norm blocks of RMSNorm written as "
                 "x/sqrt(mean(x^2)+eps)*g, causal softmax self-attention (2 heads, additive -1e4 mask) and "
                 "SiLU MLP, no biases, final RMSNorm, last token, linear(10).")


# ---------------------------------------------------------------------------------------
# Hand-written "other exporter" fixtures (onnx.helper, no PyTorch)
# ---------------------------------------------------------------------------------------

def const_node(name, array):
    """A Constant node producing `array` (weights stored as nodes, not initializers)."""
    return helper.make_node("Constant", [], [name], name=name + "_const",
                            value=numpy_helper.from_array(np.asarray(array, np.float32), name))


def init(name, array):
    return numpy_helper.from_array(np.asarray(array, np.float32), name)


def io(name, *dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, ["batch", *dims])


def rand_w(rng, *shape, fan_in=None):
    fan_in = fan_in or int(np.prod(shape[1:]))
    return (rng.standard_normal(shape) / np.sqrt(fan_in)).astype(np.float32)


def save_handwritten(name, model, x, opset, description, torch_ref=None,
                     reference=True, **save_kwargs):
    """Check, save, and write fixture files for a hand-built model.

    If `reference`, the output is computed with NumpyEvaluator and must match the
    independent torch.nn.functional implementation `torch_ref(x)`.
    """
    onnx.checker.check_model(model)
    y = None
    if reference:
        y = NumpyEvaluator(model).run(x).astype(np.float32)
        y_t = torch_ref(torch.from_numpy(x)).detach().numpy()
        err = np.abs(y - y_t).max()
        assert err < 1e-4, "%s: numpy evaluator and torch disagree (%g)" % (name, err)
        description += (" Reference output computed by the numpy evaluator in "
                        "scripts/make_fixtures.py (cross-checked against torch.nn.functional).")
    else:
        description += " No reference output (no .output.bin)."
    path = os.path.join(FIXTURES, name + ".onnx")
    onnx.save_model(model, path, **save_kwargs)
    write_fixture_files(name, x, y, opset, description)
    return path


def make_hardswish_decomposed():
    """opset 11, weights as Constant nodes: Conv -> x*Clip(x+3,0,6)/6 -> GAP -> Flatten -> Gemm."""
    name, opset = "hardswish_decomposed", 11
    rng = np.random.default_rng(seed_for(name))
    w1, b1 = rand_w(rng, 8, 3, 3, 3), rng.standard_normal(8).astype(np.float32) * 0.1
    w2, b2 = rand_w(rng, 10, 8), rng.standard_normal(10).astype(np.float32) * 0.1   # Gemm transB
    nodes = [
        const_node("conv1_W", w1), const_node("conv1_B", b1),
        helper.make_node("Conv", ["input", "conv1_W", "conv1_B"], ["conv1_out"], name="conv1",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[1, 1]),
        const_node("three", np.array(3.0)), const_node("zero", np.array(0.0)),
        const_node("six", np.array(6.0)),
        helper.make_node("Add", ["conv1_out", "three"], ["hs_add"], name="hs_add"),
        helper.make_node("Clip", ["hs_add", "zero", "six"], ["hs_clip"], name="hs_clip"),
        helper.make_node("Mul", ["conv1_out", "hs_clip"], ["hs_mul"], name="hs_mul"),
        helper.make_node("Div", ["hs_mul", "six"], ["hs_out"], name="hs_div"),
        helper.make_node("GlobalAveragePool", ["hs_out"], ["gap"], name="gap"),
        helper.make_node("Flatten", ["gap"], ["flat"], name="flatten", axis=1),
        const_node("fc_W", w2), const_node("fc_B", b2),
        helper.make_node("Gemm", ["flat", "fc_W", "fc_B"], ["output"], name="fc", transB=1),
    ]
    graph = helper.make_graph(nodes, "hardswish_decomposed", [io("input", 3, 16, 16)],
                              [io("output", 10)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="orbit-handwritten", ir_version=6)

    def torch_ref(x):
        h = F.conv2d(x, torch.from_numpy(w1), torch.from_numpy(b1), padding=1)
        h = F.hardswish(h)
        return F.linear(h.mean(dim=(2, 3)), torch.from_numpy(w2), torch.from_numpy(b2))

    save_handwritten(name, model, sample_input(name, [BATCH, 3, 16, 16]), opset,
                     "Hand-written (onnx.helper) opset-11 graph: Conv, hardswish written as "
                     "x*Clip(x+3,0,6)/6 with Add/Clip/Mul/Div, GlobalAveragePool, Flatten, Gemm. "
                     "All weights and scalars are Constant nodes (no initializers).",
                     torch_ref)


def make_layernorm_decomposed():
    """opset 10: Gemm -> LayerNorm from primitive ops -> Tanh -> Gemm (tf2onnx-like names)."""
    name, opset = "layernorm_decomposed", 10
    rng = np.random.default_rng(seed_for(name))
    d_in, d_h, d_out, eps = 20, 32, 10, 1e-5
    w1, b1 = rand_w(rng, d_in, d_h, fan_in=d_in), rng.standard_normal(d_h).astype(np.float32) * 0.1
    gamma = rng.uniform(0.5, 1.5, d_h).astype(np.float32)
    beta = (rng.standard_normal(d_h) * 0.1).astype(np.float32)
    w2, b2 = rand_w(rng, d_h, d_out, fan_in=d_h), rng.standard_normal(d_out).astype(np.float32) * 0.1
    p = "model/layer_norm/"
    inits = [init("model/dense/kernel:0", w1), init("model/dense/bias:0", b1),
             init(p + "gamma:0", gamma), init(p + "beta:0", beta),
             init(p + "pow_y:0", np.array(2.0)), init(p + "epsilon:0", np.array(eps)),
             init("model/dense_1/kernel:0", w2), init("model/dense_1/bias:0", b2)]
    nodes = [
        # Gemm without transB: weights stored [in, out] the way TF stores them.
        helper.make_node("Gemm", ["input", "model/dense/kernel:0", "model/dense/bias:0"],
                         ["model/dense/BiasAdd:0"], name="model/dense/BiasAdd"),
        helper.make_node("ReduceMean", ["model/dense/BiasAdd:0"], [p + "mean:0"],
                         name=p + "mean", axes=[-1], keepdims=1),
        helper.make_node("Sub", ["model/dense/BiasAdd:0", p + "mean:0"], [p + "sub:0"], name=p + "sub"),
        helper.make_node("Pow", [p + "sub:0", p + "pow_y:0"], [p + "pow:0"], name=p + "pow"),
        helper.make_node("ReduceMean", [p + "pow:0"], [p + "variance:0"],
                         name=p + "variance", axes=[-1], keepdims=1),
        helper.make_node("Add", [p + "variance:0", p + "epsilon:0"], [p + "add:0"], name=p + "add"),
        helper.make_node("Sqrt", [p + "add:0"], [p + "sqrt:0"], name=p + "sqrt"),
        helper.make_node("Div", [p + "sub:0", p + "sqrt:0"], [p + "truediv:0"], name=p + "truediv"),
        helper.make_node("Mul", [p + "truediv:0", p + "gamma:0"], [p + "mul:0"], name=p + "mul"),
        helper.make_node("Add", [p + "mul:0", p + "beta:0"], [p + "add_1:0"], name=p + "add_1"),
        helper.make_node("Tanh", [p + "add_1:0"], ["model/activation/Tanh:0"], name="model/activation/Tanh"),
        helper.make_node("Gemm", ["model/activation/Tanh:0", "model/dense_1/kernel:0",
                                  "model/dense_1/bias:0"], ["output"], name="model/dense_1/BiasAdd"),
    ]
    graph = helper.make_graph(nodes, "layernorm_decomposed", [io("input", d_in)], [io("output", d_out)],
                              initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="orbit-handwritten", ir_version=5)

    def torch_ref(x):
        h = x @ torch.from_numpy(w1) + torch.from_numpy(b1)
        h = F.layer_norm(h, (d_h,), torch.from_numpy(gamma), torch.from_numpy(beta), eps)
        return torch.tanh(h) @ torch.from_numpy(w2) + torch.from_numpy(b2)

    save_handwritten(name, model, sample_input(name, [BATCH, d_in]), opset,
                     "Hand-written (onnx.helper) opset-10 graph mimicking a TF exporter "
                     "(tensor names like 'model/dense/kernel:0', Gemm weights stored [in,out]): "
                     "Gemm, LayerNorm decomposed into ReduceMean/Sub/Pow/ReduceMean/Add(eps)/Sqrt/"
                     "Div/Mul(gamma)/Add(beta) with ReduceMean axes as attributes, Tanh, Gemm.",
                     torch_ref)


def make_se_gate():
    """opset 13: Conv -> x * Sigmoid(Conv(Relu(Conv(GAP(x))))) -> GAP -> Flatten -> Gemm."""
    name, opset = "se_gate", 13
    rng = np.random.default_rng(seed_for(name))
    c, r = 8, 4
    w0, b0 = rand_w(rng, c, 3, 3, 3), rng.standard_normal(c).astype(np.float32) * 0.1
    w1, b1 = rand_w(rng, r, c, 1, 1), rng.standard_normal(r).astype(np.float32) * 0.1
    w2, b2 = rand_w(rng, c, r, 1, 1), rng.standard_normal(c).astype(np.float32) * 0.1
    w3, b3 = rand_w(rng, 10, c), rng.standard_normal(10).astype(np.float32) * 0.1
    inits = [init("conv0.W", w0), init("conv0.B", b0), init("se.fc1.W", w1), init("se.fc1.B", b1),
             init("se.fc2.W", w2), init("se.fc2.B", b2), init("fc.W", w3), init("fc.B", b3)]
    nodes = [
        helper.make_node("Conv", ["input", "conv0.W", "conv0.B"], ["x"], name="conv0",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("GlobalAveragePool", ["x"], ["se.squeeze"], name="se.squeeze"),
        helper.make_node("Conv", ["se.squeeze", "se.fc1.W", "se.fc1.B"], ["se.fc1"], name="se.fc1",
                         kernel_shape=[1, 1]),
        helper.make_node("Relu", ["se.fc1"], ["se.relu"], name="se.relu"),
        helper.make_node("Conv", ["se.relu", "se.fc2.W", "se.fc2.B"], ["se.fc2"], name="se.fc2",
                         kernel_shape=[1, 1]),
        helper.make_node("Sigmoid", ["se.fc2"], ["se.gate"], name="se.sigmoid"),
        helper.make_node("Mul", ["x", "se.gate"], ["se.out"], name="se.scale"),
        helper.make_node("GlobalAveragePool", ["se.out"], ["gap"], name="gap"),
        helper.make_node("Flatten", ["gap"], ["flat"], name="flatten", axis=1),
        helper.make_node("Gemm", ["flat", "fc.W", "fc.B"], ["output"], name="fc", transB=1),
    ]
    graph = helper.make_graph(nodes, "se_gate", [io("input", 3, 16, 16)], [io("output", 10)],
                              initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="orbit-handwritten", ir_version=7)
    T = torch.from_numpy

    def torch_ref(x):
        h = F.conv2d(x, T(w0), T(b0), padding=1)
        g = torch.sigmoid(F.conv2d(F.relu(F.conv2d(h.mean((2, 3), keepdim=True), T(w1), T(b1))),
                                   T(w2), T(b2)))
        return F.linear((h * g).mean((2, 3)), T(w3), T(b3))

    save_handwritten(name, model, sample_input(name, [BATCH, 3, 16, 16]), opset,
                     "Hand-written (onnx.helper) opset-13 graph: Conv, squeeze-excitation gate "
                     "x*Sigmoid(Conv(Relu(Conv(GlobalAveragePool(x))))), GlobalAveragePool, "
                     "Flatten, Gemm.", torch_ref)


def gemm_mlp(name, rng, d_in, d_h, d_out, middle_nodes, middle_out):
    """Gemm -> <middle nodes> -> Gemm, weights as initializers (transB=1, [out,in])."""
    w1, b1 = rand_w(rng, d_h, d_in), rng.standard_normal(d_h).astype(np.float32) * 0.1
    w2, b2 = rand_w(rng, d_out, d_h), rng.standard_normal(d_out).astype(np.float32) * 0.1
    inits = [init("fc1.weight", w1), init("fc1.bias", b1), init("fc2.weight", w2), init("fc2.bias", b2)]
    nodes = [helper.make_node("Gemm", ["input", "fc1.weight", "fc1.bias"], ["fc1_out"], name="fc1",
                              transB=1)]
    nodes += middle_nodes
    nodes += [helper.make_node("Gemm", [middle_out, "fc2.weight", "fc2.bias"], ["output"], name="fc2",
                               transB=1)]
    return nodes, inits, (w1, b1, w2, b2)


def make_external_data():
    """opset 13 Gemm MLP whose initializers live in external_data.weights."""
    name, opset = "external_data", 13
    rng = np.random.default_rng(seed_for(name))
    d_in, d_h, d_out = 20, 32, 10
    nodes, inits, (w1, b1, w2, b2) = gemm_mlp(
        name, rng, d_in, d_h, d_out,
        [helper.make_node("Relu", ["fc1_out"], ["relu_out"], name="relu")], "relu_out")
    graph = helper.make_graph(nodes, "external_data", [io("input", d_in)], [io("output", d_out)],
                              initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="orbit-handwritten", ir_version=7)
    T = torch.from_numpy

    def torch_ref(x):
        return F.linear(F.relu(F.linear(x, T(w1), T(b1))), T(w2), T(b2))

    weights = os.path.join(FIXTURES, "external_data.weights")
    if os.path.exists(weights):  # onnx appends to an existing file; start clean
        os.remove(weights)
    path = save_handwritten(name, model, sample_input(name, [BATCH, d_in]), opset,
                            "Hand-written (onnx.helper) opset-13 Gemm-Relu-Gemm MLP whose "
                            "initializers are all stored as external data in "
                            "'external_data.weights' (same directory).",
                            torch_ref,
                            save_as_external_data=True, all_tensors_to_one_file=True,
                            location="external_data.weights", size_threshold=0)
    # Sanity: no raw weights inside the .onnx itself, and it reloads with external data.
    m = onnx.load(path, load_external_data=False)
    assert all(t.data_location == TensorProto.EXTERNAL for t in m.graph.initializer)
    onnx.checker.check_model(path)  # path-based check resolves external data


def make_unknown_op():
    """Gemm -> com.example::FancyActivation -> Gemm. Not runnable by ONNX Runtime."""
    name, opset = "unknown_op", 13
    rng = np.random.default_rng(seed_for(name))
    d_in, d_h, d_out = 20, 32, 10
    fancy = helper.make_node("FancyActivation", ["fc1_out"], ["fancy_out"], name="fancy",
                             domain="com.example", alpha=0.25, mode="smooth")
    nodes, inits, _ = gemm_mlp(name, rng, d_in, d_h, d_out, [fancy], "fancy_out")
    graph = helper.make_graph(nodes, "unknown_op", [io("input", d_in)], [io("output", d_out)],
                              initializer=inits,
                              value_info=[io("fc1_out", d_h), io("fancy_out", d_h)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset),
                                                    helper.make_opsetid("com.example", 1)],
                              producer_name="orbit-handwritten", ir_version=7)
    save_handwritten(name, model, sample_input(name, [BATCH, d_in]), opset,
                     "Hand-written (onnx.helper) opset-13 graph Gemm -> FancyActivation (domain "
                     "'com.example', version 1, attributes alpha=0.25 and mode='smooth'; not a "
                     "real op, ONNX Runtime cannot run it) -> Gemm. Must survive import/export "
                     "unchanged.", reference=False)


# ---------------------------------------------------------------------------------------
# Default MNIST classifier
# ---------------------------------------------------------------------------------------

def read_idx(path):
    """Read a gzip-compressed IDX file (MNIST format) into a numpy array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    ndim = magic & 0xFF
    assert magic >> 8 == 0x08, "expected unsigned byte data"
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def make_mnist_mlp(epochs=8, batch_size=64, lr=1e-3):
    seed_everything("mnist_mlp")
    load = lambda f: read_idx(os.path.join(MNIST_DIR, f))
    x_tr = torch.from_numpy(load("train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255.0)
    y_tr = torch.from_numpy(load("train-labels-idx1-ubyte.gz").astype(np.int64))
    x_te = torch.from_numpy(load("t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255.0)
    y_te = torch.from_numpy(load("t10k-labels-idx1-ubyte.gz").astype(np.int64))
    print("  MNIST: %d train, %d test images" % (len(x_tr), len(x_te)))

    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed_for("mnist_mlp.shuffle"))
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(x_tr), generator=gen)
        total = 0.0
        for i in range(0, len(x_tr), batch_size):
            idx = perm[i:i + batch_size]
            loss = F.cross_entropy(model(x_tr[idx]), y_tr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            acc = (model(x_te).argmax(1) == y_te).float().mean().item()
        print("  epoch %d: train loss %.4f, test accuracy %.4f" % (epoch + 1, total / len(x_tr), acc))

    os.makedirs(MODELS, exist_ok=True)
    path = os.path.join(MODELS, "mnist_mlp.onnx")
    torch.onnx.export(model, (x_te[:BATCH],), path, opset_version=13,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    check_onnx(path)
    check_with_evaluator("mnist_mlp", path, model, [BATCH, 784], model(x_te[:BATCH]).detach().numpy(),
                         x_te[:BATCH].numpy())
    write_json(os.path.join(MODELS, "mnist_mlp.json"), {
        "test_accuracy": round(acc, 4),
        "trained_by": "scripts/make_fixtures.py (PyTorch %s)" % TORCH_VERSION,
        "data": "mnist-10k train split",
        "input_scaling": "pixel/255",
    })
    print("  mnist_mlp test accuracy: %.4f" % acc)
    return acc


# ---------------------------------------------------------------------------------------

def summarize():
    """Print every fixture's opset(s), size and op types."""
    print("\nSummary")
    paths = sorted(os.path.join(FIXTURES, f) for f in os.listdir(FIXTURES) if f.endswith(".onnx"))
    paths.append(os.path.join(MODELS, "mnist_mlp.onnx"))
    for p in paths:
        m = onnx.load(p)
        opsets = ",".join("%s:%d" % (o.domain or "ai.onnx", o.version) for o in m.opset_import)
        ops = sorted({(n.domain + "::" if n.domain else "") + n.op_type for n in m.graph.node})
        print("%-26s %8d B  ir=%d opset=%s\n    ops: %s"
              % (os.path.relpath(p, REPO_ROOT), os.path.getsize(p), m.ir_version, opsets, " ".join(ops)))


def main():
    torch.set_num_threads(1)  # bitwise-reproducible training and outputs
    os.makedirs(FIXTURES, exist_ok=True)
    steps = [make_mlps, make_cnn_bn, make_resnet_block, make_densenet_block,
             make_mobilenetv3_block, make_transformer_encoder,
             make_transformer_prenorm, make_transformer_postnorm, make_relu_attention,
             make_decoder_rmsnorm,
             make_hardswish_decomposed, make_layernorm_decomposed, make_se_gate,
             make_external_data, make_unknown_op, make_mnist_mlp]
    # `make_fixtures.py make_relu_attention ...` regenerates only the named steps
    wanted = sys.argv[1:]
    unknown = set(wanted) - {s.__name__ for s in steps}
    assert not unknown, "unknown steps: %s" % sorted(unknown)
    if wanted:
        steps = [s for s in steps if s.__name__ in wanted]
    for step in steps:
        print(step.__name__)
        step()
    summarize()
    total = sum(os.path.getsize(os.path.join(FIXTURES, f)) for f in os.listdir(FIXTURES))
    print("\nfixtures total: %.1f KB" % (total / 1024))
    assert total < 5 * 1024 * 1024, "fixtures exceed 5 MB"


if __name__ == "__main__":
    sys.exit(main())
