"""Spacing out calls to stay under another service's rate limit."""

import time


class Throttle:
    """Spaces messages evenly to stay under `rate` per second; 0 means as fast as possible."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(self.next_at, now) + self.interval
