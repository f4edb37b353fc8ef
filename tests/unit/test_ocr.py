"""OCR through the real pipeline: text that exists only as pixels is read and scanned by the
same rules, clean pictures pass, and hostile pictures end in a policy hit, never a crash.

The pictures are made the way real ones are (tests/fixtures/images.py): LibreOffice pages
rasterised at 150 and 300 dpi, the same page photographed with a phone, a red rubber
stamp over Chinese text, a diagonal watermark, a phone screenshot of a mail client, a
scanned multi-page PDF, a picture inside a Word document.
"""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from conftest import require_peer
from PIL import Image, ImageDraw

from filters.build import FiltersConfig, build_pipeline
from filters.errors import ConfigError
from filters.limits import Budget, Clocks, Limits, Spent
from filters.normalise import normalise
from filters.ocr import OcrConfig, OcrReader, OcrResult, Survey, read_for_item
from filters.types import Part, Verdict
from tests.fixtures import images as pictures


@pytest.fixture(autouse=True)
def _fonts():
    require_peer(pictures.fonts_missing())


@pytest.fixture(scope="module")
def pipeline():
    return pictures.ocr_pipeline()


def scan(pipeline, data: bytes, name: str) -> Verdict:
    return pipeline.scan(Part(origin=name, data=data, name=name))


def hits_of(verdict: Verdict, category: str) -> list:
    return [h for h in verdict.hits if h.category == category]


def assert_clean(verdict: Verdict) -> None:
    assert verdict.action == "pass", [(h.rule, h.where, h.excerpt) for h in verdict.hits]
    assert not [h for h in verdict.hits if h.category != "policy" or h.severity != "low"]


# -- pages that carry a marking only as pixels ------------------------------------------


@pytest.mark.parametrize("dpi", [150, 300])
def test_libreoffice_page_rasterised_is_read_and_its_banner_held(pipeline, dpi):
    page = pictures.scanned(pictures.rasterise(pictures.REAL / "w-header-en.pdf", dpi=dpi))
    verdict = scan(pipeline, pictures.encode(page, "PNG"), "scan.png")
    found = hits_of(verdict, "classification")
    assert verdict.action == "quarantine"
    assert found and found[0].where == "scan.png/#ocr"
    assert "SECRET//NOFORN" in found[0].excerpt


@pytest.mark.parametrize("dpi", [150, 300])
def test_the_clean_libreoffice_page_rasterised_passes(pipeline, dpi):
    # "the secret to good bread", "draft beer", Secret Santa and a mail disclaimer.
    page = pictures.scanned(pictures.rasterise(pictures.REAL / "w-clean-en.pdf", dpi=dpi))
    assert_clean(scan(pipeline, pictures.encode(page, "PNG"), "newsletter.png"))


def test_a_phone_photo_of_the_marked_page_is_held(pipeline):
    page = pictures.rasterise(pictures.REAL / "w-header-en.pdf", dpi=150)
    verdict = scan(pipeline, pictures.photographed(page), "IMG_2041.jpg")
    assert verdict.action == "quarantine"
    assert hits_of(verdict, "classification")[0].where == "IMG_2041.jpg/#ocr"


def test_a_phone_photo_of_the_clean_page_passes(pipeline):
    page = pictures.rasterise(pictures.REAL / "w-clean-en.pdf", dpi=150)
    assert_clean(scan(pipeline, pictures.photographed(page), "IMG_2042.jpg"))


def _phone_photo_12mp(*, marked: bool, seed: int) -> bytes:
    # A phone camera's 12 MP photo of an A4 page fills the frame at about 350 dpi (4238 px
    # long once turned 3°): more pixels than the 300 dpi the survey works at, text far
    # taller than Tesseract reads best.
    page = pictures.text_page([pictures.BODY_EN] * 5, dpi=350, banner="SECRET" if marked else "",
                              first_line="机密★10年" if marked else "", title="Quarterly report")
    return pictures.photographed(page, seed=seed)


@pytest.mark.parametrize("seed", [2, 4, pytest.param(3, marks=pytest.mark.xfail(
    reason="known miss: with this photo's noise Tesseract reads 机密★10年 as 机密女10征 "
           "(年 as 征), which no rule matches; the banner is held", strict=False))])
def test_a_12_mp_phone_photo_of_a_page_keeps_its_banner_and_chinese_marking(pipeline, seed):
    # Reduced to a fixed 3600 px working side, such a photo lost its SECRET banner in one
    # run and its 机密★10年 line in another: it is read at the scale its text height asks.
    data = _phone_photo_12mp(marked=True, seed=seed)
    assert max(Image.open(io.BytesIO(data)).size) > 4000
    verdict = scan(pipeline, data, "IMG_4410.jpg")
    found = hits_of(verdict, "classification")
    assert verdict.action == "quarantine"
    assert "classification.zh.level" in {h.rule for h in found}
    assert any("SECRET" in h.excerpt and h.rule != "classification.zh.level" for h in found)


def test_the_12_mp_phone_photo_of_the_clean_page_passes(pipeline):
    assert_clean(scan(pipeline, _phone_photo_12mp(marked=False, seed=2), "IMG_4411.jpg"))


def test_a_small_marking_under_large_body_text_survives_the_reduction(pipeline):
    # The working scale follows the body text's height: a 300 dpi page of 14 pt text is
    # read at about half size. Its 8 pt footer marking shrinks with it and must stay legible.
    # 11 pt drawn at 382 dpi is 14 pt at 300 dpi: the A4 page at 300 dpi cut from it.
    body = pictures.text_page([pictures.BODY_EN] * 4, dpi=382).crop((0, 0, 2481, 3508))
    footer = pictures.marking_line("SECRET//NOFORN", round(8 * 300 / 72), path=pictures.SANS)
    body.paste(footer, (300, body.height - 150))
    verdict = scan(pipeline, pictures.encode(pictures.scanned(body), "PNG"), "memo.png")
    assert "SECRET//NOFORN" in hits_of(verdict, "classification")[0].excerpt


def test_red_stamp_over_chinese_text_is_read_by_its_colour(pipeline):
    verdict = scan(pipeline, pictures.encode(pictures.stamped_page(), "PNG"), "纪要.png")
    found = hits_of(verdict, "classification")
    assert verdict.action == "quarantine"
    assert found[0].rule == "classification.zh.level"
    assert found[0].where.endswith("#ocr")


def test_the_same_chinese_page_without_the_stamp_passes(pipeline):
    assert_clean(scan(pipeline, pictures.encode(pictures.stamped_page(text=""), "PNG"), "纪要.png"))


def test_a_stamp_of_a_harmless_word_in_red_passes(pipeline):
    page = pictures.stamped_page(text="已付", below="2026")  # "paid": an accounts stamp
    assert_clean(scan(pipeline, pictures.encode(page, "PNG"), "invoice.png"))


@pytest.mark.parametrize("dpi", [150, 300])
def test_chinese_first_line_marking_with_its_star_is_held(pipeline, dpi):
    # At 300 dpi the all-languages reading takes this line for Latin letters; it is read
    # again with the Chinese models alone.
    page = pictures.text_page([pictures.BODY_ZH] * 3, cjk=True, first_line="机密★10年", title="通知",
                              dpi=dpi)
    verdict = scan(pipeline, pictures.encode(pictures.scanned(page), "PNG"), "tongzhi.png")
    assert [h.rule for h in hits_of(verdict, "classification")] == ["classification.zh.level"]


@pytest.mark.parametrize("by_script", [True, False])
@pytest.mark.parametrize("dpi", [150, 300])
def test_a_traditional_chinese_page_marked_in_its_first_line_is_held(dpi, by_script):
    # Read by script first, a Chinese page goes to chi_sim; a traditional page, which
    # chi_sim reads unsurely, is read again with chi_tra. Neither may lose the marking.
    pipeline = build_pipeline(FiltersConfig.from_mapping({
        "ocr": {"by_script": by_script},
        "limits": {"part_seconds": 120.0, "item_seconds": 300.0, "ocr_item_seconds": 240.0,
                   "ocr_page_seconds": 120.0}}))
    page = pictures.text_page([pictures.BODY_ZH_TRA] * 3, cjk=True, first_line="機密★10年",
                              title="通知", dpi=dpi)
    verdict = scan(pipeline, pictures.encode(pictures.scanned(page), "PNG"), "tongzhi.png")
    assert [h.rule for h in hits_of(verdict, "classification")] == ["classification.zh.level"]


def test_an_unsure_stand_in_for_the_star_between_a_level_and_a_period_is_the_star():
    # The models do not know ★: what they put in its place is often read unsurely, and
    # dropping it as noise would leave 机密10年, which no marking rule reads as a marking.
    from filters.ocr import _line_text

    assert _line_text([("機", 80), ("密", 90), ("女", 20), ("10", 93), ("年", 92)], 50) == "機密★10年"
    assert _line_text([("机密", 90), ("妇", 5), ("长期", 90)], 50) == "机密★长期"
    # ... and the period's number after it, read unsurely, is kept too.
    assert _line_text([("机", 92), ("密", 92), ("妇", 64), ("10", 25), ("年", 96)], 50) == "机密★10年"
    # Anywhere else an unsure character is dropped as before.
    assert _line_text([("会", 90), ("女", 20), ("10", 93), ("年", 92)], 50) == "会10年"
    assert _line_text([("机密", 90), ("女", 20), ("文件", 93)], 50) == "机密文件"
    assert _line_text([("会", 90), ("议", 90), ("10", 20), ("年", 90)], 50) == "会议年"


def test_the_same_traditional_page_without_the_marking_passes(pipeline):
    page = pictures.text_page([pictures.BODY_ZH_TRA] * 3, cjk=True, title="通知", dpi=300)
    assert_clean(scan(pipeline, pictures.encode(pictures.scanned(page), "PNG"), "tongzhi.png"))


@pytest.mark.parametrize("dpi", [150, 300])
def test_a_chinese_marking_on_an_english_page_is_read_with_the_chinese_models(pipeline, dpi):
    # The page's script is Latin, so it is read with eng+spa; the marking's line, which
    # those models read as nonsense, must still be read again with the Chinese ones.
    page = pictures.text_page([pictures.BODY_EN] * 4, first_line="机密★10年",
                              title="Quarterly report", dpi=dpi)
    verdict = scan(pipeline, pictures.encode(pictures.scanned(page), "PNG"), "report.png")
    assert [h.rule for h in hits_of(verdict, "classification")] == ["classification.zh.level"]


def test_an_english_banner_on_a_chinese_page_is_held(pipeline):
    page = pictures.text_page([pictures.BODY_ZH] * 4, cjk=True, banner="SECRET", title="通知",
                              dpi=300)
    verdict = scan(pipeline, pictures.encode(pictures.scanned(page), "PNG"), "tongzhi.png")
    assert hits_of(verdict, "classification")


@pytest.fixture(scope="module")
def chinese_only():
    """A pipeline configured for Chinese alone, as a mainland or Taiwan office may be."""
    built = build_pipeline(FiltersConfig.from_mapping({
        "ocr": {"languages": ["chi_sim", "chi_tra"]},
        "limits": {"part_seconds": 120.0, "item_seconds": 300.0, "ocr_item_seconds": 240.0,
                   "ocr_page_seconds": 120.0}}))
    assert built.ocr is not None, built.ocr_status.reason
    return built


def read_text(pipeline, page: Image.Image) -> str:
    return pipeline.ocr.read(page, seconds=120, survey=pipeline.ocr.survey(page)).text


@pytest.mark.parametrize("dpi", [150, 300])
def test_a_latin_page_under_chinese_only_languages_is_read_with_english(chinese_only, dpi):
    # The Chinese models read Latin letters slowly and drop some (figures came out as
    # "fgures"); the page's script is Latin, so English reads it, and its banner is held.
    page = pictures.scanned(pictures.text_page([pictures.BODY_EN] * 4, banner="SECRET",
                                               title="Quarterly report", dpi=dpi))
    assert "quarterly logistics figures on Tuesday" in read_text(chinese_only, page)
    verdict = scan(chinese_only, pictures.encode(page, "PNG"), "report.png")
    assert "SECRET" in hits_of(verdict, "classification")[0].excerpt


def test_a_chinese_page_under_chinese_only_languages_is_still_read_with_chinese(chinese_only):
    page = pictures.scanned(pictures.text_page([pictures.BODY_ZH_TRA] * 3, cjk=True,
                                               first_line="機密★10年", title="通知", dpi=300))
    assert "財務部門將在下月" in read_text(chinese_only, page)
    verdict = scan(chinese_only, pictures.encode(page, "PNG"), "tongzhi.png")
    assert [h.rule for h in hits_of(verdict, "classification")] == ["classification.zh.level"]


def test_an_english_banner_on_a_chinese_page_under_chinese_only_languages_is_held(chinese_only):
    page = pictures.text_page([pictures.BODY_ZH] * 4, cjk=True, banner="SECRET", title="通知",
                              dpi=300)
    verdict = scan(chinese_only, pictures.encode(pictures.scanned(page), "PNG"), "tongzhi.png")
    assert "SECRET" in hits_of(verdict, "classification")[0].excerpt


def test_a_page_half_english_half_chinese_loses_neither_half():
    # Script detection sees one band of the page; the other script's lines must be read
    # with their own models (the half-and-half page falls back to every language).
    reader, status = OcrReader.from_config(OcrConfig(enabled=True))
    assert reader is not None, status.reason
    page = pictures.text_page([pictures.BODY_EN] * 2 + [pictures.BODY_ZH] * 2, cjk=True,
                              title="Report", dpi=300)
    text = reader.read(pictures.scanned(page), seconds=120).text
    assert "quarterly logistics figures" in text
    # As the rules see it: the every-language fallback may read a line with chi_tra
    # (物資), which the normaliser folds to the simplified form.
    folded = normalise(text).text
    assert "物资保障工作" in folded and "财务部门" in folded


@pytest.mark.parametrize(("word", "spanish", "rule"), [("DRAFT", False, "draft.en.banner"),
                                                       ("BORRADOR", True, "draft.es.banner")])
def test_diagonal_watermark_behind_text_is_read_at_its_angle(pipeline, word, spanish, rule):
    page = pictures.watermarked_page(word, spanish=spanish)
    verdict = scan(pipeline, pictures.encode(page, "PNG"), "report.png")
    assert rule in [h.rule for h in hits_of(verdict, "draft")]


def test_the_same_page_without_the_watermark_passes(pipeline):
    assert_clean(scan(pipeline, pictures.encode(pictures.watermarked_page(""), "PNG"), "report.png"))


def test_phone_screenshot_of_a_mail_with_a_secret_subject_is_held(pipeline):
    shot = pictures.phone_screenshot("SECRET - convoy schedule for March")
    verdict = scan(pipeline, pictures.encode(shot, "PNG"), "IMG_0117.PNG")
    assert verdict.action == "quarantine"
    assert "SECRET" in hits_of(verdict, "classification")[0].excerpt


def test_the_same_screenshot_with_an_ordinary_subject_passes(pipeline):
    shot = pictures.phone_screenshot("Convoy schedule for March")
    assert_clean(scan(pipeline, pictures.encode(shot, "PNG"), "IMG_0118.PNG"))


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "BMP", "WEBP", "TIFF"])
def test_the_secret_to_good_bread_as_a_picture_passes(pipeline, fmt):
    shot = pictures.text_screenshot("The secret to good bread is time: let the dough rest "
                                    "overnight. Our draft beer goes well with it.")
    verdict = scan(pipeline, pictures.encode(shot, fmt, **({"lossless": True} if fmt == "WEBP" else {})),
                   f"bread.{fmt.lower()}")
    assert_clean(verdict)


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "WEBP", "TIFF"])
def test_a_screenshot_marking_is_read_in_every_picture_format(pipeline, fmt):
    shot = pictures.text_screenshot("CONFIDENTIAL", size=28, width=500)
    verdict = scan(pipeline, pictures.encode(shot, fmt, **({"lossless": True} if fmt == "WEBP" else {})),
                   f"shot.{fmt.lower()}")
    assert hits_of(verdict, "classification"), verdict.hits


def test_a_heic_photo_of_a_marked_screen_is_read(pipeline):
    """iPhones save photos as HEIC; pillow-heif decodes them for OCR."""
    import pillow_heif

    shot = pictures.text_screenshot("CONFIDENTIAL", size=36, width=600)
    out = io.BytesIO()
    pillow_heif.from_pillow(shot).save(out, quality=90)
    verdict = scan(pipeline, out.getvalue(), "IMG_4410.HEIC")
    assert {h.where for h in hits_of(verdict, "classification")} == {"IMG_4410.HEIC/#ocr"}


def test_a_photo_with_no_text_passes(pipeline):
    photo = pictures.encode(pictures.landscape_photo(), "JPEG", quality=85)
    assert_clean(scan(pipeline, photo, "holiday.jpg"))


def test_a_page_scanned_sideways_is_turned_upright_and_read(pipeline):
    page = pictures.scanned(pictures.rasterise(pictures.REAL / "w-header-en.pdf", dpi=150))
    verdict = scan(pipeline, pictures.encode(page.rotate(90, expand=True), "PNG"), "sideways.png")
    assert hits_of(verdict, "classification")


def test_a_phone_photo_stored_turned_is_read_as_its_exif_turn_shows_it(pipeline, monkeypatch):
    # A phone stores a portrait shot as landscape pixels with an EXIF Orientation tag; the
    # picture read is the one a viewer shows (a single picture is turned in place, an
    # animation's first frame in a copy), and its marking is held.
    from filters.extract import image as extract_image

    seen = []

    def read(budget, picture, where, source=b""):
        seen.append(picture.size)
        return real(budget, picture, where, source)

    real = extract_image.read_for_item
    monkeypatch.setattr(extract_image, "read_for_item", read)
    shot = pictures.text_screenshot("TOP SECRET", size=40, width=500).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned 90 degrees clockwise from how it is stored
    stored = shot.transpose(Image.Transpose.ROTATE_90)
    verdict = scan(pipeline, pictures.encode(stored, "JPEG", quality=90, exif=exif), "IMG_0001.jpg")
    assert seen == [shot.size]
    assert hits_of(verdict, "classification")


def test_text_on_a_transparent_background_is_read_against_white(pipeline):
    layer = Image.new("RGBA", (700, 90), (0, 0, 0, 0))  # transparent black, as editors save it
    ImageDraw.Draw(layer).text((20, 20), "TOP SECRET", font=pictures.font(pictures.SANS_BOLD, 44),
                               fill=(0, 0, 0, 255))
    verdict = scan(pipeline, pictures.encode(layer, "PNG"), "label.png")
    assert hits_of(verdict, "classification")


def _white_on_transparent(text: str) -> bytes:
    # White letters on a transparent background: blank on white, legible on a dark mail
    # client or chat theme (a dark-mode logo, or a line meant to pass unseen).
    layer = Image.new("RGBA", (700, 90), (255, 255, 255, 0))
    ImageDraw.Draw(layer).text((20, 20), text, font=pictures.font(pictures.SANS_BOLD, 44),
                               fill=(255, 255, 255, 255))
    return pictures.encode(layer, "PNG")


def test_white_text_drawn_by_transparency_alone_is_read(pipeline):
    verdict = scan(pipeline, _white_on_transparent("TOP SECRET"), "label.png")
    assert hits_of(verdict, "classification")


def test_white_logo_drawn_by_transparency_alone_passes(pipeline):
    verdict = scan(pipeline, _white_on_transparent("Acme Bakery"), "logo-white.png")
    assert verdict.action == "pass", verdict.hits


def test_cmyk_jpeg_is_read(pipeline):
    shot = pictures.text_screenshot("SECRET", size=40, width=400).convert("CMYK")
    verdict = scan(pipeline, pictures.encode(shot, "JPEG", quality=90), "print.jpg")
    assert hits_of(verdict, "classification")


def test_animated_gif_frame_with_a_marking_is_held_and_named(pipeline):
    frames = [pictures.text_screenshot(text, size=28, width=500)
              for text in ("Quarterly figures", "Deliveries up 4%", "SECRET", "Thank you")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=500, loop=0)
    verdict = scan(pipeline, out.getvalue(), "slides.gif")
    assert {h.where for h in hits_of(verdict, "classification")} == {"slides.gif/page[3]#ocr"}


# -- pictures inside other things -------------------------------------------------------


def test_scanned_pdf_with_the_marking_only_on_page_4_is_held_naming_the_page(pipeline):
    verdict = scan(pipeline, pictures.scanned_report(marked_page=4), "annex.pdf")
    assert {h.where for h in hits_of(verdict, "classification")} == {"annex.pdf/page[4]#ocr"}
    assert verdict.stats.types.get("application/pdf") == 1


def test_the_same_scanned_pdf_without_the_marking_passes(pipeline):
    assert_clean(scan(pipeline, pictures.scanned_report(marked_page=None, pages=3), "annex.pdf"))


def test_scan_under_an_invisible_unrelated_text_layer_is_still_read(pipeline):
    """A searchable scan whose text layer says something else: the picture covers the
    page, so it is read whatever the text layer claims."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    page = pictures.scanned(pictures.text_page([pictures.BODY_EN], banner="SECRET"))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    c.drawImage(ImageReader(page), 0, 0, width=A4[0], height=A4[1])
    text = c.beginText(72, 700)
    text.setTextRenderMode(3)  # invisible, as OCR tools write their layer
    for _ in range(12):
        text.textLine("Minutes of the catering committee: sandwiches, coffee and biscuits.")
    c.drawText(text)
    c.showPage()
    c.save()
    verdict = scan(pipeline, out.getvalue(), "minutes.pdf")
    assert {h.where for h in hits_of(verdict, "classification")} == {"minutes.pdf/page[1]#ocr"}


def text_pdf_with_pictures(pictures_per_page: list[list[bytes]]) -> bytes:
    """A PDF of ordinary text pages, each with the given small pictures at its top."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    for images in pictures_per_page:
        for n, data in enumerate(images):
            c.drawImage(ImageReader(io.BytesIO(data)), 72 + n * 220, A4[1] - 90, width=200, height=40)
        text = c.beginText(72, A4[1] - 150)
        for line in (pictures.BODY_EN[i:i + 80] for i in range(0, len(pictures.BODY_EN), 80)):
            text.textLine(line)
        c.drawText(text)
        c.showPage()
    c.save()
    return out.getvalue()


def test_banner_pasted_as_a_picture_on_a_text_page_is_read(pipeline):
    banner = pictures.encode(pictures.text_screenshot("TOP SECRET", size=40, width=500), "PNG")
    verdict = scan(pipeline, text_pdf_with_pictures([[], [banner]]), "memo.pdf")
    assert {h.where for h in hits_of(verdict, "classification")} == {"memo.pdf/page[2]/image[1]#ocr"}


@pytest.mark.parametrize("mirrored", [False, True])
def test_a_jpeg_banner_on_a_text_page_is_read_as_the_page_shows_it(pipeline, mirrored):
    # Upright, the JPEG is decoded from its stream; stored mirrored and drawn mirrored
    # back (the page shows it readable), it is drawn as the page shows it.
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    shot = pictures.text_screenshot("TOP SECRET", size=40, width=500)
    stored = shot.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if mirrored else shot
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    c.saveState()
    c.translate(72 + 300 if mirrored else 72, A4[1] - 150)
    c.scale(-1 if mirrored else 1, 1)
    c.drawImage(ImageReader(io.BytesIO(pictures.encode(stored, "JPEG", quality=90))), 0, 0,
                width=300, height=300 * shot.height / shot.width)
    c.restoreState()
    text = c.beginText(72, A4[1] - 200)
    for line in (pictures.BODY_EN[i:i + 80] for i in range(0, len(pictures.BODY_EN), 80)):
        text.textLine(line)
    c.drawText(text)
    c.showPage()
    c.save()
    verdict = scan(pipeline, out.getvalue(), "memo.pdf")
    assert {h.where for h in hits_of(verdict, "classification")} == {"memo.pdf/page[1]/image[1]#ocr"}


def test_a_logo_on_every_page_of_a_text_pdf_is_read_once_and_passes(pipeline):
    logo = pictures.encode(pictures.text_screenshot("Acme Bakery", size=40, width=500), "PNG")
    walked = []

    class Recorder:
        def scan(self, part):
            walked.append(part.origin)
            return ()

    recording = build_pipeline()
    recording.text_engines = (*recording.text_engines, Recorder())
    verdict = recording.scan(Part(origin="newsletter.pdf", data=text_pdf_with_pictures([[logo]] * 4)))
    assert_clean(verdict)
    assert [o for o in walked if o.endswith("#ocr")] == ["newsletter.pdf/page[1]/image[1]#ocr"]


def test_picture_inside_a_word_document_is_read(pipeline):
    page = pictures.scanned(pictures.text_page([pictures.BODY_EN], banner="SECRET"))
    document = pictures.docx_with_picture(pictures.encode(page, "PNG"))
    verdict = scan(pipeline, document, "visit.docx")
    found = hits_of(verdict, "classification")
    assert found and found[0].where.startswith("visit.docx/word/media/")
    assert found[0].where.endswith("#ocr")


def test_clean_picture_inside_a_word_document_passes(pipeline):
    photo = pictures.encode(pictures.landscape_photo(size=(800, 600)), "JPEG", quality=85)
    assert_clean(scan(pipeline, pictures.docx_with_picture(photo), "visit.docx"))


# -- hostile pictures: a policy hit or a correct read, never a crash --------------------


def png_claiming(width: int, height: int, *, rows: int = 0) -> bytes:
    """A 1-bit PNG header claiming ``width`` x ``height``; ``rows`` rows of zero pixels
    follow, deflated (a few KB that would decode to hundreds of MB: a bomb)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    idat = b"".join(packer.compress(row) for _ in range(rows)) + packer.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def test_a_30000_by_30000_png_is_held_without_being_decoded(pipeline):
    verdict = scan(pipeline, png_claiming(30000, 30000, rows=50), "huge.png")
    limit = [h for h in verdict.hits if h.rule == "limit.max_image_pixels"]
    assert limit and "30000 x 30000" in limit[0].excerpt
    assert verdict.action == "quarantine"


def test_a_decompression_bomb_png_is_held(pipeline):
    bomb = png_claiming(100000, 100000, rows=3000)  # ~40 KB deflated
    assert len(bomb) < 100_000
    verdict = scan(pipeline, bomb, "bomb.png")
    assert "limit.max_image_pixels" in [h.rule for h in verdict.hits]
    assert verdict.action == "quarantine"


def test_a_truncated_jpeg_is_held_as_unparseable(pipeline):
    whole = pictures.encode(pictures.landscape_photo(size=(640, 480)), "JPEG", quality=85)
    verdict = scan(pipeline, whole[: len(whole) // 2], "cut.jpg")
    assert "extract.unparseable" in [h.rule for h in verdict.hits]
    assert verdict.action == "quarantine"


def test_a_tiff_with_1000_pages_reads_up_to_the_limit_then_is_held(pipeline):
    pages = []
    for number in range(1000):
        page = Image.new("L", (160, 40), 255)
        ImageDraw.Draw(page).text((5, 5), f"page {number}", fill=0)
        pages.append(page)
    out = io.BytesIO()
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:], compression="tiff_lzw")
    config = FiltersConfig.from_mapping({"limits": {"ocr_pages": 5}})
    verdict = build_pipeline(config).scan(Part(origin="fax.tiff", data=out.getvalue(), name="fax.tiff"))
    limit = [h for h in verdict.hits if h.rule == "limit.ocr_pages"]
    assert limit and limit[0].where == "fax.tiff/page[6]#ocr"
    assert "ocr_pages" in verdict.stats.limits_reached
    assert verdict.action == "quarantine"


def test_a_picture_over_its_time_budget_is_held(pipeline):
    config = FiltersConfig.from_mapping({"limits": {"ocr_page_seconds": 0.01}})
    page = pictures.scanned(pictures.text_page([pictures.BODY_EN] * 3))
    verdict = build_pipeline(config).scan(Part(origin="scan.png", data=pictures.encode(page, "PNG")))
    assert "limit.ocr_page_seconds" in [h.rule for h in verdict.hits]
    assert verdict.action == "quarantine"


def test_a_picture_read_on_a_loaded_machine_is_not_held_for_the_wait(pipeline, monkeypatch):
    # A load of 19 on 2 cores gives a scanner about a tenth of a core: ten seconds pass for
    # each second of CPU. Here the wall clock is ten times this thread's CPU clock, so the
    # outcome does not depend on how busy the machine running the test is.
    reader = pipeline.ocr
    reader.load_layout()
    reader.load_every_handle()  # once per scanner process, not this picture's time
    clocks = Clocks(time.thread_time, lambda: 10 * time.thread_time())
    monkeypatch.setattr(reader, "clocks", clocks)
    shot = pictures.text_screenshot(
        "Quarterly figures are CONFIDENTIAL until the board meets on Friday.")

    def read(page_seconds: float, wall_factor: float) -> tuple[str, object]:
        limits = Limits(ocr_page_seconds=page_seconds, wall_factor=wall_factor)
        return read_for_item(Budget(limits, ocr=reader, clocks=clocks), shot, "shot.png")

    # The picture's CPU cost is this machine's (0.09 s quiet, 0.2 s loaded): the page limit
    # is set from it, so that the reading takes half the CPU limit and 2.5 times a limit
    # counted in wall seconds, and the outcome does not hang on how fast the machine is.
    spent = []
    for _ in range(3):
        started = time.thread_time()
        read(60.0, 4.0)
        spent.append(time.thread_time() - started)
    page_seconds = 5 * sorted(spent)[1]

    text, defect = read(page_seconds, 4.0)  # 10x its CPU in wall seconds, under 20x allowed
    assert defect is None and "CONFIDENTIAL" in text
    _, defect = read(page_seconds, 1.0)  # a limit in wall seconds, as before: held for the load
    assert defect is not None and defect.rule == "limit.ocr_page_seconds"


class _FakeClock:
    """A clock that moves only when told (a test's CPU or wall clock)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class _SlowStartingReader:
    """A reader whose layout handle and engines take 0.6 s of CPU each to load on first
    use, as Tesseract's language data do on a busy machine; a reading is complete when
    CPU time was left once they were loaded."""

    config = OcrConfig()
    loaded = False
    layout_loaded = False

    def __init__(self) -> None:
        self.cpu, self.wall = _FakeClock(), _FakeClock()
        self.clocks = Clocks(self.cpu, self.wall)

    def _work(self, seconds: float) -> None:
        self.cpu.now += seconds
        self.wall.now += seconds

    def load_layout(self) -> Spent:
        started = self.clocks.now()
        if not self.layout_loaded:
            self._work(0.6)
            self.layout_loaded = True
        return self.clocks.since(started)

    def survey(self, image, *, words: bool = True) -> Survey:
        return Survey(True, image, None, 0.0)

    def load(self) -> Spent:
        started = self.clocks.now()
        if not self.loaded:
            self._work(0.6)
            self.loaded = True
        return self.clocks.since(started)

    def read(self, image, *, seconds: float, survey: Survey | None = None,
             wall_seconds: float | None = None, share: float = 1.0) -> OcrResult:
        loaded = self.load()
        self._work(0.1)
        return OcrResult("", seconds > 0.5, 0.1, loaded=loaded)


def test_loading_the_engines_is_not_counted_against_the_item_or_the_picture():
    # Loading happens once per scanner process: the first picture it reads must not be
    # held for time spent before its reading began.
    reader = _SlowStartingReader()
    budget = Budget(Limits(item_seconds=1.0), ocr=reader, clocks=reader.clocks)
    _, defect = read_for_item(budget, Image.new("L", (64, 64), 255), "photo.jpg")
    assert defect is None
    assert reader.cpu.now == pytest.approx(1.3)  # both loads and the reading
    budget.check_time()  # the item's own second is not used up by the loading


# -- OCR off and configuration ----------------------------------------------------------


def test_with_ocr_off_an_image_only_pdf_page_is_held_not_passed():
    off = build_pipeline(FiltersConfig.from_mapping({"ocr": {"enabled": False}}))
    assert off.ocr is None and not off.ocr_status.active
    verdict = off.scan(Part(origin="annex.pdf", data=pictures.scanned_report(pages=2)))
    found = [h for h in verdict.hits if h.rule == "ocr.off"]
    assert [h.where for h in found] == ["annex.pdf/page[1]", "annex.pdf/page[2]"]
    assert verdict.action == "quarantine"


def test_with_ocr_off_a_picture_is_noted_but_passes():
    off = build_pipeline(FiltersConfig.from_mapping({"ocr": {"enabled": False}}))
    photo = pictures.encode(pictures.landscape_photo(size=(400, 300)), "JPEG")
    verdict = off.scan(Part(origin="holiday.jpg", data=photo))
    assert [(h.rule, h.severity) for h in verdict.hits] == [("ocr.off", "low")]
    assert verdict.action == "pass"


def test_ocr_required_but_language_data_missing_stops_the_start_naming_the_key():
    with pytest.raises(ConfigError, match=r"ocr\.enabled.*tlh.*tesseract-ocr-tlh"):
        OcrReader.from_config(OcrConfig(enabled=True, languages=["eng", "tlh"]))


def test_ocr_auto_with_language_data_missing_is_off_and_says_why():
    reader, status = OcrReader.from_config(OcrConfig(enabled="auto", languages=["tlh"]))
    assert reader is None and not status.active
    assert "tlh" in status.reason


@pytest.mark.parametrize(("table", "message"), [
    ({"enabled": "yes"}, r"ocr\.enabled: expected true, false or \"auto\""),
    ({"languages": ["eng; rm -rf"]}, r"ocr\.languages\[0\]"),
    ({"languages": []}, r"ocr\.languages"),
    ({"pdf_dpi": 20}, r"ocr\.pdf_dpi: must be at least 72"),
    ({"min_confidence": 101}, r"ocr\.min_confidence"),
])
def test_bad_ocr_settings_are_refused_with_the_key_named(table, message):
    with pytest.raises(ConfigError, match=message):
        FiltersConfig.from_mapping({"ocr": table})
