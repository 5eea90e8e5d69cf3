#!/usr/bin/python3
"""Online k-means, ours against scikit-learn's MiniBatchKMeans, on the same data.

    /usr/bin/python3 bench/minibatch.py [path/to/bench-minibatch] [path/to/clusterscope-cli] [repeats]

Defaults: build-release/bench/bench-minibatch and build-release/app/clusterscope-cli. Data:
100,000 x 8 points (make_blobs, 10 centres of different spreads, random_state 0, rows in random
order). scikit-learn: MiniBatchKMeans(k = 10, batch_size 1024, n_init 3, its default max_iter
and early stop); its inertia_ is over every row. Ours: mini-batch and TELL, batch 1024, n_init 3,
5 passes; inertia over every row. Times are medians of `repeats` (default 3) fits, interleaved;
reading the data is not timed for either. Peak memory: ru_maxrss of this process for
scikit-learn (it includes the data), VmHWM of the child for ours (also with the data in memory),
and the CLI's --stream run on the same file with a 16 MiB budget (the file never held).
"""
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.cluster import MiniBatchKMeans
from sklearn.datasets import make_blobs

N, D, K, BATCH, EPOCHS = 100_000, 8, 10, 1024, 5


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "build-release/bench/bench-minibatch"
    cli = sys.argv[2] if len(sys.argv) > 2 else "build-release/app/clusterscope-cli"
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    rng = np.random.default_rng(0)
    x, _ = make_blobs(n_samples=N, n_features=D, centers=K, cluster_std=rng.uniform(0.5, 3.0, K),
                      center_box=(-8, 8), random_state=0)
    with tempfile.TemporaryDirectory() as tmp:
        data_path = os.path.join(tmp, "data.csv")
        np.savetxt(data_path, x, fmt="%.17g", delimiter=",")
        sk, mb, tell = [], [], []
        for r in range(repeats):
            km = MiniBatchKMeans(n_clusters=K, batch_size=BATCH, n_init=3, random_state=r)
            t0 = time.perf_counter()
            km.fit(x)
            sk.append({"seconds": time.perf_counter() - t0, "inertia": km.inertia_, "steps": km.n_steps_})
            for method, rows in (("minibatch", mb), ("tell", tell)):
                out = subprocess.run([binary, data_path, str(K), str(BATCH), str(EPOCHS), method, str(r)],
                                     check=True, capture_output=True, text=True).stdout
                rows.append(json.loads(out))
        sk_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with_header = os.path.join(tmp, "stream.csv")
        with open(with_header, "w") as f:
            f.write(",".join("x%d" % j for j in range(D)) + "\n")
            with open(data_path) as g:
                f.write(g.read())
        t0 = time.perf_counter()
        out = subprocess.run([cli, "cluster", with_header, "--algo", "online-kmeans", "-p", "k=%d" % K,
                              "-p", "batch_size=%d" % BATCH, "-p", "epochs=%d" % EPOCHS, "--scaling", "none",
                              "--stream", "--memory-budget", "16M", "--json"],
                             check=True, capture_output=True, text=True).stdout
        stream_sec = time.perf_counter() - t0
        stream = json.loads(out)
        size = os.path.getsize(with_header)

    def med(rows, key):
        return statistics.median(r[key] for r in rows)

    print("data: %d x %d, k = %d, batch %d, %d repeats (medians; inertia over every row)" % (N, D, K, BATCH, repeats))
    print("scikit-learn MiniBatchKMeans: %.3f s, %d batches, inertia %.10g, peak RSS %.1f MiB"
          % (med(sk, "seconds"), sk[0]["steps"], med(sk, "inertia"), sk_rss / 1024))
    for name, rows in (("clusterscope mini-batch", mb), ("clusterscope TELL", tell)):
        print("%s (%d passes): %.3f s, %d batches, inertia %.10g, peak RSS %.1f MiB; time ratio sklearn/ours %.2f, "
              "inertia ratio ours/sklearn %.5f"
              % (name, EPOCHS, med(rows, "seconds"), rows[0]["batches"], med(rows, "inertia"),
                 max(r["peak_rss_kib"] for r in rows) / 1024, med(sk, "seconds") / med(rows, "seconds"),
                 med(rows, "inertia") / med(sk, "inertia")))
    print("clusterscope-cli --stream (16 MiB budget, %.1f MiB file, %d passes, whole run with parsing): %.3f s, "
          "%d chunks, inertia %.10g, peak RSS %.1f MiB"
          % (size / 2**20, EPOCHS + 1, stream_sec, stream["chunks"], stream["objective"], stream["peak_rss"] / 2**20))


if __name__ == "__main__":
    main()
