#!/usr/bin/python3
"""Graph clustering: ours against scikit-learn, and the kernel grid and Nyström timings.

    /usr/bin/python3 bench/graph.py [path/to/bench-graph] [repeats]

Default binary: build-release/bench/bench-graph.
1. Spectral clustering of a planted partition (5 blocks of 1,000 nodes, p_in 0.02, p_out 0.002,
   seed 1, written by bench-graph sbm): ours (sparse, block subspace iteration + k-means with 10
   restarts) against sklearn.cluster.SpectralClustering(affinity="precomputed") on the dense
   0/1 adjacency (its defaults: ARPACK, k-means with 10 restarts), `repeats` times each
   (default 5), interleaved. Medians of wall and CPU time, their ratio, ARI of both against the
   blocks, peak RSS (VmHWM) and what the run added to it after loading.
2. The kernel grid on 2,000 nodes: one eigendecomposition of A and one of L, then Forest,
   logForest, Communicability and logCommunicability at 10 values of the paper's α each, and
   kernel k-means (3 restarts) on every kernel.
3. Nyström kernel k-means on 100,000 points (10-D, 10 Gaussian blobs): RBF kernel, m = 1,000
   uniform landmarks, Newton–Schulz pseudo-inverse, then k-means (3 restarts) on the features.
The machines are shared: wall times move with the load; CPU times much less.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile

SKLEARN_CHILD = r"""
import json, sys, time
import numpy as np
import scipy.sparse as sp
from sklearn.cluster import SpectralClustering
from sklearn.metrics import adjusted_rand_score

def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

e = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, dtype=np.int64)
truth = np.loadtxt(sys.argv[2], dtype=int)
n = len(truth)
a = sp.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
a = (a + a.T).toarray()
base = hwm()
t0, c0 = time.perf_counter(), time.process_time()
labels = SpectralClustering(n_clusters=int(sys.argv[3]), affinity="precomputed", random_state=0).fit_predict(a)
sec, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({"seconds": sec, "cpu_seconds": cpu, "ari": adjusted_rand_score(truth, labels),
                  "base_rss_kib": base, "peak_rss_kib": hwm()}))
"""


def run_json(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def ari(a, b):
    from sklearn.metrics import adjusted_rand_score
    return adjusted_rand_score(a, b)


def med(rows, key):
    return statistics.median(r[key] for r in rows)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "build-release/bench/bench-graph"
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    import numpy as np

    with tempfile.TemporaryDirectory() as tmp:
        edges = os.path.join(tmp, "sbm.csv")
        truth_path = os.path.join(tmp, "truth.txt")
        ours_path = os.path.join(tmp, "ours.txt")
        info = run_json([binary, "sbm", "1000", "5", "0.02", "0.002", "1", edges, truth_path])
        truth = np.loadtxt(truth_path, dtype=int)
        sk, ours = [], []
        for _ in range(repeats):
            sk.append(run_json([sys.executable, "-c", SKLEARN_CHILD, edges, truth_path, "5"]))
            ours.append(run_json([binary, "spectral", edges, "5", ours_path]))
        our_ari = ari(truth, np.loadtxt(ours_path, dtype=int))
    print(f"-- spectral clustering, planted partition: {info['nodes']:,} nodes, {info['edges']:,} edges, k = 5 "
          f"(median of {repeats})")
    print(f"   scikit-learn SpectralClustering (dense precomputed affinity): {med(sk, 'seconds'):.3f} s wall, "
          f"{med(sk, 'cpu_seconds'):.3f} s CPU, ARI {sk[-1]['ari']:.4f}, peak RSS {max(r['peak_rss_kib'] for r in sk) / 1024:.0f} MiB "
          f"(+{max(r['peak_rss_kib'] - r['base_rss_kib'] for r in sk) / 1024:.0f} MiB for the fit)")
    print(f"   ours (sparse subspace iteration + k-means):                 {med(ours, 'seconds'):.3f} s wall, "
          f"{med(ours, 'cpu_seconds'):.3f} s CPU, ARI {our_ari:.4f}, peak RSS {max(r['peak_rss_kib'] for r in ours) / 1024:.0f} MiB "
          f"(+{max(r['peak_rss_kib'] - r['base_rss_kib'] for r in ours) / 1024:.0f} MiB for the fit)")
    print(f"   ratio scikit-learn / ours: {med(sk, 'seconds') / med(ours, 'seconds'):.1f}x wall, "
          f"{med(sk, 'cpu_seconds') / max(med(ours, 'cpu_seconds'), 1e-9):.1f}x CPU")

    grid = [run_json([binary, "grid", "2000", "10"]) for _ in range(max(1, repeats // 2))]
    g = grid[-1]
    print(f"-- kernel grid: {g['nodes']:,} nodes, {g['edges']:,} edges, {g['kernels']} kernels "
          f"(Forest, logForest, Comm, logComm × 10 α) + kernel k-means each (median of {len(grid)})")
    print(f"   eigendecompositions {med(grid, 'decomposition_seconds'):.2f} s, kernels {med(grid, 'kernel_seconds'):.2f} s, "
          f"kernel k-means {med(grid, 'kmeans_seconds'):.2f} s, total {med(grid, 'total_seconds'):.2f} s wall "
          f"({med(grid, 'decomposition_cpu_seconds'):.2f} s CPU for the decompositions, "
          f"{med(grid, 'total_cpu_seconds'):.2f} s CPU in all); "
          f"peak RSS {g['peak_rss_kib'] / 1024:.0f} MiB")
    print("   best ARI over α: " + ", ".join(f"{k} {v:.3f}" for k, v in g["best_ari"].items()))

    ny = [run_json([binary, "nystrom", "100000", "1000", "10"]) for _ in range(max(1, repeats // 2))]
    y = ny[-1]
    print(f"-- Nyström kernel k-means: {y['n']:,} points, m = {y['m']:,} landmarks (rank {y['rank']}), k = 10 "
          f"(median of {len(ny)})")
    print(f"   features {med(ny, 'nystrom_seconds'):.2f} s, k-means {med(ny, 'kmeans_seconds'):.2f} s, "
          f"total {med(ny, 'total_seconds'):.2f} s wall ({med(ny, 'total_cpu_seconds'):.2f} s CPU), ARI {y['ari']:.4f}, peak RSS {y['peak_rss_kib'] / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
