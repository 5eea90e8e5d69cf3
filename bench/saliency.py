#!/usr/bin/python3
"""Saliency, ours against scikit-learn and numpy, on the same data in one run.

    /usr/bin/python3 bench/saliency.py [path/to/bench-saliency] [repeats]

Default binary: build-release/bench/bench-saliency; repeats default 5, and every figure is a
median over them. Two cases: the bundled digits (1797 x 64) with k = 10 k-means labels, which
our binary writes out together with the k-means centres, and 100,000 x 20 Gaussian blobs
(make_blobs, 8 centres, random_state 0) with their generating labels. Both go to a temporary
directory as header-less CSV (17 significant digits; the label in the last column) for our
binary and as .npy for the peers, so every side sees the same values.

1. Surrogate fit: cs_saliency_run (one-vs-rest L2 logistic regression, C = 1, by Newton on
   standardised features) against StandardScaler + LogisticRegression(C=1, multi_class="ovr")
   with solver "lbfgs" and "newton-cg". Both minimise 1/2 |w|^2 + C sum logloss with the
   intercept unpenalised, so the coefficients must agree; printed: max |coef difference| over
   max |coef|, and training accuracies. Ours also computes Hedges' g with intervals, Cliff's
   delta and the own-class Shapley maps in its time, so the ratio is conservative.
2. Exact linear Shapley values of every row for every class's logit: our
   cs_saliency_report_shapley (n x k calls) against numpy's coef * (X - mean) per class, with
   our fitted centre, scale and coefficients; both reduce to the mean |phi| per class and
   feature, which must agree to rounding.
3. KernelSHAP of the nearest-centre assignment (digits, default options): time and rows
   explained per second. The peer would be the `shap` package, which is only used if present.

Each fit runs in its own process, so peak memory (VmHWM) is per side and per case; it is
printed with the RSS right after loading the data (for the peers that includes importing
scikit-learn). Runs are interleaved (lbfgs, newton-cg, ours, lbfgs, ...) so that load from
other jobs on a shared machine hits all sides alike.

OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be set on the bench machines to pin OpenBLAS to one
kernel; as bench/kmeans.py does, this script drops them for itself and the peers (re-executing
itself before numpy loads), and gives our binary the environment as it was given.
"""
import importlib.util
import json
import os
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

BLOBS_N, BLOBS_D, BLOBS_K = 100_000, 20, 8
C = 1.0
# lbfgs: scikit-learn also stops on a relative objective change of 64 eps, which ends it before
# tol does (so its coefficients agree with ours only to ~1e-5, at a slightly higher objective);
# newton-cg: 1e-8 on the largest gradient entry, past which its line search fails.
SOLVERS = {"lbfgs": (1e-10, 10_000), "newton-cg": (1e-8, 100)}


def status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def peer_main(solver, path):
    """One scikit-learn fit, in a process of its own; prints one JSON line."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    data = np.load(path)
    x, y = data[:, :-1], data[:, -1].astype(int)
    rss_loaded = status_kib("VmRSS")
    tol, max_iter = SOLVERS[solver]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        t0 = time.perf_counter()
        z = StandardScaler().fit_transform(x)
        model = LogisticRegression(C=C, multi_class="ovr", solver=solver, tol=tol, max_iter=max_iter).fit(z, y)
        seconds = time.perf_counter() - t0
    f = model.decision_function(z)
    print(json.dumps({
        "fit_s": seconds,
        "coef": np.hstack([model.coef_, model.intercept_[:, None]]).ravel().tolist(),
        "surrogate_accuracy": float(np.mean(model.classes_[np.argmax(f, axis=1)] == y)),
        "model_accuracy": [float(np.mean((f[:, c] >= 0) == (y == cls))) for c, cls in enumerate(model.classes_)],
        "n_iter": [int(i) for i in np.ravel(model.n_iter_)],
        "warnings": len([w for w in caught if issubclass(w.category, ConvergenceWarning)]),
        "rss_loaded_kib": rss_loaded,
        "peak_kib": status_kib("VmHWM"),
    }))


def child_env():
    env = dict(os.environ)
    env.update(json.loads(env.pop("CS_BENCH_ORIGINAL_ENV", "{}")))
    return env


def run_json(argv, env=None):
    out = subprocess.run(argv, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out)


def numpy_shapley(x, ours):
    """The exact linear Shapley values of every row for every class, reduced as ours are."""
    k, d = ours["k"], ours["d"]
    w = np.array(ours["coef"]).reshape(k, d + 1)[:, :d] / np.array(ours["scale"])
    xc = x - np.array(ours["center"])
    mean_abs = np.empty((k, d))
    for c in range(k):
        mean_abs[c] = np.abs(w[c] * xc).mean(axis=0)
    return mean_abs


def objective(x, y, coef):
    """1/2 |w|^2 + C sum logloss, summed over the k one-vs-rest models, on StandardScaler's z."""
    std = x.std(axis=0)
    z = (x - x.mean(axis=0)) / np.where(std > 0, std, 1.0)
    w = coef.reshape(-1, z.shape[1] + 1)
    t = z @ w[:, :-1].T + w[:, -1]
    s = np.where(y[:, None] == np.arange(w.shape[0]), 1.0, 0.0)
    return 0.5 * np.sum(w[:, :-1] ** 2) + C * np.sum(np.logaddexp(0.0, t) - s * t)


def mib(kib):
    return kib / 1024


def bench_case(title, binary, csv_path, npy_path, centres_path, repeats):
    data = np.load(npy_path)
    x, y = data[:, :-1], data[:, -1].astype(int)
    ours_argv = [binary, "run", csv_path] + ([centres_path] if centres_path else [])
    peers = {s: [] for s in SOLVERS}
    ours = []
    numpy_s = []
    for _ in range(repeats):
        for s in SOLVERS:
            peers[s].append(run_json([sys.executable, os.path.abspath(__file__), "--peer", s, npy_path]))
        ours.append(run_json(ours_argv, env=child_env()))
        t0 = time.perf_counter()
        shap_np = numpy_shapley(x, ours[-1])
        numpy_s.append(time.perf_counter() - t0)

    o = ours[0]
    n, d, k = o["n"], o["d"], o["k"]
    coef = np.array(o["coef"])
    ours_obj = objective(x, y, coef)
    print(f"-- {title}: {n:,} x {d}, k = {k}; medians of {repeats} runs")
    print("surrogate fit, one-vs-rest L2 logistic regression, C = 1 on standardised features (ours also computes")
    print("   Hedges' g with intervals, Cliff's delta and the Shapley maps in its time: the ratio is conservative)")
    ours_fit = statistics.median(r["fit_s"] for r in ours)
    peak = mib(max(r["peak_fit_kib"] for r in ours))
    print(f"   {'ours cs_saliency_run (Newton)':32s} {ours_fit * 1e3:9.1f} ms {'':18s}"
          f" peak {peak:6.1f} MiB ({mib(o['rss_loaded_kib']):.1f} after loading)")
    print(f"      accuracy {o['surrogate_accuracy']:.4f} (argmax of the k logits),"
          f" {np.mean(o['model_accuracy']):.4f} (one-vs-rest models, mean); objective {ours_obj:.10g}")
    for s, rows in peers.items():
        p = rows[0]
        fit = statistics.median(r["fit_s"] for r in rows)
        diff = np.max(np.abs(np.array(p["coef"]) - coef)) / np.max(np.abs(coef))
        note = f", {p['warnings']} not converged" if p["warnings"] else ""
        name = "sklearn %s (tol %g)" % (s, SOLVERS[s][0])
        peak = mib(max(r["peak_kib"] for r in rows))
        print(f"   {name:32s} {fit * 1e3:9.1f} ms   ours/peer {ours_fit / fit:5.2f}"
              f"   peak {peak:6.1f} MiB ({mib(p['rss_loaded_kib']):.1f} after importing and loading)")
        excess = (objective(x, y, np.array(p["coef"])) - ours_obj) / abs(ours_obj)
        print(f"      accuracy {p['surrogate_accuracy']:.4f}, {np.mean(p['model_accuracy']):.4f};"
              f" max |coef diff| / max |coef| {diff:.1e}; objective {excess:+.1e} relative to ours;"
              f" iterations {min(p['n_iter'])}-{max(p['n_iter'])}{note}")

    ours_shap = statistics.median(r["shapley_s"] for r in ours)
    np_shap = statistics.median(numpy_s)
    ref = np.array(o["shapley_mean_abs"]).reshape(k, d)
    diff = np.max(np.abs(shap_np - ref)) / np.max(np.abs(ref))
    print(f"exact linear Shapley values, every row x class ({n * k * d:,} values, reduced to mean |phi|)")
    print(f"   {'ours cs_saliency_report_shapley':32s} {ours_shap * 1e3:9.2f} ms")
    print(f"   {'numpy coef * (X - mean)':32s} {np_shap * 1e3:9.2f} ms   ours/numpy {ours_shap / np_shap:5.2f}"
          f"   max |diff| / max {diff:.1e}")

    if centres_path:
        ks = statistics.median(r["kernelshap_s"] for r in ours)
        print(f"KernelSHAP of the nearest-centre assignment (defaults: {o['kernelshap_coalitions']} coalitions"
              f" per row, {o['kernelshap_background']} background rows, <= 200 rows per cluster)")
        print(f"   {'ours apply_kernelshap':32s} {ks * 1e3:9.1f} ms   {o['kernelshap_rows']} rows explained,"
              f" {o['kernelshap_rows'] / ks:.0f} rows/s;"
              f" peak {mib(max(r['peak_kernelshap_kib'] for r in ours)):.1f} MiB (whole run)")
        if importlib.util.find_spec("shap") is None:
            print("   peer: shap not installed")
        else:
            print("   peer: shap is installed, but this bench has no comparison with it yet")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--peer":
        peer_main(sys.argv[2], sys.argv[3])
        return
    binary = sys.argv[1] if len(sys.argv) > 1 else "build-release/bench/bench-saliency"
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5

    from sklearn.datasets import make_blobs

    with tempfile.TemporaryDirectory() as tmp:
        digits_csv = os.path.join(tmp, "digits.csv")
        digits_npy = os.path.join(tmp, "digits.npy")
        centres = os.path.join(tmp, "digits-centres.csv")
        subprocess.run([binary, "digits", digits_csv, centres], check=True, env=child_env())
        np.save(digits_npy, np.loadtxt(digits_csv, delimiter=","))

        blobs_csv = os.path.join(tmp, "blobs.csv")
        blobs_npy = os.path.join(tmp, "blobs.npy")
        x, y = make_blobs(n_samples=BLOBS_N, n_features=BLOBS_D, centers=BLOBS_K, cluster_std=2.0,
                          center_box=(-4.0, 4.0), random_state=0)
        data = np.hstack([x, y[:, None]])
        np.savetxt(blobs_csv, data, fmt="%.17g", delimiter=",")
        np.save(blobs_npy, data)

        bench_case("bundled digits, k-means labels", binary, digits_csv, digits_npy, centres, repeats)
        bench_case("Gaussian blobs", binary, blobs_csv, blobs_npy, None, repeats)


if __name__ == "__main__":
    main()
