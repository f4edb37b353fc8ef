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


# -- answering for the service -------------------------------------------------------------

SERVICES = ["googleapis.com", "sharepoint.com", "1drv.com", "box.com", "files.example.org=graph"]


def test_the_protocol_answered_for_comes_from_the_piece_and_the_listed_host():
    from gateway.web.ranged_uploads import session_protocol
    ranged = Piece(0, 10, 100, "content-range")
    tus = Piece(0, 10, 100, "tus")
    assert session_protocol(ranged, [], URL, SERVICES) == "google"
    assert session_protocol(ranged, [], "https://contoso.sharepoint.com/_api/v2.0/drives/b!x/"
                            "items/01/uploadSession?guid='1'", SERVICES) == "graph"
    assert session_protocol(ranged, [], "https://sn3302.up.1drv.com/up/fe69", SERVICES) == "graph"
    assert session_protocol(ranged, [], "https://files.example.org/up/7", SERVICES) == "graph"
    # Box's chunked sessions want part ids only Box can give: not answered for.
    assert session_protocol(ranged, [], "https://upload.box.com/api/2.0/files/upload_sessions/"
                            "F9", SERVICES) is None
    # An unlisted host, even with a Google-looking URL, is judged piece by piece.
    assert session_protocol(ranged, [], "https://evil.example/x?upload_id=1", SERVICES) is None
    # tus names itself on any host; an Upload-Offset PATCH without it is no tus.
    assert session_protocol(tus, [("Tus-Resumable", "1.0.0")], "https://t.example/f/1",
                            []) == "tus"
    assert session_protocol(tus, [], "https://t.example/f/1", SERVICES) is None


def test_a_graph_file_too_big_for_one_put_is_not_answered_for():
    from gateway.web.ranged_uploads import GRAPH_MAX_REQUEST, can_send_whole
    assert can_send_whole("graph", GRAPH_MAX_REQUEST - 1)
    assert not can_send_whole("graph", GRAPH_MAX_REQUEST)
    assert can_send_whole("google", 5 * GRAPH_MAX_REQUEST) and can_send_whole("tus", None)


def test_kept_answers_speak_each_services_protocol():
    import json

    from gateway.web.ranged_uploads import PieceRecord, kept_answer
    record = PieceRecord(total=1000, ranges=[(0, 400)])
    google = kept_answer("google", record, expires=0)
    assert (google.status, dict(google.headers)["Range"]) == (308, "bytes=0-399")
    assert kept_answer("google", PieceRecord(ranges=[(400, 500)]), expires=0).headers == ()
    graph = kept_answer("graph", PieceRecord(total=1000, ranges=[(0, 400), (600, 700)]),
                        expires=86400)
    assert graph.status == 202
    assert json.loads(graph.body) == {"expirationDateTime": "1970-01-02T00:00:00.000Z",
                                      "nextExpectedRanges": ["400-599", "700-"]}
    tus = kept_answer("tus", record, expires=0)
    assert (tus.status, dict(tus.headers)) == (204, {"Tus-Resumable": "1.0.0",
                                                     "Upload-Offset": "400"})
    wire = tus.encode(keep_alive=True)
    assert wire.startswith(b"HTTP/1.1 204 No Content\r\n") and wire.endswith(b"\r\n\r\n")
    assert b"Content-Length: 0\r\n" in wire
    with pytest.raises(ValueError, match="box"):
        kept_answer("box", record, expires=0)


def test_the_last_piece_is_rewritten_to_carry_the_whole_file():
    from gateway.web.ranged_uploads import whole_file_headers
    last = [("Content-Range", "bytes 600-999/1000"), ("Content-Length", "400"),
            ("Authorization", "Bearer t"), ("Content-MD5", "x"), ("Upload-Offset", "600")]
    assert whole_file_headers("graph", last, 1000) == [
        ("Authorization", "Bearer t"), ("Content-Range", "bytes 0-999/1000"),
        ("Content-Length", "1000")]
    assert whole_file_headers("tus", [("Upload-Offset", "600"), ("Tus-Resumable", "1.0.0"),
                                      ("Upload-Checksum", "sha1 x")], 1000) == [
        ("Tus-Resumable", "1.0.0"), ("Upload-Offset", "0"), ("Content-Length", "1000")]


def test_the_spool_of_all_uploads_together_is_bounded(tmp_path):
    pieces = PieceStore(tmp_path / "pieces", max_bytes=1000, max_uploads=10, idle_seconds=3600,
                        max_total_bytes=1500)
    pieces.add("u", URL, Piece(0, 800, 1000, "content-range"), b"a" * 800, name="",
               content_type="", now=0)
    assert pieces.used_bytes() == 800
    with pytest.raises(PiecesFull, match="piece_max_spool_bytes"):
        pieces.add("u", URL + "2", Piece(0, 800, 1000, "content-range"), b"b" * 800, name="",
                   content_type="", now=0)
    # Rewriting bytes already on disk takes no more room.
    pieces.add("u", URL, Piece(0, 800, 1000, "content-range"), b"a" * 800, name="",
               content_type="", now=0)
    pieces.add("u", URL + "3", Piece(0, 700, 1000, "content-range"), b"c" * 700, name="",
               content_type="", now=0)


def test_a_status_query_tells_the_total_of_kept_pieces(tmp_path):
    from gateway.web.ranged_uploads import status_query_total
    assert status_query_total("PUT", [("Content-Range", "bytes */30")]) == 30
    assert status_query_total("PUT", [("Content-Range", "bytes 0-9/30")]) is None
    assert status_query_total("GET", [("Content-Range", "bytes */30")]) is None
    pieces = store(tmp_path)
    assert pieces.learn_total("u", URL, 30) is None  # nothing kept: the service answers
    pieces.add("u", URL, Piece(0, 10, None, "content-range"), b"a" * 10, name="",
               content_type="", now=0)
    partial = pieces.learn_total("u", URL, 30)
    assert partial is not None and not partial.complete and partial.gaps == ((10, 30),)
    pieces.add("u", URL, Piece(10, 30, None, "content-range"), b"b" * 20, name="",
               content_type="", now=0)
    assert pieces.learn_total("u", URL, 30).complete
    with pytest.raises(BadPiece, match="a piece said 30"):
        pieces.learn_total("u", URL, 31)
