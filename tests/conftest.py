"""Fixtures shared by the gateway tests (Python 3.11) and the action tests (Python 3.10).

Every test talks to a real Redis: a private redis-server started for the test run on a free
port, so the shared one on 6379 is never touched.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator

import pytest

from helpline import embedded_redis
from helpline.stack import free_port


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    argv = embedded_redis.argv(port, tmp_path_factory.mktemp("redis"), persistent=False)
    server = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not embedded_redis.answers("127.0.0.1", port):
            assert server.poll() is None, "redis-server exited while starting"
            assert time.monotonic() < deadline, "redis-server did not answer within 10 s"
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)
