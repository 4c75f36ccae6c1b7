"""Retry with exponential backoff and full jitter, bounded in attempts and total time."""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sync.client.errors import RetryableError

T = TypeVar("T")


@dataclass
class RetryPolicy:
    """How often and how long to retry a retryable request.

    `sleep`, `clock` and `rng` are injectable so tests run without waiting.
    """

    max_attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 20.0
    max_total: float = 120.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    rng: Callable[[], float] = field(default_factory=lambda: random.Random().random)

    def delay(self, attempt: int) -> float:
        """Return the wait before retry number `attempt` (1-based): full jitter."""
        cap = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return cap * self.rng()

    def call(self, fn: Callable[[], T], on_retry: Callable[[int, Exception], None] | None = None) -> T:
        """Return fn(); retry it on RetryableError. Raises the last RetryableError when the
        attempts or the total time are used up; other exceptions pass through at once."""
        started = self.clock()
        attempt = 0
        while True:
            attempt += 1
            try:
                return fn()
            except RetryableError as exc:
                if attempt >= self.max_attempts:
                    raise
                wait = self.delay(attempt)
                if self.clock() - started + wait > self.max_total:
                    raise
                if on_retry is not None:
                    on_retry(attempt, exc)
                self.sleep(wait)
