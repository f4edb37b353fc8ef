"""Legacy OLE2 Office files (.doc, .xls, .ppt): text, properties, objects."""

from __future__ import annotations

import bisect
import io
import re
import struct
import zlib
from collections.abc import Iterator
from typing import BinaryIO

import olefile
import xlrd

from filters.errors import EncryptedContent, LimitReached, UnparseableContent
from filters.extract.cells import integer_digits
from filters.extract.document_state import THREADED_STANDIN, state_parts
from filters.extract.xstring import unescape_xstring
from filters.limits import Budget
from filters.types import Defect, Part

# What a damaged compound file makes olefile, xlrd or our own parsing raise.
CORRUPT = (OSError, ValueError, IndexError, KeyError, EOFError, struct.error, zlib.error,
           UnicodeDecodeError)

SUMMARY_FIELDS = ("title", "subject", "author", "keywords", "comments", "category",
                  "company", "manager", "last_saved_by")

# -- compound file access --------------------------------------------------------------


def _open_ole(source: BinaryIO) -> olefile.OleFileIO:
    try:
        return olefile.OleFileIO(source)
    except CORRUPT as exc:
        raise UnparseableContent(f"compound (OLE2) file is damaged: {exc}") from exc


def _stream(ole: olefile.OleFileIO, path: list[str], budget: Budget) -> bytes:
    """One stream's bytes, counted against the budget.

    Streams can share sectors, so their sum may exceed the file: each one counts.
    """
    size = ole.get_size(path)
    if size > budget.limits.max_part_bytes:
        raise LimitReached("max_part_bytes", f"stream {'/'.join(path)} of {size} bytes is "
                           f"larger than {budget.limits.max_part_bytes} bytes")
    budget.take(size)
    with ole.openstream(path) as stream:
        return stream.read()


def _children(ole: olefile.OleFileIO, prefix: list[str]) -> list[tuple[list[str], int]]:
    """(path, type) of the direct children of storage ``prefix``."""
    entry = ole.root if not prefix else ole.direntries[ole._find(prefix)]
    return [([*prefix, kid.name], kid.entry_type) for kid in entry.kids]


def _names(ole: olefile.OleFileIO, prefix: list[str]) -> set[str]:
    return {path[-1] for path, _ in _children(ole, prefix)}


# -- summary properties ----------------------------------------------------------------


def _decode_property(value: object, codepage: int | None) -> str:
    if isinstance(value, bytes):
        cp = (codepage or 1252) & 0xFFFF
        encoding = {65001: "utf-8", 1200: "utf-16-le", 1201: "utf-16-be"}.get(cp, f"cp{cp}")
        try:
            return value.decode(encoding, "replace").rstrip("\x00")
        except LookupError:
            return value.decode("cp1252", "replace").rstrip("\x00")
    return value if isinstance(value, str) else ""


def _summary(part: Part, budget: Budget, ole: olefile.OleFileIO,
             prefix: list[str]) -> Iterator[Part]:
    """Title, keywords, company … and user-defined properties as property text parts."""
    if prefix:
        return  # olefile reads property sets of the root storage only
    meta = ole.get_metadata()
    for field in SUMMARY_FIELDS:
        text = _decode_property(getattr(meta, field, None), meta.codepage).strip()
        if text:
            yield budget.child(part, f"#summary.{field}", text=text, role="property", name=field)
    if ole.exists("\x05DocumentSummaryInformation"):
        try:
            user = ole.get_userdefined_properties("\x05DocumentSummaryInformation")
        except CORRUPT:
            user = []
        for prop in user[:1000]:
            name = str(prop.get("property_name", ""))
            text = _decode_property(prop.get("value"), meta.codepage_doc).strip()
            if name and text:
                yield budget.child(part, f"#summary.{name}", text=text, role="property",
                                   name=name)


# -- Word 97-2003 ([MS-DOC]) --------------------------------------------------------------

F_ENCRYPTED = 0x0100
F_WHICH_TABLE = 0x0200
# FibRgLw97 indexes of the story lengths, in the order the stories follow each other.
STORIES = ((3, "", "body"), (4, "#footnotes", "note"), (5, "#headers", "header"),
           (6, "", ""), (7, "#comments", "comment"), (8, "#endnotes", "note"),
           (9, "#textboxes", "body"), (10, "#header-textboxes", "header"))
# Indexes of (fc, lcb) pairs in FibRgFcLcb97: comment anchors, character formatting
# pages, the piece table and the drawings (OfficeArt, where WordArt keeps its text).
FC_PLCF_AND_REF, FC_PLCF_BTE_CHPX, FC_CLX, FC_DGG_INFO = 4, 12, 33, 50
# Character properties that mark a run as a tracked insertion or deletion.
SPRM_REVISIONS = {0x0801: "insertions", 0x0800: "deletions"}
# Operand sizes by a sprm's spra field (bits 13-15); 6 means a length byte follows.
SPRA_SIZES = (1, 1, 2, 4, 2, 2, -1, 3)
FKP_SIZE = 512
# Word's in-text control marks: paragraph, cell and row ends, breaks, field delimiters,
# anchors of notes, comments, pictures and drawings.
WORD_CONTROLS = str.maketrans({"\r": "\n", "\x07": "\t", "\x0b": "\n", "\x0c": "\n",
                               "\x0e": "\n", "\x13": " ", "\x14": " ", "\x15": " ",
                               "\x01": None, "\x02": None, "\x05": None, "\x08": None,
                               "\x00": None, "\x1e": "-", "\x1f": None})
# A cell's last paragraph ends with \x07 instead of \r, and each row ends with a
# paragraph that is only a \x07 (the row mark): two in a row close a table row.
_ROW_END = "\x07\x07"
# Field begin / separator / end: "\x13 PAGE \x14 3 \x15" shows "3"; the instruction
# ("PAGE", "HYPERLINK …") is not document text, as w:instrText is not in a .docx.
FIELD_BEGIN, FIELD_SEPARATOR, FIELD_END = "\x13", "\x14", "\x15"
_FIELD_MARK = re.compile("[\x13\x14\x15]")
MAX_FIELD_DEPTH = 64
MAX_PIECES = 1_000_000


def _doc_pieces(word: bytes, table: bytes, fc_clx: int, lcb_clx: int,
                budget: Budget) -> list[tuple[int, int, int, bool]]:
    """(cp_start, cp_end, byte offset, compressed) of each piece in the CLX's PlcPcd."""
    pos, end = fc_clx, fc_clx + lcb_clx
    if lcb_clx <= 0 or end > len(table):
        raise ValueError("CLX lies outside the table stream")
    while pos < end and table[pos] == 0x01:  # Prc: property modifiers, skipped
        (size,) = struct.unpack_from("<H", table, pos + 1)
        pos += 3 + size
    if pos >= end or table[pos] != 0x02:
        raise ValueError("no piece table (Pcdt) in the CLX")
    (lcb,) = struct.unpack_from("<I", table, pos + 1)
    pos += 5
    count = (lcb - 4) // 12
    if count <= 0 or count > MAX_PIECES or pos + lcb > len(table):
        raise ValueError("piece table size is inconsistent")
    cps = struct.unpack_from(f"<{count + 1}I", table, pos)
    pieces = []
    for i in range(count):
        if i % 4096 == 0:
            budget.check_time()
        (fc,) = struct.unpack_from("<I", table, pos + 4 * (count + 1) + 8 * i + 2)
        compressed = bool(fc & 0x40000000)
        offset = (fc & 0x3FFFFFFF) // 2 if compressed else fc & 0x3FFFFFFF
        if cps[i + 1] < cps[i] or offset > len(word):
            raise ValueError(f"piece {i} points outside the document")
        pieces.append((cps[i], cps[i + 1], offset, compressed))
    return pieces


def _doc_range(word: bytes, pieces: list[tuple[int, int, int, bool]], start: int,
               end: int) -> str:
    """Text of character positions [start, end) assembled from the pieces."""
    out = []
    for cp0, cp1, offset, compressed in pieces:
        lo, hi = max(start, cp0), min(end, cp1)
        if lo >= hi:
            continue
        if compressed:
            out.append(word[offset + lo - cp0 : offset + hi - cp0].decode("cp1252", "replace"))
        else:
            raw = word[offset + 2 * (lo - cp0) : offset + 2 * (hi - cp0)]
            out.append(raw.decode("utf-16-le", "replace"))
    return "".join(out)


# Runs of 4+ printable UTF-16LE characters (incl. CJK) or of cp1252 bytes.
_UTF16_RUN = re.compile(rb"(?:[\x09\x0a\x0d\x20-\x7e\xa0-\xff]\x00|[\x00-\xff][\x4e-\x9f]){4,}")
_BYTE_RUN = re.compile(rb"[\x09\x0a\x0d\x20-\x7e\xa0-\xff]{6,}")
SCAN_BYTES = 32 * 1024 * 1024


def _string_scan(data: bytes) -> str:
    """Printable runs in a stream whose structure is broken (bounded: first SCAN_BYTES)."""
    data = data[:SCAN_BYTES]
    runs = [m.decode("utf-16-le", "replace") for m in _UTF16_RUN.findall(data)]
    runs += [m.decode("cp1252", "replace") for m in _BYTE_RUN.findall(data)]
    return "\n".join(runs)


def _word(part: Part, budget: Budget, ole: olefile.OleFileIO,
          prefix: list[str]) -> Iterator[Part | Defect]:
    word = _stream(ole, [*prefix, "WordDocument"], budget)
    if len(word) < 32 or struct.unpack_from("<H", word, 0)[0] != 0xA5EC:
        raise UnparseableContent("Word document has no valid file information block (FIB)")
    (flags,) = struct.unpack_from("<H", word, 0x0A)
    if flags & F_ENCRYPTED:
        raise EncryptedContent("Word document is password-protected")
    try:
        (csw,) = struct.unpack_from("<H", word, 32)
        rglw = 34 + 2 * csw
        (cslw,) = struct.unpack_from("<H", word, rglw)
        lengths = struct.unpack_from(f"<{min(cslw, 11)}i", word, rglw + 2)
        rgfclcb = rglw + 2 + 4 * cslw
        (cb_fclcb,) = struct.unpack_from("<H", word, rgfclcb)
        if cb_fclcb <= FC_CLX or len(lengths) < 11:
            raise ValueError("file information block is too short (Word 6/95 format?)")
        fc_clx, lcb_clx = struct.unpack_from("<iI", word, rgfclcb + 2 + 8 * FC_CLX)
        table_name = "1Table" if flags & F_WHICH_TABLE else "0Table"
        table = _stream(ole, [*prefix, table_name], budget)
        pieces = _doc_pieces(word, table, fc_clx, lcb_clx, budget)
    except CORRUPT as exc:
        yield Defect("extract.doc_structure", "low",
                     f"Word piece table is broken ({exc}); text was recovered by a string "
                     "scan and may be incomplete", where=part.origin)
        yield budget.child(part, "WordDocument", text=_string_scan(word), role="body")
        return
    cp = 0
    for index, label, role in STORIES:
        length = max(lengths[index], 0)
        if role:
            text = _word_text(_doc_range(word, pieces, cp, cp + length))
            if text:
                yield budget.child(part, f"WordDocument{label}", text=text, role=role)
        cp += length
    yield from _word_drawings(part, budget, word, table, rgfclcb, cb_fclcb)
    counts = _revision_counts(word, table, rgfclcb, cb_fclcb, pieces, budget)
    if lengths[7] > 0:
        # PlcfandRef: one CP per comment anchor plus a last one, then 30-byte ATRDPre10s.
        _, lcb = _fc_lcb(word, rgfclcb, cb_fclcb, FC_PLCF_AND_REF)
        counts["comments"] = max((lcb - 4) // 34, 1)
    yield from state_parts(part, budget, counts)


def _revision_counts(word: bytes, table: bytes, rgfclcb: int, cb_fclcb: int,
                     pieces: list[tuple[int, int, int, bool]], budget: Budget) -> dict[str, int]:
    """Runs of text marked as tracked insertions and deletions, from the CHPX pages.

    Each character-formatting page (ChpxFkp, [MS-DOC] 2.9.33) lists runs by file
    offset with their properties; only runs inside the piece table's text count, so
    formatting left over for text no longer in the document does not.
    """
    counts: dict[str, int] = {}
    fc, lcb = _fc_lcb(word, rgfclcb, cb_fclcb, FC_PLCF_BTE_CHPX)
    pages = (lcb - 4) // 8
    if pages <= 0 or fc + lcb > len(table):
        return counts
    spans = sorted((offset, offset + (cp1 - cp0) * (1 if compressed else 2))
                   for cp0, cp1, offset, compressed in pieces)
    starts = [start for start, _ in spans]
    seen: set[int] = set()
    for index in range(pages):
        budget.check_time()
        (pn,) = struct.unpack_from("<I", table, fc + 4 * (pages + 1) + 4 * index)
        page = (pn & 0x3FFFFF) * FKP_SIZE
        if page in seen or page + FKP_SIZE > len(word):
            continue
        seen.add(page)
        runs = word[page + FKP_SIZE - 1]
        for run in range(min(runs, 101)):  # at most 101 runs fit in a page
            (start,) = struct.unpack_from("<I", word, page + 4 * run)
            at = bisect.bisect_right(starts, start) - 1
            if at < 0 or start >= spans[at][1]:
                continue
            offset = word[page + 4 * (runs + 1) + run] * 2
            if not offset or page + offset >= page + FKP_SIZE - 1:
                continue
            size = word[page + offset]
            grpprl = word[page + offset + 1 : min(page + offset + 1 + size, page + FKP_SIZE)]
            for key in _sprm_revisions(grpprl):
                counts[key] = counts.get(key, 0) + 1
    return counts


def _sprm_revisions(grpprl: bytes) -> set[str]:
    """Which revision marks ('insertions', 'deletions') a run's properties switch on."""
    found: set[str] = set()
    pos = 0
    while pos + 2 <= len(grpprl):
        (sprm,) = struct.unpack_from("<H", grpprl, pos)
        pos += 2
        size = SPRA_SIZES[sprm >> 13]
        if size < 0:
            if pos >= len(grpprl):
                break
            size = grpprl[pos] + 1
        if sprm in SPRM_REVISIONS and pos < len(grpprl) and grpprl[pos]:
            found.add(SPRM_REVISIONS[sprm])
        pos += size
    return found


def _word_drawings(part: Part, budget: Budget, word: bytes, table: bytes, rgfclcb: int,
                   cb_fclcb: int) -> Iterator[Part]:
    """WordArt text of the drawings: the main document's, and the headers' (watermarks).

    OfficeArtContent ([MS-DOC] 2.9.172) is the drawing group, then one drawing per
    document part, each a dgglbl byte (0 main document, 1 headers) and a container.
    """
    fc, lcb = _fc_lcb(word, rgfclcb, cb_fclcb, FC_DGG_INFO)
    end = fc + lcb
    if not lcb or end > len(table) or fc + 8 > end:
        return
    _, _, size = struct.unpack_from("<HHI", table, fc)
    pos = fc + 8 + size  # the drawing group holds no shape text
    found: dict[str, list[str]] = {"body": [], "header": []}
    while pos + 9 <= end:
        label = table[pos]
        _, rtype, size = struct.unpack_from("<HHI", table, pos + 1)
        if rtype != OFFICEART_DG_CONTAINER:
            break
        start = pos + 9
        pos = min(start + size, end)
        found["header" if label == 1 else "body"] += officeart_texts(table, start, pos,
                                                                     budget)
    for role, label in (("body", "#drawings"), ("header", "#header-drawings")):
        if found[role]:
            yield budget.child(part, f"WordDocument{label}", text="\n".join(found[role]),
                               role=role)


def _word_text(raw: str) -> str:
    """Story text without field instructions, with Word's control marks made plain."""
    if FIELD_BEGIN in raw:
        raw = _drop_field_instructions(raw)
    return raw.replace(_ROW_END, "\x07\n").translate(WORD_CONTROLS).strip()


def _drop_field_instructions(raw: str) -> str:
    """``raw`` without the instruction part of each field (nested fields too)."""
    out: list[str] = []
    # One entry per open field: True while in its instruction, False in its result.
    fields: list[bool] = []
    hidden = 0  # open fields still in their instruction: text is not shown
    pos = 0
    for mark in _FIELD_MARK.finditer(raw):
        at = mark.start()
        if not hidden:
            out.append(raw[pos:at])
        char = raw[at]
        if char == FIELD_BEGIN:
            if len(fields) >= MAX_FIELD_DEPTH:
                return raw  # not real fields: keep the text rather than lose it
            fields.append(True)
            hidden += 1
        elif char == FIELD_SEPARATOR:
            if fields and fields[-1]:
                fields[-1] = False
                hidden -= 1
        elif fields and fields.pop():
            hidden -= 1
        if char != FIELD_BEGIN and not hidden:
            out.append(" ")
        pos = mark.end()
    if hidden:
        return raw  # a field left open is not one Word would hide: keep all the text
    out.append(raw[pos:])
    return "".join(out)


def _fc_lcb(word: bytes, rgfclcb: int, cb_fclcb: int, index: int) -> tuple[int, int]:
    """The (fc, lcb) pair ``index`` of FibRgFcLcb, or (0, 0) when the FIB is shorter."""
    if index >= cb_fclcb:
        return 0, 0
    fc, lcb = struct.unpack_from("<iI", word, rgfclcb + 2 + 8 * index)
    return max(fc, 0), lcb


# -- OfficeArt drawings (shared by Word and PowerPoint) -----------------------------------

OFFICEART_DG_CONTAINER = 0xF002
# Shape property tables: primary (OfficeArtFOPT) and tertiary (OfficeArtTertiaryFOPT).
OFFICEART_FOPT = frozenset({0xF00B, 0xF122})
GTEXT_UNICODE = 0x00C0  # WordArt text, a complex property (UTF-16LE)
MAX_OFFICEART_RECORDS = 1_000_000


def fopt_wordart(record: bytes, count: int) -> str:
    """The WordArt text (gtextUNICODE) in one shape property table, or ''."""
    complex_at = 6 * count
    if complex_at > len(record):
        return ""
    for i in range(count):
        opid, value = struct.unpack_from("<HI", record, 6 * i)
        if not opid & 0x8000:
            continue
        if opid & 0x3FFF == GTEXT_UNICODE:
            text = record[complex_at : complex_at + value].decode("utf-16-le", "replace")
            return text.split("\x00", 1)[0].strip()
        complex_at += value
    return ""


def officeart_texts(data: bytes, pos: int, end: int, budget: Budget) -> list[str]:
    """WordArt texts of the OfficeArt records in data[pos:end], containers included.

    A container's children follow its header, so stepping into every container as if
    its header were all of it walks the whole tree in order without recursion.
    """
    texts: list[str] = []
    records = 0
    while pos + 8 <= end:
        ver_inst, rtype, size = struct.unpack_from("<HHI", data, pos)
        records += 1
        if not records & 4095:
            budget.check_time()
        if records > MAX_OFFICEART_RECORDS:
            break
        body = pos + 8
        if ver_inst & 0x0F == 0x0F:
            pos = body
            continue
        pos = body + size
        if rtype in OFFICEART_FOPT:
            text = fopt_wordart(data[body : min(pos, end)], ver_inst >> 4)
            if text:
                texts.append(text)
    return texts


# -- Excel 97-2003 (BIFF8) -------------------------------------------------------------

BIFF_BOF, BIFF_EOF, BIFF_HEADER, BIFF_FOOTER = 0x0809, 0x000A, 0x0014, 0x0015
# A chart's literal text (title, axis title, data label, series name): [MS-XLS] 2.4.254.
BIFF_SERIESTEXT = 0x100D
# A drawing object (OBJ, its type in the first sub-record), its text (TXO) and the
# CONTINUE record after the TXO that holds the characters.
BIFF_OBJ, BIFF_TXO, BIFF_CONTINUE = 0x005D, 0x01B6, 0x003C
OBJ_COMMENT = 0x19
MAX_RECORDS = 5_000_000
# Where each kind of sheet text goes: (origin suffix, role).
SHEET_TEXTS = {"header": ("#header", "header"), "footer": ("#footer", "footer"),
               "comment": ("#comments", "comment"), "textbox": ("#textboxes", "body"),
               "chart": ("#charts", "body")}


def _biff_sheet_texts(stream: bytes, budget: Budget) -> list[tuple[int, str, str]]:
    """(sheet number, kind, text) from each sheet substream's records.

    xlrd exposes neither sheet headers and footers, where banners usually sit, nor
    the text of cell comments, text boxes and charts; kind is a key of SHEET_TEXTS.
    A chart drawn on a sheet is a substream of its own (BOF to EOF) inside the sheet's:
    its texts belong to that sheet, and the sheets after it keep their numbers.
    """
    found: list[tuple[int, str, str]] = []
    pos, substream, depth, records = 0, -1, 0, 0
    object_type = 0
    pending: tuple[int, str] | None = None  # (characters, kind) of the TXO just read
    while pos + 4 <= len(stream):
        rtype, size = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4 : pos + 4 + size]
        pos += 4 + size
        records += 1
        if records % 65536 == 0:
            budget.check_time()
        if records > MAX_RECORDS:
            break
        text_object, pending = pending, None
        if rtype == BIFF_BOF:
            if depth == 0:
                substream += 1
            depth += 1
        elif rtype == BIFF_EOF:
            depth = max(depth - 1, 0)
        elif rtype == BIFF_SERIESTEXT and len(body) >= 4 and substream > 0:
            cch, wide = body[2], body[3] & 0x01
            raw = body[4 : 4 + cch * (2 if wide else 1)]
            text = raw.decode("utf-16-le" if wide else "latin-1", "replace").strip()
            if text:
                found.append((substream, "chart", text))
        elif rtype == BIFF_OBJ and len(body) >= 6 and body[0] == 0x15:  # ftCmo
            (object_type,) = struct.unpack_from("<H", body, 4)
        elif rtype == BIFF_TXO and len(body) >= 12 and substream > 0:
            (cch,) = struct.unpack_from("<H", body, 10)
            if cch:
                pending = (cch, "comment" if object_type == OBJ_COMMENT else "textbox")
        elif rtype == BIFF_CONTINUE and text_object is not None and body:
            cch, kind = text_object
            wide = body[0] & 0x01
            raw = body[1 : 1 + cch * (2 if wide else 1)]
            text = raw.decode("utf-16-le" if wide else "latin-1", "replace").strip()
            if text:
                found.append((substream, kind, text))
        elif rtype in (BIFF_HEADER, BIFF_FOOTER) and len(body) >= 3 and substream > 0:
            (cch,) = struct.unpack_from("<H", body, 0)
            wide = body[2] & 0x01
            raw = body[3 : 3 + cch * (2 if wide else 1)]
            # A workbook converted from xlsx keeps ST_Xstring escapes (_x000D_) as written.
            text = unescape_xstring(raw.decode("utf-16-le" if wide else "latin-1", "replace"))
            # &L &C &R &P … are layout codes, not text.
            text = re.sub(r"&(?:[LCRPNDTAFZGBIUSXYKEH]|\d+|\"[^\"]*\")", " ", text).strip()
            if text:
                kind = "header" if rtype == BIFF_HEADER else "footer"
                found.append((substream, kind, text))
    return found


def _excel(part: Part, budget: Budget, ole: olefile.OleFileIO,
           prefix: list[str]) -> Iterator[Part | Defect]:
    name = "Workbook" if "Workbook" in _names(ole, prefix) else "Book"
    stream = _stream(ole, [*prefix, name], budget)
    try:
        # xlrd parses BIFF records from the stream bytes; its compound-file reader is
        # not needed, so the workbook stream is handed over directly.
        book = xlrd.open_workbook(file_contents=stream, on_demand=True,
                                  logfile=io.StringIO(), ignore_workbook_corruption=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise EncryptedContent("Excel workbook is password-protected") from exc
        raise UnparseableContent(f"Excel workbook cannot be read: {exc}") from exc
    except (*CORRUPT, AssertionError) as exc:
        raise UnparseableContent(f"Excel workbook is damaged: {exc}") from exc
    try:
        for index in range(book.nsheets):
            budget.check_time()
            sheet = book.sheet_by_index(index)
            label = f"{name}/sheet[{index + 1}]"
            yield budget.child(part, f"{label}#name", text=sheet.name, role="sheet",
                               name=sheet.name)
            lines = []
            for row in range(sheet.nrows):
                if row % 1024 == 0:
                    budget.check_time()
                # Text cells, and numbers as long as identifiers (filters/extract/cells.py).
                values = [v if isinstance(v, str) else integer_digits(v)
                          for v in sheet.row_values(row)]
                values = [v for v in values if v]
                if values:
                    lines.append("\t".join(values))
            if lines:
                yield budget.child(part, label, text="\n".join(lines), role="cell",
                                   name=sheet.name)
            book.unload_sheet(index)
    except (xlrd.XLRDError, *CORRUPT, AssertionError) as exc:
        raise UnparseableContent(f"Excel worksheet is damaged: {exc}") from exc
    finally:
        book.release_resources()
    grouped: dict[tuple[int, str], list[str]] = {}
    for number, kind, text in _biff_sheet_texts(stream, budget):
        grouped.setdefault((number, kind), []).append(text)
    for (number, kind), texts in grouped.items():
        suffix, role = SHEET_TEXTS[kind]
        yield budget.child(part, f"{name}/sheet[{number}]{suffix}", text="\n".join(texts),
                           role=role)
    # Cell notes are annotations, not reviews (document_state.THREADED_STANDIN), as in xlsx.
    comments = sum(1 for (_, kind), texts in grouped.items() if kind == "comment"
                   for text in texts if text.lstrip().startswith(THREADED_STANDIN))
    changes = 0
    if "Revision Log" in _names(ole, prefix):
        changes = _pending_revisions(_stream(ole, [*prefix, "Revision Log"], budget))
    yield from state_parts(part, budget, {"comments": comments, "changes": changes})


# A shared workbook's change records (MS-XLS 2.4: RRDInsDel, RRDChgCell, RRDRenSheet, RRSort,
# RRDMove, RRFormat, RRAutoFmt, RRInsertSh, RRDDefName); each opens with an RrdHead whose
# flags (bytes 10-11) say fAccepted (bit 0) or fUndoAction (bit 1).
_REVISION_RECORDS = frozenset({0x0137, 0x013B, 0x013C, 0x013E, 0x0140, 0x014A, 0x014B, 0x014D,
                               0x0153})


def _pending_revisions(stream: bytes) -> int:
    """How many change records of a workbook's Revision Log stream are neither accepted
    nor undone (the changes Excel or Calc still shows for review)."""
    count = pos = 0
    while pos + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, pos)
        if kind in _REVISION_RECORDS and size >= 12 and pos + 16 <= len(stream):
            (flags,) = struct.unpack_from("<H", stream, pos + 14)
            count += not flags & 0x3
        pos += 4 + size
    return count


# -- PowerPoint 97-2003 ---------------------------------------------------------------

PPT_TEXT_CHARS, PPT_TEXT_BYTES, PPT_CSTRING = 0x0FA0, 0x0FA8, 0x0FBA
PPT_NOTES, PPT_HEADERS_FOOTERS, PPT_CRYPT_SESSION = 0x03F0, 0x0FD9, 0x2F14
PPT_SLIDE_LIST_WITH_TEXT, PPT_EXOLE_STORAGE = 0x0FF0, 0x1011
MAX_PPT_DEPTH = 64


def _ppt(part: Part, budget: Budget, ole: olefile.OleFileIO,
         prefix: list[str]) -> Iterator[Part | Defect]:
    if "EncryptedSummary" in _names(ole, prefix):
        raise EncryptedContent("PowerPoint presentation is password-protected")
    stream = _stream(ole, [*prefix, "PowerPoint Document"], budget)
    zones: dict[str, list[str]] = {"body": [], "note": [], "footer": []}
    objects: list[tuple[int, int]] = []
    # Iterative walk in document order: (next record, end, zone, depth) of each open
    # container; a container's rest is pushed back before descending into a child.
    stack = [(0, len(stream), "body", 0)]
    records = 0
    while stack:
        pos, end, zone, depth = stack.pop()
        while pos + 8 <= end:
            records += 1
            if records % 65536 == 0:
                budget.check_time()
            ver_inst, rtype, size = struct.unpack_from("<HHI", stream, pos)
            data_start, data_end = pos + 8, min(pos + 8 + size, end)
            pos = data_end
            instance = ver_inst >> 4
            if rtype == PPT_CRYPT_SESSION:
                raise EncryptedContent("PowerPoint presentation is password-protected")
            if ver_inst & 0x0F == 0x0F:
                if depth >= MAX_PPT_DEPTH:
                    raise UnparseableContent("PowerPoint records are nested too deeply")
                inner = zone
                if rtype == PPT_NOTES or (rtype == PPT_SLIDE_LIST_WITH_TEXT and instance == 2):
                    inner = "note"
                elif rtype == PPT_HEADERS_FOOTERS:
                    inner = "footer"
                stack.append((pos, end, zone, depth))
                stack.append((data_start, data_end, inner, depth + 1))
                break
            if rtype == PPT_EXOLE_STORAGE:
                objects.append((data_start, data_end))
                continue
            raw = stream[data_start:data_end]
            if rtype in OFFICEART_FOPT:
                # A shape's properties: WordArt ("DRAFT" across a slide) keeps its text here.
                text = fopt_wordart(raw, instance)
            elif rtype in (PPT_TEXT_CHARS, PPT_CSTRING):
                text = raw.decode("utf-16-le", "replace")
            elif rtype == PPT_TEXT_BYTES:
                text = raw.decode("latin-1")
            else:
                continue
            text = text.replace("\r", "\n").replace("\x0b", "\n").strip()
            if text:
                zones[zone].append(text)
    for label, role in (("", "body"), ("#notes", "note"), ("#footers", "footer")):
        lines = zones[role]
        if lines:
            yield budget.child(part, f"PowerPoint Document{label}", text="\n".join(lines),
                               role=role)
    for index, (start, end) in enumerate(objects, 1):
        budget.check_time()
        yield _ppt_object(part, budget, stream, start, end, index)


def _ppt_object(part: Part, budget: Budget, stream: bytes, start: int, end: int,
                index: int) -> Part:
    """An embedded OLE object: zlib-compressed (instance 1) or stored storage bytes."""
    (ver_inst,) = struct.unpack_from("<H", stream, start - 8)
    label = f"PowerPoint Document/object[{index}]"
    if ver_inst >> 4 == 1 and end - start > 4:
        inflater = zlib.decompressobj()
        view = memoryview(stream)[start + 4 : end]

        def chunks() -> Iterator[bytes]:
            for i in range(0, len(view), 1 << 16):
                yield inflater.decompress(view[i : i + (1 << 16)], 1 << 20)
                while inflater.unconsumed_tail:
                    yield inflater.decompress(inflater.unconsumed_tail, 1 << 20)
            yield inflater.flush()

        data, spooled = budget.collect(chunks(), compressed_size=end - start,
                                       what="embedded PowerPoint object")
        return budget.child(part, label, data=data, path=spooled)
    return budget.child(part, label, data=stream[start:end])


# -- embedded objects ------------------------------------------------------------------

MAX_STORAGES = 10000
OFFICE_STREAMS = frozenset({"WordDocument", "Workbook", "Book", "PowerPoint Document"})
# What OLE writes into every embedded object's storage ([MS-OLEDS] 2.3): its class and
# link data, which mark the storage as an object's.
OBJECT_STREAMS = frozenset({"\x01CompObj", "\x01Ole"})


def _ole10native(part: Part, budget: Budget, raw: bytes, label: str) -> Part:
    """Unwrap an Ole10Native stream: size, type, label, path, … then the file's bytes."""
    try:
        pos = 4 + 2  # total size, then a flags word
        name_end = raw.index(b"\x00", pos)
        name = raw[pos:name_end].decode("cp1252", "replace")
        pos = raw.index(b"\x00", name_end + 1) + 1  # source path
        pos += 4  # unknown word pair
        (temp_len,) = struct.unpack_from("<I", raw, pos)
        pos += 4 + temp_len
        (size,) = struct.unpack_from("<I", raw, pos)
        pos += 4
        if pos + size > len(raw):
            raise ValueError("declared size runs past the stream")
        data = raw[pos : pos + size]
    except (ValueError, struct.error):
        # Not the "packager" layout: hand over the raw stream so it is still inspected.
        return budget.child(part, label, data=raw[4:])
    name = name.replace("/", "_").replace("\\", "_")
    return budget.child(part, f"{label}:{name}" if name else label, data=data, name=name)


def _embedded(part: Part, budget: Budget, ole: olefile.OleFileIO, prefix: list[str],
              seen: list[int], inside_object: bool = False) -> Iterator[Part | Defect]:
    """Content parts for objects embedded below storage ``prefix`` (any depth).

    ``inside_object``: below an object whose streams _unknown_streams already read.
    """
    for path, kind in _children(ole, prefix):
        seen[0] += 1
        if seen[0] > MAX_STORAGES:
            raise LimitReached("max_parts", f"more than {MAX_STORAGES} OLE storage entries")
        budget.check_time()
        name = path[-1]
        label = "/".join(path)
        if kind == olefile.STGTY_STREAM:
            if name == "\x01Ole10Native":
                yield _ole10native(part, budget, _stream(ole, path, budget), label)
            elif name in ("Package", "CONTENTS") and len(path) > 1:
                yield budget.child(part, label, data=_stream(ole, path, budget))
        elif kind == olefile.STGTY_STORAGE:
            if len(path) > 12:
                raise UnparseableContent("OLE storages are nested too deeply")
            names = _names(ole, path)
            if names & OFFICE_STREAMS:
                # An embedded Office document keeps its own storage: read it in place.
                child = budget.child(part, label)
                yield from _document(child, budget, ole, path)
            elif names & OBJECT_STREAMS and not inside_object:
                # Any other embedded object (a LibreOffice chart's package_stream, an
                # equation, an application's own streams) is read as a compound file of
                # an unknown application would be: each of its own streams typed and read.
                yield from _unknown_streams(part, budget, ole, path, seen, own_only=True)
                yield from _embedded(part, budget, ole, path, seen, inside_object=True)
                continue
            yield from _embedded(part, budget, ole, path, seen, inside_object)


# Streams every compound file may carry, read elsewhere (properties) or holding no text.
_KNOWN_STREAMS = {"\x05SummaryInformation", "\x05DocumentSummaryInformation", "\x01CompObj",
                  "\x01Ole", "\x03ObjInfo"}


def _unknown_streams(part: Part, budget: Budget, ole: olefile.OleFileIO,
                     prefix: list[str], seen: list[int], own_only: bool = False) -> Iterator[Part]:
    """Every stream below storage ``prefix`` as a content part, for the pipeline to type.

    ``own_only``: an embedded object's streams, less those whose names OLE reserves (a
    first character below a space: class and link data, the cached picture of the object).
    """
    for path, kind in _children(ole, prefix):
        seen[0] += 1
        if seen[0] > MAX_STORAGES:
            raise LimitReached("max_parts", f"more than {MAX_STORAGES} OLE storage entries")
        budget.check_time()
        name = path[-1]
        if kind == olefile.STGTY_STREAM:
            embedded = name == "\x01Ole10Native" or (name in ("Package", "CONTENTS")
                                                      and len(path) > 1)
            if name in _KNOWN_STREAMS or embedded or (own_only and name[:1] < " "):
                continue  # _embedded reads the objects
            data = _stream(ole, path, budget)
            if data:
                yield budget.child(part, "/".join(path), data=data, name=name)
        elif (kind == olefile.STGTY_STORAGE and len(path) <= 12
              and not _names(ole, path) & OFFICE_STREAMS):
            yield from _unknown_streams(part, budget, ole, path, seen, own_only)


# -- entry point -------------------------------------------------------------------------


def _document(part: Part, budget: Budget, ole: olefile.OleFileIO,
              prefix: list[str]) -> Iterator[Part | Defect]:
    """Text of the Office document stored at ``prefix`` (root: [])."""
    names = _names(ole, prefix)
    if names & {"EncryptedPackage", "EncryptionInfo"}:
        raise EncryptedContent("Office document is password-protected (encrypted package)")
    if "WordDocument" in names:
        yield from _word(part, budget, ole, prefix)
    elif names & {"Workbook", "Book"}:
        yield from _excel(part, budget, ole, prefix)
    elif "PowerPoint Document" in names:
        yield from _ppt(part, budget, ole, prefix)
    elif not prefix:
        # A compound file of an application no reader here knows (Visio, Publisher,
        # Project, an installer …): its streams are typed and read like unknown files,
        # so text in them is found and compressed content is held, not passed unread.
        yield from _unknown_streams(part, budget, ole, [], [0])
    yield from _summary(part, budget, ole, prefix)


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Text, summary properties and embedded objects of a compound (OLE2) file."""
    with part.open() as source:
        ole = _open_ole(source)
        try:
            names = _names(ole, [])
            if any(n.startswith("__substg1.0_") for n in names):
                ole.close()
                from filters.extract import msg

                yield from msg.extract(part, budget)
                return
            if "FileHeader" in names and "BodyText" in names:
                # HWP 5.0, for a libmagic that calls it a generic compound file.
                ole.close()
                from filters.extract import hwp

                yield from hwp.extract(part, budget)
                return
            try:
                yield from _document(part, budget, ole, [])
                yield from _embedded(part, budget, ole, [], [0])
            except CORRUPT as exc:
                raise UnparseableContent(f"compound (OLE2) file is damaged: {exc}") from exc
        finally:
            ole.close()
