"""Which source maps have their mappings taken from the judge of encoded text."""

from __future__ import annotations

import base64
import json

from filters import embedded


def _map(mappings: str, **extra: object) -> str:
    return json.dumps({"version": 3, "sources": ["a.js", "b.js"], "names": ["x"],
                       "mappings": mappings, **extra})


def _vlq(value: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    value = (-value << 1) | 1 if value < 0 else value << 1
    out = ""
    while True:
        digit, value = value & 31, value >> 5
        out += alphabet[digit | (32 if value else 0)]
        if not value:
            return out


def _segment(*values: int) -> str:
    return "".join(_vlq(v) for v in values)


def test_a_map_of_positions_inside_it_has_its_mappings_taken():
    # Varied as a minifier's are: sources by turns, lines onward, columns to and fro.
    segments, column = [], 0
    for i in range(6000):
        new = (i * 37) % 211
        segments.append(_segment(3 + i % 29, 1 if i % 2 == 0 else -1, i % 3, new - column,
                                 *((0,) if i % 5 == 0 else ())))
        column = new
    mappings = ";".join(",".join(segments[i:i + 300]) for i in range(0, len(segments), 300))
    text = _map(mappings)
    span = embedded._source_map(text)
    assert span is not None and text[span[0]:span[1]] == mappings
    spans: list[tuple[int, int]] = []
    list(embedded.payloads(text, spans))
    assert embedded.unread_encoded(text, spans) == 0
    assert embedded.unread_encoded(text) > 0  # the same mappings, judged


def test_segments_outside_the_map_or_of_other_lengths_are_no_map():
    assert embedded._source_map(_map(_segment(0, 2, 0, 0))) is None  # third source of two
    assert embedded._source_map(_map(_segment(0, 0, -1, 0))) is None  # line below 0
    assert embedded._source_map(_map(_segment(0, 0, 0, 0, 1))) is None  # second name of one
    assert embedded._source_map(_map(_segment(0, 0, 0))) is None  # three numbers
    assert embedded._source_map(_map("g")) is None  # ends inside a number
    # A line past the end of the source's content.
    assert embedded._source_map(_map(_segment(0, 0, 5, 0), sourcesContent=["one\ntwo"])) is None
    assert embedded._source_map(_map(_segment(0, 0, 1, 0), sourcesContent=["one\ntwo"])) is not None
    # A document's base64 as the mappings, whole or cut into segments.
    data = base64.b64encode(bytes(range(256)) * 40).decode()
    assert embedded._source_map(_map(data)) is None
    assert embedded._source_map(_map(",".join(data[i:i + 4] for i in range(0, len(data), 4)))) is None
    assert embedded._source_map(json.dumps({"version": 2, "sources": [], "mappings": "AAAA"})) is None
