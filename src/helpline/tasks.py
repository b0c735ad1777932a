"""Background loops that stop when asked, even if a library swallowed the cancellation."""

from __future__ import annotations

import asyncio
import contextlib


def stopping() -> bool:
    """True once this task has been asked to stop. A Redis call interrupted by the cancellation
    may turn it into a connection error that a loop's error handling catches: loops check this
    so that they end anyway instead of waiting for the next event."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


async def stop(task: asyncio.Task[None] | None, timeout: float = 2.0) -> None:
    if task is None or task.done():
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, TimeoutError):
        await asyncio.wait_for(asyncio.shield(task), timeout)
