"""Keep-alive connections from a gateway process to the services, and what their failures mean.

One `HTTPAdapter`, sized for gunicorn's threads, owns a urllib3 connection pool per service;
every thread has its own `requests.Session` mounted on that adapter. The proxy's hot path
calls the service's pool directly — the same `urlopen(preload_content=False,
decode_content=False)` call `HTTPAdapter.send` makes — because requests' per-call objects
(PreparedRequest, Response, cookie jars, hooks) cost more CPU than the rest of the gateway.
The gateway's own calls (readiness, OpenAPI) go through the thread's session.
"""

from __future__ import annotations

import http.cookiejar
import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, ProtocolError
from urllib3.exceptions import ReadTimeoutError as Urllib3ReadTimeout
from urllib3.util.retry import Retry

from gateway.config import GatewaySettings
from shared.errors import ApiError, ServiceUnavailable
from shared.i18n import Text
from shared.service_app import REQUEST_ID_HEADER

# Failures are answered (502/503/504), not retried; urllib3 raises its own error at once.
NO_RETRIES = Retry(total=False, redirect=False)


class BadGateway(ApiError):
    status, code = 502, "bad_gateway"
    message = Text("Resposta inválida de um serviço interno.", "Bad gateway.")


class GatewayTimeout(ApiError):
    status, code = 504, "gateway_timeout"
    message = Text("Um serviço interno demorou demais.", "Gateway timeout.")


def upstream_failure(exc: BaseException, service: str) -> ApiError:
    """The envelope error for a failed call: 503 nobody answers, 504 too slow, 502 otherwise."""
    data = {"service": service}
    # NewConnectionError (refused, unresolvable) is a ConnectTimeoutError too: both mean down.
    if isinstance(exc, ConnectTimeoutError | requests.ConnectTimeout):
        return ServiceUnavailable(data=data)
    if isinstance(exc, Urllib3ReadTimeout | requests.ReadTimeout):
        return GatewayTimeout(data=data)
    return BadGateway(data=data)


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    def set_ok(self, cookie: Any, request: Any) -> bool:
        return False


class UpstreamSession(requests.Session):
    """A session that relays rather than browses: no redirects, no cookie jar, no env proxies."""

    _no_cookies = _NoCookies()

    def __init__(self, adapter: HTTPAdapter) -> None:
        super().__init__()
        self.trust_env = False  # no HTTP(S)_PROXY or .netrc lookups on the internal hop
        self.headers.clear()  # send what the caller gives, not requests' default headers
        self.cookies.set_policy(self._no_cookies)  # one client's cookies never reach another
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        """Never follow (nor read the body of) a redirect."""
        return None


class Upstreams:
    """Pooled connections to each service, per gateway process."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.urls = settings.upstreams
        self.timeout = urllib3.Timeout(
            connect=settings.upstream_connect_timeout, read=settings.upstream_read_timeout
        )
        self.probe_timeout = (
            min(settings.upstream_connect_timeout, settings.upstream_probe_timeout),
            settings.upstream_probe_timeout,
        )
        # urllib3 pools are thread-safe: one per service, shared by every thread, keeping up to
        # `upstream_pool_size` idle keep-alive connections (>= gunicorn threads) for reuse.
        # The sessions' pools have other keys (requests adds TLS options): room for both, so
        # the manager never evicts a pool the proxy holds.
        self._adapter = HTTPAdapter(
            pool_connections=2 * len(self.urls), pool_maxsize=settings.upstream_pool_size
        )
        self._pools = {
            name: self._adapter.poolmanager.connection_from_url(url)
            for name, url in self.urls.items()
        }
        self._local = threading.local()
        # The gateway's own fan-out calls (health, OpenAPI): one slot per service and caller.
        self.executor = ThreadPoolExecutor(
            max_workers=2 * len(self.urls), thread_name_prefix="gateway-probe"
        )

    def session(self) -> requests.Session:
        """This thread's session, created on first use and kept for the thread's life."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = UpstreamSession(self._adapter)
        return session

    def urlopen(
        self,
        service: str,
        method: str,
        target: str,
        *,
        headers: Mapping[str, str],
        body: bytes | Iterable[bytes] | None,
        replayable: bool,
    ) -> urllib3.BaseHTTPResponse:
        """Send a request to `service`; the answer's body is left unread, to be streamed."""
        pool = self._pools[service]

        def send() -> urllib3.BaseHTTPResponse:
            return pool.urlopen(
                method,
                target,
                body=body,
                headers=headers,
                retries=NO_RETRIES,
                redirect=False,
                assert_same_host=False,
                timeout=self.timeout,
                preload_content=False,
                decode_content=False,
            )

        try:
            return send()
        except ProtocolError:
            # Most likely a pooled keep-alive connection the service closed while it was idle:
            # a body-less GET never reached it, so it may go again, once, on a new connection.
            if not replayable:
                raise
        return send()

    def probe(self, service: str, path: str, *, request_id: str | None) -> requests.Response:
        """A small GET of the gateway's own (readiness, OpenAPI), with the short probe timeout."""
        headers = {REQUEST_ID_HEADER: request_id} if request_id else {}
        return self.session().get(
            self.urls[service] + path,
            headers=headers,
            timeout=self.probe_timeout,
            allow_redirects=False,
        )

    def close(self) -> None:
        """Close idle connections and stop the probe threads (tests; gunicorn just exits)."""
        self.executor.shutdown(wait=False, cancel_futures=True)
        self._adapter.close()
