"""Login throttling: too many failed attempts for one e-mail address or from one client address locks the door.

Counting happens in the Django cache (Redis in production, the database cache otherwise), so that every web
process shares the counters. A window opens with the first failure and lasts LOGIN_THROTTLE_WINDOW_SECONDS; once
LOGIN_THROTTLE_ATTEMPTS failures are counted for the e-mail *or* for the client address, further attempts are
refused without checking the password (a correct guess after the limit must not be distinguishable from a wrong
one). A successful login clears the e-mail's counter, never the address's: an attacker holding one valid account
must not be able to reset the counter of the address they spray from.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

_PREFIX = "relais:login-failures"


def _key(kind: str, value: str) -> str:
    # Hashed: e-mail addresses are personal data and may contain characters some cache backends refuse in keys.
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()
    return f"{_PREFIX}:{kind}:{digest}"


def _keys(*, email: str, ip: str) -> list[str]:
    keys = []
    if email.strip():
        keys.append(_key("email", email))
    if ip:
        keys.append(_key("ip", ip))
    return keys


def failure_count(*, email: str = "", ip: str = "") -> int:
    """The highest number of failures counted for the e-mail or the address in the current window."""
    counts = cache.get_many(_keys(email=email, ip=ip))
    return max((int(value) for value in counts.values()), default=0)


def is_locked(*, email: str, ip: str) -> bool:
    return failure_count(email=email, ip=ip) >= settings.LOGIN_THROTTLE_ATTEMPTS


def record_failure(*, email: str, ip: str) -> None:
    window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
    for key in _keys(email=email, ip=ip):
        # add() opens the window only if none is open; incr() then counts within it.
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:  # the key expired between add() and incr()
            cache.set(key, 1, timeout=window)


def clear_email(*, email: str) -> None:
    if email.strip():
        cache.delete(_key("email", email))
