"""A narrated walk through the client against a local sandbox exchange.

Run it with ``python -m quoine demo``. It starts a sandbox on a free loopback
port, so it needs no credentials and no network, and no real money moves. It
never trades anywhere else: ``$QUOINE_API_URL`` and the credentials in the
environment are ignored unless a loopback sandbox URL is given explicitly.
"""

from __future__ import annotations

import ipaddress
import sys
from decimal import Decimal
from typing import Any, TextIO
from urllib.parse import urlsplit

from .client import Quoinex
from .exceptions import QuoineValidationError

__all__ = ["run_demo"]

PRODUCT_ID = 1  # BTCUSD


def run_demo(out: TextIO | None = None, *, api_url: str | None = None) -> int:
    """Run the demo session and print it.

    Args:
        out: Where to print; standard output by default.
        api_url: Use an already running sandbox on this machine (started with
            ``python -m quoine.sandbox``) instead of starting one: a loopback URL
            such as ``http://127.0.0.1:8765``. Its demo credentials are then read
            from ``QUOINE_API_TOKEN_ID`` and ``QUOINE_API_SECRET``.

    Returns:
        The exit status, 0.

    Raises:
        QuoineValidationError: ``api_url`` is not a loopback URL (nothing was sent).

    Example:
        .. code-block:: python

            from quoine.demo import run_demo
            run_demo()
    """
    out = sys.stdout if out is None else out
    if api_url is not None:
        _check_loopback(api_url)
        with Quoinex(api_url=api_url) as client:
            _session(client, out)
        return 0
    from .sandbox import Sandbox

    with Sandbox() as sandbox:
        _say(out, f"Started a sandbox exchange at {sandbox.url} (local, no real money).")
        with Quoinex(sandbox.token_id, sandbox.secret, api_url=sandbox.url) as client:
            _session(client, out)
            _live_book(client, sandbox, out)
    _say(
        out,
        "\nSandbox stopped. The same calls work on Liquid(token_id, secret) from\n"
        "quoine.client: its host, api.liquid.com, needs no api_url (Liquid closed in\n"
        "2022; for another server of the same API, pass api_url=...).",
    )
    return 0


def _check_loopback(api_url: str) -> None:
    """Refuse any host but this machine's: the demo places orders."""
    host = urlsplit(api_url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise QuoineValidationError(
            f"the demo trades only on a sandbox on this machine; {api_url!r} is not a "
            "loopback URL (such as http://127.0.0.1:8765)"
        )


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
    cost = _cost(bought)
    average = f"{(cost / Decimal(str(bought['filled_quantity']))).normalize():f}" if cost else "?"
    _say(
        out,
        f"   order {bought['id']} {bought['status']}: {bought['filled_quantity']} BTC"
        f" at an average {average} USD, fee {bought.get('order_fee')} USD",
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

    _say(out, "\n6. Balances after the trade: USD paid the cost and the taker fee")
    paid = f"{cost.normalize():f} for the BTC plus a {bought.get('order_fee')} fee"
    _show_balances(client, out, paid=paid)

    _say(out, f"\n7. My executions  client.get_my_executions({PRODUCT_ID})")
    for execution in client.get_my_executions(PRODUCT_ID)["models"][:5]:
        _say(
            out,
            f"   {execution['my_side']:<4} {execution['quantity']} @ {execution['price']}"
            f"  (id {execution['id']})",
        )


def _cost(order: Any) -> Decimal:
    """What the order's fills cost in the quoted currency, fees aside.

    From its executions: ``average_price`` is missing from answers of the
    2016-era API.
    """
    fills = order.get("executions") or []
    if fills:
        return sum(
            (Decimal(str(f["quantity"])) * Decimal(str(f["price"])) for f in fills), Decimal(0)
        )
    return Decimal(str(order["filled_quantity"])) * Decimal(str(order.get("average_price") or 0))


def _live_book(client: Quoinex, sandbox: Any, out: TextIO) -> None:
    _say(out, "\n8. Live order book over Liquid Tap  (quoine.realtime)")
    try:
        from .realtime._demo import live_book_step
    except ImportError:
        _say(out, "   pip install 'python-quoine[realtime]' to see the book change live")
        return
    live_book_step(client, sandbox.tap_url, PRODUCT_ID, lambda line: _say(out, line))


def _show_balances(client: Quoinex, out: TextIO, *, paid: str | None = None) -> None:
    balances: dict[str, Any] = {b["currency"]: b["balance"] for b in client.get_account_balances()}
    for currency in ("USD", "BTC"):
        note = f"  (paid {paid})" if paid is not None and currency == "USD" else ""
        _say(out, f"   {currency:<4} {balances.get(currency)}{note}")


def _say(out: TextIO, line: str) -> None:
    print(line, file=out, flush=True)
