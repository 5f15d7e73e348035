#!/usr/bin/env python3
"""Writes the seed corpus of SafetensorsFuzzTest: small safetensors files (every element type Orbit reads, metadata,
an empty and a rank-0 tensor) and a shard index. Standard library only: the format is an 8-byte little-endian
header length, a JSON header, then the tensors' bytes tiling the data section. Run from anywhere; deterministic.
"""
import json
import os
import struct

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "dev", "orbit", "fuzz",
                   "SafetensorsFuzzTestInputs", "safetensors")

# name -> (struct format of one element, byte size)
TYPES = {"BOOL": ("B", 1), "U8": ("B", 1), "I8": ("b", 1), "I16": ("<h", 2), "F16": ("<e", 2), "BF16": (None, 2),
         "I32": ("<i", 4), "F32": ("<f", 4), "F64": ("<d", 8), "I64": ("<q", 8)}


def element(dtype, i):
    if dtype == "BOOL":
        return bytes([i % 2])
    if dtype == "BF16":  # the upper half of the float32 of a value exact in bfloat16
        return struct.pack("<f", (i % 7) * 1.5 - 4)[2:]
    fmt = TYPES[dtype][0]
    value = (i % 7) * 1.5 - 4 if dtype.startswith("F") else ((i % 7) * 37 if dtype == "U8" else (i % 7) * 3 - 9)
    return struct.pack(fmt, value)


def count(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def write(name, tensors, metadata=None):
    """tensors: list of (name, dtype, shape), laid out in list order."""
    header, data = {}, b""
    if metadata is not None:
        header["__metadata__"] = metadata
    for tname, dtype, shape in tensors:
        raw = b"".join(element(dtype, i) for i in range(count(shape)))
        header[tname] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


os.makedirs(OUT, exist_ok=True)
write("seed-f32-metadata.safetensors", [("w", "F32", [2, 3])], {"format": "pt"})
write("seed-every-type.safetensors", [(t.lower(), t, [3]) for t in
                                      ["I64", "F64", "F32", "I32", "BF16", "F16", "I16", "I8", "U8", "BOOL"]])
write("seed-empty-and-scalar.safetensors", [("scalar", "F32", []), ("empty", "F16", [0, 4])])
write("seed-layer.safetensors", [("model.layers.0.mlp.up_proj.weight", "BF16", [4, 2]),
                                 ("model.layers.0.input_layernorm.weight", "F32", [2])], {"format": "pt"})
index = {"metadata": {"total_size": 40},
         "weight_map": {"lm_head.weight": "model-00002-of-00002.safetensors",
                        "model.embed_tokens.weight": "model-00001-of-00002.safetensors"}}
with open(os.path.join(OUT, "seed-index.json"), "w") as f:
    json.dump(index, f, indent=2)
