"""Where a dashboard rerun spends its time: cProfile on the script runs of a real server, driven as a browser does.

    python bench/profile_rerun.py                      # 30 reruns of one session, top 40 by cumulative time
    python bench/profile_rerun.py --reruns 60 --top 60 --sort tottime
    python bench/profile_rerun.py --server-arg=--server.fileWatcherType=none

A wrapper script runs ``dashboard.py`` under cProfile inside ``streamlit run`` (port 8640 on
127.0.0.1), so the figures include Streamlit's own work in the script thread (widget
registration, protobuf, enqueueing) but not the event loop's (sending, the file watcher: use
py-spy on the server for those). One session opens the page, acknowledges the map's data as the
browser does (bench/loadtest.py), then alternates the map's Pause date and a surge filter. Only
the reruns after the acknowledgement are profiled. Prints the mean script time per rerun and
the top functions.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pstats
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import loadtest  # noqa: E402

WRAPPER = """
import cProfile, os, pstats, runpy, time
flag = {flag!r}
profile = cProfile.Profile() if os.path.exists(flag) else None
start = time.perf_counter()
if profile:
    profile.enable()
try:
    runpy.run_path({dashboard!r}, run_name="__main__")
finally:
    if profile:
        profile.disable()
        with open({log!r}, "a") as f:
            f.write(f"{{(time.perf_counter() - start) * 1000:.3f}}\\n")
        profile.dump_stats(os.path.join({folder!r}, f"run-{{time.perf_counter_ns()}}.prof"))
"""


async def drive(url: str, reruns: int, flag: Path) -> None:
    uri = loadtest.loopback_only(url)
    async with loadtest.Session(uri, timeout=120) as session:
        await session.rerun(query_string="")
        if loadtest.MAP_KEY in session.widgets and session.data_version:
            session.set_map(webgl=True, data_version=session.data_version)
            await session.rerun()
        for step in range(4):  # warm every path once, unprofiled
            loadtest.interaction(session, step, 1956)
            await session.rerun()
        flag.touch()
        for step in range(reruns):
            loadtest.interaction(session, step, 1956)
            await session.rerun()
        flag.unlink()
        sent = sum(session.bytes[-reruns:]) / reruns
        print(f"bytes received per profiled rerun: mean {sent:.0f}; errors {session.errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=30)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    parser.add_argument("--port", type=int, default=8640)
    parser.add_argument("--server-arg", action="append", default=[], help="extra `streamlit run` option")
    parser.add_argument("--save", help="write the merged profile here (for snakeviz or pstats)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        flag, log = tmp / "profile-on", tmp / "times.txt"
        wrapper = tmp / "profiled_dashboard.py"
        wrapper.write_text(WRAPPER.format(flag=str(flag), dashboard=str(ROOT / "dashboard.py"), log=str(log),
                                          folder=str(tmp)), encoding="utf-8")  # fmt: skip
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(wrapper), "--server.port", str(args.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             *args.server_arg],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        url = f"http://127.0.0.1:{args.port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            asyncio.run(drive(url, args.reruns, flag))
        finally:
            proc.terminate()
            proc.wait(timeout=20)
        times = [float(x) for x in log.read_text().split()] if log.exists() else []
        runs = sorted(tmp.glob("run-*.prof"))
        if not runs:
            raise SystemExit("no profiled run: did the server start?")
        print(f"profiled script runs: {len(times)}, mean {sum(times) / len(times):.1f} ms (with cProfile's overhead)")
        stats = pstats.Stats(str(runs[0]))
        for run in runs[1:]:
            stats.add(str(run))
        if args.save:
            stats.dump_stats(args.save)
        stats.strip_dirs().sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
