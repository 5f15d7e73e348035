"""The peer of dev.orbit.bench.EsdBench (bench/esd-vs-scipy.sh), float64, threads from OPENBLAS_NUM_THREADS.
  esd_scipy.py round MATRIX N      one timing of numpy's Gram (w.T @ w) + scipy.linalg.eigvalsh with the faster of
                                   the drivers evd and evr (both timed, the faster printed)
  esd_scipy.py context MATRIX N ORBIT_EIGENVALUES ORBIT_OUTPUT   scipy's svdvals, and agreement with Orbit's eigenvalues
"""
import re
import sys
import time

import numpy as np
import scipy
import scipy.linalg

mode, matrix_file, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
w = np.fromfile(matrix_file, dtype="<f8").reshape(n, n)
scipy.linalg.eigvalsh(w[:256, :256].T @ w[:256, :256])  # load LAPACK, start the thread pool

if mode == "round":
    best, best_driver = None, None
    for driver in ("evd", "evr"):
        t = time.perf_counter()
        scipy.linalg.eigvalsh(w.T @ w, driver=driver, check_finite=False)
        s = time.perf_counter() - t
        if best is None or s < best:
            best, best_driver = s, driver
    print(f"peer esd-round n={n} gram_eigvalsh_seconds={best:.4f} driver={best_driver}")
else:
    eig_file, orbit_out = sys.argv[4], sys.argv[5]
    orbit_eigs = np.fromfile(eig_file, dtype="<f8")
    t = time.perf_counter()
    s = scipy.linalg.svdvals(w)
    svd_s = time.perf_counter() - t
    lam = np.sort(s * s)
    fields = dict(re.findall(r"(\w+)=(\S+)", open(orbit_out).read()))
    upper = slice(n // 2, n)
    agree = np.max(np.abs(orbit_eigs[upper] - lam[upper]) / lam[upper])
    print(f"context (one run each; numpy {np.__version__}, scipy {scipy.__version__}):")
    print(f"  orbit  Gram + linalg_eigvalsh            {float(fields['gram_eigvalsh_seconds']):8.3f} s")
    print(f"  orbit  linalg_svdvals, squared           {float(fields['svdvals_seconds']):8.3f} s")
    print(f"  scipy  svdvals, squared                  {svd_s:8.3f} s   (a different, ~3x costlier algorithm)")
    print(f"  orbit  full layer analysis (ESD + shuffled ESD + power-law scan + MP fits) {float(fields['full_layer_seconds']):.3f} s")
    print(f"  Orbit's eigenvalues agree with scipy's svdvals² to {agree:.1e} (max relative difference, upper half)")
