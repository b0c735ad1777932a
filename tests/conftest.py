"""Fixtures shared by the gateway tests (Python 3.11) and the action tests (Python 3.10).

Every test talks to a real Redis: a private redis-server started for the test run on a free
port, so the shared one on 6379 is never touched.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from helpline import embedded_redis
from helpline.stack import free_port


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    server = embedded_redis.start(port, tmp_path_factory.mktemp("redis"))
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(10)
