"""Products (currency pairs and perpetuals), order books and market data."""

from __future__ import annotations

from .._base import JSON, EndpointMixin
from .._utils import (
    IdLike,
    TimeLike,
    non_empty_string,
    optional_time,
    page_limit,
    positive_int,
)
from ..types import Currency, OrderBook, Page, Product


class ProductsMixin(EndpointMixin):
    """Public market data: products, order books, currencies and candles."""

    def get_products(self, *, perpetual: bool = False) -> list[Product]:
        """List the products (currency pairs) traded on the exchange.

        API: ``GET /products``, public.

        Args:
            perpetual: List the perpetual products instead (``?perpetual=1``).

        Returns:
            A list of product objects (``id``, ``currency_pair_code``,
            ``last_traded_price``, ``maker_fee``, ``taker_fee``, ...).

        Example:
            .. code-block:: python

                products = client.get_products()
                btcusd = next(p for p in products if p["currency_pair_code"] == "BTCUSD")
        """
        params = {"perpetual": 1} if perpetual else None
        result: list[Product] = self._get("products", params)
        return result

    def get_perpetual_products(self) -> list[Product]:
        """List the perpetual products.

        API: ``GET /products?perpetual=1``, public.

        Returns:
            A list of perpetual product objects (with ``mark_price``,
            ``funding_rate``, ``index_price``...).

        Example:
            .. code-block:: python

                perpetuals = client.get_perpetual_products()
        """
        return self.get_products(perpetual=True)

    def find_product(self, currency_pair_code: str) -> Product | None:
        """Find a product by its currency pair code, such as ``"BTCUSD"``.

        API: ``GET /products``, public, and ``GET /products?perpetual=1`` when the
        code is not among the spot products (perpetual codes such as
        ``"P-BTCUSD"``).

        Args:
            currency_pair_code: The pair code; case and surrounding spaces are
                ignored (``"btcusd"`` finds ``BTCUSD``).

        Returns:
            The product object, or None when no product has that code.

        Raises:
            QuoineValidationError: The code is not a non-empty string (nothing was sent).

        Example:
            .. code-block:: python

                product_id = int(client.find_product("btcusd")["id"])
        """
        code = non_empty_string(currency_pair_code, "currency_pair_code").strip().upper()
        for perpetual in (False, True):
            for product in self.get_products(perpetual=perpetual):
                if str(product.get("currency_pair_code", "")).upper() == code:
                    return product
        return None

    def get_product(self, product_id: IdLike) -> Product:
        """Get one product.

        API: ``GET /products/{id}``, public.

        Args:
            product_id: The product id, e.g. 1 for BTCUSD.

        Returns:
            The product object.

        Example:
            .. code-block:: python

                product = client.get_product(1)
                print(product["last_traded_price"])
        """
        result: Product = self._get(f"products/{positive_int(product_id, 'product_id')}")
        return result

    def get_order_book(self, product_id: IdLike, full: bool = False) -> OrderBook:
        """Get the order book (price levels) of a product.

        API: ``GET /products/{id}/price_levels``, public. Sends ``full=1`` or
        ``full=0`` as python-quoine 0.1.x did.

        Args:
            product_id: The product id.
            full: The whole book instead of the best 20 levels per side.

        Returns:
            ``{"buy_price_levels": [[price, quantity], ...], "sell_price_levels": [...]}``
            with prices and quantities as strings.

        Example:
            .. code-block:: python

                book = client.get_order_book(1)
                best_bid, best_ask = book["buy_price_levels"][0], book["sell_price_levels"][0]
        """
        pid = positive_int(product_id, "product_id")
        result: OrderBook = self._get(f"products/{pid}/price_levels", {"full": 1 if full else 0})
        return result

    def get_currencies(self) -> list[Currency]:
        """List the currencies, with precisions, minimum order sizes and withdrawal fees.

        API: ``GET /currencies``, public.

        Returns:
            A list of currency objects.

        Example:
            .. code-block:: python

                btc = next(c for c in client.get_currencies() if c["currency"] == "BTC")
                print(btc["minimum_order_quantity"])
        """
        result: list[Currency] = self._get("currencies")
        return result

    def get_ohlc(self, product_id: IdLike, *, resolution: int = 60) -> JSON:
        """Get candles (OHLC) of a product.

        API: ``GET /products/{id}/ohlc``, public.

        Args:
            product_id: The product id.
            resolution: Candle length in seconds: 60, 3600, 86400...

        Returns:
            The candles as the API returns them.

        Example:
            .. code-block:: python

                hourly = client.get_ohlc(1, resolution=3600)
        """
        pid = positive_int(product_id, "product_id")
        params = {"resolution": positive_int(resolution, "resolution")}
        result: JSON = self._get(f"products/{pid}/ohlc", params)
        return result

    def get_funding_rate_history(
        self,
        product_id: IdLike,
        *,
        timestamp_gte: TimeLike | None = None,
        timestamp_lte: TimeLike | None = None,
        limit: int | None = None,
    ) -> Page:
        """Get the funding rate history of a perpetual product.

        API: ``GET /products/{id}/funding_rate_history``, public.

        Args:
            product_id: A perpetual product id.
            timestamp_gte: Only rates at or after this time.
            timestamp_lte: Only rates at or before this time.
            limit: At most this many (1 to 1000).

        Returns:
            The funding rates as the API returns them.

        Example:
            .. code-block:: python

                rates = client.get_funding_rate_history(603, timestamp_gte="2021-01-01")
        """
        pid = positive_int(product_id, "product_id")
        params = {
            "timestamp_gte": optional_time(timestamp_gte, "timestamp_gte"),
            "timestamp_lte": optional_time(timestamp_lte, "timestamp_lte"),
            "limit": page_limit(limit),
        }
        result: Page = self._get(f"products/{pid}/funding_rate_history", params)
        return result
