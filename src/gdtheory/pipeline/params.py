"""Validation of a request (chapters, mode, ``-p NAME VALUE``) before anything runs."""

from __future__ import annotations

from typing import Any

from .chapters import MODES, Chapter, Param, chapters
from .errors import UsageError

__all__ = ["coerce", "resolve"]


def coerce(chapter: str, p: Param, raw: str) -> Any:
    """Parse the command-line string ``raw`` as parameter ``p`` of ``chapter``; check its range."""
    kind = p.type.__name__
    try:
        if p.type is bool:
            low = raw.lower()
            if low not in ("true", "false", "1", "0"):
                raise ValueError
            value: Any = low in ("true", "1")
        elif p.type is int:
            value = int(raw)
        elif p.type is float:
            value = float(raw)
        else:
            value = raw
    except ValueError:
        raise UsageError(
            f"parameter {p.name} of {chapter} takes a value of type {kind} "
            f"(default {p.default!r}); got {raw!r}"
        ) from None
    if p.name == "MODE" and value not in MODES:
        raise UsageError(f"unknown mode {value!r} for {chapter}; choose one of {', '.join(MODES)}")
    if not p.admits(value):
        raise UsageError(
            f"parameter {p.name} of {chapter} must be {p.range_text()} (default {p.default!r}); "
            f"got {raw!r}"
        )
    return value


def resolve(
    ids: list[str] | None,
    mode: str | None,
    overrides: list[tuple[str, str]] | None = None,
    known: dict[str, Chapter] | None = None,
) -> list[tuple[Chapter, dict[str, Any]]]:
    """Validate the request and return each chapter with its full parameter set.

    Raises :class:`UsageError` naming the offending input and the allowed choices.
    """
    if mode is not None and mode not in MODES:
        raise UsageError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    known = known if known is not None else chapters()
    ids = list(ids) if ids else list(known)
    for cid in ids:
        if cid not in known:
            raise UsageError(
                f"unknown chapter {cid!r}; choose one of {', '.join(known) or '(none)'}"
            )
    out = []
    for cid in dict.fromkeys(ids):
        ch = known[cid]
        if ch.error:
            raise UsageError(ch.error)
        params = dict(ch.params)
        for name, raw in overrides or []:
            if name not in ch.specs:
                raise UsageError(
                    f"unknown parameter {name!r} for chapter {cid}; "
                    f"its parameters are {', '.join(ch.specs)}"
                )
            params[name] = coerce(cid, ch.specs[name], raw)
        if mode is not None:
            if overrides and any(n == "MODE" for n, _ in overrides) and params["MODE"] != mode:
                raise UsageError(f"--mode {mode} contradicts -p MODE {params['MODE']}")
            params["MODE"] = mode
        out.append((ch, params))
    return out
