#!/usr/bin/python3
# pywt_pipe.py: the PyWavelets side of bench/dwt_pipe.sh. Reads the
# samples of a tsdown binary frame stream (one series) into memory, then
# times, best of 3, on the in-memory array:
#   pywt.wavedec of the whole array, and of the same windows as dwt -w W
#   pywt.wavedec + pywt.waverec of the whole array
# and prints one line per figure: "NAME SAMPLES_PER_SECOND".
#
# Usage: /usr/bin/python3 bench/pywt_pipe.py FILE WINDOW [wavelet [J [mode]]]
import sys
import time

import numpy as np
import pywt


def read_frames(path):
    """Values of the SAMPLES frames ('S') of a binary stream."""
    buf = open(path, "rb").read()
    assert buf[0] == 0x89 and buf[1:4] == b"TSD", "not a tsdown binary stream"
    pos, parts = 8, []
    while pos < len(buf):
        if buf[pos] == 0x89:                 # a repeated stream header
            pos += 8
            continue
        typ, flags = buf[pos], buf[pos + 1]
        length = int.from_bytes(buf[pos + 4:pos + 8], "little")
        if typ == ord("S"):
            # columns: times then values, or (flag 1, regular) t0, dt, values
            count = int.from_bytes(buf[pos + 12:pos + 16], "little")
            off = pos + 32 if flags & 1 else pos + 16 + 8 * count
            parts.append(np.frombuffer(buf, dtype=np.float64, count=count, offset=off))
        pos += 8 + length
    return np.concatenate(parts)


def best(fn, total):
    b = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        fn()
        b = max(b, total / (time.perf_counter() - t0))
    return b


def main():
    a = sys.argv[1:]
    x = read_frames(a[0])
    window = int(a[1])
    w = pywt.Wavelet(a[2] if len(a) > 2 else "db4")
    J = int(a[3]) if len(a) > 3 else 5
    mode = a[4] if len(a) > 4 else "symmetric"
    n = len(x)

    def windows():
        for off in range(0, n, window):
            pywt.wavedec(x[off:off + window], w, mode, J if n - off >= window else
                         max(1, min(J, pywt.dwt_max_level(n - off, w.dec_len))))

    def roundtrip():
        pywt.waverec(pywt.wavedec(x, w, mode, J), w, mode)

    print("pywt_wavedec_whole %.4g" % best(lambda: pywt.wavedec(x, w, mode, J), n))
    print("pywt_wavedec_windows %.4g" % best(windows, n))
    print("pywt_wavedec_waverec_whole %.4g" % best(roundtrip, n))


if __name__ == "__main__":
    main()
