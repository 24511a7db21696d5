"""Cost of one request signature: a fresh nonce and an HS256 JWT over path and query.

Times :meth:`quoine._auth.QuoineAuth.sign`, which is what the client runs for
every signed request (requests calls it through ``QuoineAuth.__call__``), and
for comparison ``sign_path``, the stand-alone function that also builds the
HMAC key each time.

Run alone: ``python -m benchmarks.signing``.
"""

from __future__ import annotations

import json
import statistics
import timeit
from typing import Any

from quoine._auth import NonceGenerator, QuoineAuth, sign_path

PATH = "/orders?product_id=1&status=live&limit=1000&page=1"
SECRET = "benchmark-secret-" * 4


def measure(number: int = 20_000, rounds: int = 7) -> dict[str, Any]:
    """Median microseconds per signature over ``rounds`` runs of ``number`` each."""
    auth = QuoineAuth("123456", SECRET, NonceGenerator())
    nonces = NonceGenerator()

    def per_call(call: Any) -> float:
        runs = timeit.repeat(call, number=number, repeat=rounds)
        return round(statistics.median(runs) / number * 1e6, 2)

    return {
        "path": PATH,
        "signatures_per_round": number,
        "us_per_signature": per_call(lambda: auth.sign(PATH)),
        "us_per_sign_path": per_call(lambda: sign_path(PATH, nonces(), "123456", SECRET)),
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
