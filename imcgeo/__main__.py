"""The command line: ``python -m imcgeo export --format gif --out timeline.gif --scene haiti-2010``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from imcgeo import vocab
from imcgeo.errors import DataValidationError
from imcgeo.export import FORMATS, export


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m imcgeo", description="imcgeo: inter-mission cooperation maps")
    commands = parser.add_subparsers(dest="command", required=True)
    ex = commands.add_parser("export", help="export the map or the data of a view, as the dashboard does")
    ex.add_argument(
        "--format",
        required=True,
        choices=FORMATS,
        help="gif or mp4 (animated timeline), png (1920x1080 still), html (offline map), csv (the data)",
    )
    ex.add_argument("--out", required=True, type=Path, help="file to write")
    ex.add_argument("--scene", help="a briefing scene id, e.g. haiti-2010 (see data/scenes.toml)")
    ex.add_argument("--surge", nargs="+", choices=vocab.SURGES, metavar="SURGE", help=", ".join(vocab.SURGES))
    ex.add_argument("--asset", nargs="+", choices=vocab.ASSETS, metavar="ASSET", help=", ".join(vocab.ASSETS))
    ex.add_argument("--region", nargs="+", choices=vocab.REGIONS, metavar="REGION", help=", ".join(vocab.REGIONS))
    ex.add_argument("--confidence", nargs="+", choices=vocab.CONFIDENCE, help=", ".join(vocab.CONFIDENCE))
    ex.add_argument("--mission", help="only transfers from or to this mission (acronym)")
    ex.add_argument("--from", dest="first", type=int, help="first year")
    ex.add_argument("--to", dest="last", type=int, help="last year")
    ex.add_argument("--year", type=int, help="the year a still (png, html) shows; default: the last year")
    ex.add_argument(
        "--mode", choices=vocab.MODES, help="active: transfers under way in the year; cumulative: all so far"
    )
    ex.add_argument("--colour", choices=vocab.COLOUR_BY, help="what the arc colour means: surge or asset")
    return parser


def query_of(args: argparse.Namespace) -> dict[str, str]:
    """The same query a dashboard link would carry, so the CLI and the page build the same view."""
    query = {}
    for key in ("scene", "mission", "mode", "colour"):
        if getattr(args, key):
            query[key] = getattr(args, key)
    for key in ("surge", "asset", "region", "confidence"):
        if getattr(args, key):
            query[key] = ",".join(getattr(args, key))
    for key, attr in (("from", "first"), ("to", "last"), ("year", "year")):
        if getattr(args, attr) is not None:
            query[key] = str(getattr(args, attr))
    if args.last is not None and args.year is None:
        query["year"] = str(args.last)
    return query


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from imcgeo.atlas import Atlas

    try:
        atlas = Atlas.shipped()
    except DataValidationError as exc:
        print(f"error: the data could not be loaded:\n{exc}", file=sys.stderr)
        return 1
    view, notices = atlas.view_from_query(query_of(args))
    if notices:
        for notice in notices:
            print(f"error: {notice.removeprefix('Ignored ')}", file=sys.stderr)
        return 2
    start = time.perf_counter()

    def progress(share: float) -> None:
        print(f"\rrendering {share:4.0%}", end="", file=sys.stderr, flush=True)

    payload = export(args.format, atlas, view, progress=progress if args.format in ("gif", "mp4") else None)
    try:
        args.out.write_bytes(payload)
    except OSError as exc:
        print(f"\nerror: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 1
    shown = len(atlas.selected(view))
    print(
        f"\rwrote {args.out} ({len(payload) / 1e6:.2f} MB, {args.format}, {view.first}-{view.last}, "
        f"{shown} transfers) in {time.perf_counter() - start:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
