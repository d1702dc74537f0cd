"""A real S3-compatible endpoint on 127.0.0.1 (moto in server mode) behind a byte-counting proxy.

The proxy counts what the endpoint sends back on the wire, so tests and benchmarks measure the
bytes a scan really transferred, not what markcheck believes it asked for.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

import pytest


@dataclass
class CountingProxy:
    upstream: tuple[str, int]
    received: int = 0  # bytes the endpoint sent to clients
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _sock: socket.socket | None = None

    def start(self) -> int:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        threading.Thread(target=self._accept, daemon=True).start()
        return self._sock.getsockname()[1]

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.upstream)
            threading.Thread(target=self._pump, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, True), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, count: bool) -> None:
        try:
            while data := src.recv(65536):
                if count:
                    with self._lock:
                        self.received += len(data)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def reset(self) -> int:
        with self._lock:
            got, self.received = self.received, 0
        return got

    def stop(self) -> None:
        if self._sock:
            self._sock.close()


@dataclass
class S3Endpoint:
    url: str  # through the counting proxy
    proxy: CountingProxy
    env: dict[str, str]

    def filesystem(self):
        import s3fs

        return s3fs.S3FileSystem(client_kwargs={"endpoint_url": self.url})


@contextmanager
def s3_endpoint() -> Iterator[S3Endpoint]:
    """Start moto on 127.0.0.1 and point the usual AWS environment at it (through the proxy)."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one log line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    port = server._server.server_port
    proxy = CountingProxy(("127.0.0.1", port))
    url = f"http://127.0.0.1:{proxy.start()}"
    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": url,
        "NO_PROXY": "127.0.0.1",
    }
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    # moto keeps its buckets in this process and s3fs caches clients (with their endpoint):
    # each endpoint starts empty and is reached by fresh clients.
    urllib.request.urlopen(
        urllib.request.Request(f"http://127.0.0.1:{port}/moto-api/reset", method="POST"), timeout=10
    ).close()
    import s3fs

    s3fs.S3FileSystem.clear_instance_cache()
    try:
        yield S3Endpoint(url, proxy, env)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        proxy.stop()
        server.stop()


@pytest.fixture(scope="session")
def s3():
    """One endpoint for the whole run (registered in conftest.py)."""
    with s3_endpoint() as endpoint:
        yield endpoint
