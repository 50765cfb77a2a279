"""Local copies of what a keplergl HTML file loads from CDNs, so the bench can open one with no internet.

Bench-only: nothing in imcgeo imports this, and neither keplergl nor any node package is a
requirement of the project. One-time setup on a machine that reaches the npm registry::

    . .venv/bin/activate && pip install keplergl==0.4.0     # the Python package that writes the HTML
    python bench/kepler_assets.py                          # fills the cache (about 10 MB, 20 s)

Needs ``npm`` and ``node`` on PATH. The cache lives outside the repository:
``~/.cache/imcgeo-bench/kepler`` by default, ``$IMCGEO_BENCH_CACHE/kepler`` when that variable is
set, or the folder given to :func:`ensure`. It holds one folder per keplergl version.

What keplergl's template (``keplergl._html_export.export_map_html``) loads, and what stands in:

- ``unpkg.com/<package>@<version>/<file>`` (the kepler.gl UMD bundle and its CSS, maplibre-gl's
  CSS) and ``ga.jspm.io/npm:<package>@<version>/<file>`` (es-module-shims): the same file from the
  same package's npm tarball (``npm pack``), at the version the URL names (a range resolves to its
  newest match, as unpkg does). Where the registry lacks that exact version, the newest published
  version before it with the same major.minor is taken and recorded as a substitution in the
  manifest (``substituted``): keplergl 0.4.0 names kepler.gl 3.3.0-alpha.18, and the registry
  reached from here has 3.3.0-alpha.11 as its newest 3.3 release. A file the tarball lacks is
  recorded under ``missing`` and its tag dropped (3.3.0-alpha.11 ships no ``umd/keplergl.min.css``).
- ``esm.sh/<package>@<version>[/<subpath>]?external=...`` (React, ReactDOM, Redux, React-Redux,
  styled-components as ES modules in an import map): the npm package at that version, bundled by
  esbuild into one ES module with the same externals (plus the package itself for a subpath, as
  esm.sh shares one copy of a package between its entry points), production build
  (``process.env.NODE_ENV = "production"``), minified, target es2022, exporting the names Node's
  ESM loader sees (a CommonJS package's ``module.exports`` as default, as esm.sh does). esm.sh
  serves each further dependency (scheduler, stylis...) as its own module; here they are inlined
  into the module that needs them, so the page makes fewer requests than it would from esm.sh.
- ``d1a3f4spazzrp4.cloudfront.net`` (Uber's "superfine" fonts): not on npm. The link is dropped
  and the page falls back to the browser's default sans-serif for kepler.gl's side panel and
  controls; the map's layers do not use these fonts.

The rest of the template (import map, es-module-shims in shim mode, the bootstrap scripts,
``addDataToMap`` after its 500 ms timeout) is left exactly as keplergl writes it; only the URLs
change. Requests that kepler.gl's own code makes at run time (basemap styles and tiles, loaders.gl
workers) are not rewritten: the bench aborts every request to a host other than 127.0.0.1 and counts
them.

The page needs an http server (es-module-shims fetches the modules, which Chromium refuses under
``file://``): :func:`serve` runs ``python -m http.server`` bound to 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from servers import wait_until_up

#: esbuild, used only to bundle the esm.sh stand-ins (pinned so that a rebuilt cache is the same).
ESBUILD_VERSION = "0.28.2"
#: Cache layout version: bump when the files or the manifest change shape.
LAYOUT = 1
URL = re.compile(r"https?://[^\s\"'<>)]+")


def default_cache() -> Path:
    """``$IMCGEO_BENCH_CACHE/kepler``, else ``~/.cache/imcgeo-bench/kepler``."""
    base = os.environ.get("IMCGEO_BENCH_CACHE")
    return (Path(base) if base else Path.home() / ".cache" / "imcgeo-bench") / "kepler"


def template() -> tuple[str, str, dict]:
    """keplergl's version, its HTML for an empty map, and the version constants its template names.

    Raises ImportError when keplergl is not installed.
    """
    from keplergl import _html_export as export
    from keplergl._version import __version__

    constants = {k: v for k, v in vars(export).items() if k.endswith("_VERSION") and isinstance(v, str)}
    return __version__, export.export_map_html(data={}, config=None), constants


def _version_key(version: str) -> tuple:
    """Sort key for semver strings: prereleases before their release, numeric identifiers numerically.

    >>> sorted(["3.3.0", "3.3.0-alpha.11", "3.3.0-alpha.9", "3.2.6"], key=_version_key)
    ['3.2.6', '3.3.0-alpha.9', '3.3.0-alpha.11', '3.3.0']
    """
    core, _, pre = version.partition("-")
    numbers = tuple(int(x) for x in core.split("."))
    if not pre:
        return numbers, 1, ()
    return numbers, 0, tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))


def _npm(args: list[str], cwd: Path) -> str:
    done = subprocess.run(["npm", *args], cwd=cwd, capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise RuntimeError(f"npm {' '.join(args)} failed in {cwd}: {done.stderr.strip()[-800:]}")
    return done.stdout


def resolve(package: str, wanted: str, cwd: Path) -> tuple[str, str | None]:
    """The version of *package* to fetch for *wanted* (exact or a range), and a note when it had to differ."""
    try:
        found = json.loads(_npm(["view", f"{package}@{wanted}", "version", "--json"], cwd) or "null")
    except RuntimeError:
        found = None
    if found:
        return (max(found, key=_version_key) if isinstance(found, list) else found), None
    # The exact version is not on the registry: take the newest one before it in the same major.minor.
    versions = json.loads(_npm(["view", package, "versions", "--json"], cwd))
    line = wanted.split(".")[:2]
    earlier = [v for v in versions if v.split(".")[:2] == line and _version_key(v) < _version_key(wanted)]
    if not earlier:
        raise RuntimeError(f"{package}@{wanted} is not on the npm registry, nor any {'.'.join(line)}.x before it")
    used = max(earlier, key=_version_key)
    return used, f"{package}@{wanted} is not on the registry; used {used}, the newest {'.'.join(line)} before it"


def _split_package(path: str) -> tuple[str, str, str]:
    """``/@scope/name@1.2/sub/file`` -> (``@scope/name``, ``1.2``, ``sub/file``)."""
    match = re.fullmatch(r"/((?:@[^/@]+/)?[^/@]+)@([^/]+)(?:/(.*))?", path)
    if not match:
        raise ValueError(f"no package@version in {path!r}")
    return match.group(1), match.group(2), match.group(3) or ""


def _fetch_file(url: str, package: str, wanted: str, file: str, assets: Path, work: Path, manifest: dict) -> None:
    """The file *file* of *package* at *wanted*, from its npm tarball, into *assets*; recorded in *manifest*."""
    version, note = resolve(package, wanted, work)
    if note:
        manifest["substituted"][url] = note
    tgz = work / "packs"
    tgz.mkdir(exist_ok=True)
    name = json.loads(_npm(["pack", f"{package}@{version}", "--json", "--pack-destination", str(tgz)], work))[0]
    with tarfile.open(tgz / name["filename"]) as tar:
        try:
            member = tar.extractfile(f"package/{file}")
        except KeyError:
            member = None
        if member is None:
            manifest["missing"][url] = f"{package}@{version} has no {file}"
            return
        local = Path("files") / f"{package.replace('/', '__')}@{version}" / file
        (assets / local).parent.mkdir(parents=True, exist_ok=True)
        (assets / local).write_bytes(member.read())
    manifest["files"][url] = local.as_posix()
    manifest["packages"][f"{package}@{version}"] = f"npm pack {package}@{version}"


def _esm_names(spec: str, build: Path) -> list[str]:
    """The names Node's ESM loader sees in *spec* (a CommonJS module's via cjs-module-lexer, as esm.sh)."""
    code = f"const m = await import({json.dumps(spec)}); console.log(JSON.stringify(Object.keys(m)));"
    done = subprocess.run(
        ["node", "--input-type=module", "-e", code],
        cwd=build, capture_output=True, text=True, timeout=120, env={**os.environ, "NODE_ENV": "production"},
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"node could not import {spec} in {build}: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


#: esbuild run from Node (its CLI cannot tell ``react`` from ``react/...`` nor turn ``require`` of an external into an
#: import): bare imports of an external package or its subpaths stay imports, as esm.sh's ``?external=`` does;
#: a CommonJS ``require`` of one becomes an import of it (esbuild's own would throw in a browser).
BUNDLER = r"""
const esbuild = require('esbuild');
const job = JSON.parse(process.argv[2]);
const isExternal = p => p !== job.spec && job.externals.some(e => p === e || p.startsWith(e + '/'));
const plugin = {name: 'esm-sh-externals', setup(build) {
  build.onResolve({filter: /^[^./]/}, a => {
    if (!isExternal(a.path)) return undefined;
    return a.kind === 'require-call' ? {path: a.path, namespace: 'required-external'} : {path: a.path, external: true};
  });
  build.onLoad({filter: /.*/, namespace: 'required-external'}, a => {
    const from = JSON.stringify(a.path);
    const def = job.defaults.includes(a.path) ? `export {default} from ${from};` : '';
    return {loader: 'js', contents: `export * from ${from};` + def};
  });
}};
esbuild.build({entryPoints: [job.entry], outfile: job.outfile, bundle: true, format: 'esm', minify: true,
  target: 'es2022', platform: 'browser', define: {'process.env.NODE_ENV': '"production"'}, logLevel: 'error',
  plugins: [plugin]}).catch(() => process.exit(1));
"""


def _bundle(url: str, spec: str, externals: list[str], assets: Path, build: Path, names: dict) -> str:
    """esbuild *spec* into one ES module with *externals* left as imports (what esm.sh serves at *url*).

    names: the export names of *spec* and of each external (``_esm_names``). Returns the module's path in *assets*.
    """
    exported = [n for n in names[spec] if n != "default"]
    lines = [f"import * as ns from {json.dumps(spec)};"]
    lines += [f"const e{i} = ns[{json.dumps(n)}];" for i, n in enumerate(exported)]
    lines.append("export { " + ", ".join(f"e{i} as {json.dumps(n)}" for i, n in enumerate(exported)) + " };")
    if "default" in names[spec]:
        lines.append("export default ns.default;")
    stem = re.sub(r"[^\w.@-]", "_", spec)
    entry = build / f"entry-{stem}.mjs"
    entry.write_text("\n".join(lines) + "\n", encoding="utf-8")
    local = Path("esm") / f"{stem}.mjs"
    job = {"entry": str(entry), "outfile": str(assets / local), "spec": spec, "externals": externals,
           "defaults": [e for e in externals if "default" in names.get(e, [])]}  # fmt: skip
    done = subprocess.run(
        ["node", "bundle.cjs", json.dumps(job)], cwd=build, capture_output=True, text=True, timeout=300
    )
    if done.returncode:
        raise RuntimeError(f"esbuild {spec} failed: {(done.stderr + done.stdout).strip()[-800:]}")
    return local.as_posix()


def _esm_sh(urls: list[str], assets: Path, work: Path, manifest: dict) -> None:
    """Stand-ins for the esm.sh modules *urls*: the npm packages they name, bundled by esbuild."""
    wanted, jobs = {}, []
    for url in urls:
        parts = urlsplit(url)
        package, version, sub = _split_package(parts.path)
        externals = [e for e in parse_qs(parts.query).get("external", [""])[0].split(",") if e]
        if sub and package not in externals:
            externals.append(package)  # one copy of the package for all its entry points, as esm.sh
        wanted[package] = version
        jobs.append((url, f"{package}/{sub}" if sub else package, externals))
    build = work / "build"
    build.mkdir(exist_ok=True)
    deps = {**wanted, "esbuild": ESBUILD_VERSION}
    (build / "package.json").write_text(json.dumps({"private": True, "dependencies": deps}, indent=1), encoding="utf-8")
    # --ignore-scripts: nothing fetched runs at install time (esbuild's binary comes as its own npm package).
    _npm(["install", "--ignore-scripts", "--no-audit", "--no-fund"], build)
    for package in wanted:
        version = json.loads((build / "node_modules" / package / "package.json").read_text(encoding="utf-8"))["version"]
        manifest["packages"][f"{package}@{version}"] = "npm install, bundled by esbuild " + ESBUILD_VERSION
    (build / "bundle.cjs").write_text(BUNDLER, encoding="utf-8")
    specs = {spec for _, spec, _ in jobs} | {e for _, _, externals in jobs for e in externals}
    names = {spec: _esm_names(spec, build) for spec in sorted(specs)}
    for url, spec, externals in jobs:
        manifest["files"][url] = _bundle(url, spec, externals, assets, build, names)


def ensure(cache: Path | None = None) -> Path:
    """The folder of local stand-ins for the installed keplergl's CDN files, built once (see the module docstring).

    cache: where the per-keplergl-version folders live (default :func:`default_cache`).
    Returns the folder holding ``manifest.json`` and the files it names. Raises ImportError when
    keplergl is not installed and RuntimeError (naming the step) when npm, node or esbuild fail.
    """
    cache = Path(cache) if cache else default_cache()
    version, html, constants = template()
    urls = sorted(set(URL.findall(html)))
    assets = cache / f"keplergl-{version}"
    manifest_path = assets / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("layout") == LAYOUT and manifest.get("urls") == urls:
            return assets
    for tool in ("npm", "node"):
        if not shutil.which(tool):
            raise RuntimeError(f"{tool} is not on PATH (needed once to fetch kepler.gl's files from the npm registry)")
    if assets.exists():
        shutil.rmtree(assets)
    assets.mkdir(parents=True)
    manifest = {"layout": LAYOUT, "keplergl": version, "constants": constants, "urls": urls, "files": {},
                "dropped": {}, "missing": {}, "substituted": {}, "packages": {}}  # fmt: skip
    esm = []
    with tempfile.TemporaryDirectory(prefix="kepler-npm-") as work:
        work = Path(work)
        for url in urls:
            parts = urlsplit(url)
            if parts.netloc == "unpkg.com":
                _fetch_file(url, *_split_package(parts.path), assets, work, manifest)
            elif parts.netloc == "ga.jspm.io" and parts.path.startswith("/npm:"):
                _fetch_file(url, *_split_package("/" + parts.path[5:]), assets, work, manifest)
            elif parts.netloc == "esm.sh":
                esm.append(url)
            else:
                manifest["dropped"][url] = "not on the npm registry (Uber's fonts): the page uses the default font"
        _esm_sh(esm, assets, work, manifest)
    manifest_path.write_text(json.dumps(manifest, indent=1), encoding="utf-8")  # last: a half-built cache is redone
    return assets


def manifest(assets: Path) -> dict:
    """What :func:`ensure` recorded in *assets*: files per URL, and what was dropped, missing or substituted."""
    return json.loads((Path(assets) / "manifest.json").read_text(encoding="utf-8"))


def localize(html: str, assets: Path, url: str | None = None) -> str:
    """keplergl's *html* with its CDN URLs pointing at the files in *assets* (from :func:`ensure`).

    url: where the browser finds *assets* (default its ``file://`` URI; the page needs http, see
    :func:`serve`). Tags whose file is not there (the fonts; a CSS file the substituted version
    lacks) are removed. URLs the manifest does not know are left as they are.
    """
    known = manifest(assets)
    base = (url or Path(assets).resolve().as_uri()).rstrip("/")
    gone = {**known["dropped"], **known["missing"]}
    for remote in gone:
        html = re.sub(r"[ \t]*<(link|script)\b[^>]*" + re.escape(remote) + r"[^>]*>(</script>)?\n?", "", html)
    return URL.sub(
        lambda m: f"{base}/{known['files'][m.group(0)]}" if m.group(0) in known["files"] else m.group(0), html
    )


def serve(folder: Path, port: int) -> subprocess.Popen:
    """``python -m http.server`` for *folder* on 127.0.0.1:*port*, once it answers (terminate it when done)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    why = wait_until_up(proc, f"http://127.0.0.1:{port}/", tries=100, pause=0.1)
    if why == "ended":
        raise RuntimeError(f"http.server could not listen on 127.0.0.1:{port} (port taken?)")
    if why:
        raise RuntimeError(f"http.server on 127.0.0.1:{port} did not answer")
    return proc


if __name__ == "__main__":
    folder = ensure(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    info = manifest(folder)
    print(folder)
    for remote, local in info["files"].items():
        print(f"  {remote}\n    -> {local}")
    for kind in ("substituted", "missing", "dropped"):
        for remote, why in info[kind].items():
            print(f"  {kind}: {remote}: {why}")
