#!/usr/bin/python3
"""gen-sax-ref.py: reference values for tests/test_sax.c and tests/test_paa.c.

Independent of the C code: breakpoints and decode values come from Python's
statistics.NormalDist (inv_cdf is Wichura's AS241, pdf from math.exp), PAA
from numpy. Run from the repository root:

    /usr/bin/python3 scripts/gen-sax-ref.py

and commit the files it writes under testdata/sax/.
"""
import os
from statistics import NormalDist

import numpy as np

OUT = "testdata/sax"
N = NormalDist()
ALPHAS = list(range(2, 65)) + [100, 128, 255, 256]


def breakpoints(a):
    return [N.inv_cdf(i / a) for i in range(1, a)]


def write_breakpoints(path):
    with open(path, "w") as f:
        f.write("# alpha i breakpoint_i = Phi^-1((i+1)/alpha), "
                "statistics.NormalDist().inv_cdf\n")
        for a in ALPHAS:
            for i, b in enumerate(breakpoints(a)):
                f.write("%d %d %.17g\n" % (a, i, b))


def write_decode(path):
    # conditional mean of N(0,1) on symbol k's interval [lo, hi):
    # (pdf(lo) - pdf(hi)) / (1/alpha); midpoint of the interval, the
    # outer intervals taking the quantile 1/(2 alpha) (resp. 1 - that).
    with open(path, "w") as f:
        f.write("# alpha k conditional_mean midpoint\n")
        for a in ALPHAS:
            bp = breakpoints(a)
            for k in range(a):
                lo = bp[k - 1] if k > 0 else None
                hi = bp[k] if k < a - 1 else None
                plo = N.pdf(lo) if lo is not None else 0.0
                phi = N.pdf(hi) if hi is not None else 0.0
                cm = (plo - phi) * a
                if lo is None:
                    mid = N.inv_cdf(0.5 / a)
                elif hi is None:
                    mid = -N.inv_cdf(0.5 / a)
                else:
                    mid = (lo + hi) / 2
                f.write("%d %d %.17g %.17g\n" % (a, k, cm, mid))


def paa(x, g, znorm):
    x = np.asarray(x, dtype=np.float64)
    if znorm:
        sd = x.std()  # population std, ddof=0
        x = np.zeros_like(x) if sd <= 1e-8 else (x - x.mean()) / sd
    return np.array([x[i:i + g].mean() for i in range(0, len(x), g)])


def write_paa(path):
    rng = np.random.default_rng(20240601)
    cases = []
    for n, g in [(1, 1), (7, 1), (8, 2), (9, 2), (10, 3), (16, 4),
                 (17, 4), (100, 7), (128, 16), (5, 8), (33, 33), (250, 10)]:
        x = rng.normal(3.0, 2.5, n) + np.linspace(0, 4, n)
        cases.append((x, g))
    cases.append((np.full(12, 4.25), 3))      # constant: flat window
    cases.append((np.full(10, 1e9 + 0.1), 4))  # large constant
    with open(path, "w") as f:
        f.write("# per case: 'case n group znorm', inputs, expected PAA\n")
        for x, g in cases:
            for z in (0, 1):
                f.write("case %d %d %d\n" % (len(x), g, z))
                f.write(" ".join("%.17g" % v for v in x) + "\n")
                f.write(" ".join("%.17g" % v for v in paa(x, g, z)) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    write_breakpoints(os.path.join(OUT, "breakpoints.txt"))
    write_decode(os.path.join(OUT, "decode.txt"))
    write_paa(os.path.join(OUT, "paa.txt"))


if __name__ == "__main__":
    main()
