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
