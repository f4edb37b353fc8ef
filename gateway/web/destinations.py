"""Where the proxy may connect: public addresses; internal ones only as http.internal_destinations lists.

An explicit proxy that reaches anything its host can reach is a way into the internal
network (server-side request forgery through the proxy). Every origin address is
checked after name resolution, so a public name that resolves to 127.0.0.1 or 10.x
(DNS rebinding) is refused like the literal address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Sequence
from typing import Any

from aiohttp.abc import AbstractResolver
from aiohttp.resolver import DefaultResolver

from gateway.web.config import host_matches


class DestinationRefused(OSError):
    """The origin resolves only to addresses http.internal_destinations does not list."""


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def destination_allowed(host: str, address: str, internal: Sequence[str]) -> bool:
    """True when the proxy may connect to ``address`` (resolved from ``host``).

    Global unicast addresses are always allowed; loopback, private, link-local, shared
    and reserved ones only when ``internal`` lists the address's network or the host.
    """
    ip = _address(address)
    if ip is None:
        return False
    if ip.is_global and not ip.is_multicast:
        return True
    names = [entry for entry in internal if not _is_network(entry)]
    if names and host_matches(host, names):
        return True
    return any(ip in ipaddress.ip_network(entry, strict=False)
               for entry in internal if _is_network(entry))


def _is_network(entry: str) -> bool:
    try:
        ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return False
    return True


def refusal(host: str) -> str:
    """The sentence a refused destination gets (for logs and the client)."""
    return (f"{host} is an internal destination; the proxy reaches loopback and private "
            "addresses only when http.internal_destinations lists them")


class GuardedResolver(AbstractResolver):
    """aiohttp's resolver, keeping only the addresses the proxy may connect to."""

    def __init__(self, internal: Sequence[str]) -> None:
        self.internal = list(internal)
        self.inner = DefaultResolver()

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[dict[str, Any]]:
        """Resolve ``host`` and drop the addresses it may not reach."""
        found = await self.inner.resolve(host, port, family)
        allowed = [entry for entry in found
                   if destination_allowed(host, entry["host"], self.internal)]
        if not allowed:
            raise DestinationRefused(refusal(host))
        return allowed

    async def close(self) -> None:
        """Close the inner resolver."""
        await self.inner.close()


async def open_guarded(host: str, port: int, internal: Sequence[str], timeout: float
                       ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A TCP connection to ``host``:``port`` over an address the proxy may reach."""
    loop = asyncio.get_running_loop()
    infos = await asyncio.wait_for(
        loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout)
    addresses = [info[4][0] for info in infos
                 if destination_allowed(host, info[4][0], internal)]
    if not addresses:
        raise DestinationRefused(refusal(host))
    last: OSError | None = None
    for address in dict.fromkeys(addresses):
        try:
            return await asyncio.wait_for(asyncio.open_connection(address, port), timeout)
        except OSError as exc:
            last = exc
    assert last is not None
    raise last
