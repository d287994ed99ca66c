"""A threaded TCP proxy a test controls, to break a connection without stopping a shared server.

with TcpProxy("127.0.0.1", 5672) as proxy:
    url = proxy.url(amqp_url)   # the same URL, through the proxy
    proxy.cut()                 # live connections are closed, new ones dropped at once
    proxy.restore()             # connections are accepted (and forwarded) again
    proxy.freeze()              # connections stay open but no byte moves (a hung peer)
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

BUFFER = 65536


class _Link:
    """One client connection and its upstream twin, pumped by two threads."""

    def __init__(self, client: socket.socket, upstream: socket.socket) -> None:
        self.client = client
        self.upstream = upstream
        self._closed = threading.Event()

    def close(self) -> None:
        if self._closed.is_set():
            return
        self._closed.set()
        for sock in (self.client, self.upstream):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()


class TcpProxy:
    """Forwards 127.0.0.1:<port> to target_host:target_port until cut or stopped."""

    def __init__(self, target_host: str, target_port: int, *, host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self._listener = socket.create_server((host, 0))
        self._listener.settimeout(0.1)
        self.host, self.port = self._listener.getsockname()[:2]
        self._links: set[_Link] = set()
        self._lock = threading.Lock()
        self._accepting = threading.Event()
        self._accepting.set()
        self._flowing = threading.Event()
        self._flowing.set()
        self._stopped = threading.Event()
        self._threads: list[threading.Thread] = []

    @classmethod
    def to_url(cls, url: str, default_port: int) -> TcpProxy:
        """A proxy to the server of `url` (not started)."""
        parts = urlsplit(url)
        return cls(parts.hostname or "127.0.0.1", parts.port or default_port)

    def url(self, url: str) -> str:
        """`url` with its host and port replaced by the proxy's (credentials kept)."""
        parts = urlsplit(url)
        credentials = parts.netloc.rpartition("@")[0]
        netloc = f"{self.host}:{self.port}"
        if credentials:
            netloc = f"{credentials}@{netloc}"
        return urlunsplit(parts._replace(netloc=netloc))

    def start(self) -> TcpProxy:
        self._spawn(self._accept_loop)
        return self

    def cut(self) -> None:
        """Close every live connection and drop new ones as soon as they are accepted."""
        self._accepting.clear()
        with self._lock:
            links, self._links = list(self._links), set()
        for link in links:
            link.close()

    def freeze(self) -> None:
        """Keep connections open but stop forwarding bytes, as a hung server would."""
        self._flowing.clear()

    def restore(self) -> None:
        """Accept and forward again."""
        self._accepting.set()
        self._flowing.set()

    @property
    def live_connections(self) -> int:
        with self._lock:
            return sum(1 for link in self._links if not link.closed)

    def stop(self) -> None:
        """Close everything and join the threads (bounded)."""
        self._stopped.set()
        self._flowing.set()
        self.cut()
        self._listener.close()
        for thread in self._threads:
            thread.join(timeout=2)

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True, name="tcp-proxy")
        thread.start()
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if not self._accepting.is_set():
                # Reset rather than FIN, so the client fails at once instead of waiting.
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            client.settimeout(None)
            upstream.settimeout(None)
            link = _Link(client, upstream)
            with self._lock:
                self._links.add(link)
            self._spawn(self._pump, link, client, upstream)
            self._spawn(self._pump, link, upstream, client)

    def _pump(self, link: _Link, source: socket.socket, sink: socket.socket) -> None:
        try:
            while not link.closed:
                data = source.recv(BUFFER)
                if not data:
                    break
                while not self._flowing.wait(0.05):
                    if link.closed:
                        return
                sink.sendall(data)
        except OSError:
            pass
        finally:
            link.close()
            with self._lock:
                self._links.discard(link)
