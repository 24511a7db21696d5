"""The requests the client sends follow the sources where they show a body.

- ``PUT /loans/{id}``: the sources disagree (the 2016 documentation's example
  nests the field under ``loan``; the Liquid-era documentation lists it flat).
  The client keeps python-quoine 0.1.4's flat body; the sandbox accepts both.
- ``POST /bank_accounts``: Quoine's official example
  (``QuoineFinancial/api_code_examples_client`` ``vendor/bank_accounts/create.rb``)
  sends the fields flat.
- ``order_direction``: the Liquid-era spelling is ``netout`` (document.liquid.com,
  python-quoine 0.1.4); the 2016 documentation spells it ``net_out``. Both go out
  as given, and the sandbox accepts both.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses
from _helpers import API, sent

from quoine import Quoinex
from quoine.sandbox import Sandbox


def test_update_loan_sends_the_field_flat_as_0_1_did(
    client: Quoinex, mocked: responses.RequestsMock
) -> None:
    mocked.put(f"{API}/loans/144825", json={"id": 144825, "fund_reloaned": False})
    client.update_loan(144825, False)
    assert sent(mocked).body == {"fund_reloaned": False}


def test_create_bank_account_sends_the_fields_flat(
    client: Quoinex, mocked: responses.RequestsMock
) -> None:
    mocked.post(f"{API}/bank_accounts", json={"id": 1})
    client.create_bank_account("My Bank Account", "My Bank", "624", bank_branch="Singapore")
    assert sent(mocked).body == {
        "acc_name": "My Bank Account",
        "bank": "My Bank",
        "acc_number": "624",
        "bank_branch": "Singapore",
    }


@pytest.mark.parametrize("direction", ["netout", "net_out"])
def test_both_spellings_of_net_out_are_sent_as_given(
    client: Quoinex, mocked: responses.RequestsMock, direction: str
) -> None:
    mocked.post(f"{API}/orders", json={"id": 1})
    client.create_margin_order("limit", 1, "buy", "0.01", "500", 2, None, "USD", direction)
    assert sent(mocked).body["order"]["order_direction"] == direction


@pytest.fixture(scope="module")
def sandbox_client() -> Iterator[Quoinex]:
    with (
        Sandbox(rate_limit=None) as sb,
        Quoinex(sb.token_id, sb.secret, api_url=sb.url, rate_limit=None) as quoinex,
    ):
        yield quoinex


@pytest.mark.parametrize("direction", ["one_direction", "two_direction", "netout", "net_out"])
def test_the_sandbox_accepts_every_documented_direction(
    sandbox_client: Quoinex, direction: str
) -> None:
    order = sandbox_client.create_margin_order(
        "limit", 1, "buy", "0.01", "500", 2, order_direction=direction
    )
    assert order["status"] == "live"


def test_the_sandbox_takes_the_nested_loan_body(sandbox_client: Quoinex) -> None:
    sandbox_client.create_margin_order("market", 1, "buy", "0.01", leverage_level=2)
    loan = sandbox_client.get_loans("USD")["models"][0]
    assert loan["fund_reloaned"] is True
    assert sandbox_client.update_loan(loan["id"], False)["fund_reloaned"] is False
    assert sandbox_client.get_loans("USD")["models"][0]["fund_reloaned"] is False
