"""X-Quoine-Auth verification and nonces."""

from __future__ import annotations

import jwt

from quoine._auth import encode_jwt_hs256
from quoine.sandbox import make_app
from quoine.sandbox._jwt import JWTError, decode_hs256


def test_missing_header_is_plain_text_401(api):
    resp = api.request("GET", "/accounts/balance", signed=False)
    assert resp.status_code == 401
    assert resp.text == "API Authentication failed"
    assert resp.headers["Content-Type"].startswith("text/plain")


def test_bad_signature_unknown_token_and_path_mismatch(api, sandbox):
    wrong = jwt.encode(
        {"path": "/accounts", "nonce": 10**13, "token_id": api.token_id},
        "wrong" * 8,
        algorithm="HS256",
    )
    resp = api.session.get(api.url + "/accounts", headers={"X-Quoine-Auth": wrong})
    assert (resp.status_code, resp.text) == (401, "API Authentication failed")
    unknown = jwt.encode(
        {"path": "/accounts", "nonce": 10**13, "token_id": "nobody"}, api.secret, algorithm="HS256"
    )
    resp = api.session.get(api.url + "/accounts", headers={"X-Quoine-Auth": unknown})
    assert resp.status_code == 401
    # Query string missing from the signed path.
    token = api.token("/orders")
    resp = api.session.get(api.url + "/orders?product_id=1", headers={"X-Quoine-Auth": token})
    assert (resp.status_code, resp.text) == (401, "API Authentication failed")
    # Signed exactly as sent works, byte for byte.
    path = "/orders?product_id=1&status=live&limit=5"
    resp = api.session.get(api.url + path, headers={"X-Quoine-Auth": api.token(path)})
    assert resp.status_code == 200
    garbage = api.session.get(api.url + "/accounts", headers={"X-Quoine-Auth": "a.b.c"})
    assert garbage.status_code == 401


def test_nonce_must_increase(api):
    token = api.token("/accounts/balance", nonce=5 * 10**15)
    ok = api.session.get(api.url + "/accounts/balance", headers={"X-Quoine-Auth": token})
    assert ok.status_code == 200
    again = api.session.get(api.url + "/accounts/balance", headers={"X-Quoine-Auth": token})
    assert again.status_code == 401
    assert again.json() == {"message": "Nonce is too small"}
    smaller = api.token("/accounts/balance", nonce=5 * 10**15 - 1)
    resp = api.session.get(api.url + "/accounts/balance", headers={"X-Quoine-Auth": smaller})
    assert resp.json() == {"message": "Nonce is too small"}


def test_string_nonce_iat_and_no_nonce_with_client_order_id(api):
    token = api.token("/accounts/balance", nonce=str(6 * 10**15), iat=1)
    resp = api.session.get(api.url + "/accounts/balance", headers={"X-Quoine-Auth": token})
    assert resp.status_code == 200
    body = {
        "order_type": "limit",
        "product_id": 1,
        "side": "buy",
        "quantity": "0.1",
        "price": "20000",
        "client_order_id": "no-nonce-1",
    }
    token = jwt.encode({"path": "/orders", "token_id": api.token_id}, api.secret, algorithm="HS256")
    resp = api.session.post(api.url + "/orders", json=body, headers={"X-Quoine-Auth": token})
    assert resp.status_code == 200, resp.text
    body.pop("client_order_id")
    resp = api.session.post(api.url + "/orders", json=body, headers={"X-Quoine-Auth": token})
    assert resp.status_code == 401


def test_public_endpoints_ignore_auth(api):
    resp = api.session.get(api.url + "/products", headers={"X-Quoine-Auth": "junk"})
    assert resp.status_code == 200


def test_own_jwt_roundtrip_and_pyjwt_compat():
    key = "k" * 32
    token = encode_jwt_hs256({"path": "/x", "nonce": 1, "token_id": "t"}, key)
    assert jwt.decode(token, key, algorithms=["HS256"]) == {
        "path": "/x",
        "nonce": 1,
        "token_id": "t",
    }
    other = jwt.encode({"a": 1}, key, algorithm="HS256")
    assert decode_hs256(other, key) == {"a": 1}
    for bad in ("x", "a.b", other + "x"):
        try:
            decode_hs256(bad, key)
        except JWTError:
            pass
        else:
            raise AssertionError(bad)
    none_alg = jwt.encode({"a": 1}, None, algorithm="none")
    try:
        decode_hs256(none_alg, key)
    except JWTError:
        pass
    else:
        raise AssertionError("alg none accepted")


def test_in_process_auth(wsgi_call, make_token):
    app = make_app(secret="s3cret" * 6, rate_limit=None)
    status, _hdrs, body = wsgi_call(
        app, "GET", "/accounts", headers={"X-Quoine-Auth": make_token(app, "/accounts", 1)}
    )
    assert status == 200 and b"fiat_accounts" in body
    status, _headers, body = wsgi_call(
        app, "GET", "/accounts", headers={"X-Quoine-Auth": make_token(app, "/accounts", 1)}
    )
    assert status == 401 and body == b'{"message":"Nonce is too small"}'


def test_lenient_nonce_accepts_equal_but_not_smaller(wsgi_call, make_token):
    app = make_app(rate_limit=None, strict_nonce=False)
    for nonce, status in ((100, 200), (100, 200), (99, 401), (101, 200)):
        token = make_token(app, "/accounts", nonce)
        got = wsgi_call(app, "GET", "/accounts", headers={"X-Quoine-Auth": token})[0]
        assert got == status, nonce
