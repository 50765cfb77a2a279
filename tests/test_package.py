"""The package stays free of streamlit, and the repository's promises hold."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_imcgeo_never_imports_streamlit():
    for path in (ROOT / "imcgeo").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names] if isinstance(node, ast.Import)
                else [node.module or ""] if isinstance(node, ast.ImportFrom)
                else []
            )  # fmt: skip
            assert not any(n.split(".")[0] == "streamlit" for n in names), f"{path.name} imports streamlit"


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|bash)\n(.*?)```", readme, flags=re.S)
    assert len(blocks) == 2, "the README gives exactly two commands"
    run, test = (b.strip() for b in blocks)
    assert "streamlit run dashboard.py" in run
    assert test in ci


def test_requirements_are_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r"):
                assert "==" in line, f"{name}: {line} is not pinned"


def test_countries_file_is_small_and_compact():
    path = ROOT / "data" / "countries.geojson"
    assert path.stat().st_size < 600 * 1024
    assert json.loads(path.read_text())["type"] == "FeatureCollection"


def test_code_is_linted_and_formatted():
    import subprocess
    import sys

    for args in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_importing_imcgeo_changes_no_global_state():
    """An analyst's notebook keeps its plotting backend, warnings and locale after importing every module."""
    import subprocess
    import sys

    modules = sorted(p.stem for p in (ROOT / "imcgeo").glob("*.py") if p.stem not in ("__init__", "__main__"))
    code = (
        "import locale, sys, warnings, matplotlib\n"
        "matplotlib.use('svg')\n"
        "import geopandas, pandas, pydeck, scipy.spatial, matplotlib.figure, PIL.Image  # their own filters\n"
        "before = (matplotlib.get_backend(), len(warnings.filters), locale.setlocale(locale.LC_ALL))\n"
        f"for name in {modules!r}:\n"
        "    __import__('imcgeo.' + name)\n"
        "after = (matplotlib.get_backend(), len(warnings.filters), locale.setlocale(locale.LC_ALL))\n"
        "assert before == after, (before, after)\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_page_only_renders():
    """dashboard.py builds no layers, measures no distances and reads no files itself: the Atlas does."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {f"imcgeo.{a.name}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                 and node.module == "imcgeo" for a in node.names}  # fmt: skip
    for heavy in ("imcgeo.layers", "imcgeo.proximity", "imcgeo.geodesy", "imcgeo.outlines", "imcgeo.deckjson",
                  "imcgeo.sites", "pydeck", "geopandas", "shapely"):  # fmt: skip
        assert heavy not in imported, f"dashboard.py imports {heavy}"
