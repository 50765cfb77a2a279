"""Run several dashboard processes behind nginx, with sticky sessions, on this machine.

    python scripts/scale_out.py --backends 2 --port 8500      # then open http://127.0.0.1:8500

One Streamlit process uses one core, so a busy public link wants one process per core behind a
proxy. Each browser tab holds one WebSocket to one process, and its uploads and downloads must
reach that same process: nginx pins a visitor to a backend with a cookie it sets on the first
request (``imcgeo_backend``), hashing it consistently over the backends. Needs Debian's nginx
(``apt-get install -y nginx``); everything runs as the current user in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format upstream '$remote_addr "$request" $status upstream=$upstream_addr';
    access_log {tmp}/access.log upstream;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    client_max_body_size 6m;
    map $cookie_imcgeo_backend $sticky {{ "" $request_id; default $cookie_imcgeo_backend; }}
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    upstream imcgeo {{
        hash $sticky consistent;
{servers}
    }}
    server {{
        listen {address}:{port};
        location / {{
            proxy_pass http://imcgeo;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_read_timeout 86400;
            add_header Set-Cookie "imcgeo_backend=$sticky; Path=/; HttpOnly; SameSite=Lax";
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not become healthy")


class ScaledServer:
    """Backends and nginx as a context manager: ``with ScaledServer(2) as url: ...``."""

    def __init__(self, backends: int = 2, port: int | None = None, address: str = "127.0.0.1", public: bool = False):
        self.backends, self.port, self.address, self.public = backends, port or free_port(), address, public
        self.processes: list[subprocess.Popen] = []
        self.tmp = Path(tempfile.gettempdir()) / "imcgeo-scale-unused"

    def __enter__(self) -> str:
        try:
            return self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise

    def _start(self) -> str:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise RuntimeError("nginx is not installed (apt-get install -y nginx)")
        self.tmp = Path(tempfile.mkdtemp(prefix="imcgeo-scale-"))
        ports = [free_port() for _ in range(self.backends)]
        env = {**os.environ, **({"IMCGEO_PUBLIC": "1"} if self.public else {})}
        for port in ports:
            self.processes.append(subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
                 "--server.address", "127.0.0.1", "--server.headless", "true"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ))  # fmt: skip
        for port in ports:
            wait_healthy(f"http://127.0.0.1:{port}")
        servers = "\n".join(f"        server 127.0.0.1:{port};" for port in ports)
        conf = self.tmp / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=self.tmp, servers=servers, address=self.address, port=self.port))
        self.processes.append(subprocess.Popen([nginx, "-c", str(conf), "-p", str(self.tmp), "-g", "daemon off;"]))
        url = f"http://{self.address}:{self.port}"
        wait_healthy(url, 30)
        return url

    def upstreams(self) -> list[str]:
        """The backend each logged request went to (from nginx's access log)."""
        log = self.tmp / "access.log"
        lines = log.read_text().splitlines() if log.exists() else []
        return [line.rsplit("upstream=", 1)[-1] for line in lines]

    def __exit__(self, *exc) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--port", type=int, default=8500)
    parser.add_argument("--address", default="127.0.0.1", help="0.0.0.0 to serve other machines")
    parser.add_argument("--public", action="store_true", help="read-only public mode (IMCGEO_PUBLIC=1)")
    args = parser.parse_args()
    with ScaledServer(args.backends, args.port, args.address, args.public) as url:
        print(f"{args.backends} dashboard processes behind nginx at {url} (Ctrl-C to stop)")
        signal.sigwait({signal.SIGINT, signal.SIGTERM})


if __name__ == "__main__":
    main()
