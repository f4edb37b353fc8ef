"""Archive extractors: zip, tar, gzip/bzip2/xz and 7z yield their members with origins."""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import zipfile
import zlib

import inflate64
import pyppmd
import pytest

from filters.detect import detect_type
from filters.errors import EncryptedContent, UnparseableContent
from filters.extract import cab, compressed, sevenzip, tar
from filters.extract import zip as zip_extractor
from filters.limits import Budget, Limits
from filters.types import Defect, Part
from tests.corpus_containers.formats import cabinet, mszip_cabinet
from tests.fixtures import archives


def run(module, data: bytes, name: str, detected_type: str = "", limits: Limits | None = None):
    """Call one extractor directly; returns (content parts, text parts, defects)."""
    budget = Budget(limits or Limits())
    part = Part(origin=name, data=data, name=name, detected_type=detected_type)
    try:
        out = list(module.extract(part, budget))
    finally:
        budget.close()
    content = [p for p in out if isinstance(p, Part) and not p.is_text]
    texts = [p for p in out if isinstance(p, Part) and p.is_text]
    defects = [d for d in out if isinstance(d, Defect)]
    return content, texts, defects


# -- zip ---------------------------------------------------------------------------------


def test_zip_members_keep_order_paths_names_and_bytes():
    data = archives.zip_bytes({"annex.docx": b"first", "dir/": b"", "dir/minutes.txt": b"second"})
    content, _texts, defects = run(zip_extractor, data, "plans.zip")
    assert [p.origin for p in content] == ["plans.zip/annex.docx", "plans.zip/dir/minutes.txt"]
    assert [p.name for p in content] == ["annex.docx", "minutes.txt"]
    assert [p.data for p in content] == [b"first", b"second"]
    assert all(p.depth == 1 for p in content)
    assert content[1].declared_type == "text/plain"
    assert not defects


def test_zip_archive_and_member_comments_are_comment_text():
    data = archives.zip_bytes({"a.txt": b"x"}, comment="机密★5年 archive note".encode(),
                              member_comments={"a.txt": b"BORRADOR member note"})
    _content, texts, _defects = run(zip_extractor, data, "c.zip")
    by_origin = {p.origin: p for p in texts}
    assert by_origin["c.zip/#comment"].text == "机密★5年 archive note"
    assert by_origin["c.zip/a.txt#comment"].text == "BORRADOR member note"
    assert {p.role for p in texts} == {"comment"}


def test_zip_gbk_member_name_reads_back_as_chinese(walk):
    data = archives.gbk_named_zip("机密文件.txt", b"body words")
    info = zipfile.ZipFile(io.BytesIO(data)).infolist()[0]
    assert not info.flag_bits & 0x800  # really a legacy-encoded name
    walked = walk(data, name="win.zip")
    assert "win.zip/机密文件.txt" in walked.origins()
    assert walked.text_at("win.zip/机密文件.txt") == "body words"


def test_zip_cp437_name_that_is_not_gbk_stays_cp437():
    # "café.txt" in cp437: é is 0x82, which is neither valid UTF-8 nor CJK in GB18030.
    assert zip_extractor.decode_member_name("café.txt".encode("cp437"), "café.txt") == "café.txt"


def test_zip_unflagged_utf8_name_is_read_as_utf8():
    raw = "征求意见稿.txt".encode()
    assert zip_extractor.decode_member_name(raw, raw.decode("cp437")) == "征求意见稿.txt"


def test_zip_zipcrypto_member_is_a_defect_and_plain_member_still_extracted():
    data = archives.zipcrypto_zip(b"plain words", b"SECRET words")
    content, _texts, defects = run(zip_extractor, data, "mixed.zip")
    assert [p.origin for p in content] == ["mixed.zip/plain.txt"]
    assert [(d.rule, d.where) for d in defects] == [("extract.encrypted", "mixed.zip/secret.txt")]
    assert "password-protected" in defects[0].reason


def test_zip_aes_member_is_a_defect():
    content, _texts, defects = run(zip_extractor, archives.aes_zip(b"plain", b"SECRET"), "a.zip")
    assert [p.name for p in content] == ["plain.txt"]
    assert [d.rule for d in defects] == ["extract.encrypted"]


def test_zip_damaged_member_is_a_defect_and_others_survive():
    data = archives.corrupt_member_zip(b"good words", b"bad words " * 200)
    content, _texts, defects = run(zip_extractor, data, "c.zip")
    assert [p.data for p in content] == [b"good words"]
    assert [(d.rule, d.where) for d in defects] == [("extract.unparseable", "c.zip/bad.txt")]


def test_zip_truncated_archive_is_unparseable():
    data = archives.zip_bytes({"a.txt": b"hello " * 1000})
    with pytest.raises(UnparseableContent, match="damaged"):
        run(zip_extractor, data[: len(data) // 2], "t.zip")


def _with_method(data: bytes, name: str, method: int, compressed: bytes | None = None,
                 crc: int | None = None) -> bytes:
    """``data`` (a zip of stored members) with member ``name``'s method, data or CRC rewritten."""
    data = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name)
    central = data.find(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(name)] != name.encode():
        central = data.find(b"PK\x01\x02", central + 4)
    for header, at in ((info.header_offset, 8), (central, 10)):
        data[header + at:header + at + 2] = method.to_bytes(2, "little")
        if crc is not None:
            data[header + at + 6:header + at + 10] = crc.to_bytes(4, "little")
    if compressed is not None:
        assert len(compressed) == info.compress_size
        start = info.header_offset + 30 + len(name)
        data[start:start + len(compressed)] = compressed
    return bytes(data)


def test_zip_unsupported_method_is_a_defect_for_that_member():
    data = archives.zip_bytes({"a.txt": b"x" * 100, "b.txt": b"y"}, method=zipfile.ZIP_STORED)
    data = _with_method(data, "a.txt", 97)  # WavPack (APPNOTE 4.4.5), which Redline does not read
    content, _texts, defects = run(zip_extractor, data, "m.zip")
    assert [p.name for p in content] == ["b.txt"]
    assert [(d.rule, d.where) for d in defects] == [("extract.unparseable", "m.zip/a.txt")]
    assert "compression method 97" in defects[0].reason


def _deflate64(text: bytes) -> bytes:
    deflater = inflate64.Deflater()
    return deflater.deflate(text) + deflater.flush()


def _deflate64_zip(text: bytes, crc: int | None = None, cut: int = 0) -> bytes:
    """A zip whose member a.txt is Deflate64 (what Windows Explorer writes), then b.txt stored."""
    packed = _deflate64(text)
    packed = packed[:len(packed) - cut] + bytes(cut)
    stored = archives.zip_bytes({"a.txt": b"?" * len(packed), "b.txt": b"after"}, method=zipfile.ZIP_STORED)
    data = _with_method(stored, "a.txt", 9, packed, zlib.crc32(text) if crc is None else crc)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("a.txt")
    assert (info.compress_type, info.compress_size) == (9, len(packed))
    return data


def test_zip_deflate64_member_is_read():
    text = "机密★5年 ".encode() + b"quarterly figures " * 400
    content, _texts, defects = run(zip_extractor, _deflate64_zip(text), "d.zip")
    assert [(p.name, p.data) for p in content] == [("a.txt", text), ("b.txt", b"after")]
    assert not defects


@pytest.mark.parametrize(("crc", "cut"), [(0x1234, 0), (None, 40)], ids=["wrong crc", "cut short"])
def test_zip_damaged_deflate64_member_is_a_defect_and_others_survive(crc, cut):
    data = _deflate64_zip(b"quarterly figures " * 400, crc=crc, cut=cut)
    content, _texts, defects = run(zip_extractor, data, "d.zip")
    assert [p.name for p in content] == ["b.txt"]
    assert [(d.rule, d.where) for d in defects] == [("extract.unparseable", "d.zip/a.txt")]


def test_zip_deflate64_bomb_is_stopped_by_the_ratio_limit():
    data = _deflate64_zip(bytes(32 * 1024 * 1024))
    content, _texts, defects = run(zip_extractor, data, "b.zip", limits=Limits(ratio_floor_bytes=1024 * 1024))
    assert [(d.rule, d.where) for d in defects] == [("limit.max_ratio", "b.zip/a.txt")]
    assert [p.name for p in content] == ["b.txt"]


def _ppmd_zip(text: bytes, *, order: int = 6, megabytes: int = 16, restore: int = 0,
              crc: int | None = None, cut: int = 0, header: bytes | None = None) -> bytes:
    """A zip whose member a.txt is PPMd (method 98), written as the APPNOTE (5.10) says:
    a 2-byte header (order - 1, memory in MB - 1, restore method), then a PPMd variant I
    rev. 1 stream; then b.txt stored."""
    encoder = pyppmd.Ppmd8Encoder(order, megabytes << 20, restore)
    stream = encoder.encode(text) + encoder.flush()
    if header is None:
        header = struct.pack("<H", (order - 1) | (megabytes - 1) << 4 | restore << 12)
    packed = header + stream
    packed = packed[:len(packed) - cut]
    stored = archives.zip_bytes({"a.txt": b"?" * len(packed), "b.txt": b"after"}, method=zipfile.ZIP_STORED)
    data = _with_method(stored, "a.txt", 98, packed, zlib.crc32(text) if crc is None else crc)
    # The member's declared size is the text's (the stored placeholder's was the packed size).
    return _with_size(data, "a.txt", len(text))


def _with_size(data: bytes, name: str, size: int) -> bytes:
    """``data`` with member ``name``'s uncompressed size set to ``size`` in both headers."""
    out = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    central = out.find(b"PK\x01\x02")
    while out[central + 46:central + 46 + len(name)] != name.encode():
        central = out.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", out, info.header_offset + 22, size)
    struct.pack_into("<I", out, central + 24, size)
    return bytes(out)


@pytest.mark.parametrize(("order", "megabytes", "restore"), [(6, 16, 0), (2, 1, 1), (16, 64, 0)])
def test_zip_ppmd_member_is_read(order, megabytes, restore):
    text = "机密★5年 ".encode() + b"quarterly figures " * 4000
    data = _ppmd_zip(text, order=order, megabytes=megabytes, restore=restore)
    content, _texts, defects = run(zip_extractor, data, "p.zip")
    assert [(p.name, p.data) for p in content] == [("a.txt", text), ("b.txt", b"after")]
    assert not defects


@pytest.mark.skipif(not shutil.which("7zz"), reason="7-Zip (Debian package 7zip) is not installed")
@pytest.mark.parametrize("level", ["-mx=1", "-mx=5", "-mx=9"])
def test_zip_ppmd_member_as_7zip_writes_it_is_read(tmp_path, level):
    """7-Zip's own PPMd zip (no end mark: the stream stops at the member's size)."""
    text = ("SECRET\n" + " ".join(f"figure {n} of the quarterly plan" for n in range(20000))).encode()
    (tmp_path / "plan.txt").write_bytes(text)
    subprocess.run(["7zz", "a", "-tzip", "-mm=PPMd", level, "p.zip", "plan.txt"], cwd=tmp_path,
                   check=True, capture_output=True)
    data = (tmp_path / "p.zip").read_bytes()
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("plan.txt").compress_type == 98
    content, _texts, defects = run(zip_extractor, data, "p.zip")
    assert [(p.name, p.data) for p in content] == [("plan.txt", text)]
    assert not defects


@pytest.mark.parametrize(
    "damage",
    [{"crc": 0x1234}, {"cut": 40}, {"header": struct.pack("<H", 0x0F0)},  # order 1
     {"header": struct.pack("<H", 0x20F5)}],  # restore method 2 (not in revision 1)
    ids=["wrong crc", "cut short", "order 1", "restore method 2"],
)
def test_zip_damaged_ppmd_member_is_a_defect_and_others_survive(damage):
    data = _ppmd_zip(b"quarterly figures " * 4000, **damage)
    content, _texts, defects = run(zip_extractor, data, "p.zip")
    assert [p.name for p in content] == ["b.txt"]
    assert [(d.rule, d.where) for d in defects] == [("extract.unparseable", "p.zip/a.txt")]


def test_zip_ppmd_bomb_is_stopped_by_the_ratio_limit():
    data = _ppmd_zip(bytes(4 * 1024 * 1024))
    content, _texts, defects = run(zip_extractor, data, "b.zip", limits=Limits(ratio_floor_bytes=1024 * 1024))
    assert [(d.rule, d.where) for d in defects] == [("limit.max_ratio", "b.zip/a.txt")]
    assert [p.name for p in content] == ["b.txt"]


def test_zip_directory_entry_carrying_data_is_read():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("notes/", b"")
        archive.writestr(zipfile.ZipInfo("hidden/"), b"SECRET plans")
    content, _texts, defects = run(zip_extractor, out.getvalue(), "d.zip")
    assert [(p.origin, p.data) for p in content] == [("d.zip/hidden/", b"SECRET plans")]
    assert not defects


def test_zip_overlap_detector_quiet_on_normal_archives():
    normal = [
        archives.zip_bytes({f"f{i}.txt": os.urandom(3000) for i in range(30)}),
        archives.zip_bytes({"a/": b"", "a/b.txt": b"", "c.txt": b"x"}),
        archives.zipcrypto_zip(b"p", b"s"),
        archives.aes_zip(b"p", b"s"),
        archives.nested_zip(3, b"bottom"),
    ]
    for data in normal:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
        assert zip_extractor._overlapping(infos) == set()


def test_zip_overlapping_entries_are_a_bomb_defect():
    content, _texts, defects = run(zip_extractor, archives.overlapping_zip(entries=20), "o.zip")
    assert content == []
    assert [d.rule for d in defects] == ["limit.max_ratio"]
    assert "overlapping zip entries" in defects[0].reason


def test_zip_member_bomb_is_a_defect_and_later_members_still_extracted():
    data = archives.zip_bytes({"zeros.bin": bytes(8 * 1024 * 1024), "after.txt": b"after"})
    content, _texts, defects = run(zip_extractor, data, "b.zip",
                                   limits=Limits(ratio_floor_bytes=1024 * 1024))
    assert [(d.rule, d.where) for d in defects] == [("limit.max_ratio", "b.zip/zeros.bin")]
    assert [p.name for p in content] == ["after.txt"]


# -- tar ---------------------------------------------------------------------------------


def test_tar_regular_files_only_with_member_paths():
    data = archives.tar_bytes({"docs/a.txt": b"alpha", "b.txt": b"beta"}, extras=True)
    content, _texts, defects = run(tar, data, "x.tar")
    assert [(p.origin, p.name, p.data) for p in content] == [
        ("x.tar/docs/a.txt", "a.txt", b"alpha"), ("x.tar/b.txt", "b.txt", b"beta")]
    assert not defects


def test_tar_gbk_member_name_reads_back_as_chinese():
    content, _texts, _defects = run(tar, archives.gnu_tar_gbk("机密文件.txt", b"x"), "g.tar")
    assert [p.origin for p in content] == ["g.tar/机密文件.txt"]


def test_tar_member_behind_damaged_header_is_not_waved_through(walk):
    walked = walk(archives.tar_with_hidden_member(b"first", b"SECRET hidden"), name="h.tar")
    assert walked.text_at("h.tar/first.txt") == "first"
    assert "extract.unparseable" in walked.policy_rules()
    assert walked.verdict.action == "quarantine"


def test_tar_truncated_member_is_a_defect():
    data = archives.tar_bytes({"a.txt": b"a" * 600, "b.txt": b"b" * 5000})
    _content, _texts, defects = run(tar, data[:2048], "t.tar")
    assert [d.rule for d in defects] == ["extract.unparseable"]


def test_tar_garbage_is_unparseable():
    with pytest.raises(UnparseableContent):
        run(tar, b"\x01" * 1024, "g.tar")


def test_tar_gz_and_tar_xz_reach_their_text(walk):
    tar_data = archives.tar_bytes({"docs/notice.txt": b"DRAFT notice text"})
    gz = walk(archives.gzip_bytes(tar_data), name="bundle.tar.gz")
    assert gz.text_at("bundle.tar.gz/bundle.tar/docs/notice.txt") == "DRAFT notice text"
    xz = walk(archives.xz_bytes(tar_data), name="bundle.tar.xz")
    assert xz.text_at("bundle.tar.xz/bundle.tar/docs/notice.txt") == "DRAFT notice text"
    assert [p.detected_type for p in xz.content[:2]] == ["application/x-xz", "application/x-tar"]


# -- gzip / bzip2 / xz -------------------------------------------------------------------


def test_gzip_child_is_named_by_fname_header():
    content, _texts, _defects = run(compressed, archives.gzip_bytes(b"x", fname="report.txt"),
                                    "upload.bin", "application/gzip")
    assert [(p.origin, p.name, p.data) for p in content] == [
        ("upload.bin/report.txt", "report.txt", b"x")]


@pytest.mark.parametrize(("name", "inner"), [
    ("notes.txt.gz", "notes.txt"), ("bundle.tgz", "bundle.tar"), ("blob", "data")])
def test_gzip_without_fname_is_named_from_the_part(name, inner):
    content, _texts, _defects = run(compressed, archives.gzip_bytes(b"x"), name,
                                    "application/gzip")
    assert content[0].name == inner


def test_bzip2_and_xz_children_lose_their_suffix():
    bz, _t, _d = run(compressed, archives.bzip2_bytes(b"bz"), "a.txt.bz2", "application/x-bzip2")
    xz, _t, _d = run(compressed, archives.xz_bytes(b"xz"), "b.txz", "application/x-xz")
    assert [(bz[0].origin, bz[0].data), (xz[0].origin, xz[0].data)] == [
        ("a.txt.bz2/a.txt", b"bz"), ("b.txz/b.tar", b"xz")]


def test_truncated_gzip_yields_text_before_the_cut_and_a_defect(walk):
    text = b"".join(b"SECRET line %d %s\n" % (i, os.urandom(8).hex().encode())
                    for i in range(20000))
    data = archives.gzip_bytes(text, fname="report.txt")
    walked = walk(data[: len(data) // 2], name="report.txt.gz")
    assert "extract.unparseable" in walked.policy_rules()
    assert "truncated" in walked.verdict.hits[0].excerpt
    recovered = walked.text_at("report.txt.gz/report.txt")
    assert len(recovered) > 100_000 and text.startswith(recovered.encode()[:100_000])


def test_gzip_cut_inside_header_is_unparseable():
    with pytest.raises(UnparseableContent):
        run(compressed, archives.gzip_bytes(b"words")[:9], "x.gz", "application/gzip")


def test_damaged_gzip_data_is_unparseable():
    data = bytearray(archives.gzip_bytes(os.urandom(4000)))
    data[20:60] = b"\xff" * 40
    with pytest.raises(UnparseableContent, match="damaged"):
        run(compressed, bytes(data), "x.gz", "application/gzip")


# -- 7z ----------------------------------------------------------------------------------


def test_7z_members_with_paths_names_and_bytes():
    data = archives.sevenzip_bytes({"dir/a.txt": b"alpha", "b.bin": b"beta", "empty.txt": b""})
    content, _texts, defects = run(sevenzip, data, "x.7z")
    assert [(p.origin, p.name, p.data) for p in content] == [
        ("x.7z/dir/a.txt", "a.txt", b"alpha"), ("x.7z/b.bin", "b.bin", b"beta"),
        ("x.7z/empty.txt", "empty.txt", b"")]
    assert not defects


def test_7z_with_nested_zip_reaches_the_zip_text(walk):
    inner = archives.zip_bytes({"minutes.txt": b"CONFIDENCIAL minutes"})
    walked = walk(archives.sevenzip_bytes({"inner/pack.zip": inner}), name="outer.7z")
    assert walked.text_at("outer.7z/inner/pack.zip/minutes.txt") == "CONFIDENCIAL minutes"


@pytest.mark.parametrize("header_encryption", [False, True])
def test_7z_encrypted_is_encrypted_content(header_encryption):
    data = archives.sevenzip_bytes({"a.txt": b"SECRET"}, password="hunter2",
                                   header_encryption=header_encryption)
    with pytest.raises(EncryptedContent, match="password-protected"):
        run(sevenzip, data, "e.7z")


def test_7z_garbage_after_signature_is_unparseable():
    with pytest.raises(UnparseableContent):
        run(sevenzip, b"7z\xbc\xaf\x27\x1c" + b"garbage" * 20, "g.7z")


def test_7z_truncated_is_unparseable():
    data = archives.sevenzip_bytes({"a.bin": os.urandom(50_000)})
    with pytest.raises(UnparseableContent):
        run(sevenzip, data[: len(data) // 2], "t.7z")


def test_7z_header_declaring_too_much_is_refused_before_decompressing():
    data = archives.sevenzip_bytes({"zeros.bin": bytes(6 * 1024 * 1024)})
    with pytest.raises(Exception, match="declares") as caught:
        run(sevenzip, data, "z.7z", limits=Limits(max_part_bytes=1024 * 1024))
    assert caught.value.rule == "limit.max_part_bytes"


def test_7z_closed_early_stops_its_worker_thread():
    import threading

    data = archives.sevenzip_bytes({f"f{i}.bin": os.urandom(200_000) for i in range(5)})
    budget = Budget(Limits())
    generator = sevenzip.extract(Part(origin="x.7z", data=data), budget)
    first = next(generator)
    assert first.origin == "x.7z/f0.bin"
    generator.close()
    # Waited for, not slept on: a busy machine may take a while to schedule the thread.
    for thread in [t for t in threading.enumerate() if t.name == "redline-7z"]:
        thread.join(timeout=60)
    assert not [t for t in threading.enumerate() if t.name == "redline-7z"]
    budget.close()


def test_zip_claiming_a_future_spec_version_is_unparseable():
    data = bytearray(archives.zip_bytes({"a.txt": b"x"}))
    central = data.find(b"PK\x01\x02")
    data[central + 6] = 90  # "version needed to extract": 9.0, newer than zipfile reads
    with pytest.raises(UnparseableContent, match="unsupported"):
        run(zip_extractor, bytes(data), "v.zip")


# -- cab ---------------------------------------------------------------------------------


def test_cab_members_are_read_stored_and_mszip():
    stored = cabinet([("Open Notebook.onetoc2", bytes(64)), ("Meetings.one", "机密★5年 会议".encode())])
    content, _texts, defects = run(cab, stored, "n.onepkg")
    assert [(p.origin, p.data) for p in content] == [
        ("n.onepkg/Open Notebook.onetoc2", bytes(64)), ("n.onepkg/Meetings.one", "机密★5年 会议".encode())]
    assert not defects
    content, _texts, defects = run(cab, mszip_cabinet("notes.txt", b"SECRET\n" * 500), "x.cab")
    assert [(p.name, p.data) for p in content] == [("notes.txt", b"SECRET\n" * 500)]


def test_cab_typed_by_its_magic_and_damaged_cab_is_unparseable():
    data = mszip_cabinet("notes.txt", b"quarterly figures\n" * 50)
    assert detect_type(Part(origin="a.onepkg", data=data)) == "application/vnd.ms-cab-compressed"
    with pytest.raises(UnparseableContent):
        run(cab, data[:60], "cut.cab")
