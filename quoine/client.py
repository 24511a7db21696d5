"""The clients: :class:`Quoine` and its exchange presets Quoinex, Qryptos and Liquid.

Every API call goes through :meth:`Quoine._request`: build the request, wait for
a rate-limit slot, sign with a fresh nonce, send with a timeout and without
following redirects, read and decode the answer or raise a typed exception, and
send again only when that is provably safe (see :mod:`quoine._retry`).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any, TypeVar, Union
from urllib.parse import urlencode

import requests
from requests.cookies import RequestsCookieJar
from requests.structures import CaseInsensitiveDict

from ._auth import NonceGenerator, QuoineAuth
from ._http import AUTH_HEADER, decode, dump_json, mask_auth, read_body, transport_error
from ._retry import RetryPolicy, check_seconds
from ._version import __version__
from .constants import API_VERSION, DEFAULT_TIMEOUT, LegacyConstants
from .endpoints import (
    AccountsMixin,
    ExecutionsMixin,
    FeesMixin,
    FundingMixin,
    LoansMixin,
    OrdersMixin,
    ProductsMixin,
    TradesMixin,
    TradingAccountsMixin,
)
from .exceptions import (
    QuoineError,
    QuoineNonceError,
    QuoineRateLimitError,
    QuoineTimeoutError,
    QuoineValidationError,
)
from .ratelimit import RateLimiter

__all__ = ["Liquid", "Qryptos", "Quoine", "QuoineCredentialsError", "Quoinex"]

logger = logging.getLogger("quoine")

#: A timeout in seconds, or a ``(connect, read)`` pair.
Timeout = Union[float, tuple[float, float]]

_ClientT = TypeVar("_ClientT", bound="Quoine")
_TOKEN_ENV = "QUOINE_API_TOKEN_ID"
_SECRET_ENV = "QUOINE_API_SECRET"
#: The API's documented limit: 300 requests per 5 minutes per token.
DEFAULT_RATE_LIMIT = (300, 300.0)


class QuoineCredentialsError(QuoineError):
    """A signed endpoint was called on a client without an API token id and secret."""


class Quoine(
    ProductsMixin,
    ExecutionsMixin,
    OrdersMixin,
    AccountsMixin,
    LoansMixin,
    TradingAccountsMixin,
    TradesMixin,
    FundingMixin,
    FeesMixin,
    LegacyConstants,
):
    """A client for the Quoine / Liquid REST API v2.

    The positional arguments are those of python-quoine 0.1.x; everything new is
    keyword-only. Credentials may be omitted: public endpoints then work, and a
    signed call raises :class:`QuoineCredentialsError` before sending anything.

    Args:
        api_token_id: API token id; defaults to ``$QUOINE_API_TOKEN_ID``.
        api_secret: API secret; defaults to ``$QUOINE_API_SECRET``. Never shown in
            a repr, a log line or an exception.
        vendor_id: Sent as ``X-Quoine-Vendor-ID`` when given.
        language: Sent as ``Accept-Language`` (default ``"en"``); the API localises
            its ``message`` errors.
        api_url: Base URL, e.g. a sandbox's. Defaults to the class's ``API_URL``
            (an ``API_URL`` set on the instance later is honoured too).
        timeout: Seconds, or ``(connect, read)``, for each attempt; default
            ``(3.05, 10)``. Must be positive: a request without a timeout can hang
            forever.
        session: A configured :class:`requests.Session` (proxies, adapters,
            certificates) to use as given. The client closes only a session it
            created itself.
        max_retries: How many times a failed call may be sent again (default 3;
            0 turns retrying off). Only requests that cannot change state are
            re-sent after they may have reached the server; see
            :doc:`/reliability`.
        backoff_factor: Base of the exponential backoff between attempts, in
            seconds (default 0.5).
        deadline: Longest one call may take from its first send to its answer,
            retries and waits included (default 30 s).
        rate_limit: ``(calls, seconds)``, a shared :class:`~quoine.ratelimit.RateLimiter`,
            or None for no client-side limit. Default ``(300, 300)``, the API's limit.
        nonces: A :class:`~quoine.NonceGenerator` to share with other clients of
            the same token in this process, or to start above a nonce saved by a
            previous run (``NonceGenerator(start=last)``).

    Example:
        .. code-block:: python

            from quoine.client import Liquid

            with Liquid("TOKEN_ID", "SECRET") as client:
                print(client.get_product(1)["last_traded_price"])
    """

    API_URL = "https://api.quoine.com"
    API_VERSION = API_VERSION
    VENDOR_ID: str | None = None
    LANGUAGE = "en"

    def __init__(
        self,
        api_token_id: str | None = None,
        api_secret: str | None = None,
        vendor_id: str | None = None,
        language: str | None = None,
        *,
        api_url: str | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        max_retries: int = 3,
        backoff_factor: float = 0.5,
        deadline: float = 30.0,
        rate_limit: RateLimiter | tuple[int, float] | None = DEFAULT_RATE_LIMIT,
        nonces: NonceGenerator | None = None,
    ) -> None:
        if api_token_id is None:
            api_token_id = os.environ.get(_TOKEN_ENV) or None
        if api_secret is None:
            api_secret = os.environ.get(_SECRET_ENV) or None
        _check_credential(api_token_id, "api_token_id", _TOKEN_ENV)
        _check_credential(api_secret, "api_secret", _SECRET_ENV)
        if api_url is not None:
            self.API_URL = _check_url(api_url)
        self.timeout: Timeout = _check_timeout(timeout)
        self.retry = RetryPolicy(max_retries, backoff_factor, deadline)
        self.rate_limiter = _rate_limiter(rate_limit)
        self.api_token_id = api_token_id
        self.vendor_id = vendor_id if vendor_id is not None else self.VENDOR_ID
        self.language = language or self.LANGUAGE
        self.nonces = nonces if nonces is not None else NonceGenerator()
        self._auth = (
            QuoineAuth(api_token_id, api_secret, self.nonces)
            if api_token_id and api_secret
            else None
        )
        self._owns_session = session is None
        self.session = session if session is not None else requests.Session()
        self.headers = self._default_headers()
        self._environment_cache: tuple[tuple[Any, ...], tuple[dict[str, Any], Any]] | None = None
        self._template_cache: tuple[tuple[Any, ...], requests.PreparedRequest] | None = None

    def _default_headers(self) -> dict[str, str]:
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": f"python-quoine/{__version__}",
            "X-Quoine-API-Version": self.API_VERSION,
            "Accept-Language": self.language,
        }
        if self.vendor_id:
            headers["X-Quoine-Vendor-ID"] = str(self.vendor_id)
        return headers

    def __repr__(self) -> str:
        auth = f"token_id={self.api_token_id!r}, secret='***'" if self._auth else "public"
        return f"{type(self).__name__}(api_url={self.API_URL!r}, {auth})"

    def close(self) -> None:
        """Close the HTTP session if the client created it."""
        if self._owns_session:
            self.session.close()

    def __enter__(self: _ClientT) -> _ClientT:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _request(
        self,
        method: str,
        path: str,
        *,
        signed: bool = False,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send one API call, retrying where safe, and return its decoded JSON answer.

        Args:
            method: HTTP verb.
            path: Path below the API root, without a leading slash.
            signed: Add the ``X-Quoine-Auth`` signature (afresh on every attempt).
            params: Query parameters (already checked; None values dropped).
            body: JSON body, sent as UTF-8 JSON with exact decimals.
            idempotent: Whether sending twice is harmless; defaults to True for
                GET only. Decides which failures after sending are retried.

        Returns:
            The decoded JSON (floats as :class:`~decimal.Decimal`).
        """
        if signed and self._auth is None:
            raise QuoineCredentialsError(
                f"{method} /{path} needs an API token id and secret: pass them to "
                f"{type(self).__name__}(...) or set {_TOKEN_ENV} and {_SECRET_ENV}"
            )
        query = urlencode(params, doseq=True) if params else ""
        url = f"{self.API_URL.rstrip('/')}/{path}" + (f"?{query}" if query else "")
        data = None if body is None else dump_json(body)
        request = self._prepare(method, url, data)
        policy, limiter = self.retry, self.rate_limiter
        idempotent = method == "GET" if idempotent is None else idempotent
        retries, resigned = 0, False
        first_send: float | None = None
        while True:
            if limiter is not None:
                # Before signing, so the nonce is not aged by the wait.
                limiter.acquire(None if first_send is None else self._time_left(first_send))
            if first_send is None:
                first_send = policy.clock()
            try:
                return self._send(request, signed, first_send + policy.deadline, retries + 1)
            except QuoineError as exc:
                error = exc
            finally:
                if limiter is not None:
                    limiter.release()
            error.attempts = retries + 1
            logger.debug(
                "%s %s failed: %s, attempt %d", method, request.path_url, error, error.attempts
            )
            if isinstance(error, QuoineRateLimitError) and limiter is not None:
                limiter.cool_down(error.retry_after or limiter.period)
            wait = policy.delay(
                error,
                idempotent=idempotent,
                retries=retries,
                resigned=resigned,
                elapsed=policy.clock() - first_send,
            )
            if wait is None:
                raise error
            resigned = resigned or isinstance(error, QuoineNonceError)
            logger.info(
                "%s %s: %s; attempt %d of %d in %.2f s",
                method,
                request.path_url,
                type(error).__name__,
                retries + 2,
                policy.max_retries + 1,
                wait,
            )
            policy.sleep(wait)
            retries += 1

    def _backoff(self, retry: int) -> None:
        self.retry.sleep(self.retry.backoff(retry))

    def _time_left(self, first_send: float) -> float:
        return first_send + self.retry.deadline - self.retry.clock()

    def _send(
        self, request: requests.PreparedRequest, signed: bool, deadline: float, attempt: int
    ) -> Any:
        """One attempt: sign, send, read within the deadline, decode."""
        started = time.perf_counter()
        if signed:
            response = self._send_signed(request, deadline)
        else:
            response = self._transmit(request, deadline)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %s in %.1f ms, attempt %d%s",
                request.method,
                request.path_url,
                response.status_code,
                (time.perf_counter() - started) * 1000,
                attempt,
                f", {AUTH_HEADER}: ***" if signed else "",
            )
        return decode(response)

    def _send_signed(self, request: requests.PreparedRequest, deadline: float) -> requests.Response:
        """Sign and send, one signed request of this token at a time (see NonceGenerator)."""
        assert self._auth is not None
        turn = self.nonces.turn
        if not turn.acquire(timeout=max(deadline - self.retry.clock(), 0.0)):
            raise QuoineTimeoutError(
                "another signed request of this API token took the whole deadline; "
                "nothing was sent",
                sent=False,
            )
        try:
            request.headers[AUTH_HEADER] = self._auth.sign(request.path_url)
            return self._transmit(request, deadline)
        finally:
            turn.release()

    def _transmit(self, request: requests.PreparedRequest, deadline: float) -> requests.Response:
        """Send and read the whole answer, within the per-attempt timeout and the deadline."""
        clock = self.retry.clock
        try:
            response = self.session.send(
                request,
                stream=True,
                timeout=_bounded(self.timeout, deadline - clock()),
                allow_redirects=False,
                **self._send_settings(),
            )
        except requests.exceptions.RequestException as exc:
            mask_auth(exc.request)
            raise transport_error(exc) from exc
        read_body(response, deadline, clock)
        return response

    def _prepare(self, method: str, url: str, data: bytes | None) -> requests.PreparedRequest:
        """Build the request as :meth:`requests.Session.prepare_request` would, cheaper.

        A session that carries nothing to merge (no cookies, auth, params or
        hooks: the usual case) gets a copy of a request prepared once with its
        headers and ours, completed with this call's method, URL and body. Any
        other session goes through ``prepare_request`` itself.
        """
        session = self.session
        if session.cookies or session.auth or session.params or any(session.hooks.values()):
            return session.prepare_request(
                requests.Request(method, url, headers=self.headers, data=data)
            )
        request = self._template().copy()
        request.prepare_method(method)
        request.prepare_url(url, None)
        request.prepare_body(data, None)
        netrc = self._environment()[1]
        if netrc is not None:
            request.prepare_auth(netrc, url)
        return request

    def _template(self) -> requests.PreparedRequest:
        """A request carrying the session's headers merged with ours (rebuilt if either changes)."""
        key = (tuple(self.session.headers.items()), tuple(self.headers.items()))
        if self._template_cache is None or self._template_cache[0] != key:
            headers = CaseInsensitiveDict(self.session.headers)
            headers.update(self.headers)
            template = requests.PreparedRequest()
            template.prepare_headers({k: v for k, v in headers.items() if v is not None})
            template.prepare_cookies(RequestsCookieJar())  # requests reads it on redirects
            template.prepare_hooks({})
            self._template_cache = (key, template)
        return self._template_cache[1]

    def _send_settings(self) -> dict[str, Any]:
        """Proxies, TLS verification and client certificate, as ``Session.request`` uses."""
        return self._environment()[0]

    def _environment(self) -> tuple[dict[str, Any], Any]:
        """Send settings and ``~/.netrc`` credentials for the API host, read once.

        :meth:`requests.Session.request` reads every environment variable (proxies,
        ``NO_PROXY``, ``REQUESTS_CA_BUNDLE``...) and ``~/.netrc`` on each call, which
        costs about a fifth of a call. The host is fixed, so the client reads them
        once and again only when the URL or the session's own settings change.
        Changes to the environment after the first request are not seen.
        """
        session = self.session
        key = (
            self.API_URL,
            session.trust_env,
            tuple(session.proxies.items()),
            session.verify,
            session.cert,
        )
        if self._environment_cache is None or self._environment_cache[0] != key:
            root = self.API_URL.rstrip("/") + "/"
            merged = session.merge_environment_settings(root, {}, True, None, None)
            settings = {name: value for name, value in merged.items() if name != "stream"}
            netrc = requests.utils.get_netrc_auth(root) if session.trust_env else None
            self._environment_cache = (key, (settings, netrc))
        return self._environment_cache[1]


class Quoinex(Quoine):
    """Client for Quoinex, https://api.quoine.com."""

    API_URL = "https://api.quoine.com"


class Qryptos(Quoinex):
    """Client for Qryptos, https://api.qryptos.com."""

    API_URL = "https://api.qryptos.com"


class Liquid(Quoinex):
    """Client for Liquid, https://api.liquid.com (Quoinex and Qryptos after the 2018 merger)."""

    API_URL = "https://api.liquid.com"


def _check_credential(value: Any, name: str, env: str) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not value or any(c.isspace() or c < " " for c in value):
        # Never echo the value: it may be the secret.
        raise QuoineValidationError(
            f"{name} (or ${env}) must be a non-empty string without spaces or control characters"
        )


def _check_url(url: Any) -> str:
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise QuoineValidationError(f"api_url must start with http:// or https://, got {url!r}")
    return url.rstrip("/")


def _rate_limiter(rate_limit: Any) -> RateLimiter | None:
    if rate_limit is None or isinstance(rate_limit, RateLimiter):
        return rate_limit
    if isinstance(rate_limit, tuple) and len(rate_limit) == 2:
        return RateLimiter(rate_limit[0], rate_limit[1])
    raise QuoineValidationError(
        f"rate_limit must be (calls, seconds), a RateLimiter or None, got {rate_limit!r}"
    )


def _bounded(timeout: Timeout, remaining: float) -> Timeout:
    """The per-attempt timeout, cut down to what is left of the call's deadline."""
    remaining = max(remaining, 0.001)
    if isinstance(timeout, tuple):
        return (min(timeout[0], remaining), min(timeout[1], remaining))
    return min(timeout, remaining)


def _check_timeout(timeout: Any) -> Timeout:
    parts = timeout if isinstance(timeout, tuple) else (timeout,)
    try:
        seconds = [check_seconds(part, "timeout", allow_zero=False) for part in parts]
    except QuoineValidationError:
        seconds = []
    if len(seconds) == 1:
        return seconds[0]
    if len(seconds) == 2:
        return (seconds[0], seconds[1])
    raise QuoineValidationError(
        "timeout must be a positive number of seconds or a (connect, read) pair; "
        f"got {timeout!r} (a request without a timeout can hang forever)"
    )
