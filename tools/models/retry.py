"""When to retry a model request and how long to wait: exponential back-off that honours Retry-After."""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RetryPolicy:
    """Back-off ``base_s * 2**attempt`` (capped at ``max_wait_s``, with up to ``jitter`` of it added at random).

    A server's ``Retry-After`` (or OpenAI's ``retry-after-ms``) replaces the computed wait, capped the same way.
    ``sleep`` and ``random`` are seams so tests neither wait nor draw.
    """

    base_s: float = 0.5
    max_wait_s: float = 60.0
    jitter: float = 0.25
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = field(default=random.random)

    def wait_s(self, attempt: int, retry_after_s: float | None = None) -> float:
        """Seconds to wait before retry number ``attempt + 1`` (``attempt`` counts from 0)."""
        if retry_after_s is not None:
            return min(max(retry_after_s, 0.0), self.max_wait_s)
        wait = min(self.base_s * (2 ** attempt), self.max_wait_s)
        return wait + wait * self.jitter * self.random()


def retry_after_seconds(headers: Mapping[str, str] | None, now: Callable[[], float] = time.time) -> float | None:
    """The wait a response asks for: ``retry-after-ms``, else ``retry-after`` in seconds or as an HTTP date."""
    if not headers:
        return None
    lowered = {key.lower(): value for key, value in headers.items()}
    millis = lowered.get("retry-after-ms")
    if millis:
        try:
            return float(millis) / 1000.0
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - now(), 0.0)
