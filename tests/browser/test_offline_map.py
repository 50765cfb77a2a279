"""In a real browser: the map draws, and nothing is requested from any host but the server."""

from __future__ import annotations

import time
from urllib.parse import urlparse

from PIL import Image

from imcgeo.encoding import LAND_TONES


def land_share(page, shot) -> float:
    """The share of the map canvas painted in land tones (0 until the outlines are drawn)."""
    canvas = page.locator("canvas").first.bounding_box()
    image = Image.open(shot).convert("RGB")
    box = (int(canvas["x"]), int(canvas["y"]), int(canvas["x"] + canvas["width"]), int(canvas["y"] + canvas["height"]))
    colours = image.crop(box).getcolors(maxcolors=1 << 20) or []
    tones = {tuple(t[:3]) for t in LAND_TONES}
    return sum(count for count, rgb in colours if rgb in tones) / (canvas["width"] * canvas["height"])


def test_map_draws_and_no_request_leaves_the_machine(server, page, screenshot):
    page.goto(server)
    page.wait_for_selector("canvas", timeout=60_000)
    page.get_by_text("Inter-mission cooperation in UN peace operations").first.wait_for(timeout=60_000)
    deadline = time.monotonic() + 60  # software WebGL on two cores draws in a few seconds
    while (share := land_share(page, screenshot("map"))) <= 0.1 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert share > 0.1, "country outlines are not drawn"

    server_host = urlparse(server).netloc
    elsewhere = [u for u in page.requests_seen if urlparse(u).scheme in ("http", "https", "ws", "wss")
                 and urlparse(u).netloc != server_host]  # fmt: skip
    assert elsewhere == [], f"requests left the machine: {elsewhere[:5]}"
