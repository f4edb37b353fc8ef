"""ECMA-376's ST_Xstring escapes, read back wherever a spreadsheet's strings carry them.

SpreadsheetML writes a character XML cannot carry as ``_xHHHH_`` (a carriage return
``_x000D_``, which Purview's footer marking ends with: ``Confidential&1#_x000D_``) and a
literal ``_x`` as ``_x005F_x``. Excel decodes them; LibreOffice keeps a header's or
footer's escapes as written when it converts a workbook to .ods or .xls, so the converted
footer reads ``SECRET#_x000D_`` and, left escaped, the level runs into the escape.
"""

from __future__ import annotations

import re

_XSTRING_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape_xstring(text: str) -> str:
    """``text`` with its _xHHHH_ escapes decoded."""
    if "_x" not in text:
        return text
    return _XSTRING_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
