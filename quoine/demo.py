"""A narrated walk through the client against a local sandbox exchange.

Run it with ``python -m quoine demo``. It starts a sandbox on a free loopback
port, so it needs no credentials and no network, and no real money moves.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any, TextIO

from .client import Quoinex

__all__ = ["run_demo"]

PRODUCT_ID = 1  # BTCUSD


def run_demo(out: TextIO | None = None, *, api_url: str | None = None) -> int:
    """Run the demo session and print it.

    Args:
        out: Where to print; standard output by default.
        api_url: Use an already running sandbox (started with
            ``python -m quoine.sandbox``) instead of starting one; its demo
            credentials are then read from ``QUOINE_API_TOKEN_ID`` and
            ``QUOINE_API_SECRET``.

    Returns:
        The exit status, 0.

    Example:
        .. code-block:: python

            from quoine.demo import run_demo
            run_demo()
    """
    out = sys.stdout if out is None else out
    if api_url is not None:
        with Quoinex(api_url=api_url) as client:
            _session(client, out)
        return 0
    from .sandbox import Sandbox

    with Sandbox() as sandbox:
        _say(out, f"Started a sandbox exchange at {sandbox.url} (local, no real money).")
        with Quoinex(sandbox.token_id, sandbox.secret, api_url=sandbox.url) as client:
            _session(client, out)
            _live_book(client, sandbox, out)
    _say(out, "\nSandbox stopped. Point Quoinex(api_url=...) at the real API when ready.")
    return 0


def _session(client: Quoinex, out: TextIO) -> None:
    _say(out, f"Client: {client!r}\n")

    _say(out, "1. Products  client.get_products()")
    for product in client.get_products()[:6]:
        _say(
            out,
            f"   {product['id']:>4}  {product['currency_pair_code']:<8}"
            f" last {product.get('last_traded_price')}",
        )

    _say(out, f"\n2. Order book of product {PRODUCT_ID}  client.get_order_book({PRODUCT_ID})")
    book = client.get_order_book(PRODUCT_ID)
    asks = list(reversed(book["sell_price_levels"][:3]))
    for price, quantity in asks:
        _say(out, f"   ask {price:>12} x {quantity}")
    _say(out, "   " + "-" * 28)
    for price, quantity in book["buy_price_levels"][:3]:
        _say(out, f"   bid {price:>12} x {quantity}")
    best_ask = Decimal(str(book["sell_price_levels"][0][0]))

    _say(out, "\n3. Balances  client.get_account_balances()")
    _show_balances(client, out)

    _say(out, f"\n4. Market buy 0.01 BTC  client.create_market_buy({PRODUCT_ID}, '0.01')")
    bought = client.create_market_buy(PRODUCT_ID, "0.01")
    bought = client.get_order(bought["id"])
    _say(
        out,
        f"   order {bought['id']}: {bought['status']}, filled {bought['filled_quantity']}"
        f" at average {bought.get('average_price')}",
    )

    price = (best_ask * Decimal("1.2")).quantize(Decimal("0.01"))
    _say(out, f"\n5. Limit sell 0.005 BTC at {price}, far above the market")
    _say(out, f"   client.create_limit_sell({PRODUCT_ID}, '0.005', '{price}')")
    order = client.create_limit_sell(PRODUCT_ID, "0.005", price)
    _say(out, f"   order {order['id']}: {order['status']}")
    btc = client.get_account("BTC")
    _say(out, f"   BTC reserved while it is live: {btc.get('reserved_balance')}")
    cancelled = client.cancel_order(order["id"])
    _say(out, f"   client.cancel_order({order['id']}) -> {cancelled['status']}")

    _say(out, "\n6. Balances after the trade")
    _show_balances(client, out)

    _say(out, f"\n7. My executions  client.get_my_executions({PRODUCT_ID})")
    for execution in client.get_my_executions(PRODUCT_ID)["models"][:5]:
        _say(
            out,
            f"   {execution['my_side']:<4} {execution['quantity']} @ {execution['price']}"
            f"  (id {execution['id']})",
        )


def _live_book(client: Quoinex, sandbox: Any, out: TextIO) -> None:
    _say(out, "\n8. Live order book over Liquid Tap  (quoine.realtime)")
    try:
        from .realtime._demo import live_book_step
    except ImportError:
        _say(out, "   pip install 'python-quoine[realtime]' to see the book change live")
        return
    live_book_step(client, sandbox.tap_url, PRODUCT_ID, lambda line: _say(out, line))


def _show_balances(client: Quoinex, out: TextIO) -> None:
    balances: dict[str, Any] = {b["currency"]: b["balance"] for b in client.get_account_balances()}
    for currency in ("USD", "BTC"):
        _say(out, f"   {currency:<4} {balances.get(currency)}")


def _say(out: TextIO, line: str) -> None:
    print(line, file=out, flush=True)
