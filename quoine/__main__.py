"""``python -m quoine``: the demo (more commands arrive with the command line)."""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command.

    Args:
        argv: Arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(prog="python -m quoine", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="a narrated session against a local sandbox")
    demo.add_argument("--api-url", help="use a running sandbox at this URL instead of starting one")
    args = parser.parse_args(argv)
    from .demo import run_demo

    try:
        return run_demo(api_url=args.api_url)
    except BrokenPipeError:
        # The reader went away (``python -m quoine demo | head``): not an error.
        # Point stdout at devnull so the interpreter's final flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
