#!/usr/bin/python3
# gen-select-ref.py: numpy reference values for tests/test_select.c.
#
# For each case (n values from the LCG below, quantised to k/64 so that
# ties occur), writes: the case line "case N K", Donoho's sigma
# median(|d|)/0.6745 (numpy.median), the universal threshold
# sigma*sqrt(2 ln N), and the indices of the K largest |d| (ties: lower
# index first, a stable argsort).
#
# Usage: /usr/bin/python3 scripts/gen-select-ref.py > testdata/select/ref.txt
import numpy as np


def gen(n, seed):
    s = seed
    out = []
    for _ in range(n):
        s = (s * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        out.append(float(((s >> 33) % 401) - 200) / 64.0)
    return np.array(out)


def main():
    cases = [(1, 1), (2, 1), (3, 2), (10, 3), (11, 0), (64, 16), (65, 64),
             (100, 100), (257, 31), (1000, 125), (1001, 500)]
    for i, (n, k) in enumerate(cases):
        d = gen(n, 0x9e3779b97f4a7c15 + i)
        sigma = np.median(np.abs(d)) / 0.6745
        univ = sigma * np.sqrt(2 * np.log(n)) if n >= 2 else 0.0
        top = np.sort(np.argsort(-np.abs(d), kind="stable")[:k])
        print("case %d %d %d" % (n, k, 0x9e3779b97f4a7c15 + i))
        print("sigma %.17g" % sigma)
        print("univ %.17g" % univ)
        print("top " + " ".join(str(j) for j in top))


if __name__ == "__main__":
    main()
