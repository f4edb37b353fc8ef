"""Pictures (PNG, JPEG, TIFF, GIF, BMP, WebP, HEIC): the text in them, read by OCR.

Each picture — every page of a multi-page TIFF and every distinct frame of an animated
GIF or WebP — becomes one ``#ocr`` text part (``scan.tiff/page[2]#ocr``). Sizes are
checked from the header before any pixel is decoded, so a decompression bomb (a few KB
claiming 30 000 x 30 000 pixels) is held without being unpacked.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from filters.errors import LimitReached, UnparseableContent
from filters.extract import picture_metadata
from filters.limits import Budget
from filters.ocr import legible, read_for_item
from filters.types import Defect, Part

try:  # HEIC/HEIF (iPhone photos): a Pillow plug-in around libheif.
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover - pillow-heif is a dependency; HEIC is then unparseable
    pass

# Pillow's own bomb guard (a warning at 89 M pixels, an error at twice that, raised while
# opening) is replaced by Redline's configurable limit, checked on the header of every
# frame before its pixels are decoded, so the hit can say what the picture claimed.
Image.MAX_IMAGE_PIXELS = None
warnings.simplefilter("ignore", Image.DecompressionBombWarning)

TYPES = ("image/png", "image/jpeg", "image/tiff", "image/gif", "image/bmp", "image/x-ms-bmp",
         "image/webp", "image/heic", "image/heif", "image/x-portable-pixmap",
         "image/x-portable-greymap", "image/x-portable-bitmap")


MAX_FRAMES = 10000  # frames walked per picture (tiny and repeated ones are skipped unread)


def _frame_label(index: int, frames: bool) -> str:
    return f"page[{index + 1}]#ocr" if frames else "#ocr"


def _check_size(image: Image.Image, budget: Budget, what: str) -> None:
    width, height = image.size
    limit = budget.limits.max_image_pixels
    if width * height > limit:
        raise LimitReached(
            "max_image_pixels",
            f"{what} is {width} x {height} pixels ({width * height:,}); the limit is "
            f"{limit:,} (limits.max_image_pixels), so it was not decoded",
        )


def _decoded(image: Image.Image) -> Image.Image:
    """The current frame decoded, a JPEG at a reduced size when it is far larger than OCR
    needs (the decoder's own 1/2, 1/4, 1/8 scaling costs less than decoding in full)."""
    if image.format == "JPEG" and max(image.size) > 2 * 3600:
        image.draft(image.mode, (image.width // 2, image.height // 2))
    image.load()
    return image


def _metadata(part: Part, budget: Budget) -> Iterator[Part]:
    """The text the picture's metadata carries (read with OCR on or off: it is no pixel)."""
    what = part.name or "picture"
    try:
        with (part.path.open("rb") if part.path is not None
              else io.BytesIO(budget.read_part(part))) as stream, Image.open(stream) as image:
            yield from picture_metadata.extract(part, budget, image, stream)
    except UnidentifiedImageError as exc:
        raise UnparseableContent(f"{what} is not a picture Redline can decode") from exc
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
        raise UnparseableContent(f"{what} cannot be decoded: {exc}") from exc


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """The picture's ``#metadata`` text, one ``#ocr`` text part per picture or frame, and
    Defects for limits reached."""
    yield from _metadata(part, budget)
    reader = budget.ocr
    if reader is None:
        yield Defect("ocr.off", "low", "OCR is off, so text in this picture was not read",
                     part.origin)
        return
    if part.path is not None:
        source: Path | io.BytesIO = part.path
        with part.path.open("rb") as stream:
            file_digest = hashlib.file_digest(stream, "sha256").digest()
    else:
        data = budget.read_part(part)
        source, file_digest = io.BytesIO(data), hashlib.sha256(data).digest()
    what = part.name or "picture"
    try:
        with Image.open(source) as image:
            _check_size(image, budget, what)
            multi = bool(getattr(image, "is_animated", False)) or getattr(image, "n_frames", 1) > 1
            seen: set[bytes] = set()
            index = 0
            while True:
                budget.check_time()
                if index >= MAX_FRAMES:
                    budget.limits_reached.append("ocr_pages")
                    yield Defect("limit.ocr_pages", "high",
                                 f"{what} has more than {MAX_FRAMES} frames; the rest was not read",
                                 part.origin)
                    return
                if index:
                    try:
                        image.seek(index)
                    except EOFError:
                        break
                    _check_size(image, budget, f"{what} page {index + 1}")
                frame = _decoded(image)
                if index == 0 and multi:
                    # A phone photo's stored turn; a picture of its own either way (a copy
                    # when there is no turn), so it is not copied again below.
                    frame = ImageOps.exif_transpose(frame) or frame
                elif index == 0:
                    # One picture: turned in place, and read from the file's own pixels,
                    # which no later frame replaces (a copy costs 1-2 ms a photograph).
                    ImageOps.exif_transpose(frame, in_place=True)
                small = not legible(*frame.size, reader.config)
                # An animation repeats most frames; each distinct picture is read once.
                digest = hashlib.blake2b(frame.tobytes(), digest_size=16).digest() if multi else b""
                if not small and digest not in seen:
                    seen.add(digest)
                    where = part.child_origin(_frame_label(index, multi))
                    # The file's own frame changes as the next is decoded into it: read a copy.
                    picture = frame.copy() if frame is image and multi else frame
                    text, defect = read_for_item(budget, picture, where,
                                                 file_digest + index.to_bytes(4, "big"))
                    if text:
                        yield budget.child(part, _frame_label(index, multi), text=text)
                    if defect is not None:
                        yield defect
                        if defect.rule != "limit.ocr_page_seconds":
                            return  # no more pictures are read in this item
                if not multi:
                    break
                index += 1
    except Image.DecompressionBombError as exc:
        raise LimitReached("max_image_pixels", f"{what} is a decompression bomb: {exc}") from exc
    except UnidentifiedImageError as exc:
        raise UnparseableContent(f"{what} is not a picture Redline can decode") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UnparseableContent(f"{what} cannot be decoded: {exc}") from exc
