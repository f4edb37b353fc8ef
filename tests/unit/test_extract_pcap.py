"""filters.extract.pcap: the payload of each flow in a capture, put back in order."""

import struct

from filters.extract import pcap


def _ipv4_tcp(sport: int, sequence: int, payload: bytes) -> bytes:
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + len(payload), 1, 0, 64, 6, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    return ip + struct.pack("!HHIIBBHHH", sport, 80, sequence, 0, 0x50, 0x18, 65535, 0, 0) + payload


def _ipv6_udp(payload: bytes) -> bytes:
    udp = struct.pack("!HHHH", 5353, 53, 8 + len(payload), 0) + payload
    return struct.pack("!IHBB16s16s", 6 << 28, len(udp), 17, 64, b"\1" * 16, b"\2" * 16) + udp


def _capture(frames: list[bytes], link: int, order: str = "<") -> bytes:
    out = struct.pack(order + "IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, link)
    for frame in frames:
        out += struct.pack(order + "IIII", 0, 0, len(frame), len(frame)) + frame
    return out


def _flows(data: bytes) -> list[bytes]:
    packets = (pcap._network(link, frame) for link, frame in pcap._frames(data))
    return [found[2] for found in map(pcap._segment, filter(None, packets)) if found]


def test_tcp_segments_out_of_order_and_retransmitted_come_back_in_sequence_order():
    frames = [_ipv4_tcp(40000, 1006, b"world"), _ipv4_tcp(40000, 1000, b"hello "),
              _ipv4_tcp(40000, 1006, b"world"), _ipv4_tcp(40001, 5, b"other flow")]
    flows: dict = {}
    for link, frame in pcap._frames(_capture(frames, pcap.RAW, ">")):
        flow, sequence, payload = pcap._segment(pcap._network(link, frame))
        flows.setdefault(flow, {}).setdefault(sequence, payload)
    assert [b"".join(p[k] for k in sorted(p)) for p in flows.values()] == [b"hello world", b"other flow"]


def test_udp_over_ipv6_on_ethernet_is_read_and_other_ethertypes_are_not():
    ethernet = b"\2" * 6 + b"\4" * 6
    frames = [ethernet + b"\x86\xdd" + _ipv6_udp(b"query"), ethernet + b"\x08\x06" + b"\0" * 28]
    assert _flows(_capture(frames, pcap.ETHERNET)) == [b"query"]
