"""Hand-built zoo graphs (onnx.helper) in the shapes other exporters write, and the control-flow fixtures.

Each builder returns a Built(model, inputs, reference, description). onnx 1.12 has no reference evaluator
(`onnx.reference` arrived in 1.13), so every reference output is computed here by hand with
torch.nn.functional from the same numpy weights, independently of the graph; the Java ZooTest then checks
that ONNX Runtime on the graph reproduces it.
"""

import math
from collections import namedtuple

import numpy as np
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

Built = namedtuple("Built", "model inputs reference description")
T = torch.from_numpy


def weights(rng, *shape, fan_in=None):
    fan_in = fan_in or int(np.prod(shape[1:]))
    return (rng.standard_normal(shape) / math.sqrt(fan_in)).astype(np.float32)


def small(rng, *shape, scale=0.1):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def tensor_io(name, elem, *dims):
    return helper.make_tensor_value_info(name, elem, list(dims))


def const(name, array):
    """A Constant node holding `array` (tf2onnx and paddle2onnx write many weights this way)."""
    return helper.make_node("Constant", [], [name], name=name + "_const",
                            value=numpy_helper.from_array(np.asarray(array), name))


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def model_of(graph, opset, producer, ir_version=7):
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                             producer_name=producer, ir_version=ir_version)


# ---------------------------------------------------------------------------------------
# tf2onnx style: NHWC input, Transpose pairs around every Conv, BatchNorm folded into Mul/Add on the
# channel-last tensor, activations as Max(LeakyRelu(x), c) and Min(Max(x, 0), 6), all weights Constant nodes.
# ---------------------------------------------------------------------------------------

def tf_cnn(rng, batch):
    h = w = 16
    c1, c2, c3, n_out = 8, 16, 24, 10
    W1, B1 = weights(rng, c1, 3, 3, 3), small(rng, c1)
    W2, B2 = weights(rng, c2, c1, 3, 3), small(rng, c2)
    W3, B3 = weights(rng, c3, c2, 1, 1), small(rng, c3)
    s1, o1 = rng.uniform(0.5, 1.5, c1).astype(np.float32), small(rng, c1)
    s2, o2 = rng.uniform(0.5, 1.5, c2).astype(np.float32), small(rng, c2)
    W4, B4 = weights(rng, c3, n_out, fan_in=c3), small(rng, n_out)  # [in, out] as TF stores dense kernels
    floor = np.float32(-0.5)
    p = "model/"
    nodes = [const(p + "conv2d/Conv2D/ReadVariableOp:0", W1), const(p + "conv2d/BiasAdd/ReadVariableOp:0", B1),
             const(p + "batch_normalization/mul:0", s1), const(p + "batch_normalization/add:0", o1),
             const(p + "leaky_re_lu/floor:0", floor),
             const(p + "conv2d_1/Conv2D/ReadVariableOp:0", W2), const(p + "conv2d_1/BiasAdd/ReadVariableOp:0", B2),
             const(p + "batch_normalization_1/mul:0", s2), const(p + "batch_normalization_1/add:0", o2),
             const(p + "re_lu/zero:0", np.float32(0.0)), const(p + "re_lu/six:0", np.float32(6.0)),
             const(p + "conv2d_2/Conv2D/ReadVariableOp:0", W3), const(p + "conv2d_2/BiasAdd/ReadVariableOp:0", B3),
             const(p + "dense/MatMul/ReadVariableOp:0", W4), const(p + "dense/BiasAdd/ReadVariableOp:0", B4)]

    def conv(i, x, wname, bname, out, **attrs):
        n = p + "conv2d%s/" % ("" if i == 0 else "_%d" % i)
        return [helper.make_node("Transpose", [x], [n + "Conv2D__in:0"], name=n + "Conv2D__in", perm=[0, 3, 1, 2]),
                helper.make_node("Conv", [n + "Conv2D__in:0", wname, bname], [n + "BiasAdd:0"], name=n + "Conv2D",
                                 **attrs),
                helper.make_node("Transpose", [n + "BiasAdd:0"], [out], name=n + "BiasAdd__out", perm=[0, 2, 3, 1])]

    nodes += conv(0, "input_1", p + "conv2d/Conv2D/ReadVariableOp:0", p + "conv2d/BiasAdd/ReadVariableOp:0",
                  p + "conv2d/out:0", kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    nodes += [helper.make_node("Mul", [p + "conv2d/out:0", p + "batch_normalization/mul:0"], [p + "bn/mul_1:0"],
                               name=p + "batch_normalization/mul_1"),
              helper.make_node("Add", [p + "bn/mul_1:0", p + "batch_normalization/add:0"], [p + "bn/add_1:0"],
                               name=p + "batch_normalization/add_1"),
              helper.make_node("LeakyRelu", [p + "bn/add_1:0"], [p + "leaky_re_lu/LeakyRelu:0"],
                               name=p + "leaky_re_lu/LeakyRelu", alpha=0.2),
              helper.make_node("Max", [p + "leaky_re_lu/LeakyRelu:0", p + "leaky_re_lu/floor:0"],
                               [p + "leaky_re_lu/Maximum:0"], name=p + "leaky_re_lu/Maximum")]
    nodes += conv(1, p + "leaky_re_lu/Maximum:0", p + "conv2d_1/Conv2D/ReadVariableOp:0",
                  p + "conv2d_1/BiasAdd/ReadVariableOp:0", p + "conv2d_1/out:0",
                  kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2])
    nodes += [helper.make_node("Mul", [p + "conv2d_1/out:0", p + "batch_normalization_1/mul:0"], [p + "bn_1/mul_1:0"],
                               name=p + "batch_normalization_1/mul_1"),
              helper.make_node("Add", [p + "bn_1/mul_1:0", p + "batch_normalization_1/add:0"], [p + "bn_1/add_1:0"],
                               name=p + "batch_normalization_1/add_1"),
              helper.make_node("Max", [p + "bn_1/add_1:0", p + "re_lu/zero:0"], [p + "re_lu/Relu6/max:0"],
                               name=p + "re_lu/Relu6/max"),
              helper.make_node("Min", [p + "re_lu/Relu6/max:0", p + "re_lu/six:0"], [p + "re_lu/Relu6:0"],
                               name=p + "re_lu/Relu6")]
    nodes += conv(2, p + "re_lu/Relu6:0", p + "conv2d_2/Conv2D/ReadVariableOp:0",
                  p + "conv2d_2/BiasAdd/ReadVariableOp:0", p + "conv2d_2/out:0", kernel_shape=[1, 1])
    nodes += [helper.make_node("Relu", [p + "conv2d_2/out:0"], [p + "conv2d_2/Relu:0"], name=p + "conv2d_2/Relu"),
              helper.make_node("ReduceMean", [p + "conv2d_2/Relu:0"], [p + "global_average_pooling2d/Mean:0"],
                               name=p + "global_average_pooling2d/Mean", axes=[1, 2], keepdims=0),
              helper.make_node("MatMul", [p + "global_average_pooling2d/Mean:0", p + "dense/MatMul/ReadVariableOp:0"],
                               [p + "dense/MatMul:0"], name=p + "dense/MatMul"),
              helper.make_node("Add", [p + "dense/MatMul:0", p + "dense/BiasAdd/ReadVariableOp:0"], ["Identity"],
                               name=p + "dense/BiasAdd")]
    graph = helper.make_graph(nodes, "tf2onnx", [tensor_io("input_1", TensorProto.FLOAT, "unk__0", h, w, 3)],
                              [tensor_io("Identity", TensorProto.FLOAT, "unk__0", n_out)])
    model = model_of(graph, 13, "tf2onnx")
    x = rng.standard_normal((batch, h, w, 3)).astype(np.float32)

    def reference(x):
        y = F.conv2d(T(x).permute(0, 3, 1, 2), T(W1), T(B1), padding=1).permute(0, 2, 3, 1)
        y = torch.maximum(F.leaky_relu(y * T(s1) + T(o1), 0.2), torch.tensor(floor))
        y = F.conv2d(y.permute(0, 3, 1, 2), T(W2), T(B2), padding=1, stride=2).permute(0, 2, 3, 1)
        y = torch.clamp(y * T(s2) + T(o2), 0.0, 6.0)
        y = F.relu(F.conv2d(y.permute(0, 3, 1, 2), T(W3), T(B3)).permute(0, 2, 3, 1))
        return y.mean(dim=(1, 2)) @ T(W4) + T(B4)

    return Built(model, {"input_1": x}, reference,
                 "tf2onnx-style CNN (hand-built with onnx.helper, opset 13, producer 'tf2onnx'): NHWC input "
                 "[B,16,16,3]; three Convs each wrapped in a Transpose pair (NHWC->NCHW->NHWC); BatchNorm folded "
                 "into Mul/Add on the channel-last tensor; activations Max(LeakyRelu(x, 0.2), -0.5), "
                 "Min(Max(x, 0), 6) (ReLU6) and Relu; global average pool as ReduceMean over axes [1,2]; dense "
                 "layer as MatMul with a [in,out] kernel + Add. Every weight is a Constant node, no initializers.")


# ---------------------------------------------------------------------------------------
# paddle2onnx style: one fused QKV MatMul producing 3*h*d channels, Reshape [0,-1,3,h,d], Transpose [2,0,3,1,4],
# Gather 0/1/2 into q, k, v, softmax attention, post-norm residuals with decomposed LayerNorms.
# ---------------------------------------------------------------------------------------

def layer_norm_nodes(x, gamma, beta, eps, out, prefix):
    n = lambda s: prefix + s
    return [helper.make_node("ReduceMean", [x], [n("mean")], name=n("reduce_mean_0"), axes=[-1], keepdims=1),
            helper.make_node("Sub", [x, n("mean")], [n("centered")], name=n("sub")),
            helper.make_node("Pow", [n("centered"), n("two")], [n("sq")], name=n("pow")),
            helper.make_node("ReduceMean", [n("sq")], [n("var")], name=n("reduce_mean_1"), axes=[-1], keepdims=1),
            helper.make_node("Add", [n("var"), n("eps")], [n("var_eps")], name=n("add_eps")),
            helper.make_node("Sqrt", [n("var_eps")], [n("std")], name=n("sqrt")),
            helper.make_node("Div", [n("centered"), n("std")], [n("normed")], name=n("div")),
            helper.make_node("Mul", [n("normed"), gamma], [n("scaled")], name=n("mul")),
            helper.make_node("Add", [n("scaled"), beta], [out], name=n("add_bias"))], \
           [init(n("two"), np.float32(2.0)), init(n("eps"), np.float32(eps))]


def paddle_attention(rng, batch):
    t, d_in, d, h, ff, n_out, eps = 8, 32, 32, 4, 64, 10, 1e-5
    dh = d // h
    P = {"linear_0.w_0": weights(rng, d_in, d), "linear_0.b_0": small(rng, d),
         "linear_1.w_0": weights(rng, d, 3 * d), "linear_1.b_0": small(rng, 3 * d),
         "linear_2.w_0": weights(rng, d, d), "linear_2.b_0": small(rng, d),
         "layer_norm_0.w_0": rng.uniform(0.5, 1.5, d).astype(np.float32), "layer_norm_0.b_0": small(rng, d),
         "linear_3.w_0": weights(rng, d, ff), "linear_3.b_0": small(rng, ff),
         "linear_4.w_0": weights(rng, ff, d), "linear_4.b_0": small(rng, d),
         "layer_norm_1.w_0": rng.uniform(0.5, 1.5, d).astype(np.float32), "layer_norm_1.b_0": small(rng, d),
         "linear_5.w_0": weights(rng, d, n_out), "linear_5.b_0": small(rng, n_out)}
    inits = [init(k, v) for k, v in P.items()]
    inits += [init("shape_qkv", np.array([0, -1, 3, h, dh], np.int64)), init("shape_merge", np.array([0, -1, d], np.int64)),
              init("idx_q", np.array(0, np.int64)), init("idx_k", np.array(1, np.int64)), init("idx_v", np.array(2, np.int64)),
              init("scale_qk", np.float32(dh ** -0.5)),
              init("gelu_sqrt2", np.float32(math.sqrt(2.0))), init("gelu_one", np.float32(1.0)),
              init("gelu_half", np.float32(0.5))]
    mm = lambda a, w, b, out: [helper.make_node("MatMul", [a, w], [out + ".mm"], name=out + ".matmul"),
                               helper.make_node("Add", [out + ".mm", b], [out], name=out + ".add")]
    nodes = mm("x", "linear_0.w_0", "linear_0.b_0", "linear_0.tmp_1")
    nodes += mm("linear_0.tmp_1", "linear_1.w_0", "linear_1.b_0", "linear_1.tmp_1")
    nodes += [helper.make_node("Reshape", ["linear_1.tmp_1", "shape_qkv"], ["reshape2_0.tmp_0"], name="reshape2_0"),
              helper.make_node("Transpose", ["reshape2_0.tmp_0"], ["transpose2_0.tmp_0"], name="transpose2_0",
                               perm=[2, 0, 3, 1, 4])]
    for idx, nm in (("idx_q", "q"), ("idx_k", "k"), ("idx_v", "v")):
        nodes.append(helper.make_node("Gather", ["transpose2_0.tmp_0", idx], [nm + ".tmp_0"], name="gather_" + nm, axis=0))
    nodes += [helper.make_node("Transpose", ["k.tmp_0"], ["transpose2_1.tmp_0"], name="transpose2_1", perm=[0, 1, 3, 2]),
              helper.make_node("MatMul", ["q.tmp_0", "transpose2_1.tmp_0"], ["matmul_v2_0.tmp_0"], name="matmul_v2_0"),
              helper.make_node("Mul", ["matmul_v2_0.tmp_0", "scale_qk"], ["scale_0.tmp_0"], name="scale_0"),
              helper.make_node("Softmax", ["scale_0.tmp_0"], ["softmax_0.tmp_0"], name="softmax_0", axis=-1),
              helper.make_node("MatMul", ["softmax_0.tmp_0", "v.tmp_0"], ["matmul_v2_1.tmp_0"], name="matmul_v2_1"),
              helper.make_node("Transpose", ["matmul_v2_1.tmp_0"], ["transpose2_2.tmp_0"], name="transpose2_2",
                               perm=[0, 2, 1, 3]),
              helper.make_node("Reshape", ["transpose2_2.tmp_0", "shape_merge"], ["reshape2_1.tmp_0"], name="reshape2_1")]
    nodes += mm("reshape2_1.tmp_0", "linear_2.w_0", "linear_2.b_0", "linear_2.tmp_1")
    nodes.append(helper.make_node("Add", ["linear_0.tmp_1", "linear_2.tmp_1"], ["tmp_0"], name="elementwise_add_0"))
    ln, ln_inits = layer_norm_nodes("tmp_0", "layer_norm_0.w_0", "layer_norm_0.b_0", eps, "layer_norm_0.tmp_2", "layer_norm_0.")
    nodes += ln
    inits += ln_inits
    nodes += mm("layer_norm_0.tmp_2", "linear_3.w_0", "linear_3.b_0", "linear_3.tmp_1")
    nodes += [helper.make_node("Div", ["linear_3.tmp_1", "gelu_sqrt2"], ["gelu_0.div"], name="gelu_0.div"),
              helper.make_node("Erf", ["gelu_0.div"], ["gelu_0.erf"], name="gelu_0.erf"),
              helper.make_node("Add", ["gelu_0.erf", "gelu_one"], ["gelu_0.add"], name="gelu_0.add"),
              helper.make_node("Mul", ["linear_3.tmp_1", "gelu_0.add"], ["gelu_0.mul"], name="gelu_0.mul"),
              helper.make_node("Mul", ["gelu_0.mul", "gelu_half"], ["gelu_0.tmp_0"], name="gelu_0.half")]
    nodes += mm("gelu_0.tmp_0", "linear_4.w_0", "linear_4.b_0", "linear_4.tmp_1")
    nodes.append(helper.make_node("Add", ["layer_norm_0.tmp_2", "linear_4.tmp_1"], ["tmp_1"], name="elementwise_add_1"))
    ln, ln_inits = layer_norm_nodes("tmp_1", "layer_norm_1.w_0", "layer_norm_1.b_0", eps, "layer_norm_1.tmp_2", "layer_norm_1.")
    nodes += ln
    inits += ln_inits
    nodes += [helper.make_node("ReduceMean", ["layer_norm_1.tmp_2"], ["mean_0.tmp_0"], name="mean_0", axes=[1], keepdims=0)]
    nodes += mm("mean_0.tmp_0", "linear_5.w_0", "linear_5.b_0", "linear_5.tmp_1")
    graph = helper.make_graph(nodes, "paddle_attention", [tensor_io("x", TensorProto.FLOAT, "p2o.DynamicDimension.0", t, d_in)],
                              [tensor_io("linear_5.tmp_1", TensorProto.FLOAT, "p2o.DynamicDimension.0", n_out)],
                              initializer=inits)
    model = model_of(graph, 11, "PaddlePaddle", ir_version=6)
    x = rng.standard_normal((batch, t, d_in)).astype(np.float32)
    W = {k: T(v) for k, v in P.items()}

    def reference(x):
        h0 = T(x) @ W["linear_0.w_0"] + W["linear_0.b_0"]
        qkv = (h0 @ W["linear_1.w_0"] + W["linear_1.b_0"]).reshape(x.shape[0], t, 3, h, dh).permute(2, 0, 3, 1, 4)
        att = torch.softmax(qkv[0] @ qkv[1].transpose(-1, -2) * dh ** -0.5, dim=-1)
        ctx = (att @ qkv[2]).permute(0, 2, 1, 3).reshape(x.shape[0], t, d)
        h1 = F.layer_norm(h0 + ctx @ W["linear_2.w_0"] + W["linear_2.b_0"], (d,), W["layer_norm_0.w_0"], W["layer_norm_0.b_0"], eps)
        m = F.gelu(h1 @ W["linear_3.w_0"] + W["linear_3.b_0"]) @ W["linear_4.w_0"] + W["linear_4.b_0"]
        h2 = F.layer_norm(h1 + m, (d,), W["layer_norm_1.w_0"], W["layer_norm_1.b_0"], eps)
        return h2.mean(1) @ W["linear_5.w_0"] + W["linear_5.b_0"]

    return Built(model, {"x": x}, reference,
                 "paddle2onnx-style attention encoder (hand-built with onnx.helper, opset 11, producer 'PaddlePaddle', "
                 "Paddle tensor names): input [B,8,32]; linear embedding; ONE fused QKV MatMul 32->96 (+bias), "
                 "Reshape [0,-1,3,4,8], Transpose [2,0,3,1,4], Gather 0/1/2 into q, k, v (4 heads of 8); "
                 "q.kT * 8^-0.5, Softmax, .v, Transpose, Reshape [0,-1,32], output projection; post-norm residual "
                 "with LayerNorm decomposed into ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add; GELU MLP "
                 "32-64-32 (Erf form); second post-norm LayerNorm (decomposed); mean over tokens; linear head to 10.")


# ---------------------------------------------------------------------------------------
# MobileNetV3-style text detector: BatchNormalization after every Conv (kept as BN nodes), Hardswish,
# depthwise conv, one BN with running variances ~3.6e7, ConvTranspose upsampling, sigmoid probability map.
# ---------------------------------------------------------------------------------------

def detector(rng, batch):
    c0, c2, c3, c4 = 16, 24, 16, 8
    P, nodes = {}, []

    def bn(name, c, var_scale=1.0):
        P[name + ".weight"] = rng.uniform(0.5, 1.5, c).astype(np.float32)
        P[name + ".bias"] = small(rng, c)
        P[name + ".running_mean"] = small(rng, c)
        P[name + ".running_var"] = rng.uniform(0.5, 1.5, c).astype(np.float32)
        if var_scale != 1.0:  # huge statistics, gain grown to match: the function stays tame
            P[name + ".running_var"] *= np.float32(var_scale)
            P[name + ".weight"] *= np.sqrt(P[name + ".running_var"]).astype(np.float32)
            P[name + ".running_mean"] *= np.float32(math.sqrt(var_scale))

    def conv_bn(x, name, w, out, op="Conv", bn_scale=1.0, **attrs):
        P[name + ".conv.weight"] = w
        bn(name + ".bn", w.shape[1] if op == "ConvTranspose" else w.shape[0], bn_scale)
        nodes.extend([
            helper.make_node(op, [x, name + ".conv.weight"], [name + ".conv.out"], name=name + ".conv", **attrs),
            helper.make_node("BatchNormalization", [name + ".conv.out"] + [name + ".bn." + s for s in
                             ("weight", "bias", "running_mean", "running_var")], [out], name=name + ".bn",
                             epsilon=1e-5)])

    conv_bn("input", "backbone.conv0", weights(rng, c0, 3, 3, 3), "backbone.conv0.bn.out",
            kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    nodes += [helper.make_node("HardSigmoid", ["backbone.conv0.bn.out"], ["backbone.conv0.hsig"],
                               name="backbone.conv0.hardsigmoid", alpha=1.0 / 6, beta=0.5),
              helper.make_node("Mul", ["backbone.conv0.bn.out", "backbone.conv0.hsig"], ["backbone.conv0.act"],
                               name="backbone.conv0.hardswish")]
    conv_bn("backbone.conv0.act", "backbone.dw1", weights(rng, c0, 1, 3, 3), "backbone.dw1.bn.out",
            kernel_shape=[3, 3], pads=[1, 1, 1, 1], group=c0)
    nodes.append(helper.make_node("Relu", ["backbone.dw1.bn.out"], ["backbone.dw1.act"], name="backbone.dw1.relu"))
    conv_bn("backbone.dw1.act", "backbone.pw1", weights(rng, c2, c0, 1, 1), "backbone.pw1.bn.out", bn_scale=3.6e7,
            kernel_shape=[1, 1])
    conv_bn("backbone.pw1.bn.out", "head.conv", weights(rng, c3, c2, 3, 3), "head.conv.bn.out",
            kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    nodes.append(helper.make_node("Relu", ["head.conv.bn.out"], ["head.conv.act"], name="head.conv.relu"))
    conv_bn("head.conv.act", "head.up", weights(rng, c3, c4, 2, 2, fan_in=c3), "head.up.bn.out", op="ConvTranspose",
            kernel_shape=[2, 2], strides=[2, 2])
    nodes.append(helper.make_node("Relu", ["head.up.bn.out"], ["head.up.act"], name="head.up.relu"))
    P["head.out.weight"] = weights(rng, 1, c4, 1, 1)
    P["head.out.bias"] = np.full(1, -10.0, np.float32)  # background probability ~5e-5, as on a blank page
    nodes += [helper.make_node("Conv", ["head.up.act", "head.out.weight", "head.out.bias"], ["head.out.logits"],
                               name="head.out", kernel_shape=[1, 1]),
              helper.make_node("Sigmoid", ["head.out.logits"], ["maps"], name="head.sigmoid")]
    graph = helper.make_graph(nodes, "detector", [tensor_io("input", TensorProto.FLOAT, "batch", 3, 32, 32)],
                              [tensor_io("maps", TensorProto.FLOAT, "batch", 1, 32, 32)],
                              initializer=[init(k, v) for k, v in P.items()])
    model = model_of(graph, 13, "orbit-handwritten")
    x = rng.standard_normal((batch, 3, 32, 32)).astype(np.float32)
    W = {k: T(v) for k, v in P.items()}

    def bn_ref(y, name):
        return F.batch_norm(y, W[name + ".running_mean"], W[name + ".running_var"], W[name + ".weight"],
                            W[name + ".bias"], False, 0.0, 1e-5)

    def reference(x):
        y = bn_ref(F.conv2d(T(x), W["backbone.conv0.conv.weight"], stride=2, padding=1), "backbone.conv0.bn")
        y = F.hardswish(y)
        y = F.relu(bn_ref(F.conv2d(y, W["backbone.dw1.conv.weight"], padding=1, groups=c0), "backbone.dw1.bn"))
        y = bn_ref(F.conv2d(y, W["backbone.pw1.conv.weight"]), "backbone.pw1.bn")
        y = F.relu(bn_ref(F.conv2d(y, W["head.conv.conv.weight"], padding=1), "head.conv.bn"))
        y = F.relu(bn_ref(F.conv_transpose2d(y, W["head.up.conv.weight"], stride=2), "head.up.bn"))
        return torch.sigmoid(F.conv2d(y, W["head.out.weight"], W["head.out.bias"]))

    return Built(model, {"input": x}, reference,
                 "MobileNetV3-style text detector (hand-built with onnx.helper, opset 13): Conv 3->16 s2 + "
                 "BatchNormalization + Hardswish (x*HardSigmoid(x)), depthwise 3x3 + BN + Relu, 1x1 Conv 16->24 + BN "
                 "whose running_var entries are ~3.6e7 (gain grown to match; this BN holds almost all of sum|W|), "
                 "3x3 Conv 24->16 + BN + Relu, ConvTranspose 16->8 k2 s2 + BN + Relu, 1x1 Conv to 1 channel "
                 "(bias -10), Sigmoid: probability map [B,1,32,32] around 5e-5. Every BN is kept as a node.")


# ---------------------------------------------------------------------------------------
# Control flow (issue 14 item 5): If on a value computed from the input, Loop carrying a recurrent state.
# ---------------------------------------------------------------------------------------

def if_branch(rng, batch):
    d_in, d_h, n_out = 16, 32, 10
    Wa, ba = weights(rng, d_h, d_in), small(rng, d_h)
    Wb, bb = weights(rng, d_h, d_in), small(rng, d_h)
    Wo, bo = weights(rng, n_out, d_h), small(rng, n_out)
    then_g = helper.make_graph(
        [helper.make_node("Gemm", ["input", "wide.weight", "wide.bias"], ["then_h"], name="wide", transB=1),
         helper.make_node("Relu", ["then_h"], ["then_out"], name="wide_relu")],
        "rate_16k", [], [tensor_io("then_out", TensorProto.FLOAT, "batch", d_h)])
    else_g = helper.make_graph(
        [helper.make_node("Gemm", ["input", "narrow.weight", "narrow.bias"], ["else_h"], name="narrow", transB=1),
         helper.make_node("Tanh", ["else_h"], ["else_out"], name="narrow_tanh")],
        "rate_8k", [], [tensor_io("else_out", TensorProto.FLOAT, "batch", d_h)])
    nodes = [
        helper.make_node("Slice", ["input", "col0", "col1", "axis1"], ["rate_flag"], name="rate_flag"),
        helper.make_node("ReduceMax", ["rate_flag"], ["rate_max"], name="rate_max", keepdims=0),
        helper.make_node("Greater", ["rate_max", "zero"], ["is_16k"], name="is_16k"),
        helper.make_node("If", ["is_16k"], ["features"], name="sample_rate_switch", then_branch=then_g,
                         else_branch=else_g),
        helper.make_node("Gemm", ["features", "out.weight", "out.bias"], ["output"], name="out", transB=1)]
    inits = [init("wide.weight", Wa), init("wide.bias", ba), init("narrow.weight", Wb), init("narrow.bias", bb),
             init("out.weight", Wo), init("out.bias", bo), init("zero", np.float32(0.0)),
             init("col0", np.array([0], np.int64)), init("col1", np.array([1], np.int64)),
             init("axis1", np.array([1], np.int64))]
    graph = helper.make_graph(nodes, "if_branch", [tensor_io("input", TensorProto.FLOAT, "batch", d_in)],
                              [tensor_io("output", TensorProto.FLOAT, "batch", n_out)], initializer=inits)
    model = model_of(graph, 13, "orbit-handwritten")
    x = rng.standard_normal((batch, d_in)).astype(np.float32)
    x[:, 0] = np.abs(x[:, 0])  # the 16 kHz branch; the script writes the other branch's sample too

    def reference(x):
        x = T(x)
        if float(x[:, 0].max()) > 0:
            h = F.relu(F.linear(x, T(Wa), T(ba)))
        else:
            h = torch.tanh(F.linear(x, T(Wb), T(bb)))
        return F.linear(h, T(Wo), T(bo))

    return Built(model, {"input": x}, reference,
                 "If on a value computed from the input (a sample-rate switch): the batch's largest first feature "
                 "> 0 selects the then-branch Gemm(16->32)+Relu ('16 kHz'), otherwise the else-branch "
                 "Gemm(16->32)+Tanh ('8 kHz'); both branches read the outer-scope input and initializers; then "
                 "Gemm(32->10). Hand-built with onnx.helper, opset 13; reference computed by hand with torch.")


def loop_state(rng, batch):
    steps, d_in, d_h, n_out = 6, 8, 16, 10
    Wx, Wh, b = weights(rng, d_in, d_h), weights(rng, d_h, d_h), small(rng, d_h)
    Wo, bo = weights(rng, n_out, d_h), small(rng, n_out)
    body = helper.make_graph(
        [helper.make_node("Gather", ["input", "i"], ["x_t"], name="x_t", axis=1),
         helper.make_node("MatMul", ["x_t", "rnn.w_x"], ["xw"], name="xw"),
         helper.make_node("MatMul", ["h_in", "rnn.w_h"], ["hw"], name="hw"),
         helper.make_node("Add", ["xw", "hw"], ["pre0"], name="pre0"),
         helper.make_node("Add", ["pre0", "rnn.bias"], ["pre"], name="pre"),
         helper.make_node("Tanh", ["pre"], ["h_out"], name="h_t"),
         helper.make_node("Identity", ["cond_in"], ["cond_out"], name="keep_going")],
        "rnn_step",
        [tensor_io("i", TensorProto.INT64), tensor_io("cond_in", TensorProto.BOOL),
         tensor_io("h_in", TensorProto.FLOAT, "batch", d_h)],
        [tensor_io("cond_out", TensorProto.BOOL), tensor_io("h_out", TensorProto.FLOAT, "batch", d_h)])
    nodes = [
        helper.make_node("Shape", ["input"], ["in_shape"], name="in_shape"),
        helper.make_node("Gather", ["in_shape", "zero_idx"], ["batch_dim"], name="batch_dim", axis=0),
        helper.make_node("Concat", ["batch_dim", "hidden_dim"], ["h0_shape"], name="h0_shape", axis=0),
        helper.make_node("ConstantOfShape", ["h0_shape"], ["h0"], name="h0",
                         value=numpy_helper.from_array(np.zeros(1, np.float32))),
        helper.make_node("Loop", ["trip_count", "true", "h0"], ["h_last"], name="recurrence", body=body),
        helper.make_node("Gemm", ["h_last", "out.weight", "out.bias"], ["output"], name="out", transB=1)]
    inits = [init("rnn.w_x", Wx), init("rnn.w_h", Wh), init("rnn.bias", b), init("out.weight", Wo),
             init("out.bias", bo), init("zero_idx", np.array([0], np.int64)),
             init("hidden_dim", np.array([d_h], np.int64)), init("trip_count", np.array(steps, np.int64)),
             init("true", np.array(True))]
    graph = helper.make_graph(nodes, "loop_state", [tensor_io("input", TensorProto.FLOAT, "batch", steps, d_in)],
                              [tensor_io("output", TensorProto.FLOAT, "batch", n_out)], initializer=inits)
    model = model_of(graph, 13, "orbit-handwritten")
    x = rng.standard_normal((batch, steps, d_in)).astype(np.float32)

    def reference(x):
        h = torch.zeros(x.shape[0], d_h)
        for i in range(steps):
            h = torch.tanh(T(x[:, i]) @ T(Wx) + h @ T(Wh) + T(b))
        return F.linear(h, T(Wo), T(bo))

    return Built(model, {"input": x}, reference,
                 "Loop carrying a recurrent state: h0 = zeros [B,16] (ConstantOfShape of the batch size), 6 "
                 "iterations of h = tanh(x[:, i] W_x + h W_h + b) with the loop counter as Gather index into the "
                 "outer-scope input [B,6,8] and outer-scope weights, then Gemm(16->10) on the last state. "
                 "Hand-built with onnx.helper, opset 13; reference computed by hand with torch.")


HANDBUILT_ZOO = {"tf_cnn": tf_cnn, "paddle_attention": paddle_attention, "detector": detector}
CONTROL_FLOW_FIXTURES = {"if_branch": if_branch, "loop_state": loop_state}
