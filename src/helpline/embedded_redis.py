"""A real Redis server started by the helpline itself, for a first run with nothing installed
by hand (no REDIS_URL) and for the tests' own private servers. Standard library only."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path


class RedisMissing(SystemExit):
    pass


def argv(port: int, data_dir: Path, persistent: bool = True) -> list[str]:
    """redis-server's command line: loopback only, append-only persistence under data_dir."""
    server = shutil.which("redis-server")
    if not server:
        raise RedisMissing("redis-server is not installed: `apt-get install redis-server`, or set REDIS_URL.")
    data_dir.mkdir(parents=True, exist_ok=True)
    return [server, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(data_dir),
            "--appendonly", "yes" if persistent else "no", "--appendfsync", "everysec",
            "--save", "", "--daemonize", "no", "--protected-mode", "yes"]


def answers(host: str, port: int) -> bool:
    """Whether a Redis server answers PING there."""
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith((b"+PONG", b"-NOAUTH"))
    except OSError:
        return False


def start(port: int, data_dir: Path, persistent: bool = False, timeout: float = 10.0) -> subprocess.Popen[bytes]:
    """A redis-server of its own, answering on the port when this returns (for tests)."""
    server = subprocess.Popen(argv(port, data_dir, persistent), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while not answers("127.0.0.1", port):
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError(f"redis-server on port {port} did not start")
        time.sleep(0.05)
    return server
