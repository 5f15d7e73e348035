"""The numpy peer of dev.orbit.bench.NngpBench (bench/nngp-vs-numpy.sh): the same depth-D ReLU NNGP kernel of the
first N bundled digits, vectorised, in place, float64.
  nngp_numpy.py round N DEPTH THREADS                 one timed kernel (after a warm-up), prints numpy ... seconds=S
  nngp_numpy.py compare N DEPTH KERNEL_FILE           max abs difference against Orbit's kernel
"""
import gzip, sys, time
import numpy as np

mode, n, depth = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
SW2, SB2 = 2.0, 0.01

def digits(n):
    with gzip.open("src/main/resources/data/mnist-10k/train-images-idx3-ubyte.gz") as f:
        raw = f.read()
    count, rows, cols = (int.from_bytes(raw[o:o + 4], "big") for o in (4, 8, 12))
    x = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(count, rows * cols)[:n]
    return (x.astype(np.float32) / np.float32(255)).astype(np.float64)  # Orbit reads pixels as float32 /255, then float64

def nngp(x):
    d = x.shape[1]
    k = x @ x.T
    k /= d
    q = np.einsum("ij,ij->i", x, x) / d
    s = np.empty_like(k)
    t = np.empty_like(k)
    for _ in range(depth):
        k *= SW2; k += SB2                       # Dense: Σ' = σ_w²Σ + σ_b²
        q = SW2 * q + SB2
        np.multiply.outer(q, q, out=s)           # ReLU: s = √max(0, q11·q22 − q12²)
        np.multiply(k, k, out=t)
        s -= t
        np.maximum(s, 0, out=s)
        np.sqrt(s, out=s)
        np.arctan2(s, k, out=t)                  # θ
        np.subtract(np.pi, t, out=t)             # π − θ
        k *= t
        k += s
        k /= 2 * np.pi                           # Σ' = (s + (π − θ)·q12)/2π
        q = q / 2
    k *= SW2; k += SB2                           # readout Dense
    return k

x = digits(n)
if mode == "round":
    nngp(x)  # warm-up
    t0 = time.perf_counter()
    nngp(x)
    print(f"numpy {np.__version__} nngp n={n} depth={depth} threads={sys.argv[4]} seconds={time.perf_counter() - t0:.4f}")
else:
    k = nngp(x)
    orbit = np.fromfile(sys.argv[4], dtype="<f8").reshape(n, n)
    diff = np.abs(orbit - k).max()
    print(f"  max abs difference between the kernels {diff:.2e} (kernel entries up to {np.abs(k).max():.3f}; "
          f"relative {diff / np.abs(k).max():.1e})")
