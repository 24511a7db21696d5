"""The package version, written in one place only."""

__version__ = "1.0.0"
