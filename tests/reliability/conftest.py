"""Fixtures for the fault and bad-input catalogue (docs/reliability.rst)."""

from __future__ import annotations

import sys
from pathlib import Path

# The fault server sits beside these tests.
sys.path.insert(0, str(Path(__file__).parent))
