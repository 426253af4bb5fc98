#!/usr/bin/env python3
"""Hold N half-sent HTTP requests open against HOST:PORT, from source
addresses 127.0.0.SRC.. (NPER connections each), then check that a full
request from 127.0.0.1 is still answered, and (with --timeout S) that the
server closes the half-open ones within S seconds. Bounded in count and
time; loopback only. Prints a line of counts; exit 0 when the page was
answered (and the half-open ones closed in time), 1 otherwise."""
import socket, sys, time, argparse

ap = argparse.ArgumentParser()
ap.add_argument("port", type=int)
ap.add_argument("-n", type=int, default=2000)
ap.add_argument("--per", type=int, default=20, help="connections per source address")
ap.add_argument("--src", type=int, default=10, help="first source address 127.0.0.SRC")
ap.add_argument("--timeout", type=float, default=0)
a = ap.parse_args()
assert a.n <= 5000 and a.src + a.n // a.per < 255

held, refused = [], 0
for i in range(a.n):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(2)
    try:
        s.bind(("127.0.0.%d" % (a.src + i // a.per), 0))
        s.connect(("127.0.0.1", a.port))
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # no blank line: never ends
        held.append(s)
    except OSError:
        refused += 1
        s.close()

def page():
    t = time.monotonic()
    try:
        c = socket.create_connection(("127.0.0.1", a.port), timeout=5)
        c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            b = c.recv(65536)
            if not b:
                break
            data += b
        c.close()
        return data.startswith(b"HTTP/1.1 200"), time.monotonic() - t
    except OSError:
        return False, time.monotonic() - t

ok, took = page()
closed = 0
if ok and a.timeout > 0:
    end = time.monotonic() + a.timeout
    for s in held:
        s.settimeout(max(0.05, end - time.monotonic()))
        try:
            if s.recv(1) == b"":
                closed += 1
        except ConnectionResetError:
            closed += 1
        except OSError:
            pass
for s in held:
    s.close()
print("held %d refused %d page %s in %.3f s closed %d" % (len(held), refused, "ok" if ok else "FAILED", took, closed))
sys.exit(0 if ok and (a.timeout <= 0 or closed == len(held)) else 1)
