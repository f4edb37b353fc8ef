"""Listen and upstream addresses (``HOST:PORT``), parsed alike for every listener's config."""

from __future__ import annotations

from filters.errors import ConfigError


def parse_host_port(key: str, value: str, *, default_port: int | None = None) -> tuple[str, int]:
    """Split ``HOST:PORT`` (``[v6]:PORT`` for IPv6); errors name the config key or flag."""
    host, sep, port = value.rpartition(":")
    if not sep:
        if default_port is None:
            raise ConfigError(f"config key {key}: expected HOST:PORT, got {value!r}")
        host, port = value, str(default_port)
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"config key {key}: expected HOST:PORT with a port 1-65535, got {value!r}")
    return host, int(port)
