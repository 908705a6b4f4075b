#!/usr/bin/env python3
"""Bad input for bench/proxy.sh --soak: each case on a connection of its own, against running proxies.

Usage: proxy_bad_input.py HTTP_PROXY_PORT DEAD_UPSTREAM_PORT H2_PROXY_PORT ROUNDS
Prints "answered-as-expected total" on stdout, and each answer that was not expected on stderr.
Everything goes to 127.0.0.1, every socket has a timeout, and every connection is closed before it returns.
"""
import re
import socket
import sys

HOST = "127.0.0.1"
http_port, dead_port, h2_port, rounds = (int(a) for a in sys.argv[1:5])


def exchange(port, data, responses=1):
    """Sends data, reads until `responses` status lines have come or the proxy closes; returns their codes."""
    with socket.create_connection((HOST, port), timeout=5) as s:
        s.sendall(data)
        got = b""
        while got.count(b"HTTP/1.1 ") < responses:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
    return [int(code) for code in re.findall(rb"HTTP/1\.1 (\d{3}) ", got)]  # the bodies here hold no such text


def abandon(port, data):
    """Sends part of a request and goes away, as a client that crashes does; nothing to expect back."""
    with socket.create_connection((HOST, port), timeout=5) as s:
        s.sendall(data)
    return "abandoned"


def closed_by_proxy(port, data):
    """Sends data the proxy must refuse at the connection level; true once it has closed the connection."""
    with socket.create_connection((HOST, port), timeout=5) as s:
        s.sendall(data)
        while s.recv(65536):
            pass  # a GOAWAY may come first
    return "closed"


GET = b"GET / HTTP/1.1\r\nHost: backend\r\n\r\n"
CASES = {  # name: (what to do, what a sound proxy answers)
    "garbage request line": (lambda: exchange(http_port, b"BLAH\r\n\r\n"), [400]),
    "Content-Length with Transfer-Encoding": (lambda: exchange(
        http_port, b"POST / HTTP/1.1\r\nHost: b\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"), [400]),
    "70 KB header": (lambda: exchange(http_port, b"GET / HTTP/1.1\r\nHost: b\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n"),
                     [431]),
    "malformed b3 header": (lambda: exchange(http_port, b"GET / HTTP/1.1\r\nHost: b\r\nb3: zzz-not-a-trace\r\n\r\n"),
                            [200]),
    "three pipelined requests": (lambda: exchange(http_port, GET * 3, responses=3), [200, 200, 200]),
    "body cut short": (lambda: abandon(
        http_port, b"POST / HTTP/1.1\r\nHost: b\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1000), "abandoned"),
    "head cut short": (lambda: abandon(http_port, b"GET / HTTP/1.1\r\nHo"), "abandoned"),
    "upstream down": (lambda: exchange(dead_port, GET), [502]),
    "HTTP/2 preface then garbage": (lambda: closed_by_proxy(
        h2_port, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\x00\x00\x04\xff\x00\x00\x00\x00\x00garb"), "closed"),
}

expected = total = 0
for _ in range(rounds):
    for name, (run, want) in CASES.items():
        total += 1
        try:
            got = run()
        except OSError as e:
            got = f"{type(e).__name__}: {e}"
        if got == want:
            expected += 1
        else:
            print(f"{name}: expected {want}, got {got}", file=sys.stderr)
print(expected, total)
