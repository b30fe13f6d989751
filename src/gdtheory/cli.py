"""The ``gdtheory`` command: list, run, build, figures.

Every input is validated before any computation; bad input gets one message
naming what was wrong and what is allowed, and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time

from .pipeline import build as B

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, exit 2
        self.exit(2, f"gdtheory: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gdtheory", description="Execute and render the companion book.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sub.add_parser("list", help="chapters, their figures and parameters")
    run = sub.add_parser("run", help="execute one chapter (papermill), then refresh the book")
    run.add_argument("chapter")
    run.add_argument("--mode", choices=B.MODES, default=None)
    run.add_argument(
        "-p",
        "--param",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        default=[],
        help="override a parameter of the chapter's parameters cell",
    )
    run.add_argument("--no-render", action="store_true", help="execute only")
    bld = sub.add_parser("build", help="execute what is stale, render _build/html")
    bld.add_argument("--mode", choices=B.MODES, default="paper")
    bld.add_argument("--only", nargs="+", metavar="CHAPTER", default=None)
    bld.add_argument("--force", action="store_true", help="re-execute even fresh chapters")
    sub.add_parser("figures", help="the figure manifest with a citation line per figure")
    return p


def _cmd_list() -> int:
    for cid, ch in B.chapters().items():
        print(f"{cid}: {ch.title}")
        print(f"  figures:    {', '.join(ch.figures) or '-'}")
        print("  parameters: " + ", ".join(f"{k}={v!r}" for k, v in ch.params.items()))
    return 0


def _cmd_figures() -> int:
    from .record.figures import citation, manifest

    entries = manifest()
    if not entries:
        print("no figures built yet: run `gdtheory build`")
        return 0
    for label, e in entries.items():
        print(f"{label}  [{e['chapter']} Fig. {e['paper_figure']}]  _build/{e['png']}")
        print(f"    {citation(e)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gdtheory`` console script."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `gdtheory figures | head` ends quietly
    args = _parser().parse_args(argv)
    t0 = time.perf_counter()
    try:
        if args.command == "list":
            return _cmd_list()
        if args.command == "figures":
            return _cmd_figures()
        if args.command == "run":
            [(ch, params)] = B.resolve([args.chapter], args.mode, [tuple(p) for p in args.param])
            B.ensure_writable()
            print(f"{ch.id}: executing with {json.dumps(params)}")
            rec = B.execute(ch, params)
            result = {"chapters": [{**rec, "action": "executed"}], "render_s": 0.0}
            if not args.no_render:
                result["render_s"] = B.render()
            print(B.timing_table(result))
        else:
            result = B.build(args.only, args.mode, force=args.force)
            print(B.timing_table(result))
        print(
            f"total {time.perf_counter() - t0:.1f} s; open {B.build_dir() / 'html' / 'index.html'}"
        )
        return 0
    except B.UsageError as err:
        print(f"gdtheory: error: {err}", file=sys.stderr)
        return 2
    except B.BuildError as err:
        print(f"gdtheory: build failed: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
