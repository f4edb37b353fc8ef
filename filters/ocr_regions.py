"""Words written on a photograph: where they may be, and each such place made ready to read.

Tesseract binarises a whole picture at one threshold, and its layout analysis lays a
photograph out as a picture: dark or faint words on a sky, or white words on a busy
photo, are lost to the shade around them (docs/ocr.md). Here the picture's strokes are
found by their local contrast alone — a morphological top-hat (light strokes narrower
than a window, brighter than what surrounds them) and black-hat (dark ones) — grouped
into lines the height and shape of a line of display type, and each line is cut out and
thresholded on its own, as black letters on white, for Tesseract to read as one line.

Smooth photographs (a sky, hills, a busy picture's soft colour areas) have no strokes of
that contrast and width, so no region; a street's windows do, and are read as nothing.
OpenCV filters the pictures (blur, hats, opening, regions), NumPy and Pillow do the rest;
the caller reads the crops (filters/ocr.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Long sides (px) at which strokes are looked for, and how many lines of each are read:
# at 1000 px a 13 px window holds the strokes of type 25-110 px high on a 1600-1800 px
# photo; at 500 px, of the boldest and largest (a 110 px CONFIDENTIAL was found only there).
DETECT_SIDES = ((1000, 4), (500, 3))
STROKE_RADIUS = 6  # window radius: strokes up to ~12 px wide at the detection size
# In the whiteness a letter's surroundings are dark wherever they are coloured, so its
# window may be wider (bold display type's stems, 12-20 px at the detection size) without
# taking the photo's own light areas for strokes: those are mostly coloured.
WHITE_SIDE = 500
WHITE_SHARE = 0.015
WHITE_LEVEL = 160
WHITE_SURE = 215
WHITE_MOST = 2  # lines of the whiteness read at each detection size
STROKE_CONTRAST = 28  # grey levels a stroke stands out from its window
CELL = 4  # strokes are grouped in blocks of this many pixels
MIN_LINE_HEIGHT = 12  # px at DETECT_SIDE: smaller words are left to the other passes
MAX_LINE_HEIGHT = 160
MIN_LINE_WIDTH = 1.5  # a line of words is at least this many times wider than high
# A line is read only when it is at least this many times wider than high: a narrower one
# holds two capitals or fewer, and no marking is that short (CUI in bold type is 2.4 times
# wider than high). The narrower lines still take their place among the largest, so the
# lines read are those found before less these. On a photograph of colour blobs they are
# four in ten of its lines, each costing a crop and two readings.
MIN_READ_WIDTH = 2.0
# Share of a line's box its strokes fill: letters 0.15-0.45; sensor grain joined into a
# box fills a few per cent, a solid shape nearly all.
MIN_FILL, MAX_FILL = 0.1, 0.6
READ_HEIGHT = 60  # px: a line is read at this height (Tesseract reads from ~20 px)
# A line's box is fitted to its strokes, so the margins cut above and below it (a third of
# its height each) are mostly paper: a preparation with at least this share of ink in
# both margins is texture a box was laid into (a photograph's grain, a busy picture's
# blobs), and is not read. Of 1106 preparations (bench/ocr_photos.py's 104 photographs,
# 24 of the office mix's, the OCR survey and region tests' pictures), this drops 319, 50
# of the mix's 94; those it drops that Tesseract read at all gave fragments (col, HE, De,
# UN, aw), never a marking or a caption's word (docs/ocr.md).
MARGIN_INK = 0.3


@dataclass(frozen=True, slots=True)
class Region:
    """A line that may be words: its box in the picture's pixels, and whether its strokes
    are lighter than their surroundings (white words) or darker."""

    box: tuple[int, int, int, int]  # left, top, right, bottom
    light: bool
    white: bool = False  # found in the picture's whiteness (light strokes only)
    level: int = 0  # the whiteness from which a pixel counted as white (``_whitest``)


def whiteness(colour: Any, bands: tuple[Any, Any, Any] | None = None) -> Any:
    """The least of each pixel's three channels (a Pillow L picture of an RGB one): white
    stays white, and every colour darkens by how coloured it is. ``bands`` are the
    picture's channels as whole arrays when the caller has them (``colour_bands``).

    Words put on a photograph are white or black far more often than coloured; on a
    busy photo's coloured patches white letters are set apart by that alone, where in
    grey a bright green or yellow patch is as light as the letters it touches."""
    import numpy as np
    from PIL import Image

    from filters.ocr import _pixels

    if bands is not None:  # whole channels: two minimums of contiguous arrays, 0.1 ms
        least = np.minimum(bands[0], bands[1])
        np.minimum(least, bands[2], out=least)
        return Image.fromarray(least)
    # In Pillow's own memory (no split into three channel pictures): two minimums over
    # the strided channels, the second in place, take a third of Pillow's split and two
    # ImageChops.darker (6 against 18 ms at 1600 x 1200), value for value.
    pixels = _pixels(colour)
    least = np.minimum(pixels[..., 0], pixels[..., 1])
    np.minimum(least, pixels[..., 2], out=least)
    return Image.fromarray(least)


def colour_bands(colour: Any) -> tuple[Any, Any, Any]:
    """The red, green and blue channels of an RGB Pillow picture, each a whole 8-bit array
    (Pillow's split; ``_pixels`` copies none of them). The survey of a photograph takes
    them once for its whiteness and its red-ink pass: the strided minimum over Pillow's
    pixels costs about as much as the split itself."""
    from filters.ocr import _pixels

    red, green, blue = (_pixels(band) for band in colour.split())
    return red, green, blue


def word_regions(grey: Any, white: Any = None) -> list[Region]:
    """Lines of strokes in ``grey`` (a Pillow L picture) that may be words: at each
    detection size its largest few (DETECT_SIDES), the finer size first. With ``white``
    (``whiteness`` of the colour picture), light strokes are also looked for there."""
    import numpy as np
    from PIL import Image

    from filters.ocr import _opencv, _pixels

    cv2 = _opencv()
    out: list[Region] = []
    shrunk, shrunk_scale = _pixels(grey), 1.0  # read in Pillow's memory, not copied out
    for side, most in DETECT_SIDES:
        scale = min(1.0, side / max(grey.size))
        size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
        if scale == shrunk_scale / 2:
            # Half the size before: each pixel the mean of a 2 x 2 block of it, as the box
            # filter from the whole picture gives it (OpenCV's whole-factor path, 0.03 ms
            # against Pillow's 1.5-2.2 from the whole picture).
            shrunk = cv2.resize(shrunk, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
        elif scale != shrunk_scale:
            # Pillow's box reduction: bilinear weights after whole blocks (``_shrink``) read
            # a grain photo's noise as a line of letters at this size.
            shrunk = _pixels(grey.resize(size, Image.Resampling.BOX))
        shrunk_scale = scale
        pixels = _blur(shrunk)  # 8-bit: hats never negative
        found: list[tuple[int, Region]] = []
        kinds = [(True, False), (False, False)]
        if white is not None and side == WHITE_SIDE:
            kinds.append((True, True))
        for light, whites in kinds:
            level = 0
            if whites:
                strokes, level = _whitest(_blur(_shrink(_pixels(white), size)))
            else:
                strokes = _hat(pixels, STROKE_RADIUS, light) > STROKE_CONTRAST
            strokes = _open(strokes)  # single pixels of grain are no strokes
            for left, top, right, bottom in _lines(strokes):
                width, height = right - left, bottom - top
                if width < MIN_LINE_WIDTH * height:
                    continue
                fill = np.count_nonzero(strokes[top:bottom, left:right]) / (width * height)
                if not MIN_FILL <= fill <= MAX_FILL:
                    continue
                box = (round(left / scale), round(top / scale),
                       min(grey.width, round(right / scale)), min(grey.height, round(bottom / scale)))
                found.append((width * height, Region(box, light, whites, level)))
        found.sort(key=lambda item: -item[0])
        kept: list[Region] = []
        for _, region in found:
            if region.white:
                continue
            if len(kept) < most and not any(
                    other.light == region.light and _covers(other.box, region.box) for other in kept):
                kept.append(region)
        # The whiteness's lines come on top, the largest few: they are cut from the
        # whiteness, so a line found in grey as well is not read the same way twice.
        whites = 0
        for _, region in found:
            if region.white and whites < WHITE_MOST:
                kept.append(region)
                whites += 1
        out.extend(region for region in kept if _wide(region.box))
    return out


def _shrink(pixels: Any, size: tuple[int, int]) -> Any:
    """8-bit ``pixels`` brought down to ``size`` (width, height): by the whole factor as means
    of blocks (OpenCV's whole-factor path), then by what is left, under 2, with bilinear
    weights, which at that factor still take every pixel into some output pixel. The blur
    that follows does the rest of a box filter's smoothing: the whiteness of a 1400 x 900
    photo to 500 px in 0.5 ms against Pillow's box reduction's 1.7."""
    from filters.ocr import _opencv

    cv2 = _opencv()
    height, width = pixels.shape
    whole = min(width // size[0], height // size[1])
    if whole >= 2:
        pixels = cv2.resize(pixels, None, fx=1 / whole, fy=1 / whole, interpolation=cv2.INTER_AREA)
    if pixels.shape != (size[1], size[0]):
        pixels = cv2.resize(pixels, size, interpolation=cv2.INTER_LINEAR)
    return pixels


def _wide(box: tuple[int, int, int, int]) -> bool:
    """Whether a line's box is wide enough to hold a marking (MIN_READ_WIDTH)."""
    return box[2] - box[0] >= MIN_READ_WIDTH * (box[3] - box[1])


def _whitest(pixels: Any) -> tuple[Any, int]:
    """The whitest pixels of a whiteness (``whiteness``): its brightest WHITE_SHARE, those
    at least WHITE_LEVEL, and any at WHITE_SURE or more. White letters on a photograph
    are the whitest thing in it; the photo's own light areas are mostly tinted."""
    import numpy as np

    flat = pixels.ravel()
    rank = min(flat.size - 1, int(flat.size * (1 - WHITE_SHARE)))
    level = float(np.partition(flat, rank)[rank])
    least = int(max(WHITE_LEVEL, min(level, WHITE_SURE)))
    return pixels >= least, least


def crops(grey: Any, region: Region, white: Any = None) -> list[Any]:
    """``region`` of ``grey`` as black letters on white, two ways: its strokes by local
    contrast (a busy background's texture drops out), and the whole line thresholded
    between its strokes' brightness and the rest (a faint word's letters stay whole).
    Tesseract reads each as one line; the surer reading is kept. A light region is cut
    from ``white`` (``whiteness``) when given, as it was found there. A preparation whose
    margins above and below the line are both inked (MARGIN_INK) is left out: texture."""
    import numpy as np
    from PIL import Image

    from filters.ocr import _ink_image, _pixels

    if region.white and white is not None:
        grey = white
    left, top, right, bottom = region.box
    height = bottom - top
    margin = height // 3
    upper = max(0, top - margin)
    cut = grey.crop((max(0, left - margin), upper,
                     min(grey.width, right + margin), min(grey.height, bottom + margin)))
    factor = READ_HEIGHT / max(height, 1)
    cut = cut.resize((max(1, round(cut.width * factor)), max(1, round(cut.height * factor))),
                     Image.Resampling.BOX if factor < 1 else Image.Resampling.BICUBIC)
    # The box's rows in the cut: the margins are what lies above and below them.
    box_rows = (round((top - upper) * factor), round((bottom - upper) * factor))
    pixels = _blur(_pixels(cut))
    if not region.light:
        pixels = 255 - pixels  # letters light from here on (8-bit: 255 - x never wraps)
    hat = _hat(pixels, READ_HEIGHT // 6, light=True)
    strokes = hat > STROKE_CONTRAST
    marked = np.count_nonzero(strokes)
    if marked < 50 or strokes.size - marked < 50:
        return []
    if region.white:  # as it was found: the whitest pixels, not every light stroke
        out = [pixels >= region.level]
    else:  # the hat is 0-255 (pixels 0-255, an opening never above them): counted as is
        out = [hat > max(STROKE_CONTRAST, _otsu(np.bincount(hat.ravel(), minlength=256)))]
    # np.percentile(pixels[strokes], 60) and of the rest, 50: both from counts of each
    # level (the crop's pixels are 0-255), a tenth of two selections' CPU.
    letters_counts = np.bincount(pixels[strokes], minlength=256)
    letters = _percentile(letters_counts, 60)
    ground = _percentile(np.bincount(pixels.ravel(), minlength=256) - letters_counts, 50)
    out.append(pixels > letters - (letters - ground) * 0.45)
    framed = []
    for ink in out:
        if _margins_inked(ink, box_rows):
            continue
        picture = _ink_image(ink)
        frame = Image.new("L", (picture.width + 40, picture.height + 40), 255)
        frame.paste(picture, (20, 20))
        framed.append(frame)
    return framed


def _margins_inked(ink: Any, box_rows: tuple[int, int]) -> bool:
    """Whether the rows of ``ink`` above ``box_rows`` (top, bottom) and those below both
    hold at least MARGIN_INK of ink: texture, not a line of words with paper around it. A
    margin the picture's edge cut off tells nothing, so the line is read."""
    import numpy as np

    above, below = ink[:box_rows[0]], ink[box_rows[1]:]
    if not above.size or not below.size:
        return False
    return bool(np.count_nonzero(above) >= MARGIN_INK * above.size
                and np.count_nonzero(below) >= MARGIN_INK * below.size)


def _percentile(counts: Any, q: int) -> float:
    """``np.percentile(values, q)`` (its linear method, float for float) of the values whose
    count of each level 0, 1, 2 … is ``counts``: the two values either side of the
    rank (n - 1) * q / 100, interpolated as NumPy's _lerp does."""
    import numpy as np

    total = int(counts.sum())
    rank = (total - 1) * (q / 100)
    below = np.cumsum(counts)
    if rank >= total - 1:  # the largest value (NumPy takes the last, whatever the fraction)
        return float(np.searchsorted(below, total - 1, side="right"))
    previous = int(rank)  # rank >= 0: int() is floor
    low, high = np.searchsorted(below, (previous, previous + 1), side="right").tolist()
    share = rank - previous
    step = high - low
    return float(low + step * share) if share < 0.5 else float(high - step * (1 - share))


# Pillow's GaussianBlur(1.0) is three box passes each way, each pixel 2/3 of itself and 1/6
# of each neighbour: composed, one 7-tap kernel (1 12 51 88 51 12 1) / 216.
_BLUR_TAPS = (1, 12, 51, 88, 51, 12, 1)


def _blur(pixels: Any) -> Any:
    """Pillow's GaussianBlur(1.0) of 8-bit ``pixels`` to within a few grey levels: its
    three box passes each way composed into one kernel, applied by OpenCV (the picture's
    edge pixel standing in for those past it, as in Pillow), rounded once where Pillow
    rounds after each pass. A fifth of Pillow's CPU; sensor grain is blurred all the same."""
    import numpy as np

    from filters.ocr import _opencv

    cv2 = _opencv()
    taps = np.asarray(_BLUR_TAPS, dtype=np.float32) / sum(_BLUR_TAPS)
    return cv2.sepFilter2D(pixels, -1, taps, taps, borderType=cv2.BORDER_REPLICATE)


def _lines(strokes: Any) -> list[tuple[int, int, int, int]]:
    """Boxes (left, top, right, bottom) of the strokes' regions of a line's height, joined
    with their neighbours on the same line (letters a gap apart become a word, words a line)."""
    import numpy as np

    from filters.ocr import _component_boxes

    height, width = strokes.shape
    rows, cols = height // CELL, width // CELL
    if not rows or not cols:
        return []
    # A cell holds a stroke when any of its CELL x CELL pixels does: each row's CELL bytes
    # read as one whole number (a reduction over two short axes is ten times slower).
    packed = np.ascontiguousarray(strokes[:rows * CELL, :cols * CELL]).view(f"u{CELL}")
    packed = packed.reshape(rows, CELL, cols)
    grid = np.bitwise_or.reduce(packed, axis=1) != 0
    boxes = []  # the 200 largest 4-connected regions of cells, the labelling the red-ink masks use
    for left, top, right, bottom in (_component_boxes(grid, 200) * CELL).tolist():
        if MIN_LINE_HEIGHT <= bottom + CELL - top <= MAX_LINE_HEIGHT:
            boxes.append((left, top, right + CELL, bottom + CELL))
    for _ in range(8):  # bounded: each round joins at least one pair or stops
        joined = _join(boxes)
        if len(joined) == len(boxes):
            break
        boxes = joined
    return boxes


def _join(boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """One round of joining boxes on one line: of like height, overlapping in height, at
    most 0.8 of a height apart; each group of boxes so linked becomes the box round it,
    the groups in the order of their first box. Pairs compared and groups labelled with
    NumPy, no union-find in Python (a street's photo has a couple of hundred boxes): each
    box takes the lowest label of those it is linked to, then that label's own, until no
    label changes; each group then carries its first box's index."""
    import numpy as np

    if len(boxes) < 2:
        return boxes
    b = np.asarray(boxes, dtype=np.float64)
    heights = b[:, 3] - b[:, 1]
    tall = np.maximum.outer(heights, heights)
    short = np.minimum.outer(heights, heights)
    overlap = np.minimum.outer(b[:, 3], b[:, 3]) - np.maximum.outer(b[:, 1], b[:, 1])
    gap = np.maximum.outer(b[:, 0], b[:, 0]) - np.minimum.outer(b[:, 2], b[:, 2])
    linked = (overlap > 0.6 * short) & (gap < 0.8 * tall) & (tall - short < 0.5 * tall)
    count = len(boxes)
    if np.count_nonzero(linked) == count:  # each box linked to itself alone
        return boxes
    index = np.arange(count)
    group = index
    while True:
        lowest = np.where(linked, group, count).min(axis=1)  # a box is linked to itself
        lowest = lowest[lowest]
        if np.array_equal(lowest, group):
            break
        group = lowest
    order = np.argsort(group, kind="stable")
    starts = np.flatnonzero(np.r_[True, group[order][1:] != group[order][:-1]])
    ranked = np.asarray(boxes, dtype=np.int64)[order]
    lefts = np.minimum.reduceat(ranked[:, 0], starts)
    tops = np.minimum.reduceat(ranked[:, 1], starts)
    rights = np.maximum.reduceat(ranked[:, 2], starts)
    bottoms = np.maximum.reduceat(ranked[:, 3], starts)
    return list(zip(lefts.tolist(), tops.tolist(), rights.tolist(), bottoms.tolist(), strict=True))


def _covers(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """Whether boxes ``a`` and ``b`` share most (60 %) of the smaller one."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width > 0 and height > 0 and width * height > 0.6 * smaller


def _hat(pixels: Any, radius: int, light: bool) -> Any:
    """Top-hat (``light``: what stands brighter than an opening leaves) or black-hat, by a
    square of side 2*radius+1 (outside the picture counts as neither: OpenCV's border for
    morphology). Never negative, so 8-bit pixels give 8-bit hats."""
    from filters.ocr import _opencv

    cv2 = _opencv()
    square = cv2.getStructuringElement(cv2.MORPH_RECT, (2 * radius + 1, 2 * radius + 1))
    return cv2.morphologyEx(pixels, cv2.MORPH_TOPHAT if light else cv2.MORPH_BLACKHAT, square)


def _open(mask: Any) -> Any:
    """``mask`` (boolean) opened by a 3 x 3 square (eroded, then dilated; outside the
    picture counts as neither)."""
    import numpy as np

    from filters.ocr import _opencv

    cv2 = _opencv()
    square = np.ones((3, 3), dtype=np.uint8)
    return cv2.morphologyEx(np.ascontiguousarray(mask).view(np.uint8), cv2.MORPH_OPEN, square).view(bool)


def _otsu(counts: Any) -> int:
    """Otsu's threshold of the values whose count of each level 0-255 is ``counts``."""
    import numpy as np

    counts = counts.astype(np.float64)
    share = counts / counts.sum()
    below = np.cumsum(share)
    mean = np.cumsum(share * np.arange(256))
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean[-1] * below - mean) ** 2 / (below * (1 - below))
    return int(np.nanargmax(between))
