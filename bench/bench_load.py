"""Load test side by side in one run (issue 11): the old pydeck dashboard, today's page, and two processes behind nginx.

    python bench/bench_load.py                               # 50 sessions x 10 reruns, 3 rounds (about 15 minutes)
    python bench/bench_load.py --sessions 20 --reruns 5 --old /tmp/oldmain
    python bench/bench_load.py --skip old,noack,watch         # only today's page, one process and behind nginx

Runs ``bench/loadtest.py`` against, one after the other (each server alone on the machine, warmed
by one session first), in ``--repeat`` rounds: a single run of 50 sessions varies by a third from
one run to the next on these shared machines, so the table gives the median and every round's p95:

- ``old``: the dashboard as it was before the browser map (``st.pydeck_chart``, a rerun per year),
  from a git worktree (``--old``; made with ``git worktree add /tmp/oldmain be323c2~1``). Its
  load test moves the year slider where today's page hands the map a date.
- ``noack``: today's page with a client that never acknowledges the map's data (``--no-ack``).
  Before the shipped data went to the browser as a file (``webmap.publish``), every rerun then
  re-sent the whole payload; now the page sends only its address, so this arm measures the same
  page as ``page`` (an upload's data, inline, is the case it still covers).
- ``page``: today's page, one process, as shipped (``.streamlit/config.toml`` turns Streamlit's
  source watcher off), the client acknowledging the data as the browser map does.
- ``watch``: the same with the source watcher on (``--server.fileWatcherType auto``, Streamlit's
  default): after each script run it resolves the path of every imported module on the event loop.
- ``nginx``: two processes of today's page (watcher off) behind nginx with sticky sessions
  (``scripts/scale_out.py``'s configuration).

Servers listen on 127.0.0.1, ports 8610-8619. Target: p95 at most 1000 ms, 0 errors.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from servers import wait_until_up

ROOT = Path(__file__).resolve().parents[1]
LAST = re.compile(r"^sessions \d+ reruns \d+ p50 (\d+) ms p95 (\d+) ms errors (\d+)$", re.M)
OPEN = re.compile(r"^open p50 (\d+) ms p95 (\d+) ms; bytes received per rerun: mean (\d+|nan)", re.M)
NO_WATCH = ("--server.fileWatcherType", "none")


def _scale_out():
    spec = importlib.util.spec_from_file_location("scale_out", ROOT / "scripts" / "scale_out.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def start(folder: Path, port: int, *extra: str) -> subprocess.Popen:
    """``streamlit run dashboard.py`` from *folder* on 127.0.0.1:*port*, once it answers its health check."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false", *extra],
        cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(folder)},
    )  # fmt: skip
    why = wait_until_up(proc, f"http://127.0.0.1:{port}/_stcore/health", tries=600, pause=0.2)
    if why == "ended":
        raise SystemExit(f"the dashboard in {folder} did not start (port {port})")
    if why:
        raise SystemExit(f"the dashboard in {folder} did not answer on port {port}")
    return proc


def stop(*procs: subprocess.Popen) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def loadtest(url: str, sessions: int, reruns: int, *extra: str) -> dict:
    """Run bench/loadtest.py; its figures (p50, p95, errors, open p95, bytes per rerun)."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "loadtest.py"), "--url", url, "--sessions", str(sessions),
         "--reruns", str(reruns), "--limit", "900", *extra],
        capture_output=True, text=True, timeout=1000,
    )  # fmt: skip
    last, opened = LAST.search(out.stdout), OPEN.search(out.stdout)
    if not last:
        return {"note": (out.stdout + out.stderr).strip().splitlines()[-1:] or ["no output"]}
    p50, p95, errors = (int(x) for x in last.groups())
    if errors:  # say what went wrong, each kind once
        kinds = sorted(
            {line.split(":")[0] + ":" + line.split(":")[1] for line in out.stderr.splitlines() if ":" in line}
        )
        print(f"{url}: {errors} errors: {'; '.join(kinds[:5])}", file=sys.stderr)
    return {"p50": p50, "p95": p95, "errors": errors, "open_p95": int(opened.group(2)) if opened else None,
            "bytes": opened.group(3) if opened else "?"}  # fmt: skip


def one_process(folder: Path, port: int, sessions: int, reruns: int, server: tuple = (), client: tuple = ()) -> dict:
    proc = start(folder, port, *server)
    try:
        url = f"http://127.0.0.1:{port}"
        loadtest(url, 1, 2, *client)  # warm: the atlas, the payload, the caches
        before = cpu_seconds(proc.pid)
        result = loadtest(url, sessions, reruns, *client)
        after = cpu_seconds(proc.pid)
        if before is not None and after is not None and "p95" in result:
            result["cpu_ms"] = 1000 * (after - before) / (sessions * (reruns + 1))  # the opening run counts too
        return result
    finally:
        stop(proc)


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of process *pid* so far (Linux's /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def behind_nginx(ports: list[int], port: int, sessions: int, reruns: int) -> dict:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not nginx:
        return {"note": ["nginx is not installed"]}
    scale_out = _scale_out()
    procs = [start(ROOT, p, *NO_WATCH) for p in ports]
    tmp = Path(tempfile.mkdtemp(prefix="imcgeo-nginx-"))
    try:
        servers = "\n".join(f"        server 127.0.0.1:{p};" for p in ports)
        conf = tmp / "nginx.conf"
        conf.write_text(scale_out.NGINX_CONF.format(tmp=tmp, servers=servers, address="127.0.0.1", port=port))
        proxy = subprocess.Popen([nginx, "-c", str(conf), "-p", str(tmp), "-g", "daemon off;"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            scale_out.wait_healthy(url, 30)
            for _ in range(6):  # warm both backends (each connection without a cookie lands on either)
                loadtest(url, 1, 1)
            result = loadtest(url, sessions, reruns)
            log = (tmp / "access.log").read_text() if (tmp / "access.log").exists() else ""
            result["backends"] = len(set(re.findall(r"upstream=(\S+)", log)))
            return result
        finally:
            stop(proxy)
    finally:
        stop(*procs)
        shutil.rmtree(tmp, ignore_errors=True)


def cpu_column(results: list[dict]) -> str:
    cpu = [res["cpu_ms"] for res in results if "cpu_ms" in res]
    return f"{statistics.median(cpu):.1f}" if cpu else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--reruns", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the arms take turns in each (default 3)")
    parser.add_argument("--old", default="/tmp/oldmain", help="a worktree of the dashboard before the browser map")
    parser.add_argument("--skip", default="", help="comma-separated: old,noack,page,watch,nginx")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    n, r = args.sessions, args.reruns
    old = Path(args.old)
    arms = {  # name -> what runs it; each round runs every arm once, one after the other
        "old": ("old dashboard (st.pydeck_chart), one process",
                lambda: one_process(old, 8610, n, r) if (old / "dashboard.py").exists()
                else {"note": [f"no {old}/dashboard.py"]}),
        "noack": ("browser map, client never acknowledges the data",
                  lambda: one_process(ROOT, 8611, n, r, client=("--no-ack",))),
        "page": ("browser map, one process (as shipped: watcher off)", lambda: one_process(ROOT, 8612, n, r)),
        "watch": ("browser map, one process, file watcher on",
                  lambda: one_process(ROOT, 8613, n, r, server=("--server.fileWatcherType", "auto"))),
        "nginx": ("browser map, 2 processes behind nginx, watcher off",
                  lambda: behind_nginx([8614, 8615], 8616, n, r)),
    }  # fmt: skip
    rows: dict[str, list[dict]] = {name: [] for key, (name, _) in arms.items() if key not in skip}
    for round_ in range(args.repeat):
        for key, (name, run) in arms.items():
            if key not in skip:
                rows[name].append(run())
                print(f"round {round_ + 1}: {name}: {rows[name][-1]}", file=sys.stderr)

    print(f"\nLoad test: {n} sessions x {r} reruns (bench/loadtest.py), {args.repeat} rounds on one machine "
          "(the arms take turns in each); target p95 <= 1000 ms")  # fmt: skip
    print(f"  {'':<52}{'p50 ms':>9}{'p95 ms':>9}{'p95 of each round':>26}{'errors':>8}{'open p95':>10}{'B/rerun':>9}"
          f"{'CPU ms/run':>12}")  # fmt: skip
    for name, results in rows.items():
        measured = [res for res in results if "note" not in res]
        if not measured:
            print(f"  {name:<52}  not measured: {results[0]['note'][0]}")
            continue
        p95s = [res["p95"] for res in measured]
        opens = [res["open_p95"] for res in measured if res["open_p95"] is not None]
        extra = f"  ({min(res['backends'] for res in measured)} backends served)" if "backends" in measured[0] else ""
        print(f"  {name:<52}{statistics.median(res['p50'] for res in measured):>9.0f}{statistics.median(p95s):>9.0f}"
              f"{', '.join(map(str, p95s)):>26}{sum(res['errors'] for res in measured):>8}"
              f"{statistics.median(opens) if opens else '':>10.0f}{measured[0]['bytes']:>9}"
              f"{cpu_column(measured):>12}{extra}")  # fmt: skip
    print("  p50, p95, open p95, CPU: the median over the rounds; errors: their sum.")
    print("  CPU ms/run: the server process's CPU time during the test over its script runs (one process only).")
    print("  open p95: the first script run (and, for inline data, the rerun that acknowledges it, as the map does).")


if __name__ == "__main__":
    main()
