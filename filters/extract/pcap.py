"""Packet captures (tcpdump's classic pcap and pcapng): each TCP or UDP flow's payload is a child.

A capture carries whatever crossed the wire: an upload's body, a mail, a file. Its frame
headers make it compressible, so the judge of unreadable bytes lets it through, and its
payloads are cut into packets no text run joins. The payloads of each flow (addresses,
ports, protocol; IPv4 or IPv6 over Ethernet, raw IP, Linux cooked or loopback) are put
together in the order of their TCP sequence numbers (a retransmitted segment once), or in
capture order for UDP, and read as a part of their own. Record layouts: the pcap man page
(pcap-savefile(5)) and draft-ietf-opsawg-pcapng.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from filters.errors import UnparseableContent
from filters.limits import Budget
from filters.types import Defect, Part

MAX_FLOWS = 64  # flows read as parts; more are held as not inspected
_CLASSIC = {b"\xd4\xc3\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">",
            b"\x4d\x3c\xb2\xa1": "<", b"\xa1\xb2\x3c\x4d": ">"}  # microseconds, nanoseconds
_PCAPNG = b"\x0a\x0d\x0d\x0a"
ETHERNET, RAW, RAW_LINUX, LOOPBACK, LINUX_SLL, LINUX_SLL2 = 1, 101, 12, 0, 113, 276


def _frames(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(link type, captured bytes) of each packet in the capture ``data``."""
    order = _CLASSIC.get(data[:4])
    if order is not None:
        if len(data) < 24:
            raise UnparseableContent("pcap header is cut off; the capture was not inspected")
        link = struct.unpack_from(order + "I", data, 20)[0] & 0xFFFF
        at = 24
        while at + 16 <= len(data):
            length = struct.unpack_from(order + "I", data, at + 8)[0]
            yield link, data[at + 16:at + 16 + length]
            at += 16 + length
        return
    if not data.startswith(_PCAPNG):
        raise UnparseableContent("not a pcap or pcapng capture; not inspected")
    links: list[int] = []
    at, order = 0, "<"
    while at + 12 <= len(data):
        if data[at:at + 4] == _PCAPNG:  # a section: its byte order, its interfaces
            order = "<" if data[at + 8:at + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            links = []
        kind, size = struct.unpack_from(order + "II", data, at)
        if size < 12 or size % 4:
            raise UnparseableContent("pcapng block of a wrong length; the capture was not inspected")
        body = data[at + 8:at + size - 4]
        if kind == 1 and len(body) >= 2:  # interface description
            links.append(struct.unpack_from(order + "H", body)[0])
        elif kind == 6 and len(body) >= 20:  # enhanced packet
            interface, _, _, length = struct.unpack_from(order + "IIII", body)
            if interface < len(links):
                yield links[interface], body[20:20 + length]
        elif kind == 3 and len(body) >= 4 and links:  # simple packet
            yield links[0], body[4:4 + struct.unpack_from(order + "I", body)[0]]
        at += size


def _network(link: int, frame: bytes) -> bytes | None:
    """The IP packet in ``frame``, or None for another link or protocol."""
    if link == ETHERNET:
        kind, at = frame[12:14], 14
        while kind in (b"\x81\x00", b"\x88\xa8") and len(frame) >= at + 4:  # VLAN tags
            kind, at = frame[at + 2:at + 4], at + 4
        return frame[at:] if kind in (b"\x08\x00", b"\x86\xdd") else None
    if link in (RAW, RAW_LINUX):
        return frame
    if link == LOOPBACK:
        return frame[4:]
    if link == LINUX_SLL:
        return frame[16:]
    if link == LINUX_SLL2:
        return frame[20:]
    return None


def _segment(packet: bytes) -> tuple[tuple[bytes, bytes, int, int, int], int, bytes] | None:
    """(flow, TCP sequence number or -1, payload) of a TCP or UDP ``packet``, or None."""
    if packet[:1] and packet[0] >> 4 == 4 and len(packet) >= 20:
        header = (packet[0] & 15) * 4
        total = int.from_bytes(packet[2:4], "big") or len(packet)
        protocol, source, target = packet[9], packet[12:16], packet[16:20]
        if int.from_bytes(packet[6:8], "big") & 0x1FFF:
            return None  # a later fragment: no transport header
        body = packet[header:total]
    elif packet[:1] and packet[0] >> 4 == 6 and len(packet) >= 40:
        protocol, source, target = packet[6], packet[8:24], packet[24:40]
        body = packet[40:40 + int.from_bytes(packet[4:6], "big")]
    else:
        return None
    if protocol == 6 and len(body) >= 20:
        ports = struct.unpack_from("!HHI", body)
        offset = (body[12] >> 4) * 4
        return (source, target, ports[0], ports[1], 6), ports[2], body[offset:]
    if protocol == 17 and len(body) >= 8:
        ports = struct.unpack_from("!HH", body)
        return (source, target, ports[0], ports[1], 17), -1, body[8:]
    return None


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Each TCP or UDP flow's payload in the capture as a content part."""
    flows: dict[tuple[bytes, bytes, int, int, int], dict[int, bytes] | list[bytes]] = {}
    for link, frame in _frames(budget.read_part(part)):
        budget.check_time()
        packet = _network(link, frame)
        found = _segment(packet) if packet is not None else None
        if found is None or not found[2]:
            continue
        flow, sequence, payload = found
        if flow not in flows:
            if len(flows) >= MAX_FLOWS:
                yield Defect("extract.uninspectable", "high",
                             f"the capture holds more than {MAX_FLOWS} flows; the rest were not "
                             "inspected", where=part.origin)
                break
            flows[flow] = {} if sequence >= 0 else []
        pieces = flows[flow]
        if isinstance(pieces, dict):
            pieces.setdefault(sequence, payload)
        else:
            pieces.append(payload)
    for index, (flow, pieces) in enumerate(flows.items(), 1):
        data = b"".join(pieces[k] for k in sorted(pieces)) if isinstance(pieces, dict) else b"".join(pieces)
        budget.take(len(data))
        yield budget.child(part, f"#flow[{index}]:{flow[2]}-{flow[3]}", data=data)
