#!/usr/bin/python3
"""gen-feature-ref.py: reference features (lib/feature.h) computed with
PyWavelets' wavedec and numpy, for tests/test_features.c.

Writes testdata/feature/ref.txt: per case a line
  case WAVELET MODE J N
  x v0 v1 ... (N samples)
then per token, in the time order feature.h defines,
  t INDEX f0 f1 ... f13
INDEX is the token's position in the layout [cA_J, cD_J, ..., cD_1]."""
import sys
import numpy as np
import pywt

def support(k, level, n, flen, periodization):
    # input samples a coefficient of `level` reads, clamped at each level
    lens = [n]
    for _ in range(level):
        lens.append(pywt.dwt_coeff_len(lens[-1], flen, 'periodization' if periodization else 'symmetric'))
    s = flen // 2 if periodization else 1
    a = b = k
    for j in range(level, 0, -1):
        top = lens[j - 1] - 1
        a = min(max(2 * a + s - flen + 1, 0), top)
        b = min(max(2 * b + s, 0), top)
    return a, b

def features(x, wav, mode, J):
    n = len(x)
    w = pywt.Wavelet(wav)
    flen = w.dec_len
    c = pywt.wavedec(x, w, mode=mode, level=J)
    per = mode == 'periodization'
    na = len(c[0])
    offs = np.cumsum([0] + [len(b) for b in c])
    flat = np.concatenate(c)
    d = flat[na:]
    T = len(d)
    s = np.sqrt(np.mean(d ** 2))
    a = c[0]
    amean = a.mean()
    asd = max(np.sqrt(np.mean((a - amean) ** 2)), 1e-300)
    floor = 1e-3 * s if s > 0 else 1e-300
    noisy = np.arcsinh(s * 2.0 ** (0.5 * J) / asd)
    if s == 0:
        s = 1.0
    sig = max(np.median(np.abs(c[J])) / 0.6745, floor)
    mags = np.sort(np.abs(d))[::-1]
    cum = np.concatenate([[0.0], np.cumsum(mags ** 2)])
    acen = [0.5 * sum(support(k, J, n, flen, per)) for k in range(na)]
    # the samples and the trend (cA_J alone) from PyWavelets' inverse
    xs = pywt.waverec(c, w, mode=mode)[:n]
    tr = pywt.waverec([c[0]] + [np.zeros_like(b) for b in c[1:]], w, mode=mode)[:n]
    exc = np.abs(xs - tr)
    xr = xs.max() - xs.min()
    xr = xr if xr > 0 else 1.0
    emax = exc.max() if exc.max() > 0 else 1.0
    toks = []
    for b in range(1, J + 1):
        lev = J + 1 - b
        for k in range(len(c[b])):
            i0, i1 = support(k, lev, n, flen, per)
            toks.append((i0 + i1, -lev, offs[b] + k, b, k, lev, i0, i1))
    toks.sort()
    out = []
    for (two_mid, _, idx, b, k, lev, i0, i1) in toks:
        band = c[b]
        L = len(band)
        v = flat[idx]
        ad = abs(v)
        nb = [band[q] for q in range(max(0, k - 4), min(L, k + 5)) if q != k]
        r = max(np.sqrt(np.mean(np.square(nb))) if nb else 0.0, floor)
        sj = max(np.sqrt(np.mean(band ** 2)), floor)
        mid = two_mid * 0.5
        dist = [abs(ac - mid) for ac in acen]
        ka = max(i for i in range(na) if dist[i] == min(dist))  # last nearest
        ap = a[min(ka + 1, na - 1)]
        am = a[max(ka - 1, 0)]
        gt = int(np.sum(mags > ad))
        f = [np.arcsinh(v / s), np.arcsinh(ad / sj), np.arcsinh(ad / sig),
             np.arcsinh(ad / r), lev, J - lev, mid / n,
             (a[ka] - amean) / asd, (ap - am) / (2 * asd),
             1.0 - gt / (T - 1) if T > 1 else 1.0,
             cum[gt] / cum[T] if cum[T] > 0 else 0.0, noisy]
        e = exc[i0:min(i1, n - 1) + 1].max()
        f += [e / xr, e / emax]
        out.append((idx, f))
    return out

def main():
    rng = np.random.default_rng(5)
    cases = []
    t = np.arange(256)
    x = 10 + np.sin(t / 20) + 0.1 * rng.standard_normal(256)
    x[100] += 4  # a spike
    x[180:] += 2  # a level shift
    cases.append(('db4', 'symmetric', 4, x))
    cases.append(('haar', 'periodization', 3, rng.standard_normal(64)))
    cases.append(('sym3', 'symmetric', 2, np.cumsum(rng.standard_normal(37))))
    cases.append(('db2', 'periodization', 5, 1e6 + rng.standard_normal(128)))
    with open(sys.argv[1] if len(sys.argv) > 1 else 'testdata/feature/ref.txt', 'w') as fh:
        for wav, mode, J, x in cases:
            fh.write('case %s %s %d %d\n' % (wav, mode, J, len(x)))
            fh.write('x ' + ' '.join(repr(float(v)) for v in x) + '\n')
            for idx, f in features(x, wav, mode, J):
                fh.write('t %d ' % idx + ' '.join(repr(float(v)) for v in f) + '\n')

main()
