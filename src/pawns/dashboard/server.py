"""Serve the dashboard: a Bokeh server (through Panel) on this machine, its own assets, no network.

Panel and Bokeh ship their JavaScript and CSS in the Python packages and the server hands them
out itself (``resources="server"``), so the page loads with no connection to anything but the
server. By default it listens on 127.0.0.1 only.

The compiled engine compiles for minutes the first time on a machine. Until numba's cache
holds it, runs use the numpy engine (same results, slower) while a child process compiles it;
from then on, runs use the compiled engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from pawns.dashboard.app import Config, Dashboard
from pawns.dashboard.settings import Base

if TYPE_CHECKING:  # pragma: no cover
    from pawns.engine.warmup import BackgroundCompile

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def is_local(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    return host in LOCAL_HOSTS or host.startswith("127.")


def compiled_ready() -> bool:
    """Whether the compiled engine runs at once (this machine's cache holds this version of it)."""
    from pawns import compile_cache

    return compile_cache.is_compiled()


@dataclass
class EngineChoice:
    """Which engine runs: ``compiled`` or ``numpy`` as asked, or ``auto`` (compiled once it is cached)."""

    asked: str
    compiler: "BackgroundCompile | None" = None

    def __call__(self) -> str:
        if self.asked != "auto":
            return self.asked
        return "compiled" if compiled_ready() else "numpy"

    def start_compiling(self) -> bool:
        """Compile the kernel in a child process when ``auto`` finds it not cached; returns whether it started."""
        if self.asked != "auto" or compiled_ready():
            return False
        from pawns.engine.warmup import BackgroundCompile

        self.compiler = BackgroundCompile()
        self.compiler.start()
        return True

    def stop(self) -> None:
        if self.compiler is not None:
            self.compiler.stop()


def make_server(base: Base, *, host: str, port: int, out_dir: Path, engine: EngineChoice, members: int, seed: int):
    """A Panel/Bokeh server for the dashboard, not yet started (its ``port`` is the one bound, even for port 0)."""
    import panel as pn

    pn.extension(design="native", notifications=False)
    config = Config(out_dir=Path(out_dir), engine=engine, members=members, seed=seed)

    def page() -> object:
        return Dashboard(base, config).layout

    # The page's websocket must come from a page this server served: the names of this machine, or any for a non-local host.
    origins = [f"{name}:{port}" for name in ("localhost", "127.0.0.1", host)] if is_local(host) else ["*"]
    return pn.serve({"/": page}, address=host, port=port, show=False, start=False, title="pawns dashboard",
                    websocket_origin=origins, resources="server", print_url=False)


def free_port(host: str) -> int:
    """A port the operating system says is free on ``host`` (for ``--port 0``)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def url_of(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(base: Base, *, host: str, port: int, out_dir: Path, engine: str, members: int, seed: int,
          say: Callable[[str], None] = print, warn: Callable[[str], None] = print) -> None:
    """Start the server, say where it listens, and serve until interrupted (Ctrl-C)."""
    choice = EngineChoice(engine)
    port = port or free_port(host)
    if not is_local(host):
        warn(f"warning: listening on {host}: anyone who can reach this machine on port {port} can run the model "
             f"and write exports into {out_dir}; use the default 127.0.0.1 unless you mean it")
    server = make_server(base, host=host, port=port, out_dir=out_dir, engine=choice, members=members, seed=seed)
    if choice.start_compiling():
        warn("note: compiling the fast engine in the background (once, about a minute); runs use the numpy engine until then")
    say(f"pawns dashboard: {url_of(host, server.port)}  (Ctrl-C stops it)")
    try:
        server.start()
        server.io_loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        choice.stop()
        server.stop()
