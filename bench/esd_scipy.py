"""The peer of dev.orbit.bench.EsdBench: scipy.linalg.svdvals on the same matrix, same threads (OPENBLAS_NUM_THREADS set
by bench/esd-vs-scipy.sh), float64. Prints the times and the ratio Orbit / scipy.
Usage: esd_scipy.py MATRIX_FILE ORBIT_EIGENVALUES_FILE N REPS ORBIT_OUTPUT_FILE"""
import re
import statistics
import sys
import time

import numpy as np
import scipy
import scipy.linalg

matrix_file, eig_file, n, reps, orbit_out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
w = np.fromfile(matrix_file, dtype="<f8").reshape(n, n)
orbit_eigs = np.fromfile(eig_file, dtype="<f8")

scipy.linalg.svdvals(w[:256, :256])  # load LAPACK, start the thread pool
times, lam = [], None
for _ in range(reps):
    t = time.perf_counter()
    s = scipy.linalg.svdvals(w)
    lam = np.sort(s * s)
    times.append(time.perf_counter() - t)
scipy_s = statistics.median(times)

fields = dict(re.findall(r"(\w+)=(\S+)", open(orbit_out).read()))
orbit_s = float(fields["gram_eigvalsh_seconds"])
orbit_svd_s = float(fields["svdvals_seconds"])
upper = slice(n // 2, n)
agree = np.max(np.abs(orbit_eigs[upper] - lam[upper]) / lam[upper])
print(f"ESD of a {n}x{n} float64 Gaussian matrix, {fields['threads']} threads, median of {reps} (numpy {np.__version__}, scipy {scipy.__version__})")
print(f"  orbit  Gram + linalg_eigvalsh (libtorch)   {orbit_s:8.3f} s")
print(f"  orbit  linalg_svdvals, squared (libtorch)  {orbit_svd_s:8.3f} s")
print(f"  scipy  svdvals, squared and sorted         {scipy_s:8.3f} s")
print(f"  orbit full layer analysis (ESD + shuffled ESD + power-law scan + MP fits) {float(fields['full_layer_seconds']):.3f} s")
print(f"  eigenvalues agree with scipy's to {agree:.1e} (max relative difference, upper half of the spectrum)")
print(f"  ratio orbit/scipy                          {orbit_s / scipy_s:8.2f}   (target <= 1.0)")
