"""The command line: ``python -m imcgeo export --format gif --out timeline.gif --scene haiti-2010``."""

from __future__ import annotations

import argparse
import sys
import textwrap
import time
from pathlib import Path

from imcgeo import vocab
from imcgeo.errors import DataValidationError
from imcgeo.export import FORMAT_HELP, FORMATS, export
from imcgeo.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, translator


class _Help(argparse.HelpFormatter):
    """Help that never breaks a value at its hyphen (``cote-divoire-2010``, ``security-crisis``)."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m imcgeo", description="imcgeo: inter-mission cooperation maps")
    commands = parser.add_subparsers(dest="command", required=True)
    ex = commands.add_parser("export", help="export the map or the data of a view, as the dashboard does",
                             formatter_class=_Help)  # fmt: skip
    ex.add_argument(
        "--format",
        required=True,
        choices=FORMATS,
        help="; ".join(f"{fmt}: {FORMAT_HELP[fmt]}" for fmt in FORMATS),
    )
    ex.add_argument("--out", required=True, type=Path, help="file to write")
    ex.add_argument("--scene", help=f"a briefing scene of data/scenes.toml: {', '.join(_scene_ids())}")
    ex.add_argument("--surge", nargs="+", choices=vocab.SURGES, metavar="SURGE", help=", ".join(vocab.SURGES))
    ex.add_argument("--asset", nargs="+", choices=vocab.ASSETS, metavar="ASSET", help=", ".join(vocab.ASSETS))
    ex.add_argument("--region", nargs="+", choices=vocab.REGIONS, metavar="REGION", help=", ".join(vocab.REGIONS))
    ex.add_argument("--confidence", nargs="+", choices=vocab.CONFIDENCE, metavar="CONFIDENCE",
                    help=", ".join(vocab.CONFIDENCE))  # fmt: skip
    ex.add_argument("--mission", help="only transfers from or to this mission (acronym)")
    ex.add_argument("--from", dest="first", type=int, help="first year")
    ex.add_argument("--to", dest="last", type=int, help="last year")
    ex.add_argument("--year", type=int, help="the year a still (png, html) shows; default: the last year")
    ex.add_argument(
        "--mode", choices=vocab.MODES, help="active: transfers under way in the year; cumulative: all so far"
    )
    ex.add_argument("--colour", choices=vocab.COLOUR_BY, help="what the arc colour means: surge or asset")
    ex.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE,
                    help="language of the titles, captions, legend, tooltips and credits: "
                    + ", ".join(f"{code} ({name})" for code, name in LANGUAGE_NAMES.items())
                    + "; default en")  # fmt: skip
    ex.add_argument("--seconds-per-year", type=_positive, default=1.0, metavar="SECONDS",
                    help="gif, mp4: time on a year with transfers under way (empty years go 4x quicker, years "
                    "where transfers start and the scene's own year stay twice as long); default 1")  # fmt: skip
    ex.add_argument("--hold", type=_not_negative, default=3.0, metavar="SECONDS",
                    help="gif, mp4: extra time on the story's last year before the loop; default 3")  # fmt: skip
    return parser


def _scene_ids() -> list[str]:
    """The shipped scenes' ids, for the help text (the atlas checks them against the missions later)."""
    from imcgeo.scenes import load_scenes

    try:
        return [scene.id for scene in load_scenes()]
    except DataValidationError:
        return ["(data/scenes.toml cannot be read)"]


def _positive(text: str) -> float:
    value = _not_negative(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return value


def _not_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 <= value <= 60:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 60 seconds")
    return value


def query_of(args: argparse.Namespace) -> dict[str, str]:
    """The same query a dashboard link would carry, so the CLI and the page build the same view."""
    query = {}
    for key in ("scene", "mission", "mode", "colour", "lang"):
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

    tr = translator(args.lang)
    try:
        atlas = Atlas.shipped()
    except DataValidationError as exc:
        print(tr.gettext("error: the data could not be loaded:") + "\n" + exc.text(tr), file=sys.stderr)
        return 1
    view, notices = atlas.view_from_query(query_of(args))
    if notices:
        for notice in notices:
            print(tr.gettext("error: {problem}").format(problem=notice.text(tr)), file=sys.stderr)
        return 2
    start = time.perf_counter()

    def progress(share: float) -> None:
        print("\r" + tr.gettext("rendering {share}").format(share=tr.format_percent(share)), end="", file=sys.stderr,
              flush=True)  # fmt: skip

    animated = args.format in ("gif", "mp4")
    payload = export(args.format, atlas, view, progress=progress if animated else None,
                     seconds_per_year=args.seconds_per_year, hold=args.hold)  # fmt: skip
    try:
        args.out.write_bytes(payload)
    except OSError as exc:
        print("\n" + tr.gettext("error: cannot write {file}: {why}").format(file=args.out, why=exc.strerror),
              file=sys.stderr)  # fmt: skip
        return 1
    shown = len(atlas.selected(view))
    wrote = tr.ngettext(
        "wrote {file} ({mb} MB, {format}, {first}-{last}, {n} transfer) in {seconds} s",
        "wrote {file} ({mb} MB, {format}, {first}-{last}, {n} transfers) in {seconds} s",
        shown,
    )
    print("\r" + wrote.format(file=args.out, mb=tr.format_number(len(payload) / 1e6, 2), format=args.format,
                              first=view.first, last=view.last, n=tr.format_number(shown),
                              seconds=tr.format_number(time.perf_counter() - start, 1)), file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
