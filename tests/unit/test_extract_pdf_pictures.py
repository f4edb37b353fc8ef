"""Pictures placed on the pages of a text PDF, stored the ways PDF writers store them
(a JPEG XObject, a CMYK JPEG, a picture with a soft mask, an indexed picture, a stencil
mask), are read by OCR as the page shows them: a marked one is held, its clean twin
passes; a picture or a scanned page met again in a later mail gives its text from the
scanner's cache."""

from __future__ import annotations

import io
import zlib

import pytest
from conftest import require_peer
from PIL import Image

from filters.types import Part, Verdict
from tests.fixtures import images as pictures


@pytest.fixture(autouse=True)
def _fonts():
    require_peer(pictures.fonts_missing())


@pytest.fixture(scope="module")
def pipeline():
    return pictures.ocr_pipeline()


def scan(pipeline, data: bytes, name: str = "memo.pdf") -> Verdict:
    return pipeline.scan(Part(origin=name, data=data, name=name))


def pdf_with_picture(image: str, stream: bytes, size: tuple[int, int], *, pages: int = 1,
                     smask: bytes = b"", mask_key: str = "/SMask",
                     mask: str = "/ColorSpace /DeviceGray /BitsPerComponent 8") -> bytes:
    """A PDF of ``pages`` pages of text, each showing one image XObject (``image``: its
    dictionary's entries besides /Width, /Height and /Length) upright at its own shape,
    300 points wide; ``smask``: the data of an 8-bit grey soft mask (Flate) for it, or of
    another mask under ``mask_key`` whose entries are ``mask``."""
    width, height = size
    lines = [pictures.BODY_EN[i:i + 80] for i in range(0, len(pictures.BODY_EN), 80)]
    text = "".join(f"BT /F1 10 Tf 72 {560 - 14 * n} Td ({line}) Tj ET\n"
                   for n, line in enumerate(lines) if "(" not in line and ")" not in line)
    content = (f"q 300 0 0 {300 * height / width:.3f} 72 640 cm /Im1 Do Q\n" + text).encode()
    extra = []
    if smask:
        image += f" {mask_key} 7 0 R"
        extra.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d %s "
                     b"/Filter /FlateDecode /Length %d >>\n"
                     b"stream\n%s\nendstream" % (width, height, mask.encode(), len(smask), smask))
    first_page = 7 + len(extra)
    kids = " ".join(f"{first_page + 2 * n} 0 R" for n in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
               b"<< /Producer (Redline tests) >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< >>",
               f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} {image} "
               f"/Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream",
               *extra]
    for n in range(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
                       f"<< /Font << /F1 4 0 R >> /XObject << /Im1 6 0 R >> >> "
                       f"/Contents {first_page + 2 * n + 1} 0 R >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def jpeg(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


def stored(kind: str, words: str, *, pages: int = 1) -> bytes:
    """A PDF whose pages show ``words`` as a screenshot pasted as a picture, stored as
    ``kind``."""
    shot = pictures.text_screenshot(words, size=40, width=500)
    size = shot.size
    if kind == "jpeg":  # DCTDecode, shown as stored: decoded from its stream
        return pdf_with_picture("/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode",
                                jpeg(shot), size, pages=pages)
    if kind == "cmyk jpeg":
        # An Adobe CMYK JPEG holds its inks inverted; PDF writers say so with /Decode.
        return pdf_with_picture("/ColorSpace /DeviceCMYK /BitsPerComponent 8 "
                                "/Decode [1 0 1 0 1 0 1 0] /Filter /DCTDecode",
                                jpeg(shot.convert("CMYK")), size, pages=pages)
    ink = shot.convert("L").point(lambda level: 255 - level)
    if kind == "soft mask":
        # A stamp on a see-through ground, as a PNG with alpha is stored: its ink (black)
        # in the soft mask, its colour black everywhere.
        black = Image.new("RGB", size, (0, 0, 0))
        return pdf_with_picture("/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode",
                                zlib.compress(black.tobytes()), size, pages=pages,
                                smask=zlib.compress(ink.tobytes()))
    if kind == "indexed":
        palette = shot.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
        colours = bytes(palette.getpalette()[:48]).hex()
        return pdf_with_picture(f"/ColorSpace [/Indexed /DeviceRGB 15 <{colours}>] "
                                "/BitsPerComponent 8 /Filter /FlateDecode",
                                zlib.compress(palette.tobytes()), size, pages=pages)
    if kind == "stencil mask":  # 1-bit, painted in the fill colour where the bit is 0
        bits = shot.convert("L").point(lambda level: 0 if level < 128 else 255).convert("1")
        return pdf_with_picture("/ImageMask true /BitsPerComponent 1 /Filter /FlateDecode",
                                zlib.compress(bits.tobytes()), size, pages=pages)
    raise ValueError(kind)


KINDS = ["jpeg", "cmyk jpeg", "soft mask", "indexed", "stencil mask"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_marked_stamp_pasted_as_a_picture_is_held(pipeline, kind):
    verdict = scan(pipeline, stored(kind, "TOP SECRET"))
    assert verdict.action == "quarantine"
    assert {h.where for h in verdict.hits if h.category == "classification"} == {
        "memo.pdf/page[1]/image[1]#ocr"}


@pytest.mark.parametrize("kind", KINDS)
def test_its_clean_twin_passes(pipeline, kind):
    verdict = scan(pipeline, stored(kind, "Acme Bakery"))
    assert verdict.action == "pass", [(h.rule, h.where, h.excerpt) for h in verdict.hits]
    assert verdict.stats.ocr_pages == 1  # it was read


@pytest.mark.parametrize("kind", ["jpeg", "soft mask"])
def test_a_picture_on_three_pages_is_read_once_and_from_the_cache_in_a_later_mail(
        pipeline, kind):
    pipeline.ocr.texts.clear()  # no other test's pictures in the scanner's cache
    data = stored(kind, "TOP SECRET", pages=3)
    first = scan(pipeline, data, "memo.pdf")
    again = scan(pipeline, data, "memo.pdf")
    assert first.action == again.action == "quarantine"
    assert (first.stats.ocr_pages, first.stats.ocr_cached) == (1, 0)
    assert (again.stats.ocr_pages, again.stats.ocr_cached) == (1, 1)
    assert again.stats.ocr_seconds == 0.0 < first.stats.ocr_seconds
    assert sorted((h.rule, h.where) for h in again.hits) == sorted(
        (h.rule, h.where) for h in first.hits)


def test_the_same_stream_shown_otherwise_is_read_again(pipeline):
    # The cache knows a picture by its pixels: the same JPEG bytes inverted by /Decode
    # (a negative on the page) are not the picture read before.
    pipeline.ocr.texts.clear()
    shot = jpeg(pictures.text_screenshot("TOP SECRET", size=40, width=500))
    size = pictures.text_screenshot("TOP SECRET", size=40, width=500).size
    common = "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode"
    negative = scan(pipeline, pdf_with_picture(common + " /Decode [1 0 1 0 1 0]", shot, size))
    positive = scan(pipeline, pdf_with_picture(common, shot, size))
    assert (negative.stats.ocr_cached, positive.stats.ocr_cached) == (0, 0)
    assert positive.action == "quarantine"


def test_a_scan_sent_again_is_read_from_the_cache(pipeline):
    pipeline.ocr.texts.clear()
    data = pictures.scanned_report(marked_page=2, pages=2)
    first = scan(pipeline, data, "annex.pdf")
    again = scan(pipeline, data, "annex.pdf")
    assert first.action == again.action == "quarantine"
    assert (first.stats.ocr_pages, first.stats.ocr_cached) == (2, 0)
    assert (again.stats.ocr_pages, again.stats.ocr_cached) == (2, 2)
    assert again.stats.ocr_seconds == 0.0 < first.stats.ocr_seconds
    assert sorted((h.rule, h.where) for h in again.hits) == sorted(
        (h.rule, h.where) for h in first.hits)


def masked_jpeg(words: str, key: str = "/SMask") -> bytes:
    """A PDF whose picture is a JPEG all black, its letters only in its mask: the page
    shows ``words`` (black where the mask lets it through, paper elsewhere), the JPEG
    alone a black block. ``key``: /SMask (8-bit grey), the same escaped as a writer may
    spell a name, or /Mask (a 1-bit stencil, 1 masking out)."""
    shot = pictures.text_screenshot(words, size=40, width=500)
    black = Image.new("RGB", shot.size, (0, 0, 0))
    common = "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode"
    if key == "/Mask":
        bits = shot.convert("L").point(lambda level: 0 if level < 128 else 255).convert("1")
        return pdf_with_picture(common, jpeg(black), shot.size, smask=zlib.compress(bits.tobytes()),
                                mask_key=key, mask="/ImageMask true /BitsPerComponent 1")
    ink = shot.convert("L").point(lambda level: 255 - level)
    return pdf_with_picture(common, jpeg(black), shot.size, smask=zlib.compress(ink.tobytes()),
                            mask_key=key)


@pytest.mark.parametrize("key", ["/SMask", "/S#4Dask", "/Mask"])
def test_a_black_jpeg_whose_mask_spells_the_marking_is_held(pipeline, key):
    verdict = scan(pipeline, masked_jpeg("TOP SECRET", key))
    assert verdict.action == "quarantine"
    assert {h.where for h in verdict.hits if h.category == "classification"} == {
        "memo.pdf/page[1]/image[1]#ocr"}


@pytest.mark.parametrize("key", ["/SMask", "/Mask"])
def test_a_black_jpeg_whose_mask_spells_a_clean_phrase_passes(pipeline, key):
    verdict = scan(pipeline, masked_jpeg("Acme Bakery", key))
    assert verdict.action == "pass", [(h.rule, h.where, h.excerpt) for h in verdict.hits]
    assert verdict.stats.ocr_pages == 1


def _page_pictures(data: bytes) -> list[Image.Image]:
    """The pictures ``_picture_bitmaps`` gives for the first page of ``data``."""
    import pypdfium2 as pdfium

    from filters.extract import pdf
    from filters.limits import Budget, Limits

    part = Part(origin="memo.pdf", data=data, name="memo.pdf")
    budget = Budget(Limits())  # no OCR engine: every picture is taken
    doc = pdfium.PdfDocument(data)
    try:
        _, placed = pdf._pictures(doc[0], True)
        out, _ = pdf._picture_bitmaps(part, budget, 1, placed, set(), data)
        return [picture for _, picture, _ in out]
    finally:
        budget.close()
        doc.close()


def test_a_plain_jpeg_photo_is_decoded_from_its_stream_and_a_masked_one_drawn():
    # A photo without a mask keeps the cheap path: its pixels are the stored JPEG's as
    # decoded, not a drawing of it; the same JPEG with a soft mask is drawn on white.
    photo = pictures.text_screenshot("Harbour at dusk", size=40, width=500)
    stream = jpeg(photo)
    common = "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode"
    (plain,) = _page_pictures(pdf_with_picture(common, stream, photo.size))
    assert plain.size == photo.size
    assert plain.tobytes() == Image.open(io.BytesIO(stream)).convert("RGB").tobytes()
    ink = photo.convert("L").point(lambda level: 255 - level)
    (masked,) = _page_pictures(pdf_with_picture(common, stream, photo.size,
                                                smask=zlib.compress(ink.tobytes())))
    assert masked.tobytes() != plain.tobytes()


def test_a_jpeg_whose_dictionary_cannot_be_told_is_drawn():
    # Not found as stored (an encrypted file's bytes), or a string in its dictionary that
    # could hide the true object header: the picture is drawn, never taken as stored.
    from filters.extract import pdf

    stream = jpeg(pictures.text_screenshot("Harbour at dusk", size=40, width=500))
    common = "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode"
    plain = pdf_with_picture(common, stream, (500, 60))
    assert pdf._unmasked(plain, stream)
    assert not pdf._unmasked(plain.replace(stream, bytes(reversed(stream))), stream)
    assert not pdf._unmasked(pdf_with_picture(common + " /Name (x\n1 0 obj)", stream, (500, 60)),
                             stream)



def _stored_pair(data: bytes) -> tuple[tuple[Image.Image, bytes] | None, Image.Image]:
    """For the first page's one picture of ``data``: what ``_plain_jpeg`` gives (Pillow's
    decode and its key, or None) and PDFium's own decode of the stream."""
    import pypdfium2 as pdfium

    from filters.extract import pdf

    doc = pdfium.PdfDocument(data)
    try:
        _, (obj,) = pdf._pictures(doc[0], True)
        width, height = obj.get_px_size()
        assert pdf._drawn_as_stored(obj, width, height)
        dictionaries = pdf._unmasked(data, memoryview(obj.get_data()).cast("B"))
        assert dictionaries
        plain = pdf._plain_jpeg(obj, dictionaries, width, height)
        bitmap = obj.get_bitmap(render=False)
        try:
            by_pdfium = bitmap.to_pil().copy()
        finally:
            bitmap.close()
        return plain, by_pdfium
    finally:
        doc.close()


def _photo_jpeg(mode: str, **options) -> tuple[bytes, tuple[int, int]]:
    photo = pictures.text_screenshot("Harbour at dusk", size=40, width=520).convert(mode)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=85, **options)
    return out.getvalue(), photo.size


@pytest.mark.parametrize(
    ("mode", "space", "options"),
    [
        ("RGB", "/DeviceRGB", {}),  # 4:2:0, as most cameras and writers store it
        ("RGB", "/DeviceRGB", {"subsampling": 0}),  # 4:4:4
        ("RGB", "/DeviceRGB", {"subsampling": 1}),  # 4:2:2
        ("RGB", "/DeviceRGB", {"progressive": True}),
        ("RGB", "/DeviceRGB", {"optimize": True, "restart_marker_rows": 1}),
        ("L", "/DeviceGray", {}),
        ("RGB", "/DeviceRGB", {"icc": True}),  # a camera's profile, which the PDF's space overrides
        ("RGB", "/DeviceRGB", {"exif": True}),  # a phone's turn, which a PDF does not apply
    ],
)
def test_a_plain_stored_jpeg_is_decoded_by_pillow_to_pdfiums_pixels(mode, space, options):
    # The cheaper decode must not change what OCR sees: pixel for pixel PDFium's decode.
    from PIL import ImageCms

    if options.pop("icc", False):
        options["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    if options.pop("exif", False):
        exif = Image.Exif()
        exif[0x0112] = 6  # Orientation: turned 90 degrees
        options["exif"] = exif.tobytes()
    stream, size = _photo_jpeg(mode, **options)
    plain, by_pdfium = _stored_pair(
        pdf_with_picture(f"/ColorSpace {space} /BitsPerComponent 8 /Filter /DCTDecode", stream, size)
    )
    assert plain is not None
    picture = plain[0]
    assert picture.mode == by_pdfium.mode == mode and picture.size == size
    assert picture.tobytes() == by_pdfium.tobytes()
    (page_picture,) = _page_pictures(
        pdf_with_picture(f"/ColorSpace {space} /BitsPerComponent 8 /Filter /DCTDecode", stream, size)
    )
    assert page_picture.tobytes() == by_pdfium.tobytes()


def test_a_jpeg_in_ascii85_is_decoded_by_pillow_and_known_by_its_jpeg_bytes():
    import base64

    stream, size = _photo_jpeg("RGB")
    wrapped = base64.a85encode(stream, wrapcol=72) + b"~>"
    plain, by_pdfium = _stored_pair(
        pdf_with_picture(
            "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter [/ASCII85Decode /DCTDecode]", wrapped, size
        )
    )
    direct, _ = _stored_pair(
        pdf_with_picture("/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode", stream, size)
    )
    assert plain is not None and direct is not None
    assert plain[0].tobytes() == by_pdfium.tobytes()
    assert plain[1] == direct[1]  # the same JPEG: the same pixels, the same key


@pytest.mark.parametrize(
    "entries",
    [
        # Inks held inverted (Adobe CMYK), said by /Decode: PDFium applies it.
        "/ColorSpace /DeviceCMYK /BitsPerComponent 8 /Decode [1 0 1 0 1 0 1 0] /Filter /DCTDecode",
        "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Decode [1 0 1 0 1 0] /Filter /DCTDecode",
        "/ColorSpace /DeviceRGB /BitsPerComponent 8 /DecodeParms << /ColorTransform 0 >> /Filter /DCTDecode",
        "/ColorSpace [/CalRGB << /WhitePoint [0.9505 1 1.089] /Gamma [1.8 1.8 1.8] >>] "
        "/BitsPerComponent 8 /Filter /DCTDecode",
        "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode",  # says grey, holds colour
    ],
)
def test_a_stored_jpeg_whose_dictionary_changes_its_pixels_is_left_to_pdfium(entries):
    stream, size = _photo_jpeg("CMYK" if "CMYK" in entries else "RGB")
    plain, by_pdfium = _stored_pair(pdf_with_picture(entries, stream, size))
    assert plain is None
    (page_picture,) = _page_pictures(pdf_with_picture(entries, stream, size))
    expected = by_pdfium if by_pdfium.mode in ("RGB", "L") else by_pdfium.convert("RGB")
    assert page_picture.size == size and page_picture.mode == expected.mode
    assert page_picture.tobytes() == expected.tobytes()


def test_a_stored_jpeg_of_another_size_than_its_dictionary_says_is_left_to_pdfium():
    stream, (width, height) = _photo_jpeg("RGB")
    plain, _ = _stored_pair(
        pdf_with_picture(
            "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode", stream, (width, height + 8)
        )
    )
    assert plain is None


def test_a_truncated_stored_jpeg_is_left_to_pdfium_and_does_not_stop_the_scan(pipeline):
    stream, size = _photo_jpeg("RGB")
    cut = stream[: len(stream) * 2 // 3]
    data = pdf_with_picture("/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode", cut, size)
    plain, _ = _stored_pair(data)
    assert plain is None  # Pillow refuses a JPEG cut short: PDFium decodes what there is
    verdict = scan(pipeline, data)
    assert verdict.action == "pass", [(h.rule, h.where, h.excerpt) for h in verdict.hits]


@pytest.mark.parametrize("kind", [*KINDS, "grey jpeg"])
def test_pictures_taken_from_a_page_log_no_warning_and_keep_their_pixels(caplog, kind):
    # Each picture's PDFium bitmap is closed as soon as its pixels are copied out;
    # pypdfium2 (5.14+) would log "potentially unsafe operation" for each such close, a
    # WARNING per picture in the gateway's log. The pictures stay whole after the close.
    shot = pictures.text_screenshot("Harbour at dusk", size=40, width=500)
    if kind == "grey jpeg":
        # With a /Decode array (here the identity) PDFium decodes it, as an L bitmap whose
        # buffer Pillow would share.
        stream = jpeg(shot.convert("L"))
        data = pdf_with_picture(
            "/ColorSpace /DeviceGray /Decode [0 1] /BitsPerComponent 8 /Filter /DCTDecode",
            stream,
            shot.size,
        )
    else:
        data = stored(kind, "Harbour at dusk")
    with caplog.at_level("WARNING"):
        (picture,) = _page_pictures(data)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("pypdfium2")] == []
    assert picture.size == shot.size
    if kind == "grey jpeg":
        assert picture.tobytes() == Image.open(io.BytesIO(stream)).tobytes()


def _a85_cases() -> list[bytes]:
    """ASCII85 streams as writers lay them out (Python's and ReportLab's line widths, a
    z for four zero bytes, a short last group) and as damaged files hold them."""
    import base64
    import random

    rng = random.Random(85)
    data = bytes(rng.randrange(256) for _ in range(997)) + bytes(8) + b"\xff\xd8" * 3
    cases = [base64.a85encode(data[:n], foldspaces=False, wrapcol=w) + b"~>"
             for n in (0, 1, 2, 3, 4, 5, 8, 1000, len(data)) for w in (0, 64, 72)]
    text, flat = base64.a85encode(data, wrapcol=64), base64.a85encode(data)
    cases += [
        text.replace(b"\n", b"\r\n") + b"\n~>",
        b" \t" + text.replace(b"\n", b"\r") + b"~",  # no > after the ~
        text + b"~>\nendstream junk",
        b"s8W-!uuuuu" + text + b"~>",  # 2**32 - 1, then a group over 2**32
        flat[:100] + b"z" + flat[100:] + b"~>",  # z at a group's end
        flat[:102] + b"z" + flat[102:] + b"~>",  # z inside a group
        text[:50] + b"\x0c" + text[50:] + b"~>",  # a form feed: not PDFium's space
        text[:50] + b"v" + text[50:] + b"~>",  # outside the digits
        text,  # no end
        b"~>",
    ]
    return cases


@pytest.mark.parametrize("case", range(len(_a85_cases())))
def test_ascii85_is_decoded_as_pdfium_decodes_it(case):
    # A JPEG stored in ASCII85 is decoded without PDFium: the same bytes, or PDFium's own
    # decoding where this one does not know its reading of odd data.
    import pypdfium2 as pdfium

    from filters.extract import pdf

    stream = _a85_cases()[case]
    data = pdf_with_picture("/ColorSpace /DeviceRGB /BitsPerComponent 8 "
                            "/Filter [/ASCII85Decode /DCTDecode]", stream, (40, 30))
    doc = pdfium.PdfDocument(data)
    try:
        _, (obj,) = pdf._pictures(doc[0], True)
        stored = memoryview(obj.get_data()).cast("B")
        assert bytes(stored) == stream
        ours = pdf._jpeg_bytes(obj, stored)
        if ours is not None:
            assert bytes(ours) == bytes(obj.get_data(decode_simple=True))
    finally:
        doc.close()


def test_ascii85_streams_writers_make_are_decoded_without_pdfium():
    from filters.extract import pdf

    for stream in _a85_cases()[3:32]:
        assert pdf._ascii85(stream) is not None, stream[:40]
    assert pdf._ascii85(_a85_cases()[-5]) is None  # z inside a group: PDFium's reading
