"""Text with control characters between its letters is read without them
(filters.extract.strings.without_controls); binary data is not."""

from __future__ import annotations

import os
import zlib

from filters.extract.strings import without_controls

PROSE = ("The committee met on Tuesday and agreed the budget for the coming year. "
         "Minutes follow below, with the actions each member took on.\n") * 4


def test_controls_between_letters_are_removed():
    data = ("TOP SEC\x05RET//NO\x01FORN\n" + PROSE).encode()
    assert without_controls(data) == ("TOP SECRET//NOFORN\n" + PROSE).encode()


def test_a_control_after_every_letter_is_removed():
    assert without_controls("\x02".join(PROSE).encode()) == PROSE.encode()


def test_form_feed_and_vertical_tab_end_lines():
    data = ("page one\x0cpage two\x0bline\x01 three\n" + PROSE).encode()
    assert without_controls(data).startswith(b"page one\npage two\nline three\n")


def test_text_without_controls_is_left_to_the_runs():
    assert without_controls(PROSE.encode()) is None


def test_binary_data_is_not_text():
    assert without_controls(os.urandom(4096)) is None
    assert without_controls(zlib.compress(PROSE.encode() * 20)) is None
    # Structures full of NULs (executables, databases, UTF-16) are read by their runs.
    assert without_controls(b"\x7fELF\x02\x01\x01\x00" + PROSE.encode()) is None
    assert without_controls(PROSE.encode("utf-16-le")) is None
