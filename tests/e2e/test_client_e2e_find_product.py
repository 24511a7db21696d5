"""find_product against the sandbox: spot and perpetual codes, any case."""

from __future__ import annotations


def test_find_product_by_pair_code(quoinex):
    assert str(quoinex.find_product("ETHBTC")["id"]) == "37"  # "37" (Liquid) or 37 (2016)
    assert quoinex.find_product("btcjpy")["currency_pair_code"] == "BTCJPY"
    assert str(quoinex.find_product("P-btcusd")["id"]) == "603"
    assert quoinex.find_product("BTCEUR") is None
