#!/usr/bin/python3
"""gen-ssim-ref.py: reference SSIM values for tests/test_raster.c.

Writes small 8-bit grey test images as ASCII PGM (P2) files into
testdata/raster/ and, in testdata/raster/ssim.txt, one line per image pair:
    <a.pgm> <b.pgm> <ssim>
SSIM follows Wang, Bovik, Sheikh and Simoncelli (IEEE TIP 2004) directly
from the paper's formulas, window by window (not the separable filter the
C code uses): an 11x11 Gaussian window, sigma 1.5, weights summing to 1;
weighted mean, variance sum(w (x - mu)^2) and covariance per window;
K1 = 0.01, K2 = 0.03, L = 255; only windows wholly inside the image; the
mean over all of them. numpy only.

Run from the repository root: /usr/bin/python3 scripts/gen-ssim-ref.py
"""
import os

import numpy as np

OUT = "testdata/raster"
K1, K2, L = 0.01, 0.03, 255.0
WIN, SIGMA = 11, 1.5


def gaussian_window():
    d = np.arange(WIN) - (WIN - 1) / 2
    g = np.exp(-(d[:, None] ** 2 + d[None, :] ** 2) / (2 * SIGMA ** 2))
    return g / g.sum()


def ssim(a, b):
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    w = gaussian_window()
    c1, c2 = (K1 * L) ** 2, (K2 * L) ** 2
    h, wd = a.shape
    vals = []
    for i in range(h - WIN + 1):
        for j in range(wd - WIN + 1):
            x = a[i:i + WIN, j:j + WIN]
            y = b[i:i + WIN, j:j + WIN]
            mx = (w * x).sum()
            my = (w * y).sum()
            sx = (w * (x - mx) ** 2).sum()
            sy = (w * (y - my) ** 2).sum()
            sxy = (w * (x - mx) * (y - my)).sum()
            vals.append((2 * mx * my + c1) * (2 * sxy + c2) /
                        ((mx * mx + my * my + c1) * (sx + sy + c2)))
    return float(np.mean(vals))


def line_chart(w, h, f):
    """A dark anti-aliased-looking curve y = f(x) on white paper."""
    img = np.full((h, w), 255.0)
    rows = np.arange(h)[:, None]
    y = f(np.arange(w, dtype=np.float64))[None, :]
    ink = np.clip(1.0 - np.abs(rows - y), 0.0, 1.0)
    img = 255.0 * (1.0 - ink)
    return np.rint(img).astype(np.uint8)


def write_pgm(name, img):
    h, w = img.shape
    with open(os.path.join(OUT, name), "w") as f:
        f.write("P2\n%d %d\n255\n" % (w, h))
        for row in img:
            f.write(" ".join(str(int(p)) for p in row) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(20140410)
    imgs = {}
    # noise, and the same noise with a little more noise added
    a = rng.randint(0, 256, size=(13, 16))
    imgs["noise-a.pgm"] = a.astype(np.uint8)
    imgs["noise-b.pgm"] = np.clip(a + rng.randint(-40, 41, size=a.shape),
                                  0, 255).astype(np.uint8)
    # a chart and a slightly different chart (as a reduced series draws)
    imgs["chart-a.pgm"] = line_chart(40, 24, lambda x: 12 + 8 * np.sin(x / 5))
    imgs["chart-b.pgm"] = line_chart(40, 24,
                                     lambda x: 12 + 7.5 * np.sin(x / 5 + 0.1))
    # the same chart one pixel to the right
    imgs["chart-s.pgm"] = np.concatenate(
        [imgs["chart-a.pgm"][:, :1], imgs["chart-a.pgm"][:, :-1]], axis=1)
    # smallest image: one window; flat white against a gradient
    imgs["flat-11.pgm"] = np.full((11, 11), 255, dtype=np.uint8)
    imgs["grad-11.pgm"] = np.rint(
        np.linspace(0, 255, 121).reshape(11, 11)).astype(np.uint8)
    pairs = [
        ("noise-a.pgm", "noise-b.pgm"),
        ("noise-a.pgm", "noise-a.pgm"),
        ("chart-a.pgm", "chart-b.pgm"),
        ("chart-a.pgm", "chart-s.pgm"),
        ("chart-b.pgm", "chart-a.pgm"),
        ("flat-11.pgm", "grad-11.pgm"),
    ]
    for name, img in sorted(imgs.items()):
        write_pgm(name, img)
    with open(os.path.join(OUT, "ssim.txt"), "w") as f:
        f.write("# a b ssim: written by scripts/gen-ssim-ref.py\n")
        for pa, pb in pairs:
            f.write("%s %s %.17g\n" % (pa, pb, ssim(imgs[pa], imgs[pb])))


if __name__ == "__main__":
    main()
