"""A marked document written as a list of its bytes' numbers, the way programs print bytes:
Python's ``list(data)``, a JavaScript ``Uint8Array`` literal, a C array of figures or of
0x-hex, ``od -An -tu1`` and ``od -An -to1``, a C string of octal escapes, a Python bytes
literal of \\x escapes, a Node Buffer as indented JSON. Each goes through the real
listeners (the text as a mail body and an uploaded .txt; as a .c or .js source attached
to a mail and uploaded through the proxy) and must be held for the document's marking;
the same of a clean document passes, and so do tables of figures (a CSV of measurements,
od of random bytes, a list of ports). docs/coverage.md lists the outcomes."""

from __future__ import annotations

import json
import random
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from fixtures.office import make_two_paragraph_docx
from integration.listeners_harness import Listeners, Outcome
from integration.test_evasion_text import _held_for_marking, _send_both, _text_mail

MARKED = make_two_paragraph_docx("TOP SECRET//NOFORN")
CLEAN = make_two_paragraph_docx("Picnic committee minutes")


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = Listeners(tmp_path_factory.mktemp("evasion-numbers"))
    yield server
    server.close()


def _od(data: bytes, kind: str) -> str:
    return subprocess.run(["od", "-An", "-v", kind], input=data, capture_output=True,
                          check=True).stdout.decode()


def _c_rows(values: list[str]) -> str:
    return ",\n".join("    " + ", ".join(values[i:i + 12]) for i in range(0, len(values), 12))


WRITERS: dict[str, Callable[[bytes], str]] = {
    "Python list(bytes)": lambda data: f"data = {list(data)}\n",
    "JavaScript Uint8Array": lambda data: f"const doc = new Uint8Array([{','.join(map(str, data))}]);\n",
    "C array of figures": lambda data: "unsigned char doc[] = {\n" + _c_rows(list(map(str, data))) + "\n};\n",
    "C array of 0x-hex": lambda data: "static const uint8_t doc[] = {\n"
                                      + _c_rows([f"0x{b:02X}" for b in data]) + "\n};\n",
    "od -An -tu1": lambda data: _od(data, "-tu1"),
    "od -An -to1": lambda data: _od(data, "-to1"),
    "C string of octal escapes": lambda data: "\n".join(
        '"' + "".join(f"\\{b:03o}" for b in data[i:i + 20]) + '"' for i in range(0, len(data), 20)) + ";\n",
    "Python bytes of \\x escapes": lambda data: "doc = b'" + "".join(f"\\x{b:02x}" for b in data) + "'\n",
    # JSON.stringify(buffer, null, 2) of a Node Buffer inside an object.
    "Node Buffer as indented JSON": lambda data: json.dumps({"file": {"type": "Buffer", "data": list(data)}},
                                                            indent=2),
}


def _send_source(gateway: Listeners, text: str, name: str, tmp_path) -> tuple[Outcome, Outcome]:
    """``text`` as a source file ``name`` attached to a mail, and uploaded through the proxy."""
    kind = ("text", "x-csrc") if name.endswith(".c") else ("text", "javascript")
    message = _text_mail("the file is attached")
    message.add_attachment(text, subtype=kind[1], filename=name)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return gateway.mail(message), gateway.upload("-F", f"file=@{path};type={'/'.join(kind)}")


@pytest.mark.parametrize("kind", list(WRITERS))
def test_marked_document_written_as_numbers_is_held_for_its_marking(gateway, kind, tmp_path):
    for outcome in _send_both(gateway, WRITERS[kind](MARKED), tmp_path):
        assert _held_for_marking(outcome), outcome.excerpts()
        assert any("/#numbers[" in hit["where"] for hit in outcome.hits)
        assert "extract.uninspectable" not in outcome.rules()


@pytest.mark.parametrize("name", ["doc.c", "doc.js"])
def test_marked_document_as_an_array_in_a_source_file_is_held_for_its_marking(gateway, name, tmp_path):
    writer = WRITERS["C array of 0x-hex" if name.endswith(".c") else "JavaScript Uint8Array"]
    for outcome in _send_source(gateway, writer(MARKED), name, tmp_path):
        assert _held_for_marking(outcome), outcome.excerpts()


@pytest.mark.parametrize("kind", list(WRITERS))
def test_clean_document_written_as_numbers_passes(gateway, kind, tmp_path):
    for outcome in _send_both(gateway, WRITERS[kind](CLEAN), tmp_path):
        assert not outcome.held, outcome.excerpts()


def _figures(seed: int, low: int, high: int, count: int) -> list[int]:
    rng = random.Random(seed)
    return [rng.randint(low, high) for _ in range(count)]


ORDINARY = {
    "CSV of measurements": "sensor,t1,t2,t3,t4,t5,t6,t7\n" + "\n".join(
        f"{i}," + ",".join(str(v) for v in _figures(i, 0, 255, 7)) for i in range(400)),
    "ages and scores in a table": "\n".join(" ".join(f"{v:3d}" for v in _figures(i, 18, 99, 10))
                                            for i in range(300)),
    "od -An -tu1 of random bytes": _od(random.Random(4).randbytes(3000), "-tu1"),
    "list of ports": "allowed = " + str(sorted(set(_figures(2, 1, 255, 300)))),
}


@pytest.mark.parametrize("kind", list(ORDINARY))
def test_tables_of_figures_pass(gateway, kind, tmp_path):
    for outcome in _send_both(gateway, ORDINARY[kind], tmp_path):
        assert not outcome.held, outcome.excerpts()


# A Word 97 file (OLE) has runs of repeated bytes, which od writes as "*" lines unless -v.
MARKED_DOC = (Path(__file__).resolve().parents[1] / "fixtures" / "real" / "w-title-en.doc").read_bytes()


def test_marked_word_97_file_in_od_default_output_is_held_for_its_marking(gateway, tmp_path):
    written = subprocess.run(["od", "-tu1", "-"], input=MARKED_DOC, capture_output=True,
                             check=True).stdout.decode()
    assert "*" in written
    for outcome in _send_both(gateway, written, tmp_path):
        assert _held_for_marking(outcome), outcome.excerpts()


def test_marked_word_97_file_in_od_an_output_is_held(gateway, tmp_path):
    # Without offsets, od does not say how many lines a "*" stands for: the file read
    # back is not the one written, and is held as one that cannot be read.
    written = subprocess.run(["od", "-An", "-tu1"], input=MARKED_DOC, capture_output=True,
                             check=True).stdout.decode()
    for outcome in _send_both(gateway, written, tmp_path):
        assert outcome.held, outcome.excerpts()
