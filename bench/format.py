#!/usr/bin/python3
"""Writing numbers: the density grid as CSV, ours against the formatter it replaced and
Python's repr (shortest round-trip, David Gay's dtoa), in one run.

    /usr/bin/python3 bench/format.py [path/to/bench-format] [grid]

Default binary: build-release/bench/bench-format, grid 1024 (1,048,576 rows of x,y,density).
Ours is the median of 5 runs; the old formatter is timed on an eighth of the rows and scaled;
Python's repr is timed on the same values (and as many node coordinates), joined into the same CSV."""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "build-release/bench/bench-format"
    grid = sys.argv[2] if len(sys.argv) > 2 else "1024"
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "values.bin")
        ours = json.loads(subprocess.run([binary, path, grid], check=True, capture_output=True,
                                         text=True).stdout)
        values = np.fromfile(path, dtype="<f8").tolist()
    n = int(grid)
    xs = [repr(float(i)) for i in np.linspace(0.0, 1.0, n)]
    ys = [repr(float(j)) for j in np.linspace(0.0, 1.0, n)]
    t0 = time.perf_counter()
    parts = ["x,y,density\n"]
    for j in range(n):
        y = ys[j]
        row = values[j * n:(j + 1) * n]
        parts.append("".join(f"{xs[i]},{y},{v!r}\n" for i, v in enumerate(row)))
    text = "".join(parts)
    python_s = time.perf_counter() - t0
    print(f"{ours['rows']:,} rows of x,y,density ({ours['bytes'] / 1e6:.1f} MB)")
    print(f"  ours (cs_format_double)   {ours['new_s'] * 1e3:9.1f} ms")
    print(f"  old (%.6g .. %.17g loop)  {ours['old_s'] * 1e3:9.1f} ms   {ours['old_s'] / ours['new_s']:6.1f}x slower")
    print(f"  Python repr               {python_s * 1e3:9.1f} ms   {python_s / ours['new_s']:6.1f}x slower"
          f"   ({len(text) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
