"""The clients: :class:`Quoine` and its exchange presets Quoinex, Qryptos and Liquid.

Every API call goes through :meth:`Quoine._request`, in steps: build the request
(:mod:`quoine._transport` keeps the fast path), wait for a rate-limit slot
within the deadline, take the token's signing turn and sign with a fresh nonce,
send with a timeout and without following redirects, read and decode the answer
or raise a typed exception, and send again only when that is provably safe (see
:mod:`quoine._retry`). Clients of one token share its nonces and rate limiter
(:mod:`quoine._tokens`).
"""

from __future__ import annotations

import enum
import functools
import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

import requests
from requests.utils import requote_uri

from ._auth import NonceGenerator, QuoineAuth
from ._deadline import new_session
from ._http import AUTH_HEADER, decode, dump_json
from ._retry import RetryPolicy, check_seconds
from ._tokens import registry
from ._transport import Timeout, Transport, bounded, longest
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
    QuoineClientRateLimitError,
    QuoineCredentialsError,  # also importable from here, as before
    QuoineError,
    QuoineNonceError,
    QuoineRateLimitError,
    QuoineTimeoutError,
    QuoineValidationError,
)
from .ratelimit import RateLimiter

__all__ = ["Liquid", "Qryptos", "Quoine", "QuoineCredentialsError", "Quoinex"]

logger = logging.getLogger("quoine")

_ClientT = TypeVar("_ClientT", bound="Quoine")
_TOKEN_ENV = "QUOINE_API_TOKEN_ID"
_SECRET_ENV = "QUOINE_API_SECRET"
#: The limit the Quoine-era docs give: 300 requests per 5 minutes per token.
DEFAULT_RATE_LIMIT = (300, 300.0)


class _Default(enum.Enum):
    """Marks an argument left at its default (the class's own choice)."""

    DEFAULT = "default"


_DEFAULT = _Default.DEFAULT


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
            created itself, and only there can the deadline cut off a server
            that drips its headers (see :doc:`/reliability`).
        max_retries: How many times a failed call may be sent again (default 3;
            0 turns retrying off). Only requests that cannot change state are
            re-sent after they may have reached the server; see
            :doc:`/reliability`.
        backoff_factor: Base of the exponential backoff between attempts, in
            seconds (default 0.5).
        deadline: Longest one call may take, in seconds (default 30): from its
            start to its answer, waits for a rate-limit slot or the signing turn,
            retries and backoff included.
        rate_limit: ``(calls, seconds)``, a :class:`~quoine.ratelimit.RateLimiter`,
            or None for no client-side limit. Default: the exchange's documented
            limit (:attr:`DEFAULT_RATE_LIMIT`: 300 per 300 s, Liquid 600), one
            limiter shared by every client of the same token and host in this
            process.
        nonces: A :class:`~quoine.NonceGenerator`, e.g. to start above a nonce
            saved by a previous run (``NonceGenerator(start=last)``). Default:
            one sequence shared by every client of the same token in this
            process, whatever its ``api_url``.

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
    #: The exchange's documented limit per token, as ``(calls, seconds)``.
    DEFAULT_RATE_LIMIT: tuple[int, float] = DEFAULT_RATE_LIMIT

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
        rate_limit: RateLimiter | tuple[int, float] | _Default | None = _DEFAULT,
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
        self.api_token_id = api_token_id
        self.vendor_id = _header_value(
            vendor_id if vendor_id is not None else self.VENDOR_ID, "vendor_id"
        )
        self.language: str = _header_value(language or self.LANGUAGE, "language") or "en"
        self.rate_limiter = self._rate_limiter(rate_limit)
        self.nonces = nonces if nonces is not None else self._shared_nonces()
        self._auth = (
            QuoineAuth(api_token_id, api_secret, self.nonces)
            if api_token_id and api_secret
            else None
        )
        self._owns_session = session is None
        self.session = session if session is not None else new_session()
        self._transport = Transport(self.session)
        self.headers = self._default_headers()

    def _shared_nonces(self) -> NonceGenerator:
        if not self.api_token_id:
            return NonceGenerator()
        return registry.nonces(self.API_URL, self.api_token_id)

    def _rate_limiter(self, rate_limit: Any) -> RateLimiter | None:
        if rate_limit is _DEFAULT:
            calls, period = self.DEFAULT_RATE_LIMIT
            if self.api_token_id:
                return registry.limiter(self.API_URL, self.api_token_id, calls, period)
            return RateLimiter(calls, period)
        if rate_limit is None or isinstance(rate_limit, RateLimiter):
            return rate_limit
        if isinstance(rate_limit, tuple) and len(rate_limit) == 2:
            return RateLimiter(rate_limit[0], rate_limit[1])
        raise QuoineValidationError(
            f"rate_limit must be (calls, seconds), a RateLimiter or None, got {rate_limit!r}"
        )

    def _default_headers(self) -> dict[str, str]:
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": f"python-quoine/{__version__}",
            "X-Quoine-API-Version": self.API_VERSION,
            "Accept-Language": self.language,
        }
        if self.vendor_id:
            headers["X-Quoine-Vendor-ID"] = self.vendor_id
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
        call = self._start(method, path, signed, params, body, idempotent)
        while True:
            waited = self._take_slot(call)
            try:
                return self._attempt(call, waited)
            except QuoineError as exc:
                call.error = exc
            finally:
                if self.rate_limiter is not None:
                    self.rate_limiter.release()
            self._pause_or_raise(call, call.error)

    def _start(
        self,
        method: str,
        path: str,
        signed: bool,
        params: Mapping[str, Any] | None,
        body: Any,
        idempotent: bool | None,
    ) -> _Call:
        """Check, build and time the call: everything before its first attempt."""
        if signed and self._auth is None:
            raise QuoineCredentialsError(
                f"{method} /{path} needs an API token id and secret: pass them to "
                f"{type(self).__name__}(...) or set {_TOKEN_ENV} and {_SECRET_ENV}"
            )
        root = self.API_URL.rstrip("/")
        query = urlencode(params, doseq=True) if params else ""
        url = f"{root}/{path}" + (f"?{query}" if query else "")
        data = None if body is None else _body_bytes(body, method, path)
        request = self._transport.prepare(method, url, data, self.headers, root)
        return _Call(
            request=request,
            root=root,
            signed=signed,
            idempotent=method == "GET" if idempotent is None else idempotent,
            deadline=self.retry.clock() + self.retry.deadline,
        )

    def _take_slot(self, call: _Call) -> float:
        """Wait for a rate-limit slot within the deadline; return the seconds waited.

        Raises:
            QuoineClientRateLimitError: No slot in time for the first attempt
                (nothing was sent).
            QuoineError: No slot in time for a retry: the previous attempt's
                error, which is what the server said.
        """
        limiter = self.rate_limiter
        if limiter is None:
            return 0.0
        left = call.deadline - self.retry.clock()
        first = call.error is None
        bound = limiter.allowed_wait(left) if first else min(limiter.allowed_wait(left), left)
        try:
            waited = limiter.acquire(bound)
        except QuoineClientRateLimitError:
            if first:
                raise
        else:
            if first and limiter.max_wait is not None:
                # The user allowed this wait: the deadline starts once it is over.
                call.deadline = self.retry.clock() + self.retry.deadline
                return 0.0
            return waited
        assert call.error is not None
        raise call.error

    def _attempt(self, call: _Call, waited: float) -> Any:
        """One attempt: sign, send, read within the deadline, decode."""
        request = call.request
        started = time.perf_counter()
        if call.signed:
            response = self._send_signed(call, waited)
        else:
            self._check_time_to_send(call, waited)
            response = self._transmit(call)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %s in %.1f ms, attempt %d%s",
                request.method,
                request.path_url,
                response.status_code,
                (time.perf_counter() - started) * 1000,
                call.tries + 1,
                f", {AUTH_HEADER}: ***" if call.signed else "",
            )
        return decode(response)

    def _send_signed(self, call: _Call, waited: float) -> requests.Response:
        """Sign and send, one signed request of this token at a time (see NonceGenerator)."""
        assert self._auth is not None
        turn = self.nonces.turn
        if not turn.acquire(blocking=False):
            started = self.retry.clock()
            if not turn.acquire(timeout=max(call.deadline - started, 0.0)):
                raise QuoineTimeoutError(
                    "another signed request of this API token took the whole deadline; "
                    "nothing was sent",
                    sent=False,
                )
            waited += max(self.retry.clock() - started, 1e-9)
        try:
            self._check_time_to_send(call, waited)
            request = call.request
            request.headers[AUTH_HEADER] = self._auth.sign(_signed_path(request, call.root))
            return self._transmit(call)
        finally:
            turn.release()

    def _check_time_to_send(self, call: _Call, waited: float) -> None:
        """Refuse to send a state-changing request that waited away part of its timeout.

        An order sent with less than its full per-attempt timeout may time out
        after the exchange booked it: an unknown outcome made by waiting for the
        rate limiter or the signing turn. Such a request is not sent instead.
        """
        if call.idempotent or waited <= 0:
            return
        clock = self.retry.clock
        full = min(longest(self.timeout), call.deadline - clock() + waited)
        left = call.deadline - clock()
        if left < full:
            call.final = True  # waiting again would leave even less time
            raise QuoineTimeoutError(
                f"waited {waited:.1f} s for the rate limiter or another signed request; "
                f"{max(left, 0.0):.1f} s of the deadline left, less than the {full:.1f} s "
                "this request needs: nothing was sent",
                sent=False,
            )

    def _transmit(self, call: _Call) -> requests.Response:
        """Send and read the whole answer, within the per-attempt timeout and the deadline."""
        clock = self.retry.clock
        return self._transport.send(
            call.request,
            timeout=bounded(self.timeout, call.deadline - clock()),
            root=call.root,
            deadline=call.deadline,
            clock=clock,
        )

    def _pause_or_raise(self, call: _Call, error: QuoineError) -> None:
        """After a failed attempt: raise ``error``, or wait before the next attempt."""
        policy, limiter = self.retry, self.rate_limiter
        error.attempts = call.tries = call.tries + 1
        method, path_url = call.request.method, call.request.path_url
        logger.debug("%s %s failed: %s, attempt %d", method, path_url, error, error.attempts)
        if isinstance(error, QuoineRateLimitError) and limiter is not None:
            cool = limiter.period if error.retry_after is None else error.retry_after
            limiter.cool_down(cool)
            # no slot before the deadline: a backoff would only delay the same 429
            call.final = call.final or cool > call.deadline - policy.clock()
        wait = (
            None
            if call.final
            else policy.delay(
                error,
                idempotent=call.idempotent,
                retries=call.tries - 1,
                resigned=call.resigned,
                elapsed=policy.deadline - (call.deadline - policy.clock()),
            )
        )
        if wait is None:
            raise error
        call.resigned = call.resigned or isinstance(error, QuoineNonceError)
        logger.log(
            logging.WARNING if wait > 1 else logging.INFO,
            "%s %s: %s; attempt %d of %d in %.2f s",
            method,
            path_url,
            type(error).__name__,
            call.tries + 1,
            policy.max_retries + 1,
            wait,
        )
        policy.sleep(wait)

    def _backoff(self, retry: int) -> None:
        self.retry.sleep(self.retry.backoff(retry))

    def _send_settings(self) -> dict[str, Any]:
        """Proxies, TLS verification and client certificate, as ``Session.request`` uses."""
        return self._transport.environment(self.API_URL.rstrip("/")).settings


@dataclass
class _Call:
    """One API call across its attempts."""

    request: requests.PreparedRequest
    root: str  # the API root URL the request was built on
    signed: bool
    idempotent: bool
    deadline: float  # on the retry policy's clock
    tries: int = 0  # attempts that failed so far
    resigned: bool = False
    final: bool = False  # the error must not be retried
    error: QuoineError | None = None


def _body_bytes(body: Any, method: str, path: str) -> bytes:
    """The JSON body, or QuoineValidationError for a value JSON cannot carry (not sent)."""
    try:
        return dump_json(body)
    except (TypeError, ValueError, RecursionError) as exc:
        raise QuoineValidationError(
            f"{method} /{path}: the body cannot be sent as JSON: {exc}"
        ) from None


def _signed_path(request: requests.PreparedRequest, root: str) -> str:
    """The path and query the exchange receives: relative to the API root, as 0.1.x signed.

    Behind a proxy that maps ``/prefix/<path>`` to ``/<path>``, with
    ``api_url="https://host/prefix"``, the exchange sees ``/<path>``.
    """
    path_url = request.path_url
    prefix = _root_path(root)
    if prefix and path_url.startswith(prefix):
        return path_url[len(prefix) - 1 :]
    return path_url


@functools.lru_cache(maxsize=16)
def _root_path(root: str) -> str:
    """The path part of an API root as requests sends it, with a final "/" ("" for none)."""
    path = urlsplit(requote_uri(root)).path.rstrip("/")
    return path + "/" if path else ""


class Quoinex(Quoine):
    """Client for Quoinex, https://api.quoine.com."""

    API_URL = "https://api.quoine.com"


class Qryptos(Quoinex):
    """Client for Qryptos, https://api.qryptos.com."""

    API_URL = "https://api.qryptos.com"


class Liquid(Quoinex):
    """Client for Liquid, https://api.liquid.com (Quoinex and Qryptos after the 2018 merger).

    Liquid documented 600 requests per 5 minutes per token, its default limit.
    """

    API_URL = "https://api.liquid.com"
    DEFAULT_RATE_LIMIT = (600, 300.0)


def _check_credential(value: Any, name: str, env: str) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not value or any(c.isspace() or c < " " for c in value):
        # Never echo the value: it may be the secret.
        raise QuoineValidationError(
            f"{name} (or ${env}) must be a non-empty string without spaces or control characters"
        )


def _check_url(url: Any) -> str:
    problem = None
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        problem = "must start with http:// or https://"
    elif any(c.isspace() or not c.isprintable() for c in url):
        problem = "must not contain spaces or control characters"
    else:
        split = urlsplit(url)
        try:
            split.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError:
            problem = "has an invalid port"
        if not split.hostname:
            problem = "has no host"
        elif split.query or split.fragment or "?" in url or "#" in url:
            problem = "must not have a query or a fragment"
    if problem:
        raise QuoineValidationError(f"api_url {problem}, got {url!r:.100}")
    return str(url).rstrip("/")


def _header_value(value: Any, name: str) -> str | None:
    """A header value the wire can carry: printable ASCII, no line breaks, or None."""
    if value is None:
        return None
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if (
        not isinstance(text, str)
        or not text
        or text != text.strip()
        or not all(" " <= c <= "~" for c in text)
    ):
        raise QuoineValidationError(
            f"{name} must be printable ASCII without line breaks or surrounding spaces "
            f"(it is sent as an HTTP header), got {value!r:.60}"
        )
    return text


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
