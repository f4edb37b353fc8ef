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
    dealt = [2, 0, 3, 1]
    seen: list[str] = []

    def outcomes():
        for index in dealt:
            seen.append(f"scanned {index}")
            yield f"outcome {index}"

    for outcome in in_path_order(dealt, outcomes()):
        seen.append(outcome)
    assert seen == [
        "scanned 2",
        "scanned 0",
        "outcome 0",
        "scanned 3",
        "scanned 1",
        "outcome 1",
        "outcome 2",
        "outcome 3",
    ]


def test_one_scanner_per_usable_core_by_default():
    assert default_jobs() >= 1
