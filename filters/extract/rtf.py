"""RTF documents: body, header/footer, notes, comments, revisions, info properties and
embedded objects, read by a small bounded tokenizer (striprtf drops those groups)."""

from __future__ import annotations

import codecs
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from filters.errors import UnparseableContent
from filters.extract.document_state import state_parts
from filters.limits import Budget
from filters.types import Defect, Part

# One token: a control word with optional numeric parameter (and its delimiting space),
# a hex escape, a control symbol, a brace, a run of plain text, or line breaks (ignored).
_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z'])|([{}])|"
    rb"([^\\{}\r\n]+)|[\r\n]+|\\'|\\"
)

MAX_GROUP_DEPTH = 512
MAX_UNICODE_SKIP = 8

# \fcharsetN -> code page of the bytes written with that font.
CHARSET_CODEPAGES = {
    0: "cp1252", 77: "mac_roman", 128: "cp932", 129: "cp949", 130: "johab", 134: "gb18030",
    136: "big5hkscs", 161: "cp1253", 162: "cp1254", 163: "cp1258", 177: "cp1255",
    178: "cp1256", 186: "cp1257", 204: "cp1251", 222: "cp874", 238: "cp1250", 255: "cp437",
}
# Code pages whose Python codec is a superset worth using instead (as for mail text).
_WIDER = {"cp936": "gb18030", "gbk": "gb18030", "gb2312": "gb18030", "cp950": "big5hkscs"}

# Destinations whose text goes to a named output; everything else named here is skipped.
TEXT_DESTINATIONS = {
    "header": "header", "headerl": "header", "headerr": "header", "headerf": "header",
    "footer": "footer", "footerl": "footer", "footerr": "footer", "footerf": "footer",
    "footnote": "notes", "annotation": "comments", "fldrslt": None, "result": None,
    "field": None, "object": None,
}
INFO_FIELDS = {"title", "subject", "author", "keywords", "doccomm", "category", "company",
               "manager", "operator", "hlinkbase"}
SKIPPED_DESTINATIONS = {
    "fonttbl", "colortbl", "stylesheet", "listtable", "listoverridetable", "rsidtbl", "revtbl",
    "generator", "xmlnstbl", "pict", "themedata", "colorschememapping", "datastore",
    "latentstyles", "pgdsctbl", "filetbl", "fldinst", "bkmkstart", "bkmkend", "atnid",
    "atnauthor", "atndate", "atnref", "atnicn", "atntime", "atnparent", "creatim", "revtim",
    "printim", "buptim", "objclass", "objname", "objalias", "objtime", "blipuid", "shppict",
    "nonshppict", "listpicture", "mmathPr", "defchp", "defpap", "passwordhash", "password",
    "wgrffmtfilter", "ftnsep", "ftnsepc", "aftnsep", "aftnsepc", "ffformat", "formfield",
    "template", "docvar", "sn", "sv", "shpinst", "sp", "userprops", "propname", "staticval",
    "info", "objdata", "panose", "falt", "fname", "fontemb", "fontfile", "oleclsid",
}
# Skipped destinations that hold pictures, binary streams or digests, not words. The text
# of every other skipped destination, and of an unknown \*\destination, is not on the
# page but is in the file for any reader to see ({\*\generator TOP SECRET;}): it is read
# as a part of its own ("unseen") instead of being dropped.
BINARY_DESTINATIONS = {
    "pict", "themedata", "colorschememapping", "datastore", "blipuid", "fontemb", "fontfile",
    "panose", "passwordhash", "password", "objdata", "oleclsid", "rsidtbl",
}
SYMBOLS = {
    "par": "\n", "line": "\n", "sect": "\n", "page": "\n", "row": "\n", "cell": "\t",
    "nestcell": "\t", "tab": "\t", "emdash": "\u2014", "endash": "\u2013", "emspace": " ",
    "enspace": " ", "qmspace": " ", "bullet": "\u2022", "lquote": "\u2018",
    "rquote": "\u2019", "ldblquote": "\u201c", "rdblquote": "\u201d", "zwj": "\u200d",
    "zwnj": "\u200c",
}
CONTROL_SYMBOLS = {b"~": " ", b"_": "-", b"-": "", b"\\": "\\", b"{": "{", b"}": "}",
                   b"\t": "\t"}


@dataclass
class _State:
    """What a group inherits from its parent: where text goes and how bytes decode."""

    dest: str | None = "body"  # output key; None = skip this group's text
    uc: int = 1
    codepage: str = "cp1252"
    revision: str = ""  # "ins" or "del" while \revised / \deleted is on
    ignorable: bool = False  # the group started with \*
    capture: str = ""  # text feeds a capture (a property value, object data …)
    owner: bool = False  # this group started that capture
    info: bool = False  # inside {\info …}
    fonttbl: bool = False  # inside {\fonttbl …}
    hidden: bool = False  # \v: in the file, not on the page
    capitals: bool = False  # \caps / \scaps: typed in lower case, shown in capitals


@dataclass
class _Output:
    """Text collected per output key, plus properties, objects and state counts."""

    texts: dict[str, list[str]] = field(default_factory=dict)
    properties: list[tuple[str, str]] = field(default_factory=list)
    objects: list[tuple[str, bytes]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, text: str) -> None:
        self.texts.setdefault(key, []).append(text)

    def count(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1


def _codec(name: str) -> str:
    """A Python codec for a Windows code page name, widened to its superset."""
    name = _WIDER.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "cp1252"


UNSEEN = "unseen"  # output key of text a reader skips (see BINARY_DESTINATIONS)

# Destinations whose text is captured whole and handled when their group closes.
_CAPTURED = {"propname", "staticval", "sn", "sv", "objclass", "objdata"}


class _Reader:
    """Walks the RTF token stream once, keeping a stack of group states."""

    def __init__(self, data: bytes, budget: Budget) -> None:
        self.data = data
        self.budget = budget
        self.out = _Output()
        self.state = _State()
        self.stack: list[_State] = []
        self.pending = bytearray()  # bytes awaiting decoding in the current code page
        self.skip = 0  # fallback characters still to drop after a \uN
        self.position = 0
        self.fonts: dict[int, str] = {}
        self.font_def: int | None = None
        self.default_codepage = "cp1252"
        self.buffers: list[list[str]] = []  # one per open capture group
        self.hex: list[bytes] = []  # \objdata digits of the open object
        self.prop_name = ""
        self.shape_name = ""
        self.object_class = ""

    # -- output --------------------------------------------------------------------------

    def flush(self) -> None:
        if self.pending:
            self.emit(bytes(self.pending).decode(self.state.codepage, "replace"))
            self.pending.clear()

    def emit(self, text: str) -> None:
        state = self.state
        if state.capture and self.buffers:
            self.buffers[-1].append(text)
            return
        if state.dest is None or not text:
            return
        if state.revision == "del":
            self.out.add("deletions", text)
            return
        if state.capitals:
            text = text.upper()
        if state.hidden:
            # Hidden letters inside a word (SE{\v xq}CRET) must not split what the page
            # shows; hidden text is still read, as a part of its own.
            self.out.add("hidden", text)
            return
        self.out.add(state.dest, text)
        if state.revision == "ins":
            self.out.add("insertions", text)

    # -- groups --------------------------------------------------------------------------

    def open_group(self) -> None:
        self.flush()
        if len(self.stack) >= MAX_GROUP_DEPTH:
            raise UnparseableContent(f"RTF groups nested deeper than {MAX_GROUP_DEPTH}")
        self.stack.append(self.state)
        self.state = replace(self.state, ignorable=False, owner=False)
        self.skip = 0

    def close_group(self) -> None:
        self.flush()
        state = self.state
        if state.owner and state.capture:
            text = "".join(self.buffers.pop() if self.buffers else ()).strip()
            self.finish_capture(state.capture, text)
        if self.stack:
            self.state = self.stack.pop()
            if state.dest == UNSEEN and self.state.dest != UNSEEN:
                self.out.add(UNSEEN, "\n")  # one skipped group's text is not run into the next
        self.skip = 0

    def start_capture(self, kind: str) -> None:
        self.flush()
        self.state.capture = kind
        self.state.owner = True
        self.buffers.append([])
        if kind == "objdata":
            self.hex = []

    def finish_capture(self, kind: str, text: str) -> None:
        if kind == "propname":
            self.prop_name = text
        elif kind == "sn":
            self.shape_name = text
        elif kind == "objclass":
            self.object_class = text
        elif kind == "objdata":
            digits = b"".join(self.hex)
            self.hex = []
            blob = bytes.fromhex(digits[: len(digits) // 2 * 2].decode("ascii"))
            if blob:
                self.out.objects.append((self.object_class or "object", _ole1_native(blob)))
        elif not text:
            return
        elif kind == "staticval":
            self.out.properties.append((f"userprops#{self.prop_name or 'property'}", text))
        elif kind == "sv":
            if self.shape_name == "gtextUNICODE":
                # WordArt shape text: where Word keeps "DRAFT" / "CONFIDENTIAL" watermarks.
                self.emit_to_outer(text + "\n")
            elif self.shape_name.startswith("wz"):
                # A shape's string properties (wzDescription: its alt text; wzName): not
                # drawn, but in the file.
                self.out.add(UNSEEN, text + "\n")
        elif kind.startswith("info#"):
            self.out.properties.append((kind, text))

    def emit_to_outer(self, text: str) -> None:
        """Text of a shape property goes where the shape sits (body or header)."""
        for state in reversed(self.stack):
            if state.dest not in (None, UNSEEN):
                self.out.add(state.dest, text)
                return

    # -- control words -------------------------------------------------------------------

    def destination(self, word: str) -> bool:
        """Handle a destination control word; True when it was one."""
        state = self.state
        if word == "shptxt":
            # A text box sits inside \shpinst (skipped); its text belongs where the shape is.
            state.dest = next((s.dest for s in reversed(self.stack)
                               if s.dest not in (None, UNSEEN)), "body")
            return True
        if word in TEXT_DESTINATIONS:
            target = TEXT_DESTINATIONS[word]
            if target is not None:
                state.dest = target
                if word == "annotation":
                    self.out.count("comments")
            return True
        if word in INFO_FIELDS and state.info:
            self.start_capture(f"info#{word}")
            return True
        if word in _CAPTURED:
            self.start_capture(word)
            return True
        if word == "info":
            state.dest, state.info = UNSEEN, True
            return True
        if word == "fonttbl":
            state.dest, state.fonttbl = UNSEEN, True
            return True
        if word in SKIPPED_DESTINATIONS:
            state.dest = None if word in BINARY_DESTINATIONS else UNSEEN
            return True
        return False

    def control(self, word: str, param: int | None) -> None:
        state = self.state
        # \* marks only the control word right after it as an optional destination.
        ignorable, state.ignorable = state.ignorable, False
        if word not in _MEANINGFUL:
            # Formatting (\b, \fs24, \pard …): the common case, decided in one lookup.
            if ignorable and state.dest is not None:
                state.dest = UNSEEN
            return
        if word in SYMBOLS:
            self.flush()
            self.skip = 0
            self.emit(SYMBOLS[word])
        elif word == "u" and param is not None:
            self.flush()
            self.emit(chr(param + 65536 if param < 0 else param))
            self.skip = state.uc
        elif word == "uc" and param is not None:
            state.uc = max(0, min(param, MAX_UNICODE_SKIP))
        elif word == "ansicpg" and param is not None:
            self.flush()
            self.default_codepage = _codec(f"cp{param}")
            state.codepage = self.default_codepage
        elif word == "f" and param is not None:
            self.flush()
            if state.fonttbl:
                self.font_def = param
            else:
                state.codepage = self.fonts.get(param, self.default_codepage)
        elif word == "fcharset" and param is not None and state.fonttbl:
            codepage = CHARSET_CODEPAGES.get(param)
            if codepage and self.font_def is not None:
                self.fonts[self.font_def] = _codec(codepage)
        elif word == "deleted":
            self.flush()
            state.revision = "del" if param != 0 else ""
            if param != 0:
                self.out.count("deletions")
        elif word == "revised":
            self.flush()
            state.revision = "ins" if param != 0 else ""
            if param != 0:
                self.out.count("insertions")
        elif word == "plain":
            self.flush()
            state.revision = ""
            state.hidden = state.capitals = False
        elif word == "v":
            self.flush()
            state.hidden = param != 0
        elif word in ("caps", "scaps"):
            self.flush()
            state.capitals = param != 0
        elif word == "bin" and param:
            # \binN: N raw bytes follow (picture data); they are not text.
            self.flush()
            self.position += max(0, param)
        elif not self.destination(word) and ignorable and state.dest is not None:
            # An unknown \*\destination: readers that do not know it skip it; its text is
            # still read.
            state.dest = UNSEEN

    # -- the walk ------------------------------------------------------------------------

    def run(self) -> _Output:
        data = self.data
        end = len(data)
        match = _TOKEN.match
        steps = 0
        while self.position < end:
            token = match(data, self.position)
            if token is None:  # cannot happen: the last alternatives match any byte
                break
            self.position = token.end()
            steps += 1
            if not steps & 4095:
                self.budget.check_time()
            word, param, hexbyte, symbol, brace, text = token.groups()
            if text is not None:
                if self.state.capture == "objdata":
                    self.hex.append(text.translate(None, _NOT_HEX))
                    continue
                if self.skip:
                    drop = min(self.skip, len(text))
                    text = text[drop:]
                    self.skip -= drop
                self.pending += text
            elif hexbyte is not None:
                if self.skip:
                    self.skip -= 1
                else:
                    self.pending.append(int(hexbyte, 16))
            elif brace == b"{":
                self.open_group()
            elif brace == b"}":
                self.close_group()
            elif word is not None:
                self.control(word.decode("ascii"), int(param) if param is not None else None)
            elif symbol is not None:
                if symbol == b"*":
                    self.state.ignorable = True
                elif symbol in CONTROL_SYMBOLS:
                    self.flush()
                    self.emit(CONTROL_SYMBOLS[symbol])
        self.flush()
        while self.stack:
            self.close_group()
        return self.out


_MEANINGFUL = frozenset({
    *SYMBOLS, *TEXT_DESTINATIONS, *INFO_FIELDS, *_CAPTURED, *SKIPPED_DESTINATIONS, "shptxt",
    "u", "uc", "ansicpg", "f", "fcharset", "deleted", "revised", "plain", "bin",
    "v", "caps", "scaps",
})
_NOT_HEX = bytes(b for b in range(256) if b not in b"0123456789abcdefABCDEF")
def _ole1_native(data: bytes) -> bytes:
    """The native data inside an OLE1 embedded-object header, or ``data`` if it has none.

    ObjectHeader: version, format id (2 = embedded), class name, topic, item (each
    a length-prefixed string), then the native data size and the data itself.
    """
    try:
        version, format_id = struct.unpack_from("<II", data, 0)
        offset = 8
        if format_id != 2:
            return data
        for _ in range(3):
            (length,) = struct.unpack_from("<I", data, offset)
            offset += 4 + length
        (size,) = struct.unpack_from("<I", data, offset)
        offset += 4
    except struct.error:
        return data
    if version > 0xFFFF or size > len(data) - offset:
        return data
    return data[offset: offset + size]


def _packaged_file(native: bytes) -> tuple[str, bytes] | None:
    """(file name, bytes) of an OLE "Package" object (a file dropped into the document).

    Packager native data: signature 2, NUL-terminated label and source path, a flags
    word, a length-prefixed temporary path, then the length-prefixed file itself.
    """
    try:
        if struct.unpack_from("<H", native, 0)[0] != 2:
            return None
        label_end = native.index(b"\0", 2)
        path_end = native.index(b"\0", label_end + 1)
        offset = path_end + 1 + 4
        (temp_length,) = struct.unpack_from("<I", native, offset)
        offset += 4 + temp_length
        (size,) = struct.unpack_from("<I", native, offset)
        offset += 4
    except (struct.error, ValueError):
        return None
    if size > len(native) - offset:
        return None
    name = native[2:label_end].decode("cp1252", "replace")
    return name, native[offset: offset + size]


_ROLES = {"body": "body", "header": "header", "footer": "footer", "notes": "note",
          "comments": "comment", "insertions": "revision", "deletions": "revision", "hidden": "body",
          UNSEEN: "body"}


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Text parts (body, header, footer, notes, comments, revisions), properties and
    embedded objects of an RTF document."""
    data = budget.read_part(part)
    if not data.lstrip()[:5].startswith(b"{\\rtf"):
        raise UnparseableContent("not an RTF document: it does not start with {\\rtf")
    output = _Reader(data, budget).run()
    for key, pieces in output.texts.items():
        # \uN escapes outside the BMP arrive as UTF-16 surrogate halves: join them.
        text = "".join(pieces).encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        text = text.strip()
        if not text:
            continue
        label = "" if key == "body" else f"#{key}"
        yield budget.child(part, label, text=text, role=_ROLES.get(key, "body"))
    for name, value in output.properties:
        yield budget.child(part, name, text=value, role="property", name=name.split("#", 1)[1])
    for index, (object_class, blob) in enumerate(output.objects, 1):
        name = object_class
        packaged = _packaged_file(blob) if object_class.lower().startswith("package") else None
        if packaged is not None:
            # Unwrap so the pipeline types the dropped file itself, not the wrapper.
            name, blob = packaged
        payload, path = budget.collect(iter([blob]), what="RTF embedded object")
        yield budget.child(part, f"object[{index}]", data=payload, path=path,
                           name=name, meta={"object_class": object_class})
    yield from state_parts(part, budget, output.counts)
