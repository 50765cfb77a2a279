"""Load test: N concurrent sessions over Streamlit's own WebSocket protocol, R reruns each, as browser tabs do.

    python bench/loadtest.py --url http://127.0.0.1:8501 --sessions 10 --reruns 20
    python bench/loadtest.py --sessions 50 --reruns 10 --no-ack   # a client that never acknowledges the map's data

Each session opens the page's WebSocket and runs the script once, as a tab does. Then, as the
browser map does once it holds the data (imcgeo/web/map.js, ``streamlitMount``), it sets the map
component's ``data_version`` state to the payload's version, which is one more rerun (the map
reports ``webgl`` only when WebGL fails); from then on the page sends only the view
(``webmap.component_data``). ``--no-ack`` skips that, so every rerun re-sends the whole data
payload (what this test measured before it behaved like the browser). Every rerun sends the state
of every widget the session has set, as the browser's own client does.

Then R reruns alternate a Pause in the browser map (the map hands a date to the page; on a page
with a year slider, the slider moves instead) and a filter change (one surge type, by the label
the page's multiselect shows). A rerun's time runs from sending it to the server's "script
finished". Bounded: loopback addresses only, at most 200 sessions and 500 reruns each, and a
total time limit. The line before the last gives p50 and p95 by kind of rerun; the last line is:

    sessions N reruns R p50 X ms p95 Y ms errors Z
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import socket
import statistics
import sys
import time
from urllib.parse import urlparse

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

#: The key the page mounts the browser map under (dashboard.py: ``MAP(key="map", ...)``).
MAP_KEY = "map"


class Session:
    """One browser tab's WebSocket: the widgets the page drew, and the widget states this tab holds."""

    def __init__(self, uri: str, timeout: float):
        self.uri, self.timeout = uri, timeout
        self.widgets: dict[str, str] = {}  # key (w_surge, map) -> widget id
        self.options: dict[str, list[str]] = {}  # key -> the labels the widget offers
        self.fragments: dict[str, str] = {}  # key -> the fragment the widget was drawn in (none: the whole page)
        self.held: dict[str, WidgetState] = {}  # widget id -> the state this tab sends with every rerun
        self.page_hash = ""
        self.data_version: str | None = None  # the version of the last data payload the page sent the map
        self.map_state: dict = {}
        self.errors = 0
        self.bytes: list[int] = []

    async def __aenter__(self):
        self.ws = await websockets.connect(
            self.uri, subprotocols=["streamlit"], max_size=None, open_timeout=30, ping_interval=None
        )  # a browser never pings: a busy server is not dead
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    def hold(self, state: WidgetState) -> None:
        self.held[state.id] = state

    def set_map(self, **values) -> None:
        """Set the browser map's component state, as map.js's ``setStateValue`` does (the whole state as JSON)."""
        self.map_state.update(values)
        state = WidgetState(id=self.widgets[MAP_KEY])
        state.json_value = json.dumps(self.map_state, separators=(",", ":"))
        self.hold(state)

    async def rerun(self, query_string: str | None = None, changed: str | None = None) -> float:
        """Ask for a rerun (*changed*: the key of the widget that changed), and wait for the script to finish.

        As the browser does, a change to a widget drawn inside a fragment asks for that fragment alone.
        """
        state = ClientState(page_script_hash=self.page_hash)
        if query_string is not None:
            state.query_string = query_string
        if changed and self.fragments.get(changed):
            state.fragment_id = self.fragments[changed]
        state.widget_states.widgets.extend(self.held.values())
        message = BackMsg()
        message.rerun_script.CopyFrom(state)
        start = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        received = 0
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), self.timeout)
            received += len(raw)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = msg.new_session.main_script_hash
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self.read_element(msg.delta.new_element, msg.delta.fragment_id)
            elif kind == "script_finished":
                if msg.script_finished not in (
                    ForwardMsg.FINISHED_SUCCESSFULLY,
                    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
                ):
                    self.errors += 1
                    print(
                        f"script finished: {ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)}", file=sys.stderr
                    )
                self.bytes.append(received)
                return time.perf_counter() - start

    def read_element(self, element, fragment_id: str = "") -> None:
        name = element.WhichOneof("type")
        if name == "exception":
            self.errors += 1
            print(
                f"exception on the page: {element.exception.type}: {element.exception.message[:200]}", file=sys.stderr
            )
        widget = getattr(element, name, None)
        widget_id = getattr(widget, "id", "")
        if not isinstance(widget_id, str) or not widget_id.startswith("$$ID-"):
            return
        key = widget_id.rsplit("-", 1)[-1]
        if key.startswith("w_") or key == MAP_KEY:
            self.widgets[key] = widget_id
            self.fragments[key] = fragment_id
        if name in ("multiselect", "radio", "selectbox"):
            self.options[key] = list(widget.options)
        if name == "bidi_component" and key == MAP_KEY and widget.json:
            data = json.loads(widget.json).get("data")
            if data:  # the page sent the data payload: the browser map would now hold this version
                self.data_version = data.get("version")


def interaction(session: Session, step: int, first_year: int) -> str | None:
    """Odd steps: a Pause in the browser map hands a date (or a year slider moves); even steps: a surge filter.

    Returns the key of the widget that changed.
    """
    year = first_year + step % 60
    if step % 2 and "w_year" in session.widgets:
        state = WidgetState(id=session.widgets["w_year"])
        state.double_array_value.data[:] = [year]
        session.hold(state)
        return "w_year"
    if step % 2 and MAP_KEY in session.widgets:
        session.set_map(date=f"{year}-07-01")
        return MAP_KEY
    if "w_surge" in session.widgets:
        labels = session.options.get("w_surge") or []
        state = WidgetState(id=session.widgets["w_surge"])
        state.string_array_value.data[:] = [labels[(step // 2) % len(labels)]] if labels else []
        session.hold(state)
        return "w_surge"
    return None


async def one(uri: str, reruns: int, ack: bool, timeout: float, result: dict) -> None:
    try:
        async with Session(uri, timeout) as session:
            opened = await session.rerun(query_string="")
            if ack and MAP_KEY in session.widgets and session.data_version:
                # What map.js does once it has drawn the data: say so, which is one more rerun.
                session.set_map(data_version=session.data_version)
                opened += await session.rerun(changed=MAP_KEY)
            result["open"].append(opened)
            setup = len(session.bytes)
            for step in range(reruns):
                changed = interaction(session, step, 1956)
                took = await session.rerun(changed=changed)
                result["times"].append(took)
                result["by_widget"].setdefault(changed or "none", []).append(took)
            result["bytes"].extend(session.bytes[setup:])
            result["errors"].append(session.errors)
    except (TimeoutError, OSError, websockets.WebSocketException) as exc:
        print(f"session failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        result["errors"].append(1)


def loopback_only(url: str) -> str:
    parsed = urlparse(url)
    host = parsed.hostname or ""
    addresses = {info[4][0] for info in socket.getaddrinfo(host, parsed.port or 80)}
    if not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise SystemExit(f"refusing {host}: this load test only targets loopback addresses")
    scheme = "wss" if parsed.scheme == "https" else "ws"
    return f"{scheme}://{parsed.netloc}{parsed.path.rstrip('/')}/_stcore/stream"


async def run(url: str, sessions: int, reruns: int, ack: bool, timeout: float, limit: float) -> dict:
    """Times (s) of the reruns and of opening the page, bytes received per rerun, and the error count."""
    uri = loopback_only(url)
    result: dict = {"times": [], "open": [], "bytes": [], "errors": [], "by_widget": {}}
    tasks = [one(uri, reruns, ack, timeout, result) for _ in range(sessions)]
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), limit)
    except TimeoutError:
        print(f"stopped after the {limit:.0f} s limit", file=sys.stderr)
        result["errors"].append(sessions - len(result["errors"]))
    result["errors"] = sum(result["errors"])
    return result


def percentiles(seconds: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds (nan when empty)."""
    ms = sorted(t * 1000 for t in seconds) or [float("nan")]
    return statistics.median(ms), ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8501")
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--reruns", type=int, default=20)
    parser.add_argument("--no-ack", dest="ack", action="store_false",
                        help="never acknowledge the map's data (every rerun re-sends it)")  # fmt: skip
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one rerun")
    parser.add_argument("--limit", type=float, default=600.0, help="seconds for the whole test")
    args = parser.parse_args(argv)
    if not (1 <= args.sessions <= 200 and 1 <= args.reruns <= 500):
        parser.error("sessions must be 1-200 and reruns 1-500")
    result = asyncio.run(run(args.url, args.sessions, args.reruns, args.ack, args.timeout, args.limit))
    o50, o95 = percentiles(result["open"])
    sent = statistics.mean(result["bytes"]) if result["bytes"] else float("nan")
    print(f"open p50 {o50:.0f} ms p95 {o95:.0f} ms; bytes received per rerun: mean {sent:.0f}; "
          f"map data {'acknowledged' if args.ack else 'never acknowledged'}")  # fmt: skip
    # Which kind of rerun makes the tail: the map's (a fragment run) or a sidebar filter's (the whole page).
    kinds = {MAP_KEY: "map date (the map's fragment)", "w_surge": "surge filter (whole page)", "w_year": "year slider"}
    print("; ".join(f"{kinds.get(key, key)} p50 {percentiles(times)[0]:.0f} ms p95 {percentiles(times)[1]:.0f} ms"
                    for key, times in sorted(result["by_widget"].items())))  # fmt: skip
    p50, p95 = percentiles(result["times"])
    print(f"sessions {args.sessions} reruns {args.reruns} p50 {p50:.0f} ms p95 {p95:.0f} ms errors {result['errors']}")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
