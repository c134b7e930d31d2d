"""A small HTTP proxy to put between an AWS client and a moto server: it adds latency to every
call (closer to real AWS, for the benchmark), counts calls by operation, and injects faults
(error responses such as throttling or AccessDenied, delays past the client's timeout) for
chosen operations, regions or request contents.

    python tests/aws_proxy.py --upstream http://127.0.0.1:5000 [--latency 0.05]

prints the port it listens on (127.0.0.1), then serves until killed.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import re
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

_REGION = re.compile(rb"Credential=[^/]+/\d+/([^/]+)/")
_ACTION = re.compile(rb"(?:^|&)Action=([A-Za-z0-9]+)")
_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "content-length"}
)


@dataclass
class Rule:
    """What to do with matching requests instead of (or before) relaying them."""

    operation: str  # "DescribeTrainingJob", "ListObjectsV2", ... ("*": any)
    region: str | None = None
    contains: bytes | None = None  # in the request body or path
    after: int = 0  # let this many matching requests through first
    times: int | None = None  # then act on this many (None: all)
    status: int = 400
    body: bytes = b""
    content_type: str = "application/x-amz-json-1.1"
    delay: float = 0.0  # sleep this long, then relay (a timeout when longer than the client's)
    seen: int = 0
    hits: int = 0

    def error(self) -> bool:
        return not self.delay


def sagemaker_error(code: str, message: str) -> bytes:
    return json.dumps({"__type": code, "message": message}).encode()


class FaultProxy:
    """Listens on 127.0.0.1 (a free port), relays to ``upstream``."""

    def __init__(self, upstream: str, latency: float = 0.0) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.latency = latency
        self.rules: list[Rule] = []
        self.calls: Counter[str] = Counter()
        self.lock = threading.Lock()
        proxy = self

        class Handler(_Handler):
            owner = proxy

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread: threading.Thread | None = None

    def add(self, *rules: Rule) -> FaultProxy:
        with self.lock:
            self.rules.extend(rules)
        return self

    def start(self) -> FaultProxy:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def decide(self, operation: str, region: str, body: bytes, path: str) -> Rule | None:
        with self.lock:
            self.calls[operation] += 1
            for rule in self.rules:
                if rule.operation not in ("*", operation):
                    continue
                if rule.region is not None and rule.region != region:
                    continue
                if rule.contains is not None and not (
                    rule.contains in body or rule.contains in path.encode()
                ):
                    continue
                rule.seen += 1
                if rule.seen <= rule.after or (rule.times is not None and rule.hits >= rule.times):
                    continue
                rule.hits += 1
                return rule
        return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    owner: FaultProxy
    _local = threading.local()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._relay()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_GET

    def _relay(self) -> None:
        proxy = self.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        operation = _operation(self.command, self.path, self.headers, body)
        match = _REGION.search((self.headers.get("Authorization") or "").encode())
        region = match.group(1).decode() if match else ""
        rule = proxy.decide(operation, region, body, self.path)
        if proxy.latency:
            time.sleep(proxy.latency)
        if rule is not None and rule.delay:
            time.sleep(rule.delay)
        if rule is not None and rule.error():
            self._answer(rule.status, {"Content-Type": rule.content_type}, rule.body)
            return
        try:
            status, headers, content = self._forward(body)
        except (OSError, http.client.HTTPException) as error:  # the server is gone
            status, headers, content = 502, {"Content-Type": "text/plain"}, str(error).encode()
        self._answer(status, headers, content)

    def _forward(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        if body or self.command in ("POST", "PUT"):
            headers["Content-Length"] = str(len(body))
        for attempt in (1, 2):
            connection = getattr(self._local, "connection", None)
            if connection is None:
                connection = http.client.HTTPConnection(*self.owner.upstream, timeout=60)
                self._local.connection = connection
            try:
                connection.request(self.command, self.path, body=body, headers=headers)
                response = connection.getresponse()
                content = response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                self._local.connection = None
                if attempt == 2:
                    raise
                continue
            relayed = {k: v for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP}
            return response.status, relayed, content
        raise AssertionError  # pragma: no cover

    def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
        try:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except OSError:  # the client gave up (a timeout it was meant to have)
            self.close_connection = True


# Security Hub's REST operations that the audit calls, by method and path.
_REST = {("POST", "/findings/import"): "BatchImportFindings", ("POST", "/findings"): "GetFindings"}


def _operation(method: str, path: str, headers: Any, body: bytes) -> str:
    target = headers.get("X-Amz-Target")
    if target:
        return str(target).rsplit(".", 1)[-1]
    rest = _REST.get((method, urlsplit(path).path))
    if rest:
        return rest
    action = _ACTION.search(body)
    if action:
        return action.group(1).decode()
    if method == "GET" and "list-type=2" in path:
        return "ListObjectsV2"
    return f"s3:{method}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to each call")
    args = parser.parse_args()
    proxy = FaultProxy(args.upstream, args.latency)
    print(proxy.server.server_address[1], flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        proxy.server.serve_forever()
    sys.exit(0)


if __name__ == "__main__":
    main()
