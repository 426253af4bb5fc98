#!/usr/bin/env python3
"""Write the hostile input corpus of tests/cli/hostile.sh into testdata/hostile/.

Each file is input a careful attacker or a broken producer could send to
any tool: extreme and non-finite values, times centuries apart, control
characters and NUL bytes in series names, huge fields, coefficient windows
that declare 2^26 or 2^28 samples in a 100-byte frame, windows that end
before they start, truncated frames and byte flips of valid frames.

The binary frames are written from the format in tsd-frames(5), not with
the tools, so that the corpus holds what no tsdown writer would produce.
Deterministic: the same files on every run (random.Random(17)).

usage: scripts/gen-hostile.py [DIR]   (default testdata/hostile)
"""
import gzip
import os
import random
import struct
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "testdata/hostile"


def pad8(b):
    return b + b"\0" * (-len(b) % 8)


def frame(kind, payload, flags=0, aux=0):
    payload = pad8(payload)
    return struct.pack("<BBHI", ord(kind), flags, aux, len(payload)) + payload


HDR = b"\x89TSD" + struct.pack("<HH", 1, 0)


def name(sid, nm):
    return frame("N", struct.pack("<I", sid) + nm)


def samples(sid, ts, vs):
    return frame("S", struct.pack("<II", sid, len(ts)) + struct.pack("<%dq" % len(ts), *ts)
                 + struct.pack("<%dd" % len(vs), *vs))


def regular(sid, t0, dt, vs):
    return frame("S", struct.pack("<IIqq", sid, len(vs), t0, dt) + struct.pack("<%dd" % len(vs), *vs),
                 flags=1)


def window(sid, n, win, t0, t1, levels, wav=b"haar", mode=b"periodization", flags=0):
    p = struct.pack("<IIqqq", sid, n, win, t0, t1) + bytes([levels]) + b"\0" * 7
    p += wav.ljust(8, b"\0") + mode.ljust(16, b"\0")
    return frame("W", p, flags=flags)


def coefs(sid, level, kind, win, start, vs, scores=None):
    p = struct.pack("<IBBHqII", sid, level, kind, 0, win, start, len(vs)) + struct.pack("<%dd" % len(vs), *vs)
    flags = 0
    if scores is not None:
        p += pad8(struct.pack("<%df" % len(scores), *scores))
        flags = 1
    return frame("C", p, flags=flags)


def end(sid, win):
    return frame("E", struct.pack("<Iiq", sid, 0, win))


SEC = 10**9
T0 = 1700000000 * SEC


def put(fn, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    path = os.path.join(OUT, fn)
    if fn.endswith(".gz"):
        with gzip.GzipFile(path, "wb", mtime=0) as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        return
    with open(path, mode, newline="" if mode == "w" else None) as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    rnd = random.Random(17)

    # ---- CSV
    rows = ["timestamp,value"]
    for i in range(64):
        v = [1.7e308, -1.7e308, 1e308, -1e308, 5e-324, 0.0][i % 6]
        rows.append("%d,%r" % (1700000000 + i, v))
    put("extreme-values.csv", "\n".join(rows) + "\n")
    put("max-values.csv", "timestamp,value\n" + "".join("%d,1.7976931348623157e308\n" % (1700000000 + i) for i in range(64)))
    put("alternating-max.csv", "timestamp,value\n" + "".join(
        "%d,%s1.7976931348623157e308\n" % (1700000000 + i, "-" if i % 2 else "") for i in range(64)))
    put("nan-values.csv", "timestamp,value\n" + "".join(
        "%d,%s\n" % (1700000000 + i, "nan" if i % 3 == 0 else str(i)) for i in range(64)))
    put("inf-value.csv", "timestamp,value\n1700000000,1\n1700000001,inf\n1700000002,3\n")
    put("centuries.csv", "timestamp,value\n1700-01-01 00:00:00,1\n1900-01-01 00:00:00,2\n2100-01-01 00:00:00,3\n2250-01-01 00:00:00,4\n")
    put("int64-times.csv", "timestamp,value\n-9223372036854775807,1\n0,2\n9223372036854775806,3\n9223372036854775807,4\n")
    put("nul-in-name.csv", "series,timestamp,value\na\0b,1700000000,1\na,1700000001,2\n")
    put("esc-in-name.csv", "series,timestamp,value\n\x1b[31mred\x1b[0m\x07,1700000000,1\nx\x1b]0;title\x07,x,2\n")
    put("c1-in-name.csv", "series,timestamp,value\n\xc2\x9b31m,1700000000,1\nok,1700000001,nope\n")
    put("long-name.csv", "series,timestamp,value\n" + "n" * 10000 + ",1700000000,1\n")
    put("huge-field.csv", "timestamp,value\n1700000000," + "9" * (1 << 20) + "\n")
    # huge-line.csv (a 4 MiB line) is made by tests/cli/hostile.sh itself
    put("many-columns.csv", "time," + ",".join("c%d" % i for i in range(20000)) + "\n1700000000," + ",".join("1" for _ in range(20000)) + "\n")
    put("bom-only.csv", "\ufeff")
    put("header-only.csv", "timestamp,value\n")
    put("empty.csv", "")
    put("crlf-quoted.csv", "series,timestamp,value\r\n\"a,\"\"b\"\"\r\n\",1700000000,1\r\n")
    put("backwards-window.csv",
        "series,window,kind,level,index,t0,t1,value,score\n"
        "s,0,W,1,4,1700000010,1700000000,haar,periodization\n"
        "s,0,A,1,0,1700000000,1700000010,1,\n"
        "s,0,A,1,1,1700000000,1700000010,1,\n"
        "s,0,D,1,0,1700000000,1700000010,1,\n"
        "s,0,D,1,1,1700000000,1700000010,1,\n"
        "s,0,E,,,,,,\n")
    put("big-window.csv",
        "series,window,kind,level,index,t0,t1,value,score\n"
        "s,0,W,1,1073741824,1700000000,1700000010,haar,periodization\n")
    # 100,000 series, one sample each (gzip: the test unpacks it)
    put("many-series.csv.gz", "series,timestamp,value\n" + "".join(
        "s%d,%d,%d\n" % (i, 1700000000 + i % 100, i % 7) for i in range(100000)))

    # ---- binary
    good = HDR + name(0, b"a") + samples(0, [T0 + i * SEC for i in range(16)], [float(i) for i in range(16)])
    put("good.bin", good)
    put("nan-sample.bin", HDR + name(0, b"a") + samples(0, [T0 + i * SEC for i in range(8)],
                                                          [1, float("nan"), 3, 4, float("nan"), 6, 7, 8]))
    put("inf-sample.bin", HDR + name(0, b"a") + samples(0, [T0 + i * SEC for i in range(8)],
                                                          [1, 2, float("inf"), 4, 5, 6, 7, 8]))
    put("ninf-regular.bin", HDR + name(0, b"a") + regular(0, T0, SEC, [1, 2, 3, float("-inf")]))
    put("max-values.bin", HDR + name(0, b"a") + regular(0, T0, SEC, [1.7976931348623157e308] * 32))
    put("regular-overflow.bin", HDR + name(0, b"a") + regular(0, 2**62, 2**62, [1.0, 2.0, 3.0, 4.0]))
    put("times-extreme.bin", HDR + name(0, b"a") + samples(0, [-2**63, -2**62, 0, 2**62, 2**63 - 1], [1, 2, 3, 4, 5]))
    put("nul-name.bin", HDR + name(0, b"a") + name(1, b"a\0b") + samples(1, [T0], [1.0]))
    put("esc-name.bin", HDR + name(0, b"\x1b[2J\x1b[31mx") + samples(0, [T0, T0 - 1], [1.0, 2.0]))
    put("unnamed-id.bin", HDR + samples(5, [T0], [1.0]))
    # a 16-byte name frame whose id would size the id map at 1 GB (found by fuzz_tool_tsconv)
    put("huge-id.bin", HDR + name(150994944, b"a") + samples(150994944, [T0], [1.0]))
    put("bad-length.bin", HDR + struct.pack("<BBHI", ord("S"), 0, 0, 0xfffffff8))
    put("truncated-len.bin", HDR + struct.pack("<BBHI", ord("S"), 0, 0, 64 << 20) + b"\0" * 64)
    put("truncated.bin", good[:-13])
    put("truncated-header.bin", good + b"\x53\0\0")
    put("wrong-version.bin", b"\x89TSD" + struct.pack("<HH", 9, 0) + good[8:])
    # coefficient windows
    J = 2
    cw = (window(0, 8, 0, T0, T0 + 7 * SEC, J) + coefs(0, 2, 0, 0, 0, [1.0, 2.0]) +
          coefs(0, 2, 1, 0, 0, [0.5, 0.5]) + coefs(0, 1, 1, 0, 0, [0.1, 0.2, 0.3, 0.4]) + end(0, 0))
    put("coef-good.bin", HDR + name(0, b"a") + cw)
    put("coef-inf.bin", HDR + name(0, b"a") + window(0, 8, 0, T0, T0 + 7 * SEC, J) +
        coefs(0, 2, 0, 0, 0, [1.0, float("inf")]) + end(0, 0))
    put("coef-nan-score.bin", HDR + name(0, b"a") + window(0, 8, 0, T0, T0 + 7 * SEC, J) +
        coefs(0, 2, 0, 0, 0, [1.0, 2.0], [1.0, float("nan")]) + end(0, 0))
    put("coef-huge.bin", HDR + name(0, b"a") + window(0, 8, 0, T0, T0 + 7 * SEC, 1) +
        coefs(0, 1, 0, 0, 0, [1.7e308, 1.7e308, 1.7e308, 1.7e308]) + coefs(0, 1, 1, 0, 0, [1.7e308, -1.7e308, 1.7e308, -1.7e308]) + end(0, 0))
    put("coef-backwards.bin", HDR + name(0, b"a") + window(0, 8, 0, T0 + 7 * SEC, T0, J) +
        coefs(0, 2, 0, 0, 0, [1.0, 2.0]) + coefs(0, 2, 1, 0, 0, [0.5, 0.5]) +
        coefs(0, 1, 1, 0, 0, [0.1, 0.2, 0.3, 0.4]) + end(0, 0))
    put("coef-centuries.bin", HDR + name(0, b"a") + window(0, 8, 0, -(2**62), 2**62, J) +
        coefs(0, 2, 0, 0, 0, [1.0, 2.0]) + coefs(0, 2, 1, 0, 0, [0.5, 0.5]) +
        coefs(0, 1, 1, 0, 0, [0.1, 0.2, 0.3, 0.4]) + end(0, 0))
    # the 100-byte frames: a window declaring 2^26 or 2^28 samples, no END
    put("window-2p26.bin", HDR + name(0, b"a") + window(0, 1 << 26, 0, T0, T0 + SEC, 1))
    put("window-2p28.bin", HDR + name(0, b"a") + window(0, 1 << 28, 0, T0, T0 + SEC, 1))
    put("window-2p30-selected.bin", HDR + name(0, b"a") + window(0, 1 << 30, 0, T0, T0 + SEC, 30, flags=2) +
        coefs(0, 30, 0, 0, 0, [1.0]) + end(0, 0))
    # many series each opening a large window, a far-off coefficient in each
    many = HDR
    for s in range(64):
        many += name(s, b"s%d" % s) + window(s, 1 << 20, 0, T0, T0 + SEC, 20, flags=2)
        many += coefs(s, 20, 0, 0, 0, [1.0]) + coefs(s, 1, 1, 0, (1 << 19) - 1, [1.0])
    put("windows-many-open.bin", many)
    # byte flips of valid streams
    for base_name, base in (("samples", good), ("coef", HDR + name(0, b"a") + cw)):
        for k in range(12):
            b = bytearray(base)
            for _ in range(1 + k % 3):
                i = rnd.randrange(8, len(b))
                b[i] ^= 1 << rnd.randrange(8)
            put("flip-%s-%02d.bin" % (base_name, k), bytes(b))


if __name__ == "__main__":
    main()
