"""Column breaks in a line OCR read: where the next cell of a table row or form begins.

Tesseract gives a table row as one line of words joined by single spaces
("Classification CONFIDENCIAL"), so a marking alone in its cell would read as part of a
sentence. A text PDF's extractor writes a tab where a line jumps a gap as wide as its
text is tall, or a narrower one that a table's upright border crosses
(``filters/extract/pdf.py``); the same is done here from Tesseract's word boxes and the
pixels it read:

- a gap between two words at least as wide as the line's words are tall (the median
  word box's height, which in any script is about the height of its capitals or of its
  characters) is no word space: a word space is a third of that or less, in CJK text
  (written without spaces) less still;
- a narrower gap is a column break when an upright rule crosses it: a column of pixels
  darker than the gap's paper from above the line's words to below them, as a table's
  border runs through its rows (Chromium prints a bordered HTML table with 4 px of
  padding: the gap between cells is about as wide as the text is tall). A letter in the
  gap (an l, a bracket) does not reach that far above and below the line;
- a "word" Tesseract read from such a rule (``|``, ``[``) that stands taller than the
  line's words is the rule itself: a break, not a word.

NumPy only; the caller (``filters/ocr.py``) joins the words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

RULE_READINGS = frozenset("|¦│┃[]")  # what Tesseract makes of an upright rule
RULE_TALLER = 1.5  # a rule read as a word stands this many times the words' height
RULE_BEYOND = 1 / 3  # a rule runs at least this share of the text's height above and below it
RULE_COVER = 0.9  # share of those rows a rule darkens (a scan's rule may break up a little)
RULE_CONTRAST = 25  # grey levels under the gap's paper: a #ddd border on white is 34
EDGE = 2  # px of each word's box searched too: a box may take in the border beside it

Box = tuple[int, int, int, int]  # left, top, width, height


def column_cuts(boxes: Sequence[Box], texts: Sequence[str], pixels: Any = None
                ) -> tuple[list[bool], list[bool]]:
    """(cuts, rules) for the words of one line, in reading order: ``cuts[i]`` when a column
    break comes before word ``i``, ``rules[i]`` when word ``i`` is a table rule read as a
    word. ``pixels``: the picture the boxes are of, as a 2-D uint8 array (None: gaps alone)."""
    count = len(boxes)
    cuts, rules = [False] * count, [False] * count
    if count < 2:
        return cuts, rules
    heights = sorted(box[3] for box in boxes)
    height = heights[len(heights) // 2]
    if height <= 0:
        return cuts, rules
    for index, (box, text) in enumerate(zip(boxes, texts, strict=True)):
        if text and set(text) <= RULE_READINGS and box[3] >= RULE_TALLER * height:
            rules[index] = True
    words = [box for box, rule in zip(boxes, rules, strict=True) if not rule] or list(boxes)
    tops = sorted(box[1] for box in words)
    bottoms = sorted(box[1] + box[3] for box in words)
    top, bottom = tops[len(tops) // 2], bottoms[len(bottoms) // 2]
    previous: Box | None = None
    pending = False
    for index, box in enumerate(boxes):
        if rules[index]:
            pending = True
            continue
        if previous is not None:
            p_right = previous[0] + previous[2]
            gap = box[0] - p_right
            cuts[index] = pending or gap >= height or (
                pixels is not None and gap > 0
                and _ruled(pixels, p_right - EDGE, box[0] + EDGE, top, bottom))
        pending = False
        previous = box
    return cuts, rules


def _ruled(pixels: Any, left: int, right: int, top: int, bottom: int) -> bool:
    """Whether an upright rule crosses columns ``left``-``right`` of ``pixels`` from above
    ``top`` to below ``bottom`` (the line's text)."""
    import numpy as np

    beyond = max(2, round((bottom - top) * RULE_BEYOND))
    rows, columns = pixels.shape[:2]
    y0, y1 = top - beyond, bottom + beyond
    x0, x1 = max(0, left - 1), min(columns, right + 1)
    if y0 < 0 or y1 > rows or x1 - x0 < 3:
        return False  # a line at the picture's edge: its rule cannot be told from its edge
    region = pixels[y0:y1, x0:x1]
    # The gap is mostly paper: its median is the paper's level, which a photo's grain
    # scatters around (its brightest pixel would make grain into ink).
    threshold = int(np.median(region)) - RULE_CONTRAST
    if int(region.min()) >= threshold:
        return False  # a plain gap: the common case, settled without the per-column work
    # Each row's darkest of three neighbouring columns: a scan's slight skew moves a
    # rule sideways by a pixel over a line's height.
    dark = np.minimum(np.minimum(region[:, :-2], region[:, 1:-1]), region[:, 2:]) < threshold
    return bool((dark.sum(axis=0) >= RULE_COVER * dark.shape[0]).any())
