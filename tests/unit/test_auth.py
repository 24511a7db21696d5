"""JWT signing and nonces."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import threading

import jwt
import pytest

from quoine._auth import NonceGenerator, QuoineAuth, encode_jwt_hs256, hs256_key, sign_path

KEY = "a-test-secret-that-is-long-enough-for-hs256"


def _b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def test_encode_matches_pyjwt():
    payload = {"path": "/orders?product_id=1", "nonce": 1459142524488, "token_id": "42"}

    ours = encode_jwt_hs256(payload, KEY)

    assert jwt.decode(ours, KEY, algorithms=["HS256"]) == payload
    assert ours == jwt.encode(payload, KEY, algorithm="HS256")


def test_bytes_secret_and_keyed_hmac_sign_like_the_str_secret():
    payload = {"path": "/x", "nonce": 3, "token_id": "t"}
    expected = jwt.encode(payload, KEY, algorithm="HS256")
    key = hs256_key(KEY)

    assert encode_jwt_hs256(payload, KEY.encode()) == expected
    assert encode_jwt_hs256(payload, key) == expected
    # The keyed HMAC is copied, not consumed: it signs the next token alike.
    assert encode_jwt_hs256(payload, key) == expected
    assert encode_jwt_hs256(payload, "ü-secret-long-enough-for-hs256-32-bytes") == jwt.encode(
        payload, "ü-secret-long-enough-for-hs256-32-bytes".encode(), algorithm="HS256"
    )


def test_auth_signs_with_the_one_encoder():
    auth = QuoineAuth("42", KEY, NonceGenerator(clock=lambda: 2.0))
    payload = {"path": "/a?b=1", "nonce": 2000, "token_id": "42"}
    assert (
        auth.sign("/a?b=1")
        == encode_jwt_hs256(payload, KEY)
        == sign_path("/a?b=1", 2000, "42", KEY)
    )


def test_header_is_hs256_jwt_and_signature_is_hmac_sha256():
    token = sign_path("/x", 7, "t", KEY)
    header, body, signature = token.split(".")

    assert json.loads(_b64decode(header)) == {"alg": "HS256", "typ": "JWT"}
    assert json.loads(_b64decode(body)) == {"path": "/x", "nonce": 7, "token_id": "t"}
    expected = hmac.new(KEY.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
    assert _b64decode(signature) == expected
    assert "=" not in token


def test_wrong_secret_does_not_verify():
    token = sign_path("/x", 1, "t", KEY)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, KEY + "x", algorithms=["HS256"])


def test_auth_signs_prepared_path_and_query_exactly():
    import requests

    nonces = NonceGenerator(clock=lambda: 1.0)
    auth = QuoineAuth("42", KEY, nonces)
    prepared = requests.Request(
        "GET", "https://h/orders", params={"status": "live", "q": "a b+c/ü"}, auth=auth
    ).prepare()

    claims = jwt.decode(prepared.headers["X-Quoine-Auth"], KEY, algorithms=["HS256"])

    assert claims == {"path": prepared.path_url, "nonce": 1000, "token_id": "42"}
    assert prepared.path_url == "/orders?status=live&q=a+b%2Bc%2F%C3%BC"
    assert KEY not in repr(auth)


def test_each_signature_takes_a_new_nonce():
    auth = QuoineAuth("42", KEY, NonceGenerator(clock=lambda: 5.0))
    first, second = (jwt.decode(auth.sign("/a"), KEY, algorithms=["HS256"]) for _ in range(2))
    assert (first["nonce"], second["nonce"]) == (5000, 5001)


def test_nonce_follows_clock_in_milliseconds():
    times = iter([1.0, 2.5, 3.0])
    nonces = NonceGenerator(clock=lambda: next(times))
    assert [nonces(), nonces(), nonces()] == [1000, 2500, 3000]
    assert nonces.last == 3000


@pytest.mark.case(18)
def test_nonce_strictly_increases_when_clock_repeats_or_steps_back():
    times = iter([100.0, 95.0, 95.0, 100.001])
    nonces = NonceGenerator(clock=lambda: next(times))
    assert [nonces(), nonces(), nonces(), nonces()] == [100000, 100001, 100002, 100003]


@pytest.mark.case(20)
def test_nonce_starts_above_a_given_value():
    assert NonceGenerator(clock=lambda: 1.0, start=5000)() == 5001


@pytest.mark.case(17)
def test_nonces_unique_and_increasing_across_threads():
    nonces = NonceGenerator()
    per_thread: list[list[int]] = [[] for _ in range(8)]

    def work(out: list[int]) -> None:
        out.extend(nonces() for _ in range(10_000))

    threads = [threading.Thread(target=work, args=(out,)) for out in per_thread]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    everything = list(itertools.chain.from_iterable(per_thread))
    assert len(everything) == 80_000
    assert len(set(everything)) == 80_000
    for sequence in per_thread:
        assert all(a < b for a, b in zip(sequence, sequence[1:]))


def test_the_header_goes_out_spelled_as_0_1_4_spelled_it():
    import requests

    auth = QuoineAuth("42", KEY, NonceGenerator(clock=lambda: 1.0))
    prepared = requests.Request("GET", "https://h/orders", auth=auth).prepare()
    assert "X-Quoine-Auth" in list(prepared.headers)  # the exact spelling, as sent
