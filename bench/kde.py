#!/usr/bin/python3
"""2-D KDE, ours against SciPy's gaussian_kde, in one run.

    /usr/bin/python3 bench/kde.py [path/to/bench-kde] [repeats]

Default binary: build-release/bench/bench-kde. Draws 10,000 points from a seeded correlated
Gaussian mixture, writes them as header-less CSV (17 significant digits), and has our binary
compute the Scott-bandwidth surface on a 256 x 256 grid over its default extent (data range
padded by 3 bandwidths), binned (median of `repeats`, default 7) and exact (once). SciPy's
gaussian_kde (same points, Scott's rule, so the same H; checked) is evaluated on the same
nodes once, as it would be for a plot. Prints the times, the ratios and the maximum
differences relative to the peak. Then times our 512 x 512 binned surface on 1,000,000
points (median of 15 runs, the bandwidth moved on every run as a slider would) against the
50 ms target."""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from scipy.stats import gaussian_kde

N, GRID = 10_000, 256


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "build-release/bench/bench-kde"
    repeats = sys.argv[2] if len(sys.argv) > 2 else "7"
    rng = np.random.default_rng(0)
    k = rng.random(N) < 0.4
    a = rng.multivariate_normal([0.0, 0.0], [[1.0, 0.6], [0.6, 1.5]], N)
    b = rng.multivariate_normal([3.0, 2.0], [[0.5, -0.2], [-0.2, 0.4]], N)
    x = np.where(k[:, None], a, b)

    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data.csv")
        prefix = os.path.join(tmp, "grid")
        np.savetxt(data, x, fmt="%.17g", delimiter=",")
        out = subprocess.run([binary, "compare", data, prefix, str(GRID), repeats], check=True,
                             capture_output=True, text=True).stdout
        ours = json.loads(out)
        binned = np.fromfile(prefix + "-binned.bin", dtype="<f8")
        exact = np.fromfile(prefix + "-exact.bin", dtype="<f8")

    kde = gaussian_kde(x.T)
    h_diff = np.max(np.abs(kde.covariance.ravel() - np.array(ours["H"]))) / np.max(np.abs(kde.covariance))
    e = ours["extent"]
    gx, gy = np.meshgrid(np.linspace(e[0], e[1], GRID), np.linspace(e[2], e[3], GRID))
    t0 = time.perf_counter()
    ref = kde(np.vstack([gx.ravel(), gy.ravel()]))
    scipy_s = time.perf_counter() - t0
    peak = ref.max()

    print(f"{N:,} points, {GRID} x {GRID} grid, Scott bandwidth (H agrees with SciPy's to {h_diff:.1e})")
    print(f"  SciPy gaussian_kde   {scipy_s * 1e3:10.1f} ms")
    print(f"  ours exact           {ours['exact_s'] * 1e3:10.1f} ms   {scipy_s / ours['exact_s']:7.1f}x faster"
          f"   max |diff| / peak {np.max(np.abs(exact - ref)) / peak:.1e}")
    print(f"  ours binned (median) {ours['binned_s'] * 1e3:10.1f} ms   {scipy_s / ours['binned_s']:7.1f}x faster"
          f"   max |diff| / peak {np.max(np.abs(binned - ref)) / peak:.1e}")

    out = subprocess.run([binary, "large", "1000000", "512", "15"], check=True, capture_output=True, text=True).stdout
    large = json.loads(out)
    verdict = "meets" if large["median_s"] < 0.050 else "MISSES"
    print(f"1,000,000 points, 512 x 512 binned: median {large['median_s'] * 1e3:.1f} ms over {large['repeats']} runs"
          f" (first run, making FFT plans: {large['first_s'] * 1e3:.1f} ms) — {verdict} the 50 ms target")


if __name__ == "__main__":
    main()
