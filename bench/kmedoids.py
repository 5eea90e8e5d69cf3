#!/usr/bin/python3
"""k-medoids: ours against R's cluster::pam from the same initial medoids on the same data.

    bench/kmedoids.py [BENCH_KMEDOIDS] [--repeats N] [--limit SECONDS] [--quick] [--full]
                        [--only peers|scaling]

BENCH_KMEDOIDS defaults to build-release/bench/bench-kmedoids. Data are Gaussian blobs in 10-D
from a fixed seed, written as CSV with every digit so both sides read the same doubles; the
initial medoids are drawn once per case and written as 0-based rows. Both timings include
building the Euclidean dissimilarity matrix (R: dist()). Every run is a separate process so
its peak RSS (VmHWM) is its own. A run taking over --limit seconds per repeat is stopped and
reported as such.

Our binary uses OpenMP (all cores unless OMP_NUM_THREADS says otherwise); R's pam is serial,
so the FasterPAM rows also give our time on one thread.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
R_SCRIPT = os.path.join(ROOT, "bench", "kmedoids.R")
SEED = 20240607
D = 10


class TimedOut(Exception):
    pass


def blobs(n, seed):
    """n points around 20 centres in [-10, 10]^D, unequal spreads and sizes."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-10, 10, size=(20, D))
    spread = rng.uniform(0.5, 2.0, size=20)
    which = rng.choice(20, size=n, p=rng.dirichlet(np.full(20, 5.0)))
    return centres[which] + rng.normal(size=(n, D)) * spread[which, None]


def write_case(tmp, n, k, seed):
    data = os.path.join(tmp, f"x-{n}.csv")
    if not os.path.exists(data):
        np.savetxt(data, blobs(n, seed), delimiter=",", fmt="%.17g")
    start = np.random.default_rng(seed + k).choice(n, size=k, replace=False)
    medoids = os.path.join(tmp, f"m-{n}-{k}.txt")
    np.savetxt(medoids, start, fmt="%d")
    return data, medoids


def run_json(cmd, limit, repeats, env=None):
    """limit is per repeat; the process gets that times repeats plus a few seconds to start."""
    try:
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=limit * repeats + 5, env=env)
    except subprocess.TimeoutExpired:
        raise TimedOut()
    except subprocess.CalledProcessError as e:
        sys.exit(f"{' '.join(cmd)} failed:\n{e.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def ours(binary, data, medoids, algorithm, repeats, limit, threads=None):
    env = dict(os.environ)
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)
    return run_json([binary, data, medoids, algorithm, str(repeats)], limit, repeats, env)


def theirs(data, medoids, pamonce, repeats, limit):
    return run_json(["Rscript", R_SCRIPT, data, medoids, str(pamonce), str(repeats)], limit, repeats)


def mib(kib):
    return f"{kib / 1024:.0f}"


def same_loss(a, b):
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def peers_table(a, tmp, n_small, n_large):
    # (n, k, ours, R's pamonce); classic PAM at k = 100 costs ~k n^2 per swap times ~k swaps.
    cases = [(n_small, 10, "fasterpam", 6), (n_small, 10, "fastpam1", 3), (n_small, 10, "pam", 0),
             (n_small, 100, "fasterpam", 6), (n_small, 100, "fastpam1", 3)]
    if a.full:
        cases.append((n_small, 100, "pam", 0))
    cases.append((n_large, 100, "fasterpam", 6))

    print(f"Gaussian blobs in {D}-D (seed {SEED}), the same random initial medoids for both; "
          f"medians of {a.repeats}; times include the distance matrix; limit {a.limit:.0f} s per repeat; "
          f"ours on {os.environ.get('OMP_NUM_THREADS', os.cpu_count())} threads, R serial")
    hdr = (f"{'n':>6} {'k':>4} {'ours':<9} {'R pamonce':>9} {'ours s':>8} {'ours 1t s':>9} {'R s':>8} "
           f"{'R/ours':>7} {'R/1t':>6} {'ours loss':>14} {'R loss':>14} {'same loss':>9} {'same medoids':>12} "
           f"{'ours MiB':>8} {'R MiB':>6}  swaps")
    print(hdr)
    print("-" * len(hdr))
    for n, k, algo, pamonce in cases:
        data, medoids = write_case(tmp, n, k, SEED)
        try:
            o = ours(a.binary, data, medoids, algo, a.repeats, a.limit)
        except TimedOut:
            print(f"{n:>6} {k:>4} {algo:<9} {pamonce:>9}  ours over {a.limit:.0f} s")
            continue
        o1 = None
        if algo == "fasterpam":
            try:
                o1 = ours(a.binary, data, medoids, algo, a.repeats, a.limit, threads=1)
            except TimedOut:
                pass
        try:
            r = theirs(data, medoids, pamonce, a.repeats, a.limit)
        except TimedOut:
            r = None
        t1s = f"{o1['seconds_total']:>9.3f}" if o1 else f"{'':>9}"
        if r is None:
            print(f"{n:>6} {k:>4} {algo:<9} {pamonce:>9} {o['seconds_total']:>8.3f} {t1s} "
                  f"{'>' + format(a.limit, '.0f'):>8} {'':>7} {'':>6} {o['loss']:>14.4f} {'(R stopped)':>14} "
                  f"{'':>9} {'':>12} {mib(o['peak_rss_kib']):>8} {'':>6}  {o['swaps']}")
            continue
        ratio = r["seconds_total"] / o["seconds_total"]
        ratio1 = f"{r['seconds_total'] / o1['seconds_total']:>6.1f}" if o1 else f"{'':>6}"
        same_m = "yes" if sorted(o["medoids"]) == sorted(r["medoids"]) else "no"
        print(f"{n:>6} {k:>4} {algo:<9} {pamonce:>9} {o['seconds_total']:>8.3f} {t1s} {r['seconds_total']:>8.3f} "
              f"{ratio:>7.1f} {ratio1} {o['loss']:>14.4f} {r['loss']:>14.4f} "
              f"{'yes' if same_loss(o['loss'], r['loss']) else 'NO':>9} {same_m:>12} "
              f"{mib(o['peak_rss_kib']):>8} {mib(r['peak_rss_kib']):>6}  {o['swaps']}")
        sys.stdout.flush()
    if not a.full:
        print("  Classic PAM at k = 100 skipped: both sides cost O(k n^2) per swap and need about k swaps,\n"
              "  about an hour per run for R's pamonce = 0 at n = 5,000 (46 s for 16 swaps at k = 10); --full runs it.")


def scaling_table(a, tmp, n_scaling):
    # One thread: the question is the algorithmic ratio, and OpenMP on a busy 2-core machine adds
    # spikes of its own.
    print(f"Our FastPAM1 vs our PAM (n = {n_scaling}, same start, one thread, medians of {a.repeats}); "
          f"'swap s' leaves out the distance matrix")
    hdr = (f"{'k':>4} {'PAM s':>8} {'FastPAM1 s':>10} {'PAM swap s':>10} {'FP1 swap s':>10} "
           f"{'speed-up (swap)':>15} {'same loss':>9} {'swaps':>6}")
    print(hdr)
    print("-" * len(hdr))
    for k in (5, 10, 20, 50):
        data, medoids = write_case(tmp, n_scaling, k, SEED + 1)
        try:
            p = ours(a.binary, data, medoids, "pam", a.repeats, a.limit, threads=1)
            f = ours(a.binary, data, medoids, "fastpam1", a.repeats, a.limit, threads=1)
        except TimedOut:
            print(f"{k:>4}  over {a.limit:.0f} s")
            continue
        ps = p["seconds_total"] - p["seconds_dissim"]
        fs = f["seconds_total"] - f["seconds_dissim"]
        print(f"{k:>4} {p['seconds_total']:>8.3f} {f['seconds_total']:>10.3f} {ps:>10.3f} {fs:>10.3f} "
              f"{ps / max(fs, 1e-9):>15.1f} {'yes' if same_loss(p['loss'], f['loss']) else 'NO':>9} "
              f"{p['swaps']:>6}")
        sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary", nargs="?", default=os.path.join(ROOT, "build-release", "bench", "bench-kmedoids"))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--limit", type=float, default=300.0, help="seconds per repeat before giving up on a run")
    ap.add_argument("--quick", action="store_true", help="n = 1,000 / 2,000 / 500 instead of 5,000 / 20,000 / 2,000")
    ap.add_argument("--only", choices=("peers", "scaling"), help="just the table against R, or just FastPAM1 vs PAM")
    ap.add_argument("--full", action="store_true", help="also classic PAM at k = 100 (both sides: O(k n^2) per swap)")
    a = ap.parse_args()
    if not os.access(a.binary, os.X_OK):
        sys.exit(f"{a.binary}: not built (meson setup build-release -Dbuildtype=release; meson compile -C build-release)")

    n_small, n_large, n_scaling = (1000, 2000, 500) if a.quick else (5000, 20000, 2000)
    with tempfile.TemporaryDirectory(prefix="kmedoids-bench-") as tmp:
        if a.only != "scaling":
            peers_table(a, tmp, n_small, n_large)
        if a.only is None:
            print()
        if a.only != "peers":
            scaling_table(a, tmp, n_scaling)


if __name__ == "__main__":
    main()
