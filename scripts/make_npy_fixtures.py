#!/usr/bin/env python3
"""Writes the .npy fixtures of NpyReaderTest with numpy's own writer (any numpy >= 1.17; pyenv's python3 has one).

Each array holds values that are exact in every dtype it is stored as: value i is (i % 7) * 1.5 - 4 for floats
and (i % 7) * 3 - 9 for signed integers, (i % 7) * 37 for uint8. The test recomputes them.
"""
import io
import os

import numpy as np
from numpy.lib import format as npformat

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "npy")


def values(dtype, shape):
    n = int(np.prod(shape))
    i = np.arange(n) % 7
    kind = np.dtype(dtype).kind
    v = i * 1.5 - 4 if kind == "f" else (i * 37 if kind == "u" else i * 3 - 9)
    return v.astype(dtype).reshape(shape)


def write(name, array, version=None):
    buf = io.BytesIO()
    npformat.write_array(buf, array, version=version, allow_pickle=False)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(buf.getvalue())


def main():
    os.makedirs(OUT, exist_ok=True)
    for code in ["<f4", ">f4", "<f8", ">f8", "<i4", ">i4", "<i8", ">i8", "|u1"]:
        tag = ("le" if code[0] == "<" else "be" if code[0] == ">" else "na") + "-" + code[1:]
        write(f"v1-{tag}.npy", values(code, (2, 3, 4)), version=(1, 0))
    write("v2-le-f4.npy", values("<f4", (3, 5)), version=(2, 0))
    write("v3-le-f4.npy", values("<f4", (3, 5)), version=(3, 0))
    write("v1-scalar-f8.npy", values("<f8", ()), version=(1, 0))
    write("v1-empty-f4.npy", values("<f4", (0, 4)), version=(1, 0))
    write("v1-fortran-f4.npy", np.asfortranarray(values("<f4", (3, 4))), version=(1, 0))
    write("v1-le-f2.npy", values("<f2", (4,)), version=(1, 0))


if __name__ == "__main__":
    main()
