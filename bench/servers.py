"""Starting the benchmarks' local servers: wait until one answers, or say why it never will."""

from __future__ import annotations

import subprocess
import time
import urllib.request


def wait_until_up(proc: subprocess.Popen, url: str, *, tries: int, pause: float) -> str | None:
    """Poll *url* until it answers: None when it does, else why not (the process ended, or no answer; killed)."""
    for _ in range(tries):
        try:
            urllib.request.urlopen(url, timeout=1)
            return None
        except OSError:
            if proc.poll() is not None:
                return "ended"
            time.sleep(pause)
    proc.kill()
    return "no answer"
