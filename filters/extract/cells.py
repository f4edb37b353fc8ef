"""Numbers stored in spreadsheet cells, read as the digits an identifier would have.

A card, phone or ID number typed into a sheet (or written by an export script) is often
stored as a number, not as text: the cell's value is then a number the extractors would
otherwise leave out. Only whole numbers of at least seven digits are read (every such
identifier has that many), so a sheet of amounts, measurements and small counts adds no
text; the text added is never larger than the cell values in the file itself.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

MIN_DIGITS = 7
MAX_DIGITS = 20  # "1E+300" is a number, not an identifier of three hundred digits


def integer_digits(value: str | float | None) -> str:
    """The digits of a numeric cell value that is a whole number of 7 to 20 digits, else "".

    ``"4111111111111111"`` and ``"13800138000.0"`` give their digits; a value Excel wrote
    in scientific notation (``"1.10105194912311E+17"``) gives the digits it stands for,
    which is what Excel shows (the lost ones are zeros).
    """
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str) and len(value) < MIN_DIGITS and "E" not in value and "e" not in value:
        return ""  # without an exponent a value has no more digits than characters
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return ""
        digits = str(int(abs(value)))
    else:
        text = value.strip().lstrip("+-")
        if text.isdigit() and text.isascii():
            digits = text.lstrip("0") or "0"
        else:
            if len(text) > 40:
                return ""
            try:
                number = Decimal(text)
            except InvalidOperation:
                return ""
            if not number.is_finite() or number.adjusted() >= MAX_DIGITS \
                    or number != number.to_integral_value():
                return ""
            digits = str(int(number))
    return digits if MIN_DIGITS <= len(digits) <= MAX_DIGITS else ""
