"""The two ways a command of the book fails."""

from __future__ import annotations

__all__ = ["UsageError", "BuildError"]


class UsageError(Exception):
    """Bad input from the user: reported in one line, exit status 2, nothing computed."""


class BuildError(Exception):
    """A chapter or the render failed: reported with its cause, exit status 1."""
