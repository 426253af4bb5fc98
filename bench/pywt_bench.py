#!/usr/bin/python3
# pywt_bench.py: throughput of pywt.wavedec on the work that
# bench/dwt_bench.c times: a long signal cut into windows.
#
# Usage: /usr/bin/python3 bench/pywt_bench.py [window [total [wavelet [J [mode]]]]]
# Defaults: window 1024, total 1e7 samples, db4, J 5, symmetric. A window
# of 0 transforms the whole signal at once. Best of 3 runs.
import sys
import time

import numpy as np
import pywt


def main():
    a = sys.argv[1:]
    window = int(a[0]) if len(a) > 0 else 1024
    total = int(float(a[1])) if len(a) > 1 else 10000000
    wname = a[2] if len(a) > 2 else "db4"
    J = int(a[3]) if len(a) > 3 else 5
    mode = a[4] if len(a) > 4 else "symmetric"
    if window == 0 or window > total:
        window = total
    total -= total % window
    i = np.arange(total, dtype=np.uint64)
    x = ((i * np.uint64(2654435761)) % np.uint64(1000)).astype(float) / 100.0
    w = pywt.Wavelet(wname)
    best = 0.0
    sink = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        for off in range(0, total, window):
            c = pywt.wavedec(x[off:off + window], w, mode, J)
            sink += c[0][0]
        dt = time.perf_counter() - t0
        best = max(best, total / dt)
    print("pywt.wavedec %s J=%d %s window=%d total=%d: %.4g samples/s"
          " (checksum %g)" % (wname, J, mode, window, total, best, sink))


if __name__ == "__main__":
    main()
