"""The requests fast path: build a request cheaply and send it, within bounds.

:meth:`requests.Session.request` re-reads the environment (proxies, ``NO_PROXY``,
CA bundle) and ``~/.netrc`` and merges the session's settings on every call,
which costs about a fifth of a call. For a client whose host is fixed that work
gives the same answer each time, so :class:`Transport` does it once and again
only when its inputs change, keeping each result as a named cache entry.

A session that carries something to merge per request (cookies, auth, params,
hooks) goes through ``Session.prepare_request`` as usual.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable, NamedTuple, Union

import requests
from requests.cookies import RequestsCookieJar
from requests.structures import CaseInsensitiveDict

from ._deadline import watching
from ._http import masked_copy, masked_request, read_body, transport_error
from .exceptions import QuoineResponseException, QuoineTimeoutError

__all__ = ["Environment", "Template", "Timeout", "Transport", "bounded"]

#: A timeout in seconds, or a ``(connect, read)`` pair.
Timeout = Union[float, tuple[float, float]]


class Template(NamedTuple):
    """A request carrying the merged headers, and what it was built from."""

    key: tuple[Any, ...]
    request: requests.PreparedRequest


class Environment(NamedTuple):
    """Send settings and ``~/.netrc`` credentials for one API root, and their inputs."""

    key: tuple[Any, ...]
    settings: dict[str, Any]  # proxies, verify, cert: what Session.send takes
    netrc: Any  # a (user, password) pair, or None


class Transport:
    """Prepares and sends the requests of one client over its session.

    Args:
        session: The client's :class:`requests.Session`.
    """

    def __init__(self, session: requests.Session) -> None:
        self.session = session
        self._template: Template | None = None
        self._environment: Environment | None = None

    def prepare(
        self, method: str, url: str, data: bytes | None, headers: Mapping[str, str], root: str
    ) -> requests.PreparedRequest:
        """Build the request as :meth:`requests.Session.prepare_request` would, cheaper.

        Args:
            method: HTTP verb.
            url: The full URL, query included.
            data: The body, or None.
            headers: The client's own headers (they win over the session's).
            root: The API root URL, for the environment look-up.
        """
        session = self.session
        if session.cookies or session.auth or session.params or any(session.hooks.values()):
            return session.prepare_request(
                requests.Request(method, url, headers=dict(headers), data=data)
            )
        request = self.template(headers).copy()
        request.prepare_method(method)
        request.prepare_url(url, None)
        request.prepare_body(data, None)
        netrc = self.environment(root).netrc
        if netrc is not None:
            request.prepare_auth(netrc, url)
        return request

    def template(self, headers: Mapping[str, str]) -> requests.PreparedRequest:
        """A request carrying the session's headers merged with ``headers``."""
        key = (tuple(self.session.headers.items()), tuple(headers.items()))
        if self._template is None or self._template.key != key:
            merged = CaseInsensitiveDict(self.session.headers)
            merged.update(headers)
            template = requests.PreparedRequest()
            template.prepare_headers({k: v for k, v in merged.items() if v is not None})
            template.prepare_cookies(RequestsCookieJar())  # requests reads it on redirects
            template.prepare_hooks({})
            self._template = Template(key, template)
        return self._template.request

    def environment(self, root: str) -> Environment:
        """Send settings and ``~/.netrc`` credentials for ``root``, read once.

        Read again only when the root or the session's own settings change;
        changes to the process environment after the first request are not seen.
        """
        session = self.session
        proxies = tuple(session.proxies.items())
        key = (root, session.trust_env, proxies, session.verify, session.cert)
        if self._environment is None or self._environment.key != key:
            base = root.rstrip("/") + "/"
            merged = session.merge_environment_settings(base, {}, True, None, None)
            settings = {name: value for name, value in merged.items() if name != "stream"}
            netrc = requests.utils.get_netrc_auth(base) if session.trust_env else None
            self._environment = Environment(key, settings, netrc)
        return self._environment

    def send(
        self,
        request: requests.PreparedRequest,
        *,
        timeout: Timeout,
        root: str,
        deadline: float,
        clock: Callable[[], float],
    ) -> requests.Response:
        """Send without following redirects, and read the whole answer.

        Args:
            request: The prepared (and signed) request.
            timeout: The per-attempt timeout, already cut to the deadline.
            root: The API root URL, for the send settings.
            deadline: Time on ``clock`` by which the answer must be read.
            clock: The deadline's clock.

        Raises:
            QuoineTransportError: The request failed on the way (``sent`` says
                whether it may have reached the server), or the answer could not
                be read in time or in full.
        """
        try:
            with watching(max(deadline - clock(), 0.0)) as watch:
                response = self.session.send(
                    request,
                    stream=True,
                    timeout=timeout,
                    allow_redirects=False,
                    **self.environment(root).settings,
                )
        except requests.exceptions.RequestException as exc:
            # the exception keeps a masked copy: the request itself may be sent again
            exc.request = masked_request(exc.request)
            if exc.response is not None:
                masked_copy(exc.response)
            if watch.fired:
                raise _headers_late() from exc
            raise transport_error(exc) from exc
        except UnicodeDecodeError as exc:
            # requests reads a redirect's Location even when it does not follow
            # it, and fails on one that is not UTF-8: the answer was a redirect.
            _close_answers(exc)
            raise QuoineResponseException(
                "unexpected redirect whose Location is not UTF-8; not followed"
            ) from None
        if watch.fired:  # the headers may be cut short: nothing of this answer is used
            response.close()
            raise _headers_late()
        read_body(response, deadline, clock)
        return response


def _close_answers(exc: BaseException) -> None:
    """Close the answer requests built before failing inside ``Session.send``."""
    trace = exc.__traceback__
    while trace is not None:
        for value in list(trace.tb_frame.f_locals.values()):
            if isinstance(value, requests.Response):
                value.close()
        trace = trace.tb_next


def _headers_late() -> QuoineTimeoutError:
    return QuoineTimeoutError(
        "the call ran past its deadline while waiting for the answer's headers; "
        "the request may have been processed",
        sent=True,
    )


def bounded(timeout: Timeout, remaining: float) -> Timeout:
    """The per-attempt timeout, cut down to what is left of the call's deadline."""
    remaining = max(remaining, 0.001)
    if isinstance(timeout, tuple):
        return (min(timeout[0], remaining), min(timeout[1], remaining))
    return min(timeout, remaining)


def longest(timeout: Timeout) -> float:
    """The longest single wait ``timeout`` allows."""
    return max(timeout) if isinstance(timeout, tuple) else timeout
