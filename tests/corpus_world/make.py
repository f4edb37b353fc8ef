"""Write the world corpus's items into a folder: ``python tests/corpus_world/make.py DIR``.

Each case becomes one file named after its index and system (``017-cn.eml``) or, for
file-name cases, the name the case gives; ``generate`` returns one record per file.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import docx

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):
    sys.path.insert(0, str(HERE.parents[1]))

from tests.corpus_world.cases import CASES, Case, Item  # noqa: E402
from tests.fixtures.office import CT_OFFICE, patch_zip  # noqa: E402

CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def _mail(item: Item) -> bytes:
    message = EmailMessage()
    message["From"] = "Alex Writer <alex.writer@example.org>"
    message["To"] = "team@example.net"
    message["Subject"] = item.subject
    message["Date"] = "Tue, 04 Mar 2025 09:12:44 +0000"
    message["Message-ID"] = "<probe.0001@example.org>"
    for name, value in item.headers:
        message[name] = value
    message.set_content(item.body)
    return bytes(message)


def _custom_xml(props: tuple[tuple[str, str], ...]) -> bytes:
    entries = "".join(
        f'<property fmtid="{FMTID}" pid="{pid}" name="{escape(name)}"><vt:lpwstr>{escape(value)}'
        f"</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(props, start=2))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="{CUSTOM_NS}" '
            f'xmlns:vt="{VT_NS}">{entries}</Properties>').encode()


def _docx(item: Item) -> bytes:
    document = docx.Document()
    section = document.sections[0]
    if item.header:
        section.header.paragraphs[0].text = item.header
    if item.footer:
        section.footer.paragraphs[0].text = item.footer
    for paragraph in item.body.split("\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    if item.props:
        data = patch_zip(data, {
            "docProps/custom.xml": _custom_xml(item.props),
            "[Content_Types].xml": lambda b: b.replace(
                b"</Types>", b'<Override PartName="/docProps/custom.xml" ContentType="'
                + (CT_OFFICE + "custom-properties+xml").encode() + b'"/></Types>'),
        })
    return data


SUFFIX = {"mail": ".eml", "text": ".txt", "docx": ".docx"}


def render(item: Item) -> bytes:
    """The bytes of one item."""
    if item.kind == "mail":
        return _mail(item)
    if item.kind == "docx":
        return _docx(item)
    return item.body.encode("utf-8")


def file_name(index: int, case: Case) -> str:
    if case.item.name:
        return f"{index:03d}-{case.item.name}"
    # A neutral name: the system's name ('draft-en') would itself read as a marking.
    return f"item-{index:03d}{SUFFIX[case.item.kind]}"


def write_cases(root: Path, cases: Sequence, name_of: Callable[[int, Any], str],
                render_item: Callable[[Any], bytes]) -> list[dict]:
    """Write ``cases`` under ``root``; one record (file, system, expect, kind) per case."""
    root.mkdir(parents=True, exist_ok=True)
    records = []
    for index, case in enumerate(cases):
        name = name_of(index, case)
        (root / name).write_bytes(render_item(case.item))
        records.append({"file": name, "system": case.system, "expect": case.expect,
                        "kind": case.item.kind})
    return records


def generate(root: Path) -> list[dict]:
    """Write every case under ``root``; one record (file, system, expect, kind) per case."""
    return write_cases(root, CASES, file_name, render)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "world-corpus")
    print(f"{len(generate(target))} items written to {target}")
