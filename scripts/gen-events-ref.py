#!/usr/bin/python3
"""gen-events-ref.py: reference windows for tests/test_events.c.

Reads testdata/events/anomaly_windows.json (NAB's combined anomaly
windows, MIT licence, see testdata/events/LICENSE.NAB.txt) with Python's
json module, converts each bound with datetime as UTC, and writes
testdata/events/anomaly_windows.ref.txt: one line per window, in file
order,
    <series> <start ns since epoch> <end ns since epoch>

Run from the repository root: /usr/bin/python3 scripts/gen-events-ref.py
"""
import datetime
import json

SRC = "testdata/events/anomaly_windows.json"
OUT = "testdata/events/anomaly_windows.ref.txt"
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def ns(text):
    d = datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f")
    d = d.replace(tzinfo=datetime.timezone.utc)
    delta = d - EPOCH
    return (delta.days * 86400 + delta.seconds) * 10**9 + delta.microseconds * 1000


def main():
    with open(SRC) as f:
        windows = json.load(f)
    with open(OUT, "w") as f:
        f.write("# series start_ns end_ns: written by scripts/gen-events-ref.py\n")
        for name, wins in windows.items():
            for start, end in wins:
                f.write("%s %d %d\n" % (name, ns(start), ns(end)))


if __name__ == "__main__":
    main()
