"""Writers for the wrappings no installed library writes, each from its public specification.

Compound files (MS-CFB) for Outlook .msg (MS-OXMSG) and OLE objects (MS-OLEDS), TNEF
(MS-OXTNEF), zip members with raw names, any method number and PKWARE's traditional
encryption (APPNOTE.TXT), EMF (MS-EMF) and WMF (MS-WMF) text records, PDFs with embedded
files and portfolios (ISO 32000-1 7.11, 12.3.5), cabinet files (MS-CAB, stored folders)
and OpenPGP packets (RFC 4880). None of it reads Redline's code.
"""

from __future__ import annotations

import base64
import os
import struct
import zlib

ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF


# --- MS-CFB: compound file, version 3 (512-byte sectors) ------------------------------------


def compound_file(streams: dict[str, bytes], root_clsid: bytes = bytes(16)) -> bytes:
    """A compound file holding ``streams`` keyed by '/'-separated paths (storages implied)."""
    # Build the tree of storages.
    tree: dict = {}
    for path, data in streams.items():
        node = tree
        parts = path.split("/")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = data
    entries: list[dict] = [{"name": "Root Entry", "type": 5, "children": tree, "clsid": root_clsid}]

    def add(node: dict) -> list[int]:
        ids = []
        for name, value in node.items():
            entry = {"name": name, "type": 1 if isinstance(value, dict) else 2, "clsid": bytes(16)}
            entries.append(entry)
            ids.append(len(entries) - 1)
            if isinstance(value, dict):
                entry["child_ids"] = add(value)
            else:
                entry["data"] = value
        return ids

    entries[0]["child_ids"] = add(tree)

    # Small streams go to the mini stream (64-byte sectors), the others to regular sectors.
    mini = bytearray()
    minifat: list[int] = []
    big: list[tuple[dict, bytes]] = []
    for entry in entries:
        data = entry.get("data")
        if data is None:
            continue
        entry["size"] = len(data)
        if len(data) < 4096:
            if not data:
                entry["start"] = ENDOFCHAIN
                continue
            first = len(mini) // 64
            count = (len(data) + 63) // 64
            mini += data + bytes(count * 64 - len(data))
            minifat += [first + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]
            entry["start"] = first
        else:
            big.append((entry, data))

    sectors: list[bytes] = []
    fat: list[int] = []

    def place(data: bytes) -> int:
        count = max(1, (len(data) + 511) // 512)
        first = len(sectors)
        padded = data + bytes(count * 512 - len(data))
        for i in range(count):
            sectors.append(padded[i * 512 : (i + 1) * 512])
            fat.append(first + i + 1 if i < count - 1 else ENDOFCHAIN)
        return first

    for entry, data in big:
        entry["start"] = place(data)
    root = entries[0]
    if mini:
        root["start"] = place(bytes(mini))
        root["size"] = len(mini)
    else:
        root["start"], root["size"] = ENDOFCHAIN, 0
    minifat_start = place(b"".join(struct.pack("<I", v) for v in minifat)) if minifat else ENDOFCHAIN
    minifat_count = (len(minifat) * 4 + 511) // 512

    # Siblings as a chain of right children, in the order the spec compares names.
    def key(entry_id: int) -> tuple[int, str]:
        name = entries[entry_id]["name"]
        return len(name), name.upper()

    for entry in entries:
        kids = sorted(entry.get("child_ids", []), key=key)
        entry["child"] = kids[0] if kids else NOSTREAM
        for a, b in zip(kids, [*kids[1:], NOSTREAM], strict=False):
            entries[a]["right"] = b
    directory = bytearray()
    for entry in entries:
        name = entry["name"].encode("utf-16-le") + b"\0\0"
        directory += name.ljust(64, b"\0")
        directory += struct.pack("<HBB", len(name), entry["type"], 1)
        directory += struct.pack("<III", NOSTREAM, entry.get("right", NOSTREAM), entry.get("child", NOSTREAM))
        directory += entry["clsid"] + bytes(4 + 16)
        directory += struct.pack(
            "<IQ", entry.get("start", ENDOFCHAIN) if entry["type"] != 1 else 0, entry.get("size", 0)
        )
    directory_start = place(bytes(directory))

    # FAT sectors describe themselves too.
    fat_count = 1
    while (len(fat) + fat_count) > fat_count * 128:
        fat_count += 1
    fat_start = len(sectors)
    fat += [FATSECT] * fat_count
    fat += [FREESECT] * (fat_count * 128 - len(fat))
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat)
    assert fat_count <= 109
    difat = [fat_start + i for i in range(fat_count)] + [FREESECT] * (109 - fat_count)
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack(
            "<IIIIIIIII", 0, fat_count, directory_start, 0, 4096, minifat_start, minifat_count, ENDOFCHAIN, 0
        )
        + b"".join(struct.pack("<I", v) for v in difat)
    )
    assert len(header) == 512
    return header + b"".join(sectors) + fat_bytes


# --- MS-OXMSG: Outlook .msg -----------------------------------------------------------------


def _msg_properties(props: list[tuple[int, int, bytes]], header: bytes) -> tuple[bytes, dict[str, bytes]]:
    """The property stream and the substreams of (tag id, type, value) properties."""
    stream = bytearray(header)
    substreams = {}
    for prop_id, prop_type, value in props:
        tag = (prop_id << 16) | prop_type
        if prop_type in (0x001F, 0x0102, 0x001E):
            substreams[f"__substg1.0_{tag:08X}"] = value
            size = len(value) + (2 if prop_type == 0x001F else 0)
            stream += struct.pack("<IIII", tag, 6, size, 0)
        else:
            stream += struct.pack("<II", tag, 6) + value.ljust(8, b"\0")
    return bytes(stream), substreams


def outlook_msg(subject: str, body: str, attachments: list[tuple[str, bytes]] = ()) -> bytes:
    """An Outlook message file (IPM.Note) with a Unicode subject, body and file attachments."""

    def utf16(text: str) -> bytes:
        return text.encode("utf-16-le")

    props = [
        (0x001A, 0x001F, utf16("IPM.Note")),
        (0x0037, 0x001F, utf16(subject)),
        (0x0E1D, 0x001F, utf16(subject)),
        (0x1000, 0x001F, utf16(body)),
        (0x0C1A, 0x001F, utf16("A. Sender")),
        (0x0E07, 0x0003, struct.pack("<I", 1)),
    ]
    top_header = struct.pack("<QIIII", 0, 1, len(attachments), 1, len(attachments)) + bytes(8)
    stream, subs = _msg_properties(props, top_header)
    streams = {"__properties_version1.0": stream, **subs}
    recip, recip_subs = _msg_properties(
        [
            (0x3001, 0x001F, utf16("B. Recipient")),
            (0x3003, 0x001F, utf16("b@example.org")),
            (0x0C15, 0x0003, struct.pack("<I", 1)),
        ],
        bytes(8),
    )
    streams["__recip_version1.0_#00000000/__properties_version1.0"] = recip
    for name, data in recip_subs.items():
        streams[f"__recip_version1.0_#00000000/{name}"] = data
    for number, (filename, data) in enumerate(attachments):
        att, att_subs = _msg_properties(
            [
                (0x3707, 0x001F, utf16(filename)),
                (0x3704, 0x001F, utf16(filename[:8])),
                (0x3701, 0x0102, data),
                (0x3705, 0x0003, struct.pack("<I", 1)),
                (0x0E21, 0x0003, struct.pack("<I", number)),
            ],
            bytes(8),
        )
        folder = f"__attach_version1.0_#{number:08X}"
        streams[f"{folder}/__properties_version1.0"] = att
        for name, value in att_subs.items():
            streams[f"{folder}/{name}"] = value
    streams["__nameid_version1.0/__substg1.0_00020102"] = b""
    streams["__nameid_version1.0/__substg1.0_00030102"] = b""
    streams["__nameid_version1.0/__substg1.0_00040102"] = b""
    return compound_file(streams)


def outlook_msg_with_item(subject: str, body: str, item_subject: str, item_body: str) -> bytes:
    """An Outlook message with another message attached as an item (PR_ATTACH_METHOD 5, MS-OXMSG 2.2.2.1)."""

    def utf16(text: str) -> bytes:
        return text.encode("utf-16-le")

    top = struct.pack("<QIIII", 0, 0, 1, 0, 1) + bytes(8)
    stream, subs = _msg_properties(
        [
            (0x001A, 0x001F, utf16("IPM.Note")),
            (0x0037, 0x001F, utf16(subject)),
            (0x1000, 0x001F, utf16(body)),
        ],
        top,
    )
    streams = {"__properties_version1.0": stream, **subs}
    folder = "__attach_version1.0_#00000000"
    att, att_subs = _msg_properties(
        [
            (0x3707, 0x001F, utf16(item_subject)),
            (0x3705, 0x0003, struct.pack("<I", 5)),
            (0x0E21, 0x0003, struct.pack("<I", 0)),
        ],
        bytes(8),
    )
    streams[f"{folder}/__properties_version1.0"] = att
    streams.update({f"{folder}/{name}": value for name, value in att_subs.items()})
    inner = f"{folder}/__substg1.0_3701000D"
    item, item_subs = _msg_properties(
        [
            (0x001A, 0x001F, utf16("IPM.Note")),
            (0x0037, 0x001F, utf16(item_subject)),
            (0x1000, 0x001F, utf16(item_body)),
        ],
        struct.pack("<QIIII", 0, 0, 0, 0, 0),
    )
    streams[f"{inner}/__properties_version1.0"] = item
    streams.update({f"{inner}/{name}": value for name, value in item_subs.items()})
    for kind in ("00020102", "00030102", "00040102"):
        streams[f"__nameid_version1.0/__substg1.0_{kind}"] = b""
    return compound_file(streams)


def outlook_msg_rich(subject: str, rtf_compressed: bytes | None = None, html: bytes | None = None) -> bytes:
    """An Outlook message whose body is only compressed RTF (PR_RTF_COMPRESSED) or only HTML (PR_HTML)."""
    props = [(0x001A, 0x001F, "IPM.Note".encode("utf-16-le")), (0x0037, 0x001F, subject.encode("utf-16-le"))]
    if rtf_compressed is not None:
        props.append((0x1009, 0x0102, rtf_compressed))
    if html is not None:
        props.append((0x1013, 0x0102, html))
    stream, subs = _msg_properties(props, struct.pack("<QIIII", 0, 0, 0, 0, 0) + bytes(8))
    streams = {"__properties_version1.0": stream, **subs}
    for kind in ("00020102", "00030102", "00040102"):
        streams[f"__nameid_version1.0/__substg1.0_{kind}"] = b""
    return compound_file(streams)


# --- MS-OLEDS: an embedded file as an OLE Package object ------------------------------------


def ole_package_native(label: str, data: bytes) -> bytes:
    """The Ole10Native payload of a Package object (without its leading size)."""
    path = f"C:\\Users\\a\\Documents\\{label}".encode("cp1252") + b"\0"
    return (
        struct.pack("<H", 2)
        + label.encode("cp1252")
        + b"\0"
        + path
        + struct.pack("<I", 0x00030000)
        + struct.pack("<I", len(path))
        + path
        + struct.pack("<I", len(data))
        + data
    )


def ole_package_object(label: str, data: bytes) -> bytes:
    """oleObject1.bin as Office writes it for a file inserted as an object (Package)."""
    native = ole_package_native(label, data)
    package_clsid = bytes.fromhex("0c00030000000000c000000000000046")
    comp_obj = (
        struct.pack("<HHI", 1, 0xFFFE, 0x0A03)
        + bytes.fromhex("ffffffff")
        + package_clsid
        + struct.pack("<I", 8)
        + b"Package\0"
        + struct.pack("<I", 8)
        + b"Package\0"
        + struct.pack("<I", 8)
        + b"Package\0"
        + struct.pack("<I", 0x71B239F4)
    )
    return compound_file(
        {
            "\x01Ole10Native": struct.pack("<I", len(native)) + native,
            "\x01CompObj": comp_obj,
            "\x01Ole": struct.pack("<IIII", 0x02000001, 0, 0, 0),
        },
        root_clsid=package_clsid,
    )


def ole1_package(label: str, data: bytes) -> bytes:
    """An OLE 1.0 embedded Package object, as RTF's \\objdata carries it."""
    native = ole_package_native(label, data)
    return (
        struct.pack("<II", 0x00000501, 2)
        + struct.pack("<I", 8)
        + b"Package\0"
        + struct.pack("<II", 0, 0)
        + struct.pack("<I", len(native))
        + native
    )


# --- MS-OXTNEF: winmail.dat -----------------------------------------------------------------


def _tnef_attribute(level: int, attr_id: int, data: bytes) -> bytes:
    return struct.pack("<BII", level, attr_id, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)


def tnef(body: str, attachments: list[tuple[str, bytes]]) -> bytes:
    """A winmail.dat with a plain body and file attachments (legacy attributes)."""
    out = struct.pack("<IH", 0x223E9F78, 0x1234)
    out += _tnef_attribute(1, 0x00089006, struct.pack("<I", 0x00010000))  # attTnefVersion
    out += _tnef_attribute(1, 0x00069007, struct.pack("<II", 1252, 0))  # attOemCodepage
    out += _tnef_attribute(1, 0x00078008, b"IPM.Microsoft Mail.Note\0")  # attMessageClass
    out += _tnef_attribute(1, 0x00018004, b"Quarterly figures\0")  # attSubject
    out += _tnef_attribute(1, 0x0002800C, body.encode("cp1252") + b"\0")  # attBody
    for filename, data in attachments:
        out += _tnef_attribute(
            2, 0x00069002, struct.pack("<HIHHI", 1, 0xFFFFFFFF, 0, 0, 0)
        )  # attAttachRendData
        out += _tnef_attribute(2, 0x00018010, filename.encode("cp1252") + b"\0")  # attAttachTitle
        out += _tnef_attribute(2, 0x0006800F, data)  # attAttachData
    return out


def tnef_rtf_body(rtf_compressed: bytes) -> bytes:
    """A winmail.dat whose body is only compressed RTF among the message's MAPI properties (attMsgProps)."""
    value = struct.pack("<HHII", 0x0102, 0x1009, 1, len(rtf_compressed)) + rtf_compressed
    value += bytes(-len(value) % 4)
    out = struct.pack("<IH", 0x223E9F78, 0x0001)
    out += _tnef_attribute(1, 0x00089006, struct.pack("<I", 0x00010000))
    out += _tnef_attribute(1, 0x00069007, struct.pack("<II", 1252, 0))
    out += _tnef_attribute(1, 0x00078008, b"IPM.Microsoft Mail.Note\0")
    out += _tnef_attribute(1, 0x00069003, struct.pack("<I", 1) + value)  # attMsgProps
    return out


# --- APPNOTE.TXT: zip members written by hand -----------------------------------------------

_CRC_TABLE = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0xEDB88320 if _c & 1 else _c >> 1
    _CRC_TABLE.append(_c)


class _ZipCrypto:
    """PKWARE's traditional encryption (APPNOTE 6.1)."""

    def __init__(self, password: bytes) -> None:
        self.keys = [0x12345678, 0x23456789, 0x34567890]
        for byte in password:
            self._update(byte)

    def _crc(self, crc: int, byte: int) -> int:
        return _CRC_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)

    def _update(self, byte: int) -> None:
        k0, k1, k2 = self.keys
        k0 = self._crc(k0, byte)
        k1 = ((k1 + (k0 & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        k2 = self._crc(k2, k1 >> 24)
        self.keys = [k0, k1, k2]

    def encrypt(self, data: bytes) -> bytes:
        out = bytearray()
        for byte in data:
            temp = (self.keys[2] | 2) & 0xFFFF
            out.append(byte ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
            self._update(byte)
        return bytes(out)


def raw_zip(
    members: list[tuple[bytes, bytes]],
    method: int = 8,
    utf8_flag: bool = False,
    password: bytes | None = None,
) -> bytes:
    """A zip of (raw name bytes, data): method 0 stored, 8 deflate, 9 deflate64, 12 bzip2,
    98 PPMd (APPNOTE 5.10: a 2-byte header, order 6 - 1, 16 MB - 1, restore method 0,
    then a PPMd variant I rev. 1 stream)."""
    import bz2

    import inflate64

    local = bytearray()
    central = bytearray()
    for name, data in members:
        crc = zlib.crc32(data)
        if method == 0:
            packed = data
        elif method == 8:
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            packed = packer.compress(data) + packer.flush()
        elif method == 9:
            deflater = inflate64.Deflater()
            packed = deflater.deflate(data) + deflater.flush()
        elif method == 12:
            packed = bz2.compress(data)
        elif method == 98:
            import pyppmd

            encoder = pyppmd.Ppmd8Encoder(6, 16 << 20, 0)
            header = struct.pack("<H", (6 - 1) | (16 - 1) << 4 | 0 << 12)
            packed = header + encoder.encode(data) + encoder.flush()
        else:
            raise ValueError(method)
        flags = 0x800 if utf8_flag else 0
        if password is not None:
            flags |= 1
            cipher = _ZipCrypto(password)
            head = os.urandom(11) + bytes([crc >> 24])
            packed = cipher.encrypt(head) + cipher.encrypt(packed)
        version = {12: 46, 9: 21, 98: 63}.get(method, 20)
        fields = struct.pack("<HHHHHIII", version, flags, method, 0x6000, 0x5A21, crc, len(packed), len(data))
        offset = len(local)
        local += b"PK\x03\x04" + fields + struct.pack("<HH", len(name), 0) + name + packed
        central += (
            b"PK\x01\x02"
            + struct.pack("<H", 0x031E)
            + fields
            + struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0o100644 << 16, offset)
            + name
        )
    end = b"PK\x05\x06" + struct.pack(
        "<HHHHIIH", 0, 0, len(members), len(members), len(central), len(local), 0
    )
    return bytes(local + central + end)


def zeros_bomb(name: bytes, gib: float = 1.0) -> bytes:
    """One deflated member of ``gib`` GiB of zeros (about 1 MB per GiB), built without inflating it."""
    chunk_size = 1 << 20
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(bytes(chunk_size)) + packer.flush(zlib.Z_FULL_FLUSH)
    count = int(gib * 1024)
    zeros = bytes(chunk_size)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    packed = block * count + b"\x03\x00"
    size = count * chunk_size
    fields = struct.pack("<HHHHHIII", 20, 0, 8, 0x6000, 0x5A21, crc, len(packed), size & 0xFFFFFFFF)
    if size > 0xFFFFFFFF:
        raise ValueError("keep under 4 GiB (no zip64 here)")
    local = b"PK\x03\x04" + fields + struct.pack("<HH", len(name), 0) + name + packed
    central = (
        b"PK\x01\x02"
        + struct.pack("<H", 0x031E)
        + fields
        + struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0o100644 << 16, 0)
        + name
    )
    return local + central + b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 1, 1, len(central), len(local), 0)


# --- MS-EMF and MS-WMF: pictures with text records ------------------------------------------


def emf(lines: list[str]) -> bytes:
    """An enhanced metafile that draws ``lines`` with EMR_EXTTEXTOUTW records."""
    records = []
    for row, text in enumerate(lines):
        chars = text.encode("utf-16-le")
        chars += bytes((-len(chars)) % 4)
        dx = struct.pack(f"<{len(text)}I", *([20] * len(text)))
        fixed = 76
        body = (
            struct.pack("<4i", 0, 0, -1, -1)
            + struct.pack("<Iff", 1, 0.0, 0.0)
            + struct.pack("<ii", 100, 100 + 40 * row)
            + struct.pack("<III", len(text), fixed, 0)
            + struct.pack("<4i", 0, 0, -1, -1)
            + struct.pack("<I", fixed + len(chars))
        )
        size = 8 + len(body) + len(chars) + len(dx)
        records.append(struct.pack("<II", 84, size) + body + chars + dx)
    eof = struct.pack("<IIIII", 14, 20, 0, 16, 20)
    total = 88 + sum(map(len, records)) + len(eof)
    header = (
        struct.pack("<II", 1, 88)
        + struct.pack("<4i", 0, 0, 800, 600)
        + struct.pack("<4i", 0, 0, 21000, 15000)
        + struct.pack("<IIII", 0x464D4520, 0x10000, total, len(records) + 2)
        + struct.pack("<HHIII", 1, 0, 0, 0, 0)
        + struct.pack("<ii", 1920, 1080)
        + struct.pack("<ii", 508, 286)
    )
    return header + b"".join(records) + eof


def wmf(lines: list[str]) -> bytes:
    """A placeable Windows metafile that draws ``lines`` with META_TEXTOUT and META_EXTTEXTOUT."""
    records = []
    for row, text in enumerate(lines):
        raw = text.encode("cp1252")
        padded = raw + bytes(len(raw) % 2)
        if row % 2 == 0:  # META_TEXTOUT
            words = 3 + 1 + len(padded) // 2 + 2
            records.append(
                struct.pack("<IHH", words, 0x0521, len(raw))
                + padded
                + struct.pack("<hh", 100 + 40 * row, 100)
            )
        else:  # META_EXTTEXTOUT without a clipping rectangle
            words = 3 + 4 + len(padded) // 2
            records.append(struct.pack("<IHhhHH", words, 0x0A32, 100 + 40 * row, 100, len(raw), 0) + padded)
    eof = struct.pack("<IH", 3, 0)
    body = b"".join(records) + eof
    size_words = (18 + len(body)) // 2
    max_record = max(len(r) for r in records) // 2
    header = struct.pack("<HHHIHIH", 1, 9, 0x0300, size_words, 0, max_record, 0)
    place = struct.pack("<IHhhhhHI", 0x9AC6CDD7, 0, 0, 0, 800, 600, 1440, 0)
    checksum = 0
    for (word,) in struct.iter_unpack("<H", place[:20]):
        checksum ^= word
    place += struct.pack("<H", checksum)
    return place + header + body


# --- ISO 32000: PDFs written object by object -----------------------------------------------


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(dictionary: str, data: bytes) -> bytes:
    return f"<< {dictionary} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def pdf_with_files(page_text: str, files: list[tuple[str, str, bytes]], portfolio: bool = False) -> bytes:
    """A one-page PDF carrying (name, media type, data) files in its EmbeddedFiles name tree.

    With ``portfolio`` the catalog has a Collection dictionary: readers show the files, not the page.
    """
    content = f"BT /F1 12 Tf 72 720 Td ({page_text}) Tj ET".encode("latin-1")
    objects: list[bytes] = [
        b"",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        _stream("", content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    names = []
    for name, media_type, data in files:
        packed = zlib.compress(data)
        subtype = media_type.replace("/", "#2F")
        objects.append(
            _stream(
                f"/Type /EmbeddedFile /Subtype /{subtype} /Filter /FlateDecode "
                f"/Params << /Size {len(data)} >>",
                packed,
            )
        )
        stream_ref = len(objects)
        objects.append(
            f"<< /Type /Filespec /F ({name}) /UF ({name}) /Desc (attachment) "
            f"/EF << /F {stream_ref} 0 R /UF {stream_ref} 0 R >> >>".encode()
        )
        names.append(f"({name}) {len(objects)} 0 R")
    catalog = f"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [{' '.join(names)}] >> >>"
    if portfolio:
        catalog += " /Collection << /Type /Collection /View /D >> /PageMode /UseAttachments"
    objects[0] = (catalog + " >>").encode()
    return _pdf(objects)


def pdf_with_annotation_file(page_text: str, name: str, data: bytes) -> bytes:
    """A one-page PDF whose file hangs on a FileAttachment annotation (a paperclip), not the name tree."""
    content = f"BT /F1 12 Tf 72 720 Td ({page_text}) Tj ET".encode("latin-1")
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots [6 0 R] >>",
            _stream("", content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Annot /Subtype /FileAttachment /Rect [72 600 90 620] /Name /PushPin /FS 7 0 R >>",
            f"<< /Type /Filespec /F ({name}) /UF ({name}) /EF << /F 8 0 R >> >>".encode(),
            _stream("/Type /EmbeddedFile /Filter /FlateDecode", zlib.compress(data)),
        ]
    )


# --- MS-CAB: a stored (uncompressed) cabinet ------------------------------------------------


def cabinet(files: list[tuple[str, bytes]]) -> bytes:
    """A cabinet with one uncompressed folder holding ``files`` (blocks of 32 KiB, the last shorter)."""
    entries = bytearray()
    offset = 0
    for name, data in files:
        entries += struct.pack("<IIHHHH", len(data), offset, 0, 0x5A21, 0x6000, 0x20)
        entries += name.encode("cp1252") + b"\0"
        offset += len(data)
    stream = b"".join(data for _, data in files)
    chunks = [stream[i : i + 32768] for i in range(0, len(stream), 32768)]
    blocks = b"".join(struct.pack("<IHH", 0, len(chunk), len(chunk)) + chunk for chunk in chunks)
    first_file = 36 + 8  # CFHEADER, one CFFOLDER
    data_start = first_file + len(entries)
    total = data_start + len(blocks)
    header = b"MSCF" + struct.pack(
        "<IIIIIBBHHHHH", 0, total, 0, first_file, 0, 3, 1, 1, len(files), 0, 0x1234, 0
    )
    folder = struct.pack("<IHH", data_start, len(chunks), 0)
    return header + folder + bytes(entries) + blocks


def mszip_cabinet(name: str, data: bytes) -> bytes:
    """A cabinet of one MSZIP folder (each block "CK" and raw deflate), as makecab writes (data < 32 KiB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = b"CK" + packer.compress(data) + packer.flush()
    entry = struct.pack("<IIHHHH", len(data), 0, 0, 0x5A21, 0x6000, 0x20) + name.encode("cp1252") + b"\0"
    data_start = 36 + 8 + len(entry)
    cfdata = struct.pack("<IHH", 0, len(block), len(data)) + block
    header = b"MSCF" + struct.pack(
        "<IIIIIBBHHHHH", 0, data_start + len(cfdata), 0, 44, 0, 3, 1, 1, 1, 0, 1, 0
    )
    return header + struct.pack("<IHH", data_start, 1, 1) + entry + cfdata


# --- OneNote: a section file's header and its text as UTF-16 --------------------------------


def onenote_section(text: str) -> bytes:
    """A file with OneNote's revision-store header GUIDs (MS-ONESTORE 2.3.1) and UTF-16 text.

    Not a complete revision store: what matters is that a reader meets a .one file whose page
    text is stored as UTF-16 inside binary structures.
    """
    guid_file_type = bytes.fromhex("E4525C7B8CD8A74DAEB15378D02996D3")
    guid_format = bytes.fromhex("3FDD9A10 1B91F549 A5D01791 EDC8AED8".replace(" ", ""))
    header = guid_file_type + bytes.fromhex("5B1E0C3A9F2D4E7B8A6C1D0E2F3A4B5C") + bytes(16) + guid_format
    header += struct.pack("<IIII", 0x2A, 0x2A, 0x2A, 0x2A)
    header = header.ljust(1024, b"\0")
    blob = bytearray()
    for line in text.splitlines():
        encoded = line.encode("utf-16-le")
        # The next property: a 32-bit value and a reference of two 32-bit numbers (MS-ONE 2.6).
        blob += struct.pack("<I", len(encoded)) + encoded + struct.pack("<III", 0x1C001C30, 3, 0x14)
    return header + bytes(blob) + bytes(512)


# --- RFC 4880: an OpenPGP message nobody here can decrypt ------------------------------------


def _crc24(data: bytes) -> int:
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def pgp_message(size: int = 300) -> str:
    """An armoured public-key-encrypted message: a PKESK (RSA) packet then a SEIPD packet."""
    pkesk_body = bytes([3]) + os.urandom(8) + bytes([1]) + struct.pack(">H", 2048) + os.urandom(256)
    pkesk = bytes([0xC0 | 1, 0xFF]) + struct.pack(">I", len(pkesk_body)) + pkesk_body
    seipd_body = bytes([1]) + os.urandom(size)
    seipd = bytes([0xC0 | 18, 0xFF]) + struct.pack(">I", len(seipd_body)) + seipd_body
    packets = pkesk + seipd
    armour = base64.b64encode(packets).decode()
    lines = [armour[i : i + 64] for i in range(0, len(armour), 64)]
    crc = base64.b64encode(struct.pack(">I", _crc24(packets))[1:]).decode()
    return "-----BEGIN PGP MESSAGE-----\n\n" + "\n".join(lines) + f"\n={crc}\n-----END PGP MESSAGE-----\n"


# --- A Windows program (PE/COFF, Microsoft's "PE Format" page) with data after it -----------


def pe_program(overlay: bytes = b"") -> bytes:
    """A minimal 32-bit Windows program: DOS header, PE signature, COFF header, optional
    header (PE32, 16 data directories), one .text section of 512 bytes of ``ret``; then
    ``overlay`` after the image's end, where a self-extracting archive keeps its archive."""
    dos = bytearray(0x80)
    dos[0:2] = b"MZ"
    dos[0x3C:0x40] = struct.pack("<I", 0x80)
    dos[0x40:0x40 + 39] = b"This program cannot be run in DOS mode."
    coff = struct.pack("<HHIIIHH", 0x14C, 1, 0x5A21_0000, 0, 0, 224, 0x0102)
    optional = bytearray(224)
    struct.pack_into("<HBBIIIIII", optional, 0, 0x10B, 14, 0, 0x200, 0, 0, 0x1000, 0x1000, 0x2000)
    struct.pack_into("<IIIHHHHHHIIIIHH", optional, 28, 0x400000, 0x1000, 0x200, 6, 0, 0, 0, 6, 0,
                     0, 0x2000, 0x200, 0, 2, 0)
    struct.pack_into("<I", optional, 92, 16)  # NumberOfRvaAndSizes
    section = struct.pack("<8sIIIIIIHHI", b".text", 0x200, 0x1000, 0x200, 0x200, 0, 0, 0, 0, 0x60000020)
    headers = bytes(dos) + b"PE\0\0" + coff + bytes(optional) + section
    headers += bytes(0x200 - len(headers))
    return headers + b"\xc3" * 0x200 + overlay


# --- RAR 5.0 (RARLAB's "RAR 5.0 archive format"), one stored file ----------------------------


def _vint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _rar_block(kind: int, flags: int, body: bytes, data_size: int | None = None) -> bytes:
    fields = _vint(kind) + _vint(flags) + (_vint(data_size) if data_size is not None else b"") + body
    header = _vint(len(fields)) + fields
    return struct.pack("<I", zlib.crc32(header)) + header


def rar5_stored(name: str, data: bytes) -> bytes:
    """A RAR 5 archive holding ``data`` stored (method 0) as ``name``."""
    signature = b"Rar!\x1a\x07\x01\x00"
    main = _rar_block(1, 0, _vint(0))
    file_body = (_vint(0x0004) + _vint(len(data)) + _vint(0x20) + struct.pack("<I", zlib.crc32(data))
                 + _vint(0) + _vint(0) + _vint(len(name.encode())) + name.encode())
    file_block = _rar_block(2, 0x0002, file_body, data_size=len(data)) + data
    end = _rar_block(5, 0, _vint(0))
    return signature + main + file_block + end
