#!/usr/bin/python3
# gen-pywt-ref.py: reference outputs of PyWavelets for the dwt tests
# (tests/test_wavelet.c, tests/test_dwt.c), written under testdata/pywt/.
#
# Usage: /usr/bin/python3 scripts/gen-pywt-ref.py [outdir]
#
# filters.txt: one line per wavelet and filter: "name kind F c0 ... cF-1",
# the coefficients as C99 hex floats (exact).
#
# <wavelet>.bin: little-endian. The 8 bytes "TSDPYW01", then records:
#   u32 kind, u32 mode, u32 n, u32 J, u32 nb, nb x u32 band lengths,
#   then the bands' float64 values one after the other.
# kind 0  pywt.wavedec(gen(n), w, mode, level=J): bands cA_J, cD_J..cD_1
# kind 1  pywt.dwt(gen(n), w, mode): bands cA, cD (J = 1)
# kind 2  pywt.idwt(g[:n], g[n:], w, mode) with g = gen(2n): one band
# kind 3  pywt.idwt(g[:n], None, w, mode), same g: one band
# kind 4  pywt.waverec(bands cut from gen(total), w, mode)[:n], where the
#         bands have the lengths of a J-level wavedec of n samples
# mode is tsdown's mode number (enum tsd_mode, the order of MODES below).
#
# gen(n) is a fixed pseudo-random sequence that tests/test_dwt.c
# computes too: a 64-bit LCG, values k/64 with k in [-1000, 1000], exact
# in binary, so no input needs storing.
import os
import struct
import sys

import numpy as np
import pywt

NAMES = (["haar"] + ["db%d" % i for i in range(1, 21)] +
         ["sym%d" % i for i in range(2, 21)] +
         ["coif%d" % i for i in range(1, 6)])
MODES = ["zero", "constant", "symmetric", "periodic", "smooth",
         "periodization", "reflect", "antisymmetric", "antireflect"]
SMALL = [1, 2, 3, 4, 5, 8, 11, 16, 17, 31, 32, 33, 63, 64]
REC_SMALL = [5, 17, 32, 63]
LONG = 1000
# n = LONG for every wavelet in these modes, for a sample in the others
LONG_MODES = ["symmetric"]
LONG_WAVELETS = ["haar", "db4", "db20", "sym5", "sym20",
                 "coif1", "coif5"]

M64 = (1 << 64) - 1


def gen(n):
    s = 0x853c49e6748fea9b
    out = np.empty(n)
    for i in range(n):
        s = (s * 6364136223846793005 + 1442695040888963407) & M64
        out[i] = ((s >> 33) % 2001 - 1000) / 64.0
    return out


def record(f, kind, mode, n, J, bands):
    bands = [np.asarray(b, dtype="<f8") for b in bands]
    f.write(struct.pack("<5I", kind, mode, n, J, len(bands)))
    f.write(struct.pack("<%dI" % len(bands), *[len(b) for b in bands]))
    for b in bands:
        f.write(b.tobytes())


def write_filters(path):
    with open(path, "w") as f:
        for name in NAMES:
            w = pywt.Wavelet(name)
            for kind in ("dec_lo", "dec_hi", "rec_lo", "rec_hi"):
                c = getattr(w, kind)
                f.write("%s %s %d %s\n" % (name, kind, len(c),
                        " ".join(float(v).hex() for v in c)))


def write_wavelet(path, name):
    w = pywt.Wavelet(name)
    F = w.dec_len
    with open(path, "wb") as f:
        f.write(b"TSDPYW01")
        for mi, mode in enumerate(MODES):
            for n in SMALL:
                # pywt loops forever on reflect/antireflect with n = 1
                if n == 1 and mode in ("reflect", "antireflect"):
                    continue
                x = gen(n)
                record(f, 1, mi, n, 1, pywt.dwt(x, w, mode))
                J = pywt.dwt_max_level(n, F)
                if J >= 2:
                    record(f, 0, mi, n, J, pywt.wavedec(x, w, mode, J))
            if mode in LONG_MODES or name in LONG_WAVELETS:
                J = pywt.dwt_max_level(LONG, F)
                record(f, 0, mi, LONG, J,
                       pywt.wavedec(gen(LONG), w, mode, J))
            for nc in sorted({F // 2, F // 2 + 1, 9, 20}):
                if nc < F // 2:
                    continue
                g = gen(2 * nc)
                record(f, 2, mi, nc, 0,
                       [pywt.idwt(g[:nc], g[nc:], w, mode)])
                record(f, 3, mi, nc, 0, [pywt.idwt(g[:nc], None, w, mode)])
            for n in REC_SMALL:
                J = pywt.dwt_max_level(n, F)
                if J < 1:
                    continue
                lens = [len(b) for b in
                        pywt.wavedec(np.zeros(n), w, mode, J)]
                g = gen(sum(lens))
                bands, pos = [], 0
                for ln in lens:
                    bands.append(g[pos:pos + ln])
                    pos += ln
                rec = pywt.waverec(bands, w, mode)[:n]
                assert len(rec) == n
                # one band of n samples; the test rebuilds the input
                record(f, 4, mi, n, J, [rec])


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "testdata/pywt"
    os.makedirs(out, exist_ok=True)
    assert pywt.__version__ == "1.1.1", pywt.__version__
    write_filters(os.path.join(out, "filters.txt"))
    for name in NAMES:
        write_wavelet(os.path.join(out, name + ".bin"), name)


if __name__ == "__main__":
    main()
