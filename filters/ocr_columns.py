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
  line's words is the rule itself: a break, not a word;
- a narrower gap without a rule is a column break when the word after it starts where a
  column starts in at least two other rows nearby (``aligned_cuts``): a borderless
  table (Word's plain table styles, a browser's default table, a form) sets its cells'
  text in columns, and the row whose first cell is the column's widest leaves a gap no
  wider than a word space before the next cell, while its other rows leave wider ones.
  A column starts after a break found by the rules above, or at the first word of a line
  that Tesseract split off a row (a line beside it, level with it, ends to its left).
  Prose has no breaks to align with: its words start where they fall.

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


ALIGN_SLACK = 0.2  # of the words' height: a column's starts differ by a glyph's side bearing
ALIGN_SKEW = 0.02  # px sideways per px down: a scan's skew of up to a degree moves a column
# A table's rows follow one another: the nearest row with the column's start is within
# ALIGN_ROW_GAP words' heights of the line (a form's rows are 1.5-2.2 heights apart), the
# next within as far again of that one (prose under a table starts no column).
ALIGN_ROW_GAP = 3
ALIGN_SUPPORT = 2  # other rows with a column start at a word's left for its gap to be a break


def aligned_cuts(lines: Sequence[Sequence[Box]], cuts: Sequence[list[bool]]) -> list[list[bool]]:
    """``cuts`` (one list per line, as ``column_cuts`` gives them) with a break added before
    each word that starts where a column starts in at least ALIGN_SUPPORT other lines
    nearby: the cells of a borderless table, aligned in columns down its rows, where one
    row's gap between two cells is as narrow as a word space."""
    out = [list(line) for line in cuts]
    shapes = []  # (left, right, top, bottom, height) of each line's words
    for boxes in lines:
        if not boxes:
            shapes.append(None)
            continue
        heights = sorted(box[3] for box in boxes)
        shapes.append((boxes[0][0], max(b[0] + b[2] for b in boxes), min(b[1] for b in boxes),
                       max(b[1] + b[3] for b in boxes), heights[len(heights) // 2]))
    # Column starts: (x, y, line) after a break, or a line's first word when a line level
    # with it ends to its left (a row Tesseract parted into two lines at a wide gap).
    starts: list[tuple[int, float, int]] = []
    for index, boxes in enumerate(lines):
        shape = shapes[index]
        if shape is None:
            continue
        middle = (shape[2] + shape[3]) / 2
        starts.extend((box[0], middle, index) for box, cut in zip(boxes[1:], out[index][1:], strict=True)
                      if cut)
        if any(other is not None and other[1] < shape[0] and other[2] < middle < other[3]
               for other in shapes):
            starts.append((shape[0], middle, index))
    if len(starts) < ALIGN_SUPPORT:
        return out
    for index, boxes in enumerate(lines):
        shape = shapes[index]
        if shape is None or len(boxes) < 2 or shape[4] <= 0:
            continue
        height = shape[4]
        middle = (shape[2] + shape[3]) / 2
        reach = ALIGN_ROW_GAP * height * ALIGN_SUPPORT
        near = [(x, abs(y - middle), line) for x, y, line in starts
                if line != index and abs(y - middle) <= reach]
        if len(near) < ALIGN_SUPPORT:
            continue
        for word in range(1, len(boxes)):
            if out[index][word] or boxes[word][0] <= boxes[word - 1][0] + boxes[word - 1][2]:
                continue
            left = boxes[word][0]
            downs: dict[int, float] = {}
            for x, down, line in near:
                if abs(x - left) <= ALIGN_SLACK * height + ALIGN_SKEW * down:
                    downs[line] = min(down, downs.get(line, down))
            out[index][word] = _rows_follow(sorted(downs.values()), ALIGN_ROW_GAP * height)
    return out


def _rows_follow(downs: list[float], step: float) -> bool:
    """Whether ALIGN_SUPPORT rows at these distances (sorted) follow on from a line, each
    within ``step`` of the one before; rows above and below it are counted alike."""
    reached = 0.0
    count = 0
    for down in downs:
        if down - reached > step:
            break
        reached, count = down, count + 1
    return count >= ALIGN_SUPPORT


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
