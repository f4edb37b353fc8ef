"""The words-on-photo detector's morphology (filters/ocr_regions.py) against its plain
definition: each output pixel the extreme of its window, computed window by window."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from filters.ocr_regions import _hat, _open


def _window(pixels: np.ndarray, radius: int, keep, outside) -> np.ndarray:
    """``keep`` over each pixel's (2*radius+1)² square, pixels outside the picture ``outside``."""
    padded = np.pad(pixels, radius, constant_values=outside)
    return keep(sliding_window_view(padded, (2 * radius + 1, 2 * radius + 1)), axis=(2, 3))


def _plain_hat(pixels: np.ndarray, radius: int, light: bool) -> np.ndarray:
    limits = np.iinfo(pixels.dtype)
    if light:  # what an opening (erosion, then dilation) removes
        eroded = _window(pixels, radius, np.min, limits.max)
        return pixels - _window(eroded, radius, np.max, limits.min)
    dilated = _window(pixels, radius, np.max, limits.min)
    return _window(dilated, radius, np.min, limits.max) - pixels


@pytest.mark.parametrize("dtype", [np.uint8, np.int16])
def test_the_hats_are_the_plain_opening_and_closing(dtype):
    rng = np.random.default_rng(21)
    for height, width, radius in [(1, 1, 0), (5, 3, 6), (13, 40, 6), (37, 29, 10), (64, 9, 3), (8, 70, 1)]:
        pixels = rng.integers(0, 256, (height, width)).astype(dtype)
        for light in (True, False):
            assert np.array_equal(_hat(pixels, radius, light), _plain_hat(pixels, radius, light)), (
                height, width, radius, light)


def test_the_opening_removes_what_a_3_by_3_square_does_not_fit():
    rng = np.random.default_rng(22)
    for height, width, share in [(1, 1, 0.5), (2, 7, 0.8), (31, 17, 0.5), (40, 64, 0.9), (9, 9, 1.0)]:
        mask = rng.random((height, width)) < share
        eroded = _window(mask.view(np.uint8), 1, np.min, 1)  # outside counts as a stroke
        plain = _window(eroded, 1, np.max, 0).astype(bool)  # and as no stroke when growing
        assert np.array_equal(_open(mask), plain), (height, width, share)
    lone = np.zeros((12, 12), dtype=bool)
    lone[3, 3] = True  # a pixel of grain
    lone[6:10, 5:11] = True  # a stroke 4 px wide
    assert np.array_equal(_open(lone), lone & (np.arange(12)[:, None] >= 6))


def test_the_blur_is_pillows_gaussian_kernel_applied_once():
    """Pillow's three box passes each way composed into one kernel, the edge pixel standing
    in for those past it, rounded once; away from the edges within 2 levels of Pillow's
    GaussianBlur(1.0), which rounds after each pass."""
    from PIL import Image, ImageFilter

    from filters.ocr_regions import _blur

    box = np.array([1, 4, 1]) / 6
    kernel = np.convolve(np.convolve(box, box), box)
    rng = np.random.default_rng(23)
    for height, width in [(1, 1), (1, 6), (6, 1), (2, 2), (2, 5), (5, 2), (7, 13), (64, 9), (120, 257)]:
        for pixels in (rng.integers(0, 256, (height, width)).astype(np.uint8),
                       np.full((height, width), 255, dtype=np.uint8),  # no overflow at the top
                       (rng.random((height, width)) < 0.5).astype(np.uint8) * 255):
            padded = np.pad(pixels.astype(np.float64), 3, mode="edge")
            rows = sum(kernel[i] * padded[:, i:i + width] for i in range(7))
            plain = np.rint(sum(kernel[i] * rows[i:i + height] for i in range(7)))
            blurred = _blur(pixels)
            assert blurred.dtype == np.uint8 and np.array_equal(blurred, plain), (height, width)
            pillow = np.asarray(Image.fromarray(pixels).filter(ImageFilter.GaussianBlur(1.0)))
            inner = (slice(3, -3), slice(3, -3))
            assert np.abs(blurred[inner].astype(int) - pillow[inner]).max(initial=0) <= 2


def _plain_join(boxes):
    """One round of joining, pair by pair: linked boxes share a group (union-find), each
    group the box round it, in the order of the group's first box."""
    def linked(a, b):
        ha, hb = a[3] - a[1], b[3] - b[1]
        tall, short = max(ha, hb), min(ha, hb)
        overlap = min(a[3], b[3]) - max(a[1], b[1])
        gap = max(a[0], b[0]) - min(a[2], b[2])
        return overlap > 0.6 * short and gap < 0.8 * tall and tall - short < 0.5 * tall

    group = list(range(len(boxes)))

    def root(i):
        while group[i] != i:
            i = group[i]
        return i

    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            if linked(boxes[i], boxes[j]):
                group[root(i)] = root(j)
    joined = {}
    for i, box in enumerate(boxes):
        other = joined.get(root(i), box)
        joined[root(i)] = (min(box[0], other[0]), min(box[1], other[1]),
                           max(box[2], other[2]), max(box[3], other[3]))
    return list(joined.values())


def test_the_whiteness_is_each_pixels_least_channel():
    from PIL import Image

    from filters.ocr_regions import whiteness

    rng = np.random.default_rng(23)
    for height, width in [(1, 1), (3, 2), (17, 31), (120, 90)]:
        pixels = rng.integers(0, 256, (height, width, 3)).astype(np.uint8)
        white = whiteness(Image.fromarray(pixels, "RGB"))
        assert white.mode == "L" and white.size == (width, height)
        assert np.array_equal(np.asarray(white), pixels.min(axis=2)), (height, width)


def test_the_percentile_from_counts_is_numpys_float_for_float():
    from filters.ocr_regions import _percentile

    rng = np.random.default_rng(24)
    for size in [1, 2, 3, 5, 7, 10, 51, 99, 100, 101, 1000, 4097]:
        for spread in (1, 3, 40, 256):
            values = rng.integers(0, spread, size).astype(np.int16)
            counts = np.bincount(values, minlength=256)
            for q in (0, 10, 50, 60, 99, 100):
                assert _percentile(counts, q) == float(np.percentile(values, q)), (size, spread, q)


def test_joining_groups_the_boxes_linked_on_a_line_in_order_of_their_first_box():
    from filters.ocr_regions import _join

    rng = np.random.default_rng(24)
    for count in (0, 1, 2, 5, 30, 200):
        for _ in range(5):
            boxes = []
            for _ in range(count):
                left, top = (int(v) * 4 for v in rng.integers(0, 60, 2))
                width, height = (int(v) * 4 for v in rng.integers(1, 12, 2))
                boxes.append((left, top, left + width, top + height))
            assert _join(boxes) == _plain_join(boxes), boxes


def test_a_line_too_narrow_to_hold_a_marking_is_found_but_not_given_to_read(monkeypatch):
    from filters import ocr_regions
    from filters.ocr_regions import whiteness, word_regions
    from tests.fixtures import images as pictures

    photo = pictures.smooth_photo(seed=4, size=(1400, 900))
    photo = pictures.words_on_photo(photo, "SECRET", fill=(20, 20, 20), size=80, at=(0.5, 0.25))
    photo = pictures.words_on_photo(photo, "TS", fill=(20, 20, 20), size=80, at=(0.5, 0.7))
    grey, white = photo.convert("L"), whiteness(photo)

    def on_the_two_letters(box: tuple[int, int, int, int]) -> bool:
        return box[1] < 630 < box[3] and box[0] < 700 < box[2]

    read = [region.box for region in word_regions(grey, white)]
    assert any(box[1] < 225 < box[3] and box[2] - box[0] > 4 * (box[3] - box[1]) for box in read)
    assert all(box[2] - box[0] >= 2 * (box[3] - box[1]) for box in read)
    monkeypatch.setattr(ocr_regions, "MIN_READ_WIDTH", 0.0)
    found = [region.box for region in word_regions(grey, white)]
    assert any(on_the_two_letters(box) for box in found)
    assert not any(on_the_two_letters(box) for box in read)
    assert set(read) < set(found)


def test_the_reduction_keeps_every_pixel_in_some_output_pixel():
    """The whiteness's reduction (whole blocks, then bilinear under 2): the size asked for,
    a flat picture stays flat, and a lone white pixel anywhere (a letter's thin stroke)
    still lightens some output pixel at the factors a photograph is reduced by."""
    from filters.ocr_regions import _shrink

    for (width, height), size in [((1400, 900), (500, 321)), ((1800, 1200), (500, 333)),
                                  ((1600, 1200), (500, 375)), ((700, 450), (500, 321)), ((91, 57), (50, 31))]:
        flat = np.full((height, width), 77, dtype=np.uint8)
        assert np.array_equal(_shrink(flat, size), np.full((size[1], size[0]), 77, dtype=np.uint8))
        rng = np.random.default_rng(width)
        rows, columns = rng.integers(0, height, 40).tolist(), rng.integers(0, width, 40).tolist()
        for y, x in zip(rows, columns, strict=True):
            picture = np.zeros((height, width), dtype=np.uint8)
            picture[y, x] = 255
            assert _shrink(picture, size).max() > 0, (width, height, y, x)


def _texture(seed: int, size: tuple[int, int]):
    """A grey picture of soft spots about 8 px across with grain (foliage, gravel, a crowd
    seen from afar: texture with no line in it)."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    width, height = size
    coarse = rng.integers(0, 256, (height // 8 + 2, width // 8 + 2), dtype=np.uint8)
    smooth = np.asarray(Image.fromarray(coarse).resize(size, Image.BICUBIC), dtype=np.float32)
    return Image.fromarray(np.clip(smooth + rng.normal(0, 9, smooth.shape), 0, 255).astype(np.uint8))


def test_a_line_with_paper_around_it_is_read_and_texture_is_not():
    """A line's box is fitted to its strokes, so paper lies above and below it; a box laid
    into a photograph's texture has it in its margins too, and is not handed to Tesseract."""
    from PIL import Image, ImageDraw

    from filters.ocr_regions import Region, crops

    page = Image.new("L", (600, 200), 235)
    draw = ImageDraw.Draw(page)
    for left in range(100, 460, 60):  # letters' stems, the box's height
        draw.rectangle((left, 80, left + 14, 130), fill=30)
        draw.rectangle((left, 80, left + 40, 92), fill=30)
    assert len(crops(page, Region((100, 80, 456, 131), light=False))) == 2
    photo = _texture(21, (900, 600))
    for box in [(200, 250, 500, 320), (100, 100, 400, 190), (500, 400, 800, 450), (300, 300, 700, 340)]:
        for light in (True, False):
            assert crops(photo, Region(box, light=light)) == [], (box, light)
    # At the picture's top edge there is no margin above to tell by: read.
    at_edge = Image.new("L", (600, 200), 235)
    at_edge.paste(photo.crop((0, 0, 600, 200)))
    assert len(crops(at_edge, Region((100, 0, 400, 60), light=False))) >= 1
