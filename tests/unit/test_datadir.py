"""The data directory is made private: modes closed, symlinks not followed, bad paths named."""

from __future__ import annotations

import logging

import pytest

from filters.errors import ConfigError
from gateway.datadir import secure_data_dir


def test_open_modes_are_closed_and_reported_and_links_are_left_alone(tmp_path, caplog):
    real = tmp_path / "real"
    (real / "outbox" / "new").mkdir(parents=True)
    held = real / "outbox" / "new" / "mail"
    held.write_bytes(b"Subject: x\r\n\r\nbody\r\n")
    outside = tmp_path / "shared.txt"
    outside.write_text("not Redline's")
    outside.chmod(0o644)
    (real / "link").symlink_to(outside)
    for path in (real, real / "outbox", real / "outbox" / "new"):
        path.chmod(0o755)
    held.chmod(0o644)
    data = tmp_path / "data"
    data.symlink_to(real)  # data_dir as a symlink to the real directory
    with caplog.at_level(logging.WARNING, logger="redline.datadir"):
        assert secure_data_dir(data) == 4
    assert [p.stat().st_mode & 0o777 for p in (real, real / "outbox", held)] == [
        0o700, 0o700, 0o600]
    assert outside.stat().st_mode & 0o777 == 0o644  # a link's target is not ours to change
    assert "4 files or directories were open to other users" in caplog.text
    caplog.clear()
    assert secure_data_dir(data) == 0 and not caplog.text


def test_a_file_or_an_unwritable_place_is_a_config_error_naming_it(tmp_path):
    afile = tmp_path / "file"
    afile.write_text("")
    for bad in (afile, afile / "below", "/proc/redline-data"):
        with pytest.raises(ConfigError, match="cannot use it as the data directory"):
            secure_data_dir(bad)
