"""How ``redline scan`` deals files to its scanners and puts the outcomes back in order."""

from __future__ import annotations

from gateway.commands.scan import default_jobs, in_path_order, largest_first


def test_files_are_dealt_largest_first_ties_and_missing_files_in_path_order(tmp_path):
    sizes = {"a": 10, "b": 5000, "c": 10, "d": 70}
    paths = []
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)
        paths.append(str(tmp_path / name))
    paths.append(str(tmp_path / "gone"))  # vanished since the folder was listed
    assert [paths[i].rsplit("/", 1)[1] for i in largest_first(paths)] == ["b", "d", "a", "c", "gone"]


def test_outcomes_come_back_in_path_order_each_once_the_paths_before_it_are_done():
    dealt = [2, 0, 3, 1]  # paths' indexes, in the order they were handed out
    finished = [(1, "path 0"), (0, "path 2"), (3, "path 1"), (2, "path 3")]  # as scanners finish
    seen: list[str] = []

    def as_done():
        for position, outcome in finished:
            seen.append(f"done {outcome}")
            yield position, outcome

    for outcome in in_path_order(dealt, as_done()):
        seen.append(f"printed {outcome}")
    assert seen == [
        "done path 0",
        "printed path 0",
        "done path 2",
        "done path 1",
        "printed path 1",
        "printed path 2",
        "done path 3",
        "printed path 3",
    ]


def test_one_scanner_per_usable_core_by_default():
    assert default_jobs() >= 1


def test_likely_pictures_counts_items_with_a_picture_pdf_or_office_attachment(tmp_path):
    from gateway.commands.scan import likely_pictures

    plain = tmp_path / "plain.eml"
    plain.write_bytes(b"Subject: lunch\r\n\r\nLunch at noon?\r\n")
    photo = tmp_path / "photo.eml"
    photo.write_bytes(b"Subject: hills\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                      b"--b\r\nContent-Type: image/jpeg\r\n\r\n/9j/4AAQ\r\n--b--\r\n")
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    text = [str(plain)] * 5
    assert not likely_pictures(text, 2)
    assert not likely_pictures([*text, str(photo)], 2)
    assert likely_pictures([*text, str(photo), str(report)], 2)
    assert likely_pictures([str(tmp_path / "gone.eml"), str(photo), str(report)], 2)
