#!/usr/bin/python3
"""k-medoids: ours against R's cluster::pam from the same initial medoids, in one run.

    /usr/bin/python3 bench/kmedoids.py [BENCH_KMEDOIDS] [--quick]

FasterPAM vs pam(pamonce = 6) and PAM vs pam(pamonce = 0), both including the Euclidean
dissimilarity matrix (R: dist()); then our FastPAM1 vs our PAM for growing k. Medians of
3 repeats; the machine is shared, so read ratios, not absolute times.
"""
import json, os, subprocess, sys, tempfile, time

import numpy as np

BIN = next((a for a in sys.argv[1:] if not a.startswith("--")), "build-release/bench/bench-kmedoids")
QUICK = "--quick" in sys.argv
R_TIMEOUT = 600

R_SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages(library(cluster))
x <- as.matrix(read.csv(args[1], header = FALSE))
start <- scan(args[2], quiet = TRUE) + 1
pamonce <- as.integer(args[3]); repeats <- as.integer(args[4])
times <- numeric(repeats)
for (r in seq_len(repeats)) {
  t <- system.time({ d <- dist(x); p <- pam(d, k = length(start), medoids = start, pamonce = pamonce,
                                          diss = TRUE, cluster.only = FALSE) })
  times[r] <- t[["elapsed"]]
}
st <- readLines("/proc/self/status"); hwm <- st[grepl("^VmHWM", st)]
loss <- p$objective[["swap"]] * nrow(x)
cat(sprintf('{"seconds_total": %.6f, "loss": %.10g, "medoids": [%s], "peak_rss_kib": %s}\n',
            median(times), loss, paste(sort(p$id.med) - 1, collapse = ","), gsub("[^0-9]", "", hwm)))
"""


def blobs(n, d, centers, seed):
    rng = np.random.default_rng(seed)
    c = rng.uniform(-10, 10, size=(centers, d))
    lab = rng.integers(0, centers, size=n)
    return c[lab] + rng.normal(size=(n, d))


def write_case(tmp, n, d, k, seed):
    x = blobs(n, d, max(k, 5), seed)
    start = np.random.default_rng(seed + 1).choice(n, size=k, replace=False)
    data = os.path.join(tmp, f"x-{n}-{k}.csv")
    med = os.path.join(tmp, f"m-{n}-{k}.txt")
    np.savetxt(data, x, delimiter=",", fmt="%.17g")
    np.savetxt(med, start, fmt="%d")
    return data, med


def ours(data, med, algo, repeats=3):
    out = subprocess.run([BIN, data, med, algo, str(repeats)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def r_pam(rfile, data, med, pamonce, repeats=3):
    try:
        out = subprocess.run(["Rscript", rfile, data, med, str(pamonce), str(repeats)], capture_output=True,
                             text=True, timeout=R_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    cases = [(5000, 10, 10, "fasterpam", 6), (5000, 10, 100, "fasterpam", 6), (5000, 10, 10, "pam", 0),
             (20000, 10, 100, "fasterpam", 6)]
    if QUICK:
        cases = [(2000, 10, 10, "fasterpam", 6), (2000, 10, 10, "pam", 0)]
    with tempfile.TemporaryDirectory() as tmp:
        rfile = os.path.join(tmp, "pam.R")
        open(rfile, "w").write(R_SCRIPT)
        print(f"{'n':>6} {'k':>4} {'ours':<10} {'R':<12} {'ours s':>8} {'R s':>8} {'ratio':>6} "
              f"{'our loss':>14} {'R loss':>14} {'same':>5} {'our MiB':>8} {'R MiB':>7}")
        for n, d, k, algo, pamonce in cases:
            data, med = write_case(tmp, n, d, k, seed=n + k)
            o = ours(data, med, algo)
            r = r_pam(rfile, data, med, pamonce, repeats=1 if n > 10000 else 3)
            if r is None:
                print(f"{n:>6} {k:>4} {algo:<10} {'pamonce=' + str(pamonce):<12} {o['seconds_total']:>8.3f} "
                      f"{'n/a':>8} {'':>6} {o['loss']:>14.6f} {'(R did not finish in ' + str(R_TIMEOUT) + ' s)'}")
                continue
            same = sorted(o["medoids"]) == sorted(r["medoids"])
            print(f"{n:>6} {k:>4} {algo:<10} {'pamonce=' + str(pamonce):<12} {o['seconds_total']:>8.3f} "
                  f"{r['seconds_total']:>8.3f} {o['seconds_total'] / r['seconds_total']:>6.2f} {o['loss']:>14.6f} "
                  f"{r['loss']:>14.6f} {str(same):>5} {o['peak_rss_kib'] / 1024:>8.1f} "
                  f"{r['peak_rss_kib'] / 1024:>7.1f}")
        print("\nOur FastPAM1 against our PAM (n = 2,000, same start): the O(k) speed-up")
        print(f"{'k':>4} {'PAM s':>8} {'FastPAM1 s':>11} {'speed-up':>9} {'same loss':>10}")
        for k in ([5, 10] if QUICK else [5, 10, 20, 50]):
            data, med = write_case(tmp, 2000, 10, k, seed=7 + k)
            p = ours(data, med, "pam", repeats=1)
            f = ours(data, med, "fastpam1", repeats=3)
            print(f"{k:>4} {p['seconds_total']:>8.3f} {f['seconds_total']:>11.3f} "
                  f"{p['seconds_total'] / f['seconds_total']:>9.1f} {str(abs(p['loss'] - f['loss']) < 1e-9 * p['loss']):>10}")


if __name__ == "__main__":
    main()
