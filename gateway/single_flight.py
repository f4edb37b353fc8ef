"""One check at a time per key: callers asking the same question at once share one answer.

A mail client or browser opens several connections with the same credentials at once.
Checking each would spend one place each in the sign-in throttle (which counts attempts in
flight), so the owner's own parallel connections would lock the owner out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SingleFlight(Generic[K, V]):
    """Runs one coroutine per key; callers arriving while it runs await the same result."""

    def __init__(self) -> None:
        self._in_flight: dict[K, asyncio.Future[V]] = {}

    async def run(self, key: K, start: Callable[[], Awaitable[V]]) -> V:
        """The result of ``start()`` for ``key``, shared with every caller that asks meanwhile.

        A caller that is cancelled does not cancel the shared work (others may wait on it).
        """
        task = self._in_flight.get(key)
        if task is None:
            task = asyncio.ensure_future(start())
            self._in_flight[key] = task
            task.add_done_callback(lambda done: self._settled(key, done))
        return await asyncio.shield(task)

    def _settled(self, key: K, done: asyncio.Future[V]) -> None:
        self._in_flight.pop(key, None)
        if not done.cancelled():
            done.exception()  # retrieved: a waiter that went away does not leave it unread
