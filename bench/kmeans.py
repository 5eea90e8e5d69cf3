#!/usr/bin/python3
"""k-means, ours against scikit-learn, from the same initial centres.

    /usr/bin/python3 bench/kmeans.py [path/to/bench-kmeans] [repeats]

Default binary: build-release/bench/bench-kmeans. Generates 100,000 x 16 points (make_blobs,
50 centres, random_state 0), picks k = 50 initial centres with sklearn's kmeans_plusplus
(random_state 0), writes both as header-less CSV (17 significant digits) to a temporary
directory, then runs KMeans(algorithm="lloyd", init=centres, n_init=1) and our Lloyd (and
Hamerly) with the same max_iter and tol, each `repeats` times (default 5), and prints the
medians: time per iteration, their ratio, inertias, iterations and peak memory (ru_maxrss of
this process for scikit-learn, VmHWM as reported by the child for ours). Runs are
interleaved (sklearn, ours, sklearn, ...) so that load from other jobs hits both alike.

OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be set on the bench machines to pin OpenBLAS to one
kernel; for a fair comparison this script drops them for its own process only (re-executing
itself before numpy loads), so numpy's OpenBLAS picks its kernels the same way ours does
when they are unset. Our binary runs with the environment as given.
"""
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

PINNED = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
if any(v in os.environ for v in PINNED) and "CS_BENCH_ORIGINAL_ENV" not in os.environ:
    env = dict(os.environ)
    env["CS_BENCH_ORIGINAL_ENV"] = json.dumps({v: os.environ[v] for v in PINNED if v in os.environ})
    for v in PINNED:
        env.pop(v, None)
    os.execve(sys.executable, [sys.executable] + sys.argv, env)

import numpy as np  # noqa: E402
from sklearn.cluster import KMeans, kmeans_plusplus  # noqa: E402
from sklearn.datasets import make_blobs  # noqa: E402

N, D, K = 100_000, 16, 50
MAX_ITER, TOL = 300, 1e-4


def child_env():
    env = dict(os.environ)
    env.update(json.loads(env.pop("CS_BENCH_ORIGINAL_ENV", "{}")))
    return env


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "build-release/bench/bench-kmeans"
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    x, _ = make_blobs(n_samples=N, n_features=D, centers=K, cluster_std=2.0, random_state=0)
    init, _ = kmeans_plusplus(x, K, random_state=0)

    with tempfile.TemporaryDirectory() as tmp:
        data_path = os.path.join(tmp, "data.csv")
        init_path = os.path.join(tmp, "init.csv")
        np.savetxt(data_path, x, fmt="%.17g", delimiter=",")
        np.savetxt(init_path, init, fmt="%.17g", delimiter=",")

        # Interleaved, so that load from other jobs on a shared machine hits both sides alike.
        sk = []
        ours = {"lloyd": [], "hamerly": []}
        for _ in range(repeats):
            km = KMeans(n_clusters=K, init=init, n_init=1, max_iter=MAX_ITER, tol=TOL, algorithm="lloyd")
            t0 = time.perf_counter()
            km.fit(x)
            sec = time.perf_counter() - t0
            sk.append((sec / km.n_iter_, sec, km.n_iter_, km.inertia_))
            out = subprocess.run([binary, data_path, init_path, str(MAX_ITER), repr(TOL), "lloyd,hamerly"],
                                 check=True, capture_output=True, text=True, env=child_env()).stdout
            for line in out.splitlines():
                r = json.loads(line)
                ours[r["algorithm"]].append(r)
        sk_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def med(rows, key):
        return statistics.median(r[key] for r in rows)

    sk_per_iter = statistics.median(r[0] for r in sk)
    print("data: %d x %d, k = %d, max_iter %d, tol %g, %d repeats (medians)" % (N, D, K, MAX_ITER, TOL, repeats))
    print("scikit-learn lloyd: %.3f ms/iteration, %d iterations, %.3f s, inertia %.10g, peak RSS %.1f MiB"
          % (sk_per_iter * 1e3, sk[0][2], statistics.median(r[1] for r in sk), sk[0][3], sk_rss / 1024))
    for alg in ("lloyd", "hamerly"):
        rows = ours[alg]
        per_iter = med(rows, "seconds_per_iteration")
        print("clusterscope %-7s: %.3f ms/iteration, %d iterations, %.3f s, inertia %.10g, peak RSS %.1f MiB"
              % (alg, per_iter * 1e3, rows[0]["iterations"], med(rows, "seconds"), rows[0]["inertia"],
                 max(r["peak_rss_kib"] for r in rows) / 1024))
    ratio = med(ours["lloyd"], "seconds_per_iteration") / sk_per_iter
    print("ratio ours/sklearn (lloyd, time per iteration): %.2f  (< 1 means ours is faster)" % ratio)
    print("relative inertia difference (lloyd): %.2e" % (abs(ours["lloyd"][0]["inertia"] - sk[0][3]) / sk[0][3]))


if __name__ == "__main__":
    main()
