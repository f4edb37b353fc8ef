"""The [ui] config section: where the officer UI listens, sessions, cookies and login throttling."""

from __future__ import annotations

from dataclasses import dataclass

from filters.config import option
from filters.errors import ConfigError


def split_listen(key: str, value: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[v6]:PORT`` for IPv6) as (host, port); errors name the key."""
    host, sep, port = value.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"config key {key}: expected HOST:PORT with a port 1-65535 "
                          f"(or \"off\"), got {value!r}")
    return host, int(port)


@dataclass(frozen=True, slots=True)
class UiConfig:
    """The officer web UI and its JSON API (section [ui])."""

    listen: str = option(
        "127.0.0.1:8025", "HOST:PORT the officer UI binds (loopback unless you put a TLS "
        "reverse proxy in front); \"off\" disables it.",
    )
    session_minutes: float = option(
        480.0, "A login session ends this long after sign-in (an officer's working day).",
        minimum=1, maximum=10080,
    )
    secure_cookies: bool = option(
        True, "Mark session cookies Secure (sent over HTTPS only). Set false only for a "
        "plain-HTTP lab: the session cookie then travels in clear text.",
    )
    login_max_failures: int = option(
        5, "Failed logins for one user name from one address within login_window_minutes "
        "before that name is refused from that address until the window passes; from other "
        "addresses its attempts take turns instead (one check per 1.5 s), so nobody can lock "
        "the owner out. Attempts in flight count. Counted in the store: shared by all "
        "workers and nodes.", minimum=1,
    )
    login_max_failures_per_address: int = option(
        20, "Failed logins from one client address within login_window_minutes before that "
        "address is refused until the window passes.", minimum=1,
    )
    login_window_minutes: float = option(
        15.0, "The window over which failed logins are counted (and how long a lockout lasts).",
        minimum=0.01,
    )
    page_size: int = option(50, "Items per page of the queue.", minimum=5, maximum=500)

    def __post_init__(self) -> None:
        if self.listen != "off":
            split_listen("ui.listen", self.listen)
