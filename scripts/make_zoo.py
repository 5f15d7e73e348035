#!/usr/bin/python3
"""Generate Orbit's ground-truth zoo (issue 15) and the control-flow fixtures (issue 14).

Run from the repository root with Debian's Python (torch 1.13, torchvision 0.14, onnx 1.12):

    /usr/bin/python3 scripts/make_zoo.py                 # everything
    /usr/bin/python3 scripts/make_zoo.py resnet18 tf_cnn # only the named models

Outputs (src/test/resources/zoo/)
    MODEL_opN.onnx           the model at opset N (torch exports: every N in 9, 13, 17 the exporter accepts)
    MODEL_opN.expected.json  the hand-written symmetry ground truth, in the file's parameter names
    MODEL.json               sidecar: input/output name, shape, dtype; files per opset; export failures
                             with the exporter's reason; how the architecture was reduced; reference source
    MODEL.input.bin          sample input (batch 2), raw little-endian float32, C order
    MODEL.output.bin         reference output for it, same format
src/test/resources/fixtures/{if_branch,loop_state}.{onnx,json,input.bin,output.bin} (fixture format of
    scripts/make_fixtures.py; if_branch also has .else.input.bin/.else.output.bin for its other branch)

Weights are random with fixed seeds (no downloads); torch runs single-threaded, so a rerun reproduces
the same files. Reference outputs: PyTorch in eval mode for the exports; for the hand-built graphs, a
torch.nn.functional computation written by hand (onnx 1.12 has no reference evaluator).
"""

import contextlib
import io
import json
import os
import sys
import zlib

import numpy as np
import onnx
import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zoo_claims  # noqa: E402
import zoo_expected  # noqa: E402
import zoo_handbuilt  # noqa: E402
import zoo_models  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZOO = os.path.join(REPO, "src", "test", "resources", "zoo")
FIXTURES = os.path.join(REPO, "src", "test", "resources", "fixtures")
OPSETS = (9, 13, 17)
FILE_LIMIT, ZOO_LIMIT = 5 * 2 ** 20, 30 * 2 ** 20
BATCH = zoo_models.BATCH
TORCH_VERSION = "1.13.1" if torch.__version__ == "1.13.0a0" else torch.__version__  # Debian's build string


def seed_for(name):
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def write_f32(path, array):
    np.ascontiguousarray(array, dtype="<f4").tofile(path)


def sidecar(name, description, source, reference, inputs, outputs, files, failures=None, extra=None):
    (in_name, x), = inputs.items()
    (out_name, y), = outputs.items()
    write_f32(os.path.join(ZOO, name + ".input.bin"), x)
    write_f32(os.path.join(ZOO, name + ".output.bin"), y)
    meta = {"model": name, "description": description, "source": source, "reference": reference,
            "input_shape": list(x.shape),
            "input": {"name": in_name, "shape": list(x.shape), "dtype": "float32", "file": name + ".input.bin"},
            "output": {"name": out_name, "shape": list(y.shape), "dtype": "float32", "file": name + ".output.bin"},
            "files": {str(k): v for k, v in sorted(files.items())},
            "export_failures": {str(k): v for k, v in sorted((failures or {}).items())}}
    meta.update(extra or {})
    write_json(os.path.join(ZOO, name + ".json"), meta)


def exporter_reason(e):
    """The exporter's own first line, without the traced-graph dump that follows it."""
    msg = str(e).strip().splitlines()[0]
    msg = msg.split("  [Caused by the value")[0]
    return "%s: %s" % (type(e).__name__, msg.strip())


def export(model, x, path, opset):
    quiet = io.StringIO()
    # grad on: nn.MultiheadAttention takes its fused fast path (not exportable) under no_grad
    with contextlib.redirect_stderr(quiet), contextlib.redirect_stdout(quiet), torch.enable_grad():
        torch.onnx.export(model, (x,), path, opset_version=opset, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    onnx.checker.check_model(onnx.load(path))


def write_expected(name, file_name, torch_model=None):
    m = onnx.load(os.path.join(ZOO, file_name))
    spec = zoo_expected.expected(name, file_name, m, torch_model)
    write_json(os.path.join(ZOO, file_name.replace(".onnx", ".expected.json")), spec)
    return spec


def make_torch_model(name):
    torch.manual_seed(seed_for(name))
    model, shape, description = zoo_models.TORCH_MODELS[name]()
    g = torch.Generator().manual_seed(seed_for(name + ".bn"))
    zoo_models.randomize_norms(model, lambda: torch.randn(8, *shape[1:], generator=g) * 1.5 + 0.3)
    x = torch.from_numpy(np.random.default_rng(seed_for(name + ".input")).standard_normal(shape).astype(np.float32))
    with torch.no_grad():
        y = model(x).numpy()
    zoo_claims.check(name, model, x)
    files, failures = {}, {}
    for opset in OPSETS:
        file_name = "%s_op%d.onnx" % (name, opset)
        path = os.path.join(ZOO, file_name)
        try:
            export(model, x, path, opset)
        except Exception as e:  # the exporter refuses this opset: record why
            failures[opset] = exporter_reason(e)
            if os.path.exists(path):
                os.remove(path)
            print("  %s opset %d: not exported: %s" % (name, opset, failures[opset]))
            continue
        files[opset] = file_name
        spec = write_expected(name, file_name, model)
        print("  %s: %d B, %d spaces, coverage %.3f" % (file_name, os.path.getsize(path), len(spec["spaces"]),
                                                        spec["totals"]["coverage"]))
    sidecar(name, description, "torch.onnx.export (PyTorch %s, torchvision %s), default settings (eval mode, "
            "constant folding: BatchNorm folded into Conv, Linear weights transposed for MatMul), dynamic batch"
            % (TORCH_VERSION, torchvision.__version__.split("+")[0]),
            "PyTorch %s in eval mode, float32, on the batch-2 input" % TORCH_VERSION,
            {"input": x.numpy()}, {"output": y}, files, failures)


def make_mlp_layernorm():
    """The issue's first example: Gemm -> LayerNorm (decomposed at opset 13) -> ReLU -> Gemm, from torch."""
    name = "mlp_layernorm"
    torch.manual_seed(seed_for(name))
    model = torch.nn.Sequential(torch.nn.Linear(20, 32), torch.nn.LayerNorm(32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
    zoo_models.randomize_norms(model)
    x = torch.from_numpy(np.random.default_rng(seed_for(name + ".input")).standard_normal((BATCH, 20)).astype(np.float32))
    with torch.no_grad():
        y = model(x).numpy()
    file_name = name + "_op13.onnx"
    export(model, x, os.path.join(ZOO, file_name), 13)
    write_expected(name, file_name, model)
    sidecar(name, "MLP 20-32-10 with LayerNorm before the ReLU: Gemm -> LayerNorm (decomposed by the opset-13 "
            "exporter into ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add) -> Relu -> Gemm.",
            "torch.onnx.export (PyTorch %s), opset 13 only (the issue's example)" % TORCH_VERSION,
            "PyTorch %s in eval mode, float32" % TORCH_VERSION, {"input": x.numpy()}, {"output": y}, {13: file_name})


def make_handbuilt(name):
    rng = np.random.default_rng(seed_for(name))
    built = zoo_handbuilt.HANDBUILT_ZOO[name](rng, BATCH)
    opset = built.model.opset_import[0].version
    file_name = "%s_op%d.onnx" % (name, opset)
    onnx.checker.check_model(built.model)
    onnx.save(built.model, os.path.join(ZOO, file_name))
    (in_name, x), = built.inputs.items()
    with torch.no_grad():
        y = built.reference(x).numpy()
    write_expected(name, file_name)
    sidecar(name, built.description, "onnx.helper (onnx %s), hand-built" % onnx.__version__,
            "computed by hand with torch.nn.functional from the same weights (onnx %s has no reference "
            "evaluator); ONNX Runtime reproduces it (ZooTest)" % onnx.__version__,
            built.inputs, {built.model.graph.output[0].name: y}, {opset: file_name})


def make_control_flow(name):
    rng = np.random.default_rng(seed_for(name))
    built = zoo_handbuilt.CONTROL_FLOW_FIXTURES[name](rng, BATCH)
    onnx.checker.check_model(built.model, full_check=True)
    onnx.save(built.model, os.path.join(FIXTURES, name + ".onnx"))
    x = built.inputs["input"]
    with torch.no_grad():
        y = built.reference(x).numpy()
    write_f32(os.path.join(FIXTURES, name + ".input.bin"), x)
    write_f32(os.path.join(FIXTURES, name + ".output.bin"), y)
    meta = {"input_shape": list(x.shape), "opset": built.model.opset_import[0].version,
            "description": built.description}
    if name == "if_branch":  # the other branch's sample and reference
        xe = x.copy()
        xe[:, 0] = -np.abs(xe[:, 0])
        with torch.no_grad():
            ye = built.reference(xe).numpy()
        write_f32(os.path.join(FIXTURES, name + ".else.input.bin"), xe)
        write_f32(os.path.join(FIXTURES, name + ".else.output.bin"), ye)
        meta["other_samples"] = {"else": {"input": name + ".else.input.bin", "output": name + ".else.output.bin",
                                          "branch": "else (8 kHz: Tanh)"}}
    write_json(os.path.join(FIXTURES, name + ".json"), meta)
    print("  fixtures/%s.onnx: %d B" % (name, os.path.getsize(os.path.join(FIXTURES, name + ".onnx"))))


def check_sizes():
    total = 0
    for f in sorted(os.listdir(ZOO)):
        size = os.path.getsize(os.path.join(ZOO, f))
        assert size < FILE_LIMIT, "%s is %d B, over the 5 MB limit" % (f, size)
        total += size
    assert total < ZOO_LIMIT, "the zoo is %d B, over the 30 MB limit" % total
    print("zoo: %d files, %.2f MB" % (len(os.listdir(ZOO)), total / 2 ** 20))


def main():
    torch.set_num_threads(1)
    os.makedirs(ZOO, exist_ok=True)
    steps = {name: (lambda n=name: make_torch_model(n)) for name in zoo_models.TORCH_MODELS}
    steps["mlp_layernorm"] = make_mlp_layernorm
    steps.update({name: (lambda n=name: make_handbuilt(n)) for name in zoo_handbuilt.HANDBUILT_ZOO})
    steps.update({name: (lambda n=name: make_control_flow(n)) for name in zoo_handbuilt.CONTROL_FLOW_FIXTURES})
    wanted = sys.argv[1:] or list(steps)
    unknown = set(wanted) - set(steps)
    assert not unknown, "unknown models: %s (known: %s)" % (sorted(unknown), sorted(steps))
    for name in wanted:
        print(name)
        steps[name]()
    check_sizes()


if __name__ == "__main__":
    main()
