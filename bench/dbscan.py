#!/usr/bin/python3
"""DBSCAN, ours against scikit-learn, on the same 100,000 2-D points.

    /usr/bin/python3 bench/dbscan.py [path/to/bench-dbscan] [repeats]

Default binary: build-release/bench/bench-dbscan. Generates 95,000 points in 8 Gaussian blobs
(make_blobs, random_state 0) plus 5,000 uniform noise points, writes them as header-less CSV
(17 significant digits), then runs sklearn.cluster.DBSCAN (eps 0.1, min_samples 10, its
defaults otherwise: one thread for the neighbour search) and ours on 1 thread and on every core
(OMP_NUM_THREADS), `repeats` times each (default 5), interleaved so that load from other jobs
hits both alike. Prints the median times, their ratios, and peak memory: for each side the
process's peak RSS (VmHWM) and what the run added to the peak reached after loading the data
(scikit-learn runs in a child process of its own, like ours). Checks that the labels are equal.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.datasets import make_blobs

N_BLOBS, N_NOISE = 95_000, 5_000
EPS, MIN_SAMPLES = 0.1, 10

SKLEARN_CHILD = r"""
import json, sys, time
import numpy as np
from sklearn.cluster import DBSCAN

def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

x = np.loadtxt(sys.argv[1], delimiter=",")
eps, min_samples = float(sys.argv[2]), int(sys.argv[3])
base = hwm()
t0 = time.perf_counter()
m = DBSCAN(eps=eps, min_samples=min_samples).fit(x)
sec = time.perf_counter() - t0
np.savetxt(sys.argv[4], m.labels_, fmt="%d")
print(json.dumps({"seconds": sec, "clusters": int(m.labels_.max() + 1), "core": len(m.core_sample_indices_),
                  "noise": int((m.labels_ < 0).sum()), "base_rss_kib": base, "peak_rss_kib": hwm()}))
"""


def run_json(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "build-release/bench/bench-dbscan"
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    centres = np.random.default_rng(0).uniform(-10, 10, size=(8, 2))
    x, _ = make_blobs(n_samples=N_BLOBS, centers=centres, cluster_std=1.0, random_state=0)
    noise = np.random.default_rng(1).uniform(-13, 13, size=(N_NOISE, 2))
    x = np.vstack([x, noise])
    x = x[np.random.default_rng(2).permutation(len(x))]
    cores = os.cpu_count() or 1

    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data.csv")
        sk_labels = os.path.join(tmp, "sk.txt")
        our_labels = os.path.join(tmp, "ours.txt")
        np.savetxt(data, x, fmt="%.17g", delimiter=",")
        sk, ours1, oursn = [], [], []
        for _ in range(repeats):
            sk.append(run_json([sys.executable, "-c", SKLEARN_CHILD, data, repr(EPS), str(MIN_SAMPLES), sk_labels]))
            env1 = dict(os.environ, OMP_NUM_THREADS="1")
            ours1.append(run_json([binary, data, repr(EPS), str(MIN_SAMPLES), our_labels], env1))
            envn = dict(os.environ, OMP_NUM_THREADS=str(cores))
            oursn.append(run_json([binary, data, repr(EPS), str(MIN_SAMPLES), our_labels], envn))
        same = np.array_equal(np.loadtxt(sk_labels, dtype=int), np.loadtxt(our_labels, dtype=int))

    def med(rows, key):
        return statistics.median(r[key] for r in rows)

    def mem(rows):
        peak = max(r["peak_rss_kib"] for r in rows) / 1024
        added = max(r["peak_rss_kib"] - r["base_rss_kib"] for r in rows) / 1024
        return "peak RSS %.1f MiB (the run added %.1f MiB)" % (peak, added)

    print("data: %d x 2 (8 blobs + %d uniform noise), eps %g, min_samples %d, %d repeats (medians)"
          % (len(x), N_NOISE, EPS, MIN_SAMPLES, repeats))
    print("scikit-learn      : %.3f s, %d clusters, %d core, %d noise, %s"
          % (med(sk, "seconds"), sk[0]["clusters"], sk[0]["core"], sk[0]["noise"], mem(sk)))
    for name, rows in (("ours, 1 thread   ", ours1), ("ours, %d threads  " % cores, oursn)):
        print("%s: %.3f s, %d clusters, %d core, %d noise, %s"
              % (name, med(rows, "seconds"), rows[0]["clusters"], rows[0]["core"], rows[0]["noise"], mem(rows)))
    print("ratio ours/sklearn (time): %.3f on 1 thread, %.3f on %d  (< 1 means ours is faster)"
          % (med(ours1, "seconds") / med(sk, "seconds"), med(oursn, "seconds") / med(sk, "seconds"), cores))
    print("labels identical: %s" % ("yes" if same else "NO"))


if __name__ == "__main__":
    main()
