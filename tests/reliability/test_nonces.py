"""Nonces under concurrency and restarts (catalogue cases 17-20)."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator

import pytest

from quoine import NonceGenerator
from quoine.client import Liquid, Quoinex
from quoine.exceptions import QuoineError
from quoine.sandbox import Sandbox


@pytest.fixture
def strict_sandbox() -> Iterator[Sandbox]:
    """A sandbox that rejects any nonce not above the last one it accepted."""
    with Sandbox(rate_limit=None, strict_nonce=True) as sb:
        yield sb


def signed_calls_in_threads(
    make_client: Callable[[], Quoinex], *, threads: int, calls: int
) -> tuple[list[BaseException], int]:
    """Each thread takes a client from ``make_client`` and makes ``calls`` signed calls.

    Returns the library errors raised and how many calls succeeded.
    """
    failures: list[BaseException] = []
    done: list[int] = []

    def work() -> None:
        client = make_client()
        for _ in range(calls):
            try:
                client.get_fiat_accounts()
                done.append(1)
            except QuoineError as exc:  # pragma: no cover - reported by the assertion
                failures.append(exc)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return failures, len(done)


@pytest.mark.case(19)
def test_eight_threads_of_private_calls_surface_no_nonce_error(strict_sandbox):
    client = Quoinex(
        strict_sandbox.token_id, strict_sandbox.secret, api_url=strict_sandbox.url, rate_limit=None
    )
    failures, done = signed_calls_in_threads(lambda: client, threads=8, calls=50)
    assert failures == []
    assert done == 400


@pytest.mark.case(20)
def test_a_restarted_process_given_the_last_nonce_starts_above_it(strict_sandbox):
    # Process 1 bursts ahead of the wall clock, as a busy process can.
    burst = (
        "from quoine import NonceGenerator\n"
        "n = NonceGenerator()\n"
        "print([n() for _ in range(20000)][-1])"
    )
    last = int(
        subprocess.run(
            [sys.executable, "-c", burst], check=True, capture_output=True, text=True
        ).stdout
    )
    # Process 2 (this one) starts from the saved value and is accepted by the exchange.
    nonces = NonceGenerator(start=last)
    client = Quoinex(
        strict_sandbox.token_id,
        strict_sandbox.secret,
        api_url=strict_sandbox.url,
        rate_limit=None,
        nonces=nonces,
    )
    client.get_fiat_accounts()
    assert nonces.last > last


@pytest.mark.case(20)
def test_clients_of_one_token_can_share_nonces_and_limits(strict_sandbox):
    shared = NonceGenerator()
    first, second = (
        Quoinex(
            strict_sandbox.token_id,
            strict_sandbox.secret,
            api_url=strict_sandbox.url,
            nonces=shared,
        )
        for _ in range(2)
    )
    second_shares_limiter = Quoinex(
        strict_sandbox.token_id,
        strict_sandbox.secret,
        api_url=strict_sandbox.url,
        rate_limit=first.rate_limiter,
        nonces=shared,
    )
    for client in (first, second, second_shares_limiter, first):
        client.get_fiat_accounts()
    assert second_shares_limiter.rate_limiter is first.rate_limiter
    assert first.nonces is second.nonces is shared


@pytest.mark.case(71)
def test_four_threads_each_with_its_own_client_of_one_token_get_no_nonce_error(strict_sandbox):
    limiters: list[object] = []

    def own_client() -> Liquid:
        client = Liquid(strict_sandbox.token_id, strict_sandbox.secret, api_url=strict_sandbox.url)
        limiters.append(client.rate_limiter)
        return client

    failures, done = signed_calls_in_threads(own_client, threads=4, calls=100)
    assert failures == []
    assert done == 400
    assert len({id(limiter) for limiter in limiters}) == 1  # one window for the token


@pytest.mark.case(71)
def test_a_client_made_after_another_ran_ahead_starts_above_its_nonces(strict_sandbox):
    first = Liquid(strict_sandbox.token_id, strict_sandbox.secret, api_url=strict_sandbox.url)
    for _ in range(200):
        first.get_fiat_accounts()
    for _ in range(20_000):  # as a busy client does: run ahead of the millisecond clock
        first.nonces()
    first.get_fiat_accounts()
    last = first.nonces.last
    del first
    second = Liquid(
        strict_sandbox.token_id, strict_sandbox.secret, api_url=strict_sandbox.url, max_retries=0
    )
    second.get_fiat_accounts()  # no "Nonce is too small", and no re-sign to hide one
    assert second.nonces.last > last
