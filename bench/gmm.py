#!/usr/bin/python3
"""Gaussian mixtures, ours against scikit-learn's GaussianMixture, from the same start.

    /usr/bin/python3 bench/gmm.py [path/to/bench-gmm] [repeats]

Default binary: build-release/bench/bench-gmm. Generates 100,000 x 8 points (make_blobs, 10
centres of different spreads, random_state 0) and start labels from one short k-means
(KMeans(init="random", n_init=1, max_iter=5, random_state=0)). scikit-learn gets the
parameters of the M-step on those hard labels (weights_init, means_init, precisions_init, from
its own _estimate_gaussian_parameters); ours takes the labels and makes the same M-step.
Both fit a full-covariance mixture with k = 10, tol 1e-3, reg_covar 1e-6, max_iter 100, each
`repeats` times (default 3), interleaved so that load from other jobs hits both alike; the
script prints the medians of time per fit and per EM step, the ratio, the log-likelihood of
each final model (scikit-learn: score(X) * n) and peak memory (ru_maxrss of this process for
scikit-learn, which includes the data; VmHWM of the child for ours).
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
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.mixture import GaussianMixture
from sklearn.mixture._gaussian_mixture import (_compute_precision_cholesky,
                                               _estimate_gaussian_parameters)

N, D, K = 100_000, 8, 10
MAX_ITER, TOL, REG = 100, 1e-3, 1e-6


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "build-release/bench/bench-gmm"
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    rng = np.random.default_rng(0)
    x, _ = make_blobs(n_samples=N, n_features=D, centers=K, cluster_std=rng.uniform(0.5, 3.0, K),
                      center_box=(-8, 8), random_state=0)
    labels = KMeans(n_clusters=K, init="random", n_init=1, max_iter=5, random_state=0).fit(x).labels_
    resp = np.zeros((N, K))
    resp[np.arange(N), labels] = 1.0
    nk, means, cov = _estimate_gaussian_parameters(x, resp, REG, "full")
    chol = _compute_precision_cholesky(cov, "full")
    prec = np.array([c @ c.T for c in chol])
    weights = nk / N

    with tempfile.TemporaryDirectory() as tmp:
        data_path = os.path.join(tmp, "data.csv")
        labels_path = os.path.join(tmp, "labels.csv")
        np.savetxt(data_path, x, fmt="%.17g", delimiter=",")
        np.savetxt(labels_path, labels, fmt="%d")
        sk = []
        ours = []
        for _ in range(repeats):
            gm = GaussianMixture(n_components=K, covariance_type="full", tol=TOL, reg_covar=REG, max_iter=MAX_ITER,
                                 weights_init=weights, means_init=means, precisions_init=prec)
            t0 = time.perf_counter()
            gm.fit(x)
            sec = time.perf_counter() - t0
            sk.append({"seconds": sec, "iterations": gm.n_iter_, "seconds_per_iteration": sec / gm.n_iter_,
                       "loglik": gm.score(x) * N})
            out = subprocess.run([binary, data_path, labels_path, str(MAX_ITER), repr(TOL), "full"],
                                 check=True, capture_output=True, text=True).stdout
            ours.append(json.loads(out))
        sk_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def med(rows, key):
        return statistics.median(r[key] for r in rows)

    print("data: %d x %d, k = %d, full covariance, max_iter %d, tol %g, reg_covar %g, %d repeats (medians)"
          % (N, D, K, MAX_ITER, TOL, REG, repeats))
    print("scikit-learn: %.3f s, %d EM steps, %.2f ms/step, log-likelihood %.10g, peak RSS %.1f MiB"
          % (med(sk, "seconds"), sk[0]["iterations"], med(sk, "seconds_per_iteration") * 1e3, sk[0]["loglik"],
             sk_rss / 1024))
    print("clusterscope: %.3f s, %d EM steps, %.2f ms/step, log-likelihood %.10g, peak RSS %.1f MiB"
          % (med(ours, "seconds"), ours[0]["iterations"], med(ours, "seconds_per_iteration") * 1e3,
             ours[0]["loglik"], max(r["peak_rss_kib"] for r in ours) / 1024))
    print("speed-up sklearn/ours (whole fit): %.2fx   per EM step: %.2fx   (> 1 means ours is faster)"
          % (med(sk, "seconds") / med(ours, "seconds"),
             med(sk, "seconds_per_iteration") / med(ours, "seconds_per_iteration")))
    print("log-likelihood ours - sklearn: %+.6g (%+.3g per row)"
          % (ours[0]["loglik"] - sk[0]["loglik"], (ours[0]["loglik"] - sk[0]["loglik"]) / N))


if __name__ == "__main__":
    main()
