"""The ``gdtheory`` command: list, run, build, figures.

Every input is validated before any computation; bad input gets one message naming what was
wrong and what is allowed, and exit status 2. SIGINT or SIGTERM stops the running kernel and
leaves the published book as it was.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time

from .pipeline import book
from .pipeline.chapters import MODES, chapters
from .pipeline.errors import BuildError, UsageError
from .pipeline.execute import kill_kernels
from .record.paths import build_dir

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, exit 2
        self.exit(2, f"gdtheory: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gdtheory", description="Execute and render the companion book.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sub.add_parser("list", help="chapters, their figures and parameters (with help and range)")
    run = sub.add_parser("run", help="execute one chapter (papermill), then refresh the book")
    run.add_argument("chapter")
    run.add_argument("--mode", choices=MODES, default=None)
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
    run.add_argument("--no-wait", action="store_true", help="refuse if another build runs")
    bld = sub.add_parser("build", help="execute what is stale, render _build/html")
    bld.add_argument("--mode", choices=MODES, default="paper")
    bld.add_argument("--only", nargs="+", metavar="CHAPTER", default=None)
    bld.add_argument("--force", action="store_true", help="re-execute even fresh chapters")
    bld.add_argument("--no-wait", action="store_true", help="refuse if another build runs")
    sub.add_parser("figures", help="the figure manifest with a citation line per figure")
    sw = sub.add_parser(
        "sweep",
        help="run a chapter over a grid of parameters on dask.distributed",
        description="Each point of the Cartesian product of the -p values is one papermill "
        "execution, one dask task. Exit status: 0 if every point passed, 100 + (number of "
        "failed points, at most 99) otherwise, 2 for bad input.",
    )
    sw.add_argument("chapter")
    sw.add_argument("--mode", choices=MODES, default=None)
    sw.add_argument(
        "-p",
        "--param",
        nargs=2,
        action="append",
        metavar=("NAME", "V1,V2,..."),
        default=[],
        help="a parameter and its comma-separated values",
    )
    where = sw.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes of the local cluster (default: cores)",
    )
    where.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="a running dask scheduler, e.g. tcp://HOST:8786",
    )
    sw.add_argument("--out", default=None, help="results folder (default _build/sweeps/...)")
    return p


def _cmd_list() -> int:
    for cid, ch in chapters().items():
        print(f"{cid}: {ch.title}")
        if ch.error:
            print(f"  UNUSABLE: {ch.error}")
            continue
        print(f"  figures: {', '.join(ch.figures) or '-'}")
        print("  parameters:")
        for p in ch.specs.values():
            rng = f", range {p.range_text()}" if p.range_text() else ""
            print(f"    {p.name}={p.default!r} ({p.type.__name__}{rng})  {p.help}")
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


def _terminate(signum, frame):
    """SIGINT/SIGTERM: stop the kernels at once (no half-finished cell), then unwind."""
    kill_kernels()
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gdtheory`` console script."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `gdtheory figures | head` ends quietly
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, _terminate)
    args = _parser().parse_args(argv)
    t0 = time.perf_counter()
    try:
        if args.command == "list":
            return _cmd_list()
        if args.command == "figures":
            return _cmd_figures()
        if args.command == "sweep":
            from .pipeline.sweep import sweep

            out, failed = sweep(
                args.chapter,
                args.mode,
                [tuple(p) for p in args.param],
                workers=args.workers,
                scheduler=args.scheduler,
                out=args.out,
            )
            print(f"results: {out / 'summary.md'} and {out / 'sweep.csv'}")
            if failed:
                print(
                    f"gdtheory: {failed} point(s) failed (see {out / 'summary.md'})",
                    file=sys.stderr,
                )
            return 100 + min(failed, 99) if failed else 0
        if args.command == "run":
            result = book.build(
                [args.chapter],
                args.mode,
                [tuple(p) for p in args.param],
                force=True,
                render_book=not args.no_render,
                wait=not args.no_wait,
            )
        else:
            result = book.build(args.only, args.mode, force=args.force, wait=not args.no_wait)
        print(book.timing_table(result))
        print(f"total {time.perf_counter() - t0:.1f} s; open {build_dir() / 'html' / 'index.html'}")
        return 0
    except UsageError as err:
        print(f"gdtheory: error: {err}", file=sys.stderr)
        return 2
    except BuildError as err:
        print(f"gdtheory: build failed: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("gdtheory: interrupted; the published book is unchanged", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
