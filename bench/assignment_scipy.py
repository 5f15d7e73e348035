"""The peer of dev.orbit.bench.AssignmentBench: scipy.optimize.linear_sum_assignment, driven line by line over
stdin/stdout so that the two sides alternate round by round while both processes stay warm.

It also makes the cost matrices (numpy's generator and BLAS product are the quick way to build them) and writes
each as raw little-endian float64, which the Java side reads: both sides solve the same bytes.

Commands (one per line; each answered with one line):
  hello                        -> "numpy=<version> scipy=<version>"
  gen KIND N SEED PATH         -> writes the N×N matrix to PATH, keeps it in memory; "ok"
                                  KIND uniform: U[0,1) entries; weights: −(Wa·Wbᵀ), Wa and Wb N×N standard normal
                                  (the similarity weight matching maximises, negated for minimisation);
                                  nearperm: the same with Wb a row-permuted copy of Wa plus equal-scale noise (N×N/4);
                                  degenerate ones: lowrankD: the same with Wa, Wb N×D (a layer of fan-in D);
                                  identical: one U[0,1) row repeated (dead or duplicate units); product: c = i·j
  solve [COLS_PATH]            -> times linear_sum_assignment on it (the solve only); "seconds=S cost=C"
                                  and, with COLS_PATH, writes the assigned columns as little-endian int32
  quit
"""
import sys
import time

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment


def generate(kind, n, seed):
    rng = np.random.default_rng(seed)
    if kind == "uniform":
        return rng.random((n, n))
    if kind == "weights" or kind.startswith("lowrank"):
        d = n if kind == "weights" else int(kind[len("lowrank"):])
        wa = rng.standard_normal((n, d))
        wb = rng.standard_normal((n, d))
        return -(wa @ wb.T)
    if kind == "nearperm":
        # weight matching between a layer and a permuted, noisy copy of it (fan-in n/4): the optimum is near the
        # planted permutation, as in the coordinate descent's later sweeps and in orbit membership
        d = max(1, n // 4)
        wa = rng.standard_normal((n, d))
        wb = wa[rng.permutation(n)] + rng.standard_normal((n, d))
        return -(wa @ wb.T)
    if kind == "identical":
        return np.tile(rng.random(n), (n, 1))
    if kind == "product":
        i = np.arange(n, dtype=np.float64)
        return np.outer(i, i)
    raise ValueError(f"unknown matrix kind {kind}")


def main():
    cost = None
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "hello":
            reply = f"numpy={np.__version__} scipy={scipy.__version__}"
        elif words[0] == "gen":
            kind, n, seed, path = words[1], int(words[2]), int(words[3]), words[4]
            cost = np.ascontiguousarray(generate(kind, n, seed), dtype="<f8")
            cost.tofile(path)
            reply = "ok"
        elif words[0] == "solve":
            t0 = time.perf_counter()
            rows, cols = linear_sum_assignment(cost)
            seconds = time.perf_counter() - t0
            if len(words) > 1:
                cols.astype("<i4").tofile(words[1])
            reply = f"seconds={seconds:.6f} cost={cost[rows, cols].sum():.17g}"
        elif words[0] == "quit":
            return
        else:
            reply = f"error unknown command {words[0]}"
        print(reply, flush=True)


if __name__ == "__main__":
    main()
