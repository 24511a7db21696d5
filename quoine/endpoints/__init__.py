"""Endpoint groups, one mixin per group; :class:`quoine.client.Quoine` combines them."""

from .accounts import AccountsMixin
from .executions import ExecutionsMixin
from .fees import FeesMixin
from .funding import FundingMixin
from .loans import LoansMixin
from .orders import OrdersMixin
from .products import ProductsMixin
from .trades import TradesMixin
from .trading_accounts import TradingAccountsMixin

__all__ = [
    "AccountsMixin",
    "ExecutionsMixin",
    "FeesMixin",
    "FundingMixin",
    "LoansMixin",
    "OrdersMixin",
    "ProductsMixin",
    "TradesMixin",
    "TradingAccountsMixin",
]
