"""Load test: N concurrent sessions over Streamlit's own WebSocket protocol, R reruns each.

    python bench/loadtest.py --url http://127.0.0.1:8501 --sessions 10 --reruns 20

Each session opens the page's WebSocket (as a browser tab does), runs the script once, then
triggers R reruns that alternate animation frames (a new year on the slider) and filter
changes (a new surge type). A rerun's time runs from sending it to the server's "script
finished". Bounded: loopback addresses only, at most 200 sessions and 500 reruns each, and a
total time limit. The last line printed is:

    sessions N reruns R p50 X ms p95 Y ms errors Z
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import socket
import statistics
import sys
import time
from urllib.parse import urlparse

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

SURGES = ["election", "start-up", "security-crisis", "natural-disaster"]


class Session:
    def __init__(self, uri: str, timeout: float):
        self.uri, self.timeout = uri, timeout
        self.widgets: dict[str, str] = {}
        self.page_hash = ""
        self.errors = 0

    async def __aenter__(self):
        self.ws = await websockets.connect(self.uri, subprotocols=["streamlit"], max_size=None, open_timeout=30)
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def rerun(self, state: ClientState) -> float:
        state.page_script_hash = self.page_hash
        message = BackMsg()
        message.rerun_script.CopyFrom(state)
        start = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), self.timeout)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = msg.new_session.main_script_hash
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                name = element.WhichOneof("type")
                if name == "exception":
                    self.errors += 1
                widget = getattr(element, name, None)
                widget_id = getattr(widget, "id", "")
                if isinstance(widget_id, str) and "-w_" in widget_id:
                    self.widgets[widget_id.rsplit("-", 1)[-1]] = widget_id
            elif kind == "script_finished":
                if msg.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    self.errors += 1
                return time.perf_counter() - start


def client_state(session: Session, step: int, first_year: int) -> ClientState:
    """Odd steps move the year slider (an animation frame), even steps change the surge filter."""
    state = ClientState()
    if step % 2 and "w_year" in session.widgets:
        widget = state.widget_states.widgets.add()
        widget.id = session.widgets["w_year"]
        widget.double_array_value.data[:] = [first_year + step % 60]
    elif "w_surge" in session.widgets:
        widget = state.widget_states.widgets.add()
        widget.id = session.widgets["w_surge"]
        widget.string_array_value.data[:] = [SURGES[step % len(SURGES)]]
    return state


async def one(uri: str, reruns: int, timeout: float, times: list[float], errors: list[int]) -> None:
    try:
        async with Session(uri, timeout) as session:
            await session.rerun(ClientState(query_string=""))
            for step in range(reruns):
                times.append(await session.rerun(client_state(session, step, 1956)))
            errors.append(session.errors)
    except (TimeoutError, OSError, websockets.WebSocketException) as exc:
        print(f"session failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        errors.append(1)


def loopback_only(url: str) -> str:
    parsed = urlparse(url)
    host = parsed.hostname or ""
    addresses = {info[4][0] for info in socket.getaddrinfo(host, parsed.port or 80)}
    if not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise SystemExit(f"refusing {host}: this load test only targets loopback addresses")
    scheme = "wss" if parsed.scheme == "https" else "ws"
    return f"{scheme}://{parsed.netloc}{parsed.path.rstrip('/')}/_stcore/stream"


async def run(url: str, sessions: int, reruns: int, timeout: float, limit: float) -> tuple[list[float], int]:
    uri = loopback_only(url)
    times: list[float] = []
    errors: list[int] = []
    tasks = [one(uri, reruns, timeout, times, errors) for _ in range(sessions)]
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), limit)
    except TimeoutError:
        print(f"stopped after the {limit:.0f} s limit", file=sys.stderr)
        errors.append(sessions - len(errors))
    return times, sum(errors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8501")
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--reruns", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one rerun")
    parser.add_argument("--limit", type=float, default=600.0, help="seconds for the whole test")
    args = parser.parse_args(argv)
    if not (1 <= args.sessions <= 200 and 1 <= args.reruns <= 500):
        parser.error("sessions must be 1-200 and reruns 1-500")
    times, errors = asyncio.run(run(args.url, args.sessions, args.reruns, args.timeout, args.limit))
    ms = sorted(t * 1000 for t in times) or [float("nan")]
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    p50 = statistics.median(ms)
    print(f"sessions {args.sessions} reruns {args.reruns} p50 {p50:.0f} ms p95 {p95:.0f} ms errors {errors}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
