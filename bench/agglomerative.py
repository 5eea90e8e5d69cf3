#!/usr/bin/python3
"""Ward linkage, ours against SciPy, on the same 20,000 2-D points.

    /usr/bin/python3 bench/agglomerative.py [path/to/bench-agglomerative] [repeats] [n]

Default binary: build-release/bench/bench-agglomerative. Generates n (default 20,000) points in 8
Gaussian blobs (make_blobs, random_state 0), writes them as header-less CSV (17 significant digits),
then runs scipy.cluster.hierarchy.linkage(x, 'ward') (which builds the condensed distance matrix
with pdist and runs its nearest-neighbour chain on a copy) and ours (the chain on centroids, no
matrix) on 1 thread and on every core (OMP_NUM_THREADS), `repeats` times each (default 3),
interleaved so that load from other jobs hits both alike. Prints the median times, their ratio,
and peak memory: each side's peak RSS (VmHWM) and what the run added to the peak reached after
loading the data (SciPy runs in a child process of its own, like ours). Checks that the linkage
matrices agree: the same merges row for row, heights within 1e-9 relative.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.datasets import make_blobs

SCIPY_CHILD = r"""
import json, sys, time
import numpy as np
from scipy.cluster.hierarchy import linkage

def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

x = np.loadtxt(sys.argv[1], delimiter=",")
base = hwm()
t0 = time.perf_counter()
z = linkage(x, "ward")
sec = time.perf_counter() - t0
np.save(sys.argv[2], z)
print(json.dumps({"seconds": sec, "base_rss_kib": base, "peak_rss_kib": hwm()}))
"""


def run_json(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "build-release/bench/bench-agglomerative"
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 20_000
    centres = np.random.default_rng(0).uniform(-10, 10, size=(8, 2))
    x, _ = make_blobs(n_samples=n, centers=centres, cluster_std=1.0, random_state=0)
    cores = os.cpu_count() or 1

    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data.csv")
        sp_z = os.path.join(tmp, "scipy.npy")
        our_z = os.path.join(tmp, "ours.csv")
        np.savetxt(data, x, fmt="%.17g", delimiter=",")
        sp, ours1, oursn = [], [], []
        for _ in range(repeats):
            sp.append(run_json([sys.executable, "-c", SCIPY_CHILD, data, sp_z]))
            ours1.append(run_json([binary, data, "ward", our_z], dict(os.environ, OMP_NUM_THREADS="1")))
            oursn.append(run_json([binary, data, "ward", our_z], dict(os.environ, OMP_NUM_THREADS=str(cores))))
        zs = np.load(sp_z)
        zo = np.loadtxt(our_z, delimiter=",")
        same_rows = np.array_equal(zs[:, [0, 1, 3]], zo[:, [0, 1, 3]])
        rel = float(np.max(np.abs(zs[:, 2] - zo[:, 2]) / np.maximum(1.0, np.abs(zs[:, 2]))))

    def med(rows, key):
        return statistics.median(r[key] for r in rows)

    def mem(rows):
        peak = max(r["peak_rss_kib"] for r in rows) / 1024
        added = max(r["peak_rss_kib"] - r["base_rss_kib"] for r in rows) / 1024
        return "peak RSS %.1f MiB (the run added %.1f MiB)" % (peak, added)

    print("data: %d x 2 (8 blobs), Ward linkage, %d repeats (medians)" % (n, repeats))
    print("SciPy linkage     : %.3f s, %s" % (med(sp, "seconds"), mem(sp)))
    for name, rows in (("ours, 1 thread   ", ours1), ("ours, %d threads  " % cores, oursn)):
        print("%s: %.3f s, %s" % (name, med(rows, "seconds"), mem(rows)))
    print("ratio ours/SciPy (time): %.3f on 1 thread, %.3f on %d  (< 1 means ours is faster)"
          % (med(ours1, "seconds") / med(sp, "seconds"), med(oursn, "seconds") / med(sp, "seconds"), cores))
    print("ratio ours/SciPy (memory the run added): %.4f"
          % (max(r["peak_rss_kib"] - r["base_rss_kib"] for r in ours1)
             / max(1, max(r["peak_rss_kib"] - r["base_rss_kib"] for r in sp))))
    print("linkage matrices: merges %s, largest relative height difference %.2g"
          % ("identical" if same_rows else "DIFFER", rel))


if __name__ == "__main__":
    main()
