"""Many sessions at once over Streamlit's WebSocket protocol: one server, then several behind nginx."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAST_LINE = re.compile(r"^sessions (\d+) reruns (\d+) p50 (\d+) ms p95 (\d+) ms errors (\d+)$")


def load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


scale_out = load("scale_out", ROOT / "scripts" / "scale_out.py")


def loadtest(url: str, sessions: int, reruns: int) -> tuple[int, ...]:
    result = subprocess.run(
        [sys.executable, "bench/loadtest.py", "--url", url, "--sessions", str(sessions), "--reruns", str(reruns),
         "--limit", "240"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    last = result.stdout.strip().splitlines()[-1]
    match = LAST_LINE.match(last)
    assert match, f"unexpected last line: {last!r}\n{result.stderr[-2000:]}"
    return tuple(int(x) for x in match.groups())


def test_load_test_against_one_server_has_no_errors():
    port = scale_out.free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.headless", "true"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        scale_out.wait_healthy(f"http://127.0.0.1:{port}")
        sessions, reruns, p50, p95, errors = loadtest(f"http://127.0.0.1:{port}", 10, 4)
        assert (sessions, reruns, errors) == (10, 4, 0) and 0 < p50 <= p95
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_load_test_refuses_other_hosts():
    result = subprocess.run(
        [sys.executable, "bench/loadtest.py", "--url", "http://192.0.2.1:8501", "--sessions", "1", "--reruns", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0 and "only targets loopback" in result.stderr


@pytest.mark.skipif(not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()), reason="nginx is not installed")
def test_two_backends_behind_nginx_share_the_load_and_keep_visitors_sticky():
    server = scale_out.ScaledServer(backends=2)
    with server as url:
        *_, errors = loadtest(url, 10, 3)
        assert errors == 0
        assert len(set(server.upstreams())) == 2, "both backends should serve sessions"
        first = urllib.request.urlopen(url)
        cookies = [c.split(";")[0] for c in first.headers.get_all("Set-Cookie") or []]
        cookie = next((c for c in cookies if c.startswith("imcgeo_backend=")), None)
        assert cookie, f"nginx must set the sticky cookie: {cookies}"
        before = len(server.upstreams())
        for _ in range(5):
            urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie})).read()
        visits = Counter(server.upstreams()[before:])
        assert len(visits) == 1, f"a visitor with the cookie must stay on one backend: {visits}"
