"""Range bookkeeping and the on-disk spool of uploads in pieces (Content-Range, tus)."""

from __future__ import annotations

import os

import pytest

from gateway.web.ranged_uploads import (
    BadPiece,
    Piece,
    PiecesFull,
    PieceStore,
    add_range,
    describe_gaps,
    filename_of,
    missing,
    piece_of,
    upload_key,
)

URL = "https://www.googleapis.com/upload/drive/v3/files?uploadType=resumable&upload_id=abc"


def test_content_range_piece_with_known_and_unknown_total():
    assert piece_of("PUT", [("Content-Range", "bytes 0-9/30")], 10) == \
        Piece(0, 10, 30, "content-range")
    assert piece_of("PUT", [("content-range", "bytes 10-19/*")], 10) == \
        Piece(10, 20, None, "content-range")
    assert piece_of("PATCH", [("Content-Range", "bytes 20-29/30")], 10).end == 30


def test_a_status_query_and_a_get_are_no_pieces():
    assert piece_of("PUT", [("Content-Range", "bytes */30")], 0) is None
    assert piece_of("GET", [("Content-Range", "bytes 0-9/30")], 10) is None
    assert piece_of("POST", [("Content-Type", "text/plain")], 10) is None


@pytest.mark.parametrize("value, size", [
    ("bytes 0-9/30", 9),  # body shorter than the range: a client hiding bytes
    ("bytes 9-0/30", 10),  # backwards
    ("bytes 0-30/30", 31),  # past the total
    ("items 0-9/30", 10),
    ("bytes 0x0-9/30", 10),
    ("bytes -1-9/30", 11),
])
def test_contradictory_content_range_is_refused_with_the_reason(value, size):
    with pytest.raises(BadPiece, match="Content-Range"):
        piece_of("PUT", [("Content-Range", value)], size)


def test_tus_patch_with_and_without_its_length():
    assert piece_of("PATCH", [("Upload-Offset", "100"), ("Upload-Length", "300")], 100) == \
        Piece(100, 200, 300, "tus")
    assert piece_of("PATCH", [("Upload-Offset", "0")], 100) == Piece(0, 100, None, "tus")
    with pytest.raises(BadPiece):
        piece_of("PATCH", [("Upload-Offset", "250"), ("Upload-Length", "300")], 100)
    with pytest.raises(BadPiece):
        piece_of("PATCH", [("Upload-Offset", "-5")], 100)


def test_ranges_merge_overlaps_duplicates_and_out_of_order_pieces():
    ranges: list[tuple[int, int]] = []
    for start, end in [(20, 30), (0, 10), (0, 10), (5, 15), (15, 20)]:
        ranges = add_range(ranges, start, end)
    assert ranges == [(0, 30)]
    assert add_range([(0, 10)], 20, 30) == [(0, 10), (20, 30)]
    assert add_range([(0, 10), (20, 30)], 10, 20) == [(0, 30)]
    assert add_range([(0, 10)], 5, 5) == [(0, 10)]  # an empty piece adds nothing


def test_missing_names_every_gap():
    assert missing([(10, 20), (25, 30)], 40) == [(0, 10), (20, 25), (30, 40)]
    assert missing([(0, 40)], 40) == []
    assert missing([], 5) == [(0, 5)]
    assert describe_gaps([(0, 10), (20, 25)]) == "bytes 0-9, 20-24"


def test_file_name_from_disposition_tus_metadata_or_path():
    assert filename_of([("Content-Disposition", 'attachment; filename="plan.docx"')], "/x") == \
        "plan.docx"
    assert filename_of([("Upload-Metadata", "filetype dGV4dA==,filename cGxhbi5kb2N4")],
                       "/files/1") == "plan.docx"
    assert filename_of([], "/upload/report.pdf") == "report.pdf"
    assert filename_of([], "/files/8f3a") == ""


def test_key_separates_users_and_session_urls():
    assert upload_key("alice", URL) == upload_key("alice", URL)
    assert upload_key("alice", URL) != upload_key("bob", URL)
    assert upload_key("alice", URL) != upload_key("alice", URL.replace("abc", "abd"))


def store(tmp_path, **kw) -> PieceStore:
    return PieceStore(tmp_path / "pieces", **{"max_bytes": 1000, "max_uploads": 3,
                                              "idle_seconds": 3600, **kw})


def test_pieces_out_of_order_and_duplicated_assemble_the_file(tmp_path):
    pieces = store(tmp_path)
    data = bytes(range(90))
    first = pieces.add("alice", URL, Piece(60, 90, 90, "content-range"), data[60:],
                       name="a.bin", content_type="", now=0)
    assert not first.complete and first.reaches_end and first.gaps == ((0, 60),)
    assert not pieces.add("alice", URL, Piece(0, 30, 90, "content-range"), data[:30],
                          name="", content_type="", now=1).complete
    again = pieces.add("alice", URL, Piece(0, 30, 90, "content-range"), data[:30],
                       name="", content_type="", now=2)
    assert not again.complete and not again.conflict
    body = tmp_path / "middle"
    body.write_bytes(data[30:60])
    done = pieces.add("alice", URL, Piece(30, 60, 90, "content-range"), body, name="",
                      content_type="", now=3)
    assert done.complete and not done.reaches_end and done.record.name == "a.bin"
    assert pieces.copy_assembled(done.key, tmp_path / "out").read_bytes() == data


def test_unknown_total_learnt_from_the_last_piece(tmp_path):
    pieces = store(tmp_path)
    outcome = pieces.add("u", URL, Piece(0, 10, None, "content-range"), b"a" * 10, name="",
                         content_type="", now=0)
    assert not outcome.complete and not outcome.reaches_end and outcome.record.total is None
    last = pieces.add("u", URL, Piece(10, 15, 15, "content-range"), b"b" * 5, name="",
                      content_type="", now=1)
    assert last.complete and last.reaches_end


def test_a_rewrite_with_other_bytes_is_a_conflict(tmp_path):
    pieces = store(tmp_path)
    pieces.add("u", URL, Piece(0, 10, 20, "tus"), b"x" * 10, name="", content_type="", now=0)
    outcome = pieces.add("u", URL, Piece(5, 15, 20, "tus"), b"y" * 10, name="",
                         content_type="", now=1)
    assert outcome.conflict


def test_a_changed_total_is_refused(tmp_path):
    pieces = store(tmp_path)
    pieces.add("u", URL, Piece(0, 10, 20, "content-range"), b"x" * 10, name="",
               content_type="", now=0)
    with pytest.raises(BadPiece, match="earlier one said 20"):
        pieces.add("u", URL, Piece(10, 20, 30, "content-range"), b"x" * 10, name="",
                   content_type="", now=1)


def test_size_and_count_are_bounded_and_idle_uploads_expire(tmp_path):
    pieces = store(tmp_path)
    with pytest.raises(BadPiece, match="max_body_bytes"):
        pieces.add("u", URL, Piece(0, 10, 5000, "content-range"), b"x" * 10, name="",
                   content_type="", now=0)
    for n in range(3):
        pieces.add("u", f"{URL}{n}", Piece(0, 1, 2, "tus"), b"x", name="", content_type="",
                   now=0)
    with pytest.raises(PiecesFull, match="piece_max_uploads"):
        pieces.add("u", f"{URL}x", Piece(0, 1, 2, "tus"), b"x", name="", content_type="",
                   now=10)
    # Two hours later the three are idle past the limit: removed, room again.
    for directory in (tmp_path / "pieces").iterdir():
        if directory.is_dir():
            os.utime(directory / "state.json", (0, 0))
    pieces.add("u", f"{URL}x", Piece(0, 1, 2, "tus"), b"x", name="", content_type="", now=7200)
    assert len([d for d in (tmp_path / "pieces").iterdir() if d.is_dir()]) == 1


def test_announcements_of_tus_and_drive_sessions():
    from gateway.web.ranged_uploads import Announcement, announcement_of
    assert announcement_of("POST", [("Upload-Length", "300"), ("Upload-Metadata",
                                    "filename cGxhbi5kb2N4")], None) == \
        Announcement(300, "plan.docx", "")
    assert announcement_of("POST", [("X-Upload-Content-Length", "9"),
                                    ("X-Upload-Content-Type", "text/plain")],
                           b'{"name": "a/b/notes.txt"}') == Announcement(9, "notes.txt", "text/plain")
    assert announcement_of("POST", [("Content-Type", "application/json")], b'{"name": "x"}') is None
    assert announcement_of("PUT", [("Upload-Length", "3")], None) is None


def test_an_announced_total_and_name_serve_the_pieces(tmp_path):
    from gateway.web.ranged_uploads import Announcement
    pieces = store(tmp_path)
    pieces.announce("u", URL, Announcement(20, "plan.docx", "text/plain"), now=0)
    pieces.add("u", URL, Piece(0, 10, None, "tus"), b"a" * 10, name="", content_type="", now=1)
    last = pieces.add("u", URL, Piece(10, 20, None, "tus"), b"b" * 10, name="", content_type="",
                      now=2)
    assert last.complete and last.record.name == "plan.docx"
