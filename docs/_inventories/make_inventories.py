"""Write the intersphinx inventories the docs link to, so the build needs no network.

Each inventory lists only the objects these docs refer to, with the canonical
URL of their page in that project's documentation. After adding a reference to
another Python, requests or dateutil object, add it below and run::

    python docs/_inventories/make_inventories.py

The files are in Sphinx's inventory format (version 2), the same as the
``objects.inv`` each project publishes.
"""

from __future__ import annotations

import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name -> (role, page#anchor); "$" in the anchor stands for the name.
PYTHON = {
    # builtins
    **{
        name: ("py:class", "library/functions.html#$")
        for name in ("int", "float", "str", "bool", "bytes", "tuple", "list", "dict", "set")
    },
    **{
        name: ("py:class", "library/stdtypes.html#$")
        for name in ("object", "frozenset", "range", "memoryview", "type")
    },
    "None": ("py:data", "library/constants.html#$"),
    **{
        name: ("py:exception", "library/exceptions.html#$")
        for name in (
            "Exception",
            "BaseException",
            "ValueError",
            "TypeError",
            "KeyError",
            "OSError",
            "ImportError",
            "RuntimeError",
            "MemoryError",
            "RecursionError",
            "KeyboardInterrupt",
            "TimeoutError",
            "ConnectionError",
            "BrokenPipeError",
            "UnicodeEncodeError",
            "NotImplementedError",
            "OverflowError",
        )
    },
    # modules
    **{
        name: ("py:module", f"library/{name}.html#module-{name}")
        for name in (
            "decimal",
            "datetime",
            "json",
            "logging",
            "threading",
            "time",
            "tracemalloc",
            "timeit",
            "typing",
            "numbers",
            "operator",
            "uuid",
            "signal",
            "argparse",
        )
    },
    "decimal.Decimal": ("py:class", "library/decimal.html#$"),
    "decimal.Decimal.quantize": ("py:method", "library/decimal.html#$"),
    "decimal.InvalidOperation": ("py:class", "library/decimal.html#$"),
    "datetime.datetime": ("py:class", "library/datetime.html#$"),
    "datetime.date": ("py:class", "library/datetime.html#$"),
    "datetime.timezone": ("py:class", "library/datetime.html#$"),
    "datetime.timedelta": ("py:class", "library/datetime.html#$"),
    "datetime.timezone.utc": ("py:attribute", "library/datetime.html#$"),
    **{
        f"collections.abc.{name}": ("py:class", "library/collections.abc.html#$")
        for name in ("Iterator", "Iterable", "Sequence", "Mapping", "Callable", "Generator")
    },
    **{
        f"typing.{name}": ("py:data", "library/typing.html#$")
        for name in ("Any", "Union", "Optional", "Callable", "TextIO")
    },
    "typing.NamedTuple": ("py:class", "library/typing.html#$"),
    "typing.TypedDict": ("py:class", "library/typing.html#$"),
    "numbers.Integral": ("py:class", "library/numbers.html#$"),
    "numbers.Real": ("py:class", "library/numbers.html#$"),
    "operator.index": ("py:function", "library/operator.html#$"),
    "uuid.uuid4": ("py:function", "library/uuid.html#$"),
    "json.loads": ("py:function", "library/json.html#$"),
    "json.dumps": ("py:function", "library/json.html#$"),
    "logging.NullHandler": ("py:class", "library/logging.handlers.html#$"),
    "logging.Logger": ("py:class", "library/logging.html#$"),
    "logging.WARNING": ("py:data", "library/logging.html#$"),
    "threading.Lock": ("py:function", "library/threading.html#$"),
    "threading.Event": ("py:class", "library/threading.html#$"),
    "threading.Thread": ("py:class", "library/threading.html#$"),
    "ssl.SSLContext": ("py:class", "library/ssl.html#$"),
    "time.time": ("py:function", "library/time.html#$"),
    "time.monotonic": ("py:function", "library/time.html#$"),
    "time.perf_counter": ("py:function", "library/time.html#$"),
    "time.thread_time": ("py:function", "library/time.html#$"),
    "time.sleep": ("py:function", "library/time.html#$"),
    "timeit.repeat": ("py:function", "library/timeit.html#$"),
    "signal.SIGTERM": ("py:data", "library/signal.html#$"),
    "types.TracebackType": ("py:class", "library/types.html#$"),
}

REQUESTS = {
    "requests": ("py:module", "api/#module-requests"),
    **{
        f"requests.{name}": ("py:class", "api/#$")
        for name in ("Session", "Response", "PreparedRequest", "Request")
    },
    "requests.Session.send": ("py:method", "api/#$"),
    "requests.Session.request": ("py:method", "api/#$"),
    "requests.Session.close": ("py:method", "api/#$"),
    "requests.adapters.HTTPAdapter": ("py:class", "api/#$"),
    **{
        f"requests.exceptions.{name}": ("py:exception", "api/#$")
        for name in (
            "RequestException",
            "ConnectionError",
            "Timeout",
            "SSLError",
            "HTTPError",
            "ConnectTimeout",
            "ReadTimeout",
            "InvalidHeader",
        )
    },
}

DATEUTIL = {
    "dateutil": ("py:module", "#module-dateutil"),
    "dateutil.parser": ("py:module", "parser.html#module-dateutil.parser"),
    "dateutil.parser.parse": ("py:function", "parser.html#$"),
    "dateutil.parser.isoparse": ("py:function", "parser.html#$"),
}

PANDAS = {
    "pandas": ("py:module", "reference/index.html#module-pandas"),
    "pandas.DataFrame": ("py:class", "reference/api/pandas.DataFrame.html#$"),
    "pandas.Series": ("py:class", "reference/api/pandas.Series.html#$"),
    "pandas.Timestamp": ("py:class", "reference/api/pandas.Timestamp.html#$"),
}


def write(path: Path, project: str, version: str, objects: dict[str, tuple[str, str]]) -> None:
    """Write one inventory (Sphinx format version 2)."""
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    lines = "".join(f"{name} {role} 1 {uri} -\n" for name, (role, uri) in sorted(objects.items()))
    path.write_bytes(header.encode() + zlib.compress(lines.encode()))


if __name__ == "__main__":
    write(HERE / "python.inv", "Python", "3", PYTHON)
    write(HERE / "requests.inv", "Requests", "2", REQUESTS)
    write(HERE / "dateutil.inv", "dateutil", "2", DATEUTIL)
    write(HERE / "pandas.inv", "pandas", "2", PANDAS)
