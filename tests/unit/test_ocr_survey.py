"""Which pictures are read: a survey by Tesseract's layout analysis before a full read.

Photographs without text (landscapes, people, product shots) are not read in full; pictures
that may carry text — pages, screenshots, a screen photographed in a room, a stamp or a
watermark alone on white, display type slanted across a photo — are, and are held when
marked. Pictures too small to hold a legible line are not read and load no engine; a
small banner is read. See docs/ocr.md, "Which pictures are read".
"""

from __future__ import annotations

import io

import pytest
from conftest import require_peer
from PIL import Image

from filters.build import FiltersConfig, build_pipeline
from filters.limits import Budget, Limits
from filters.ocr import OcrConfig, OcrReader, read_for_item
from filters.types import Part, Verdict
from tests.fixtures import images as pictures

GENEROUS = {"part_seconds": 120.0, "item_seconds": 300.0, "ocr_item_seconds": 240.0,
            "ocr_page_seconds": 120.0}


@pytest.fixture(autouse=True)
def _fonts():
    require_peer(pictures.fonts_missing())


@pytest.fixture(scope="module")
def pipeline():
    built = build_pipeline(FiltersConfig.from_mapping({"limits": GENEROUS}))
    assert built.ocr is not None, f"OCR is not active: {built.ocr_status.reason}"
    return built


@pytest.fixture(scope="module")
def reader() -> OcrReader:
    found, status = OcrReader.from_config(OcrConfig(enabled=True))
    assert found is not None, status.reason
    return found


def fresh_reader() -> OcrReader:
    """A reader that has loaded nothing yet (a scanner process's first picture)."""
    found, status = OcrReader.from_config(OcrConfig(enabled=True), load_now=False)
    assert found is not None, status.reason
    return found


def scan(pipeline, image: Image.Image | bytes, name: str) -> Verdict:
    data = image if isinstance(image, bytes) else pictures.encode(image, "PNG")
    return pipeline.scan(Part(origin=name, data=data, name=name))


def held_for(verdict: Verdict, where: str) -> bool:
    return any(h.category == "classification" and h.where == where for h in verdict.hits)


# -- photographs without text are not read in full -------------------------------------------

@pytest.mark.parametrize("photo", [
    pictures.landscape_photo(), pictures.grain_photo(), pictures.grain_photo(size=(900, 600)),
], ids=["landscape", "busy-1800", "busy-900"])
def test_a_photograph_without_text_is_surveyed_and_not_read(reader, photo):
    survey = reader.survey(photo)
    assert not survey.text
    assert not survey.worth_reading  # no pass runs, and a fresh scanner loads no engine


def test_a_photograph_without_text_loads_only_the_layout_engine_and_passes():
    reader = fresh_reader()
    budget = Budget(Limits(**GENEROUS), ocr=reader)
    text, defect = read_for_item(budget, pictures.grain_photo(), "IMG_2031.jpg")
    assert (text, defect) == ("", None)
    assert reader._layout is not None and reader._api is None
    assert budget.ocr_pages == 1  # counted against ocr_pages like a picture read


def test_a_smooth_photograph_is_not_laid_out_at_all(reader):
    # No stroke's edges and no plain area: Tesseract's layout would find a picture block
    # only, so it is not run (docs/ocr.md); the survey's answer is the same.
    from filters.ocr import _may_hold_text

    for size in ((900, 600), (1400, 900), (1800, 1200)):
        photo = pictures.smooth_photo(seed=size[0], size=size)
        assert not _may_hold_text(photo.convert("L"))
        assert not reader.survey(photo).text


def _on_smooth(what: str) -> Image.Image:
    """A smooth photograph with something on it that Tesseract's layout may take for text."""
    from PIL import ImageChops

    photo = pictures.smooth_photo(seed=7)
    if what == "small dark words":
        return pictures.words_on_photo(photo, "SECRET PLAN", fill=(20, 20, 20), size=12, at=(0.3, 0.3))
    if what == "white words":
        return pictures.words_on_photo(photo, "SECRET", fill=(250, 250, 250), size=20, at=(0.6, 0.6))
    if what == "noise over words":  # noise only adds steps: still laid out
        marked = pictures.words_on_photo(photo, "SECRET", fill=(30, 30, 30), size=40)
        return ImageChops.add(marked, pictures.sensor_noise(photo.size, 25, 3).convert("RGB"),
                              scale=1.0, offset=-128)
    if what == "faint words on a plain label":  # 15 levels: only the plain area lets them be
        label = Image.new("RGB", (420, 140), (236, 236, 236))
        photo.paste(pictures.words_on_photo(label, "SECRET", fill=(221, 221, 221), size=60,
                                            at=(0.5, 0.5)), (300, 300))
        return photo
    if what == "a page photographed small":
        page = pictures.text_page(["SECRET. " + "The plan is attached. " * 30]).convert("RGB")
        photo.paste(page.resize((page.width // 3, page.height // 3)), (80, 80))
        return photo
    raise AssertionError(what)


@pytest.mark.parametrize("what", ["small dark words", "white words", "noise over words",
                                  "faint words on a plain label", "a page photographed small"])
def test_what_may_be_text_on_a_smooth_photograph_is_laid_out(what):
    from filters.ocr import _may_hold_text

    assert _may_hold_text(_on_smooth(what).convert("L"))


def test_words_on_a_smooth_photograph_are_read_and_held(pipeline):
    words = pictures.words_on_photo(pictures.smooth_photo(seed=4), "TOP SECRET",
                                    fill=(20, 20, 20), size=40, at=(0.3, 0.3))
    assert held_for(scan(pipeline, words, "shot.png"), "shot.png/#ocr")


def test_a_red_stamp_on_a_smooth_photograph_is_still_looked_for(reader):
    # The layout is skipped, not the passes after it: the red-ink pass finds the stamp.
    from filters.ocr import _may_hold_text

    photo = pictures.smooth_photo(seed=4, size=(1800, 1200))
    assert not _may_hold_text(photo.convert("L"))
    survey = reader.survey(stamped_photo(photo))
    assert not survey.text and len(survey.stamps) == 1


def test_with_text_check_off_a_photograph_is_read_in_full():
    found, _ = OcrReader.from_config(OcrConfig(enabled=True, text_check=False))
    assert found is not None
    assert found.survey(pictures.grain_photo()).text


# -- what may carry text is read ----------------------------------------------------------------

def test_a_photo_of_a_screen_showing_a_secret_subject_is_held(pipeline):
    photo = pictures.screen_on_desk(pictures.phone_screenshot("SECRET - convoy schedule for March"))
    assert held_for(scan(pipeline, photo, "IMG_2032.jpg"), "IMG_2032.jpg/#ocr")


def test_a_photo_of_a_screen_with_an_ordinary_subject_passes(pipeline):
    photo = pictures.screen_on_desk(pictures.phone_screenshot("Convoy schedule for March"))
    verdict = scan(pipeline, photo, "IMG_2033.jpg")
    assert verdict.action == "pass", [(h.rule, h.excerpt) for h in verdict.hits]


def test_a_screen_small_in_a_12_mp_photo_of_a_room_is_found_by_the_survey(reader):
    # Large pictures are laid out reduced first (a page's layout costs a third). This
    # screen's text is too small there and the room is taken for one picture; the layout
    # at full size finds the text, and decides, as for any picture where the reduced one
    # finds none.
    shot = pictures.phone_screenshot("SECRET - convoy schedule for March")
    screen = shot.convert("RGB").resize((shot.width * 500 // shot.height, 500))
    room = pictures.landscape_photo(seed=9, size=(4032, 3024))
    room.paste(screen, ((room.width - screen.width) // 2, 60))
    assert reader.survey(room).text


def test_display_type_slanted_across_a_photo_is_read(pipeline, reader):
    photo = pictures.overlaid(pictures.landscape_photo(size=(1800, 1200)), "CONFIDENTIAL")
    survey = reader.survey(photo)
    assert not survey.text and survey.strokes is not None  # laid out as part of the photo
    data = pictures.encode(photo, "JPEG", quality=88)
    assert held_for(scan(pipeline, data, "product.jpg"), "product.jpg/#ocr")


def test_a_lone_stamp_and_a_lone_watermark_on_white_are_read(pipeline):
    stamp = pictures.red_stamp("机密", below="★10年")
    paper = Image.new("RGB", (900, 900), (250, 250, 245))
    paper.paste(stamp, (200, 200), stamp)
    assert held_for(scan(pipeline, paper, "stamp.png"), "stamp.png/#ocr")
    mark = pictures.watermarked_page("SECRET")
    assert held_for(scan(pipeline, mark, "draft.png"), "draft.png/#ocr")


def test_a_banner_in_the_corner_of_a_photo_of_paper_is_read(pipeline):
    # Red type on white, as a marking is printed (white type on red: tests below).
    page = pictures.scanned(pictures.text_page([pictures.BODY_EN])).convert("RGB")
    page.paste(pictures.banner("SECRET", (300, 90), ink=(190, 0, 0), ground=(255, 255, 255)),
               (page.width - 400, 60))
    data = pictures.photographed(page)
    assert held_for(scan(pipeline, data, "IMG_2034.jpg"), "IMG_2034.jpg/#ocr")


def stamped_photo(photo: Image.Image, *, text: str = "机密") -> Image.Image:
    stamp = pictures.red_stamp(text, below="★10年" if text else "")
    photo = photo.copy()
    photo.paste(stamp, (photo.width - stamp.width - 150, 120), stamp)
    return photo


def test_a_red_stamp_pasted_on_a_landscape_is_read_and_held(pipeline, reader):
    photo = stamped_photo(pictures.landscape_photo(size=(1800, 1200)))
    survey = reader.survey(photo)
    assert not survey.text and len(survey.stamps) == 1  # no paper: found by its thin strokes
    data = pictures.encode(photo, "JPEG", quality=88)
    assert held_for(scan(pipeline, data, "view.jpg"), "view.jpg/#ocr")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_red_areas_of_a_busy_photograph_are_not_read_as_stamps(reader, seed):
    # Red blobs blended into other colours, as foliage, fabric and crowds are: areas of
    # red, not strokes; reading each at seven turns cost 3-10 s a photo.
    assert reader.survey(pictures.grain_photo(seed=seed)).stamps == ()


def test_no_photograph_of_the_office_mix_bench_is_taken_for_a_stamp_or_a_banner():
    # bench/mix.sh's photographs: one in 60 had a standing red blob with letter-thin gaps
    # taken for a banner, which loaded every engine in its scanner process for nothing.
    import random

    from bench.mix_corpus import photo
    from filters.ocr import _red_regions

    found = [seed for seed in range(60) if _red_regions(Image.open(io.BytesIO(
        photo(random.Random(seed), 900, 600, quality=80))).convert("RGB"))]
    assert found == []


def test_a_solid_red_shape_on_a_landscape_is_not_read_as_a_stamp(reader):
    from PIL import ImageDraw

    photo = pictures.landscape_photo(size=(1800, 1200))
    draw = ImageDraw.Draw(photo)
    draw.ellipse((1300, 700, 1500, 900), fill=(210, 25, 30))  # a red ball, a car, a roof
    draw.rectangle((200, 150, 420, 300), fill=(190, 20, 25))  # a red flag
    assert reader.survey(photo).stamps == ()


def photographed_with_banner(text: str) -> bytes:
    """A landscape with a white-on-red banner pasted in its corner, photographed."""
    photo = pictures.landscape_photo(size=(1800, 1200))
    photo.paste(pictures.banner(text, (300, 90)), (photo.width - 400, 60))
    return pictures.photographed(photo)


def test_a_white_on_red_banner_pasted_in_a_photo_is_read_and_held(pipeline):
    # Laid out as part of the picture and thresholded with it, the banner's letters are
    # lost to the plain pass; cut out of the red alone they are plain.
    assert held_for(scan(pipeline, photographed_with_banner("SECRET"), "IMG_2035.jpg"),
                    "IMG_2035.jpg/#ocr")


def test_a_white_on_red_banner_without_a_marking_in_a_photo_passes(pipeline, reader):
    data = photographed_with_banner("ALPINE")
    survey = reader.survey(Image.open(io.BytesIO(data)))
    assert not survey.text and len(survey.stamps) == 1  # the banner is read, nothing else
    verdict = scan(pipeline, data, "IMG_2036.jpg")
    assert verdict.action == "pass", [(h.rule, h.excerpt) for h in verdict.hits]


def test_a_red_stamp_without_a_marking_on_a_landscape_passes(pipeline):
    photo = stamped_photo(pictures.landscape_photo(size=(1800, 1200)), text="已审核")
    verdict = scan(pipeline, pictures.encode(photo, "JPEG", quality=88), "view.jpg")
    assert verdict.action == "pass", [(h.rule, h.excerpt) for h in verdict.hits]


# -- words written on a photograph ------------------------------------------------------------

def test_dark_words_on_a_photos_sky_are_read_and_held(pipeline, reader):
    # Tesseract's one threshold for the whole picture drowns them in the sky's shade, and
    # its layout calls the photo a picture; cut out by their local contrast they are plain.
    photo = pictures.words_on_photo(pictures.landscape_photo(seed=101, size=(1800, 1200)),
                                    "CONFIDENTIAL", fill=(35, 35, 55), size=78, at=(0.41, 0.2))
    data = pictures.camera(photo, seed=201)
    survey = reader.survey(Image.open(io.BytesIO(data)))
    assert not survey.text and "CONFIDENTIAL" in survey.words
    assert held_for(scan(pipeline, data, "IMG_2040.jpg"), "IMG_2040.jpg/#ocr")


def test_white_words_on_a_busy_photo_are_read_and_held(pipeline):
    photo = pictures.words_on_photo(pictures.grain_photo(seed=120, size=(1600, 1200)),
                                    "TOP SECRET", fill=(255, 255, 255), size=90, at=(0.5, 0.3))
    assert held_for(scan(pipeline, pictures.camera(photo, seed=220), "IMG_2041.jpg"),
                    "IMG_2041.jpg/#ocr")


def test_white_words_touching_light_patches_of_a_busy_photo_are_read_and_held(pipeline):
    # In grey the letters run into the photo's light patches and no line of strokes is
    # found; in the whiteness (each pixel's least channel) the patches are tinted, and
    # the letters are the whitest thing in the picture.
    photo = pictures.words_on_photo(pictures.grain_photo(seed=710, size=(1500, 1000)), "SECRET",
                                    fill=(255, 255, 255), size=110, at=(0.5, 0.5))
    assert held_for(scan(pipeline, pictures.camera(photo, seed=810), "IMG_2043.jpg"),
                    "IMG_2043.jpg/#ocr")


def test_white_words_on_a_street_laid_out_as_text_are_read_and_held(pipeline, reader):
    # The street's windows in rows are laid out as text, so the photo is read in full,
    # which reads next to nothing of it: its lines of words are then looked for as on
    # any photograph.
    photo = pictures.words_on_photo(pictures.city_photo(seed=700, size=(1500, 1000)),
                                    "CONFIDENTIAL", fill=(255, 255, 255), size=95, at=(0.5, 0.65))
    data = pictures.camera(photo, seed=800)
    assert reader.survey(Image.open(io.BytesIO(data))).text
    assert held_for(scan(pipeline, data, "IMG_2044.jpg"), "IMG_2044.jpg/#ocr")


@pytest.mark.parametrize("seed", [720, 721])
def test_white_words_without_a_marking_on_a_street_pass(pipeline, seed):
    photo = pictures.words_on_photo(pictures.city_photo(seed=seed, size=(1500, 1000)),
                                    "MAIN STREET", fill=(255, 255, 255), size=95, at=(0.5, 0.65))
    verdict = scan(pipeline, pictures.camera(photo, seed=seed + 100), "IMG_2045.jpg")
    assert verdict.action == "pass", [(h.rule, h.excerpt) for h in verdict.hits]


def test_the_whitest_pixels_are_white_letters_not_a_photos_light_tints():
    import numpy as np

    from filters.ocr_regions import _whitest, whiteness

    # Pale tinted patches (each light in grey) and, on one, white letters' strokes.
    picture = Image.new("RGB", (200, 100), (40, 160, 60))
    picture.paste((250, 240, 120), (0, 0, 100, 100))  # pale yellow: grey 232
    picture.paste((170, 230, 250), (100, 0, 200, 100))  # pale blue: grey 214
    picture.paste((255, 255, 255), (20, 40, 180, 44))  # a white stroke across both
    white, level = _whitest(np.asarray(whiteness(picture)))
    assert level >= 160
    assert white[40:44, 20:180].all() and white.sum() == 4 * 160


@pytest.mark.parametrize("seed", [300, 301, 310, 311])
def test_no_words_are_read_into_a_plain_photo(reader, seed):
    photo = (pictures.landscape_photo if seed < 310 else pictures.grain_photo)(seed=seed)
    survey = reader.survey(Image.open(io.BytesIO(pictures.camera(photo, seed=seed + 100))))
    assert (survey.text, survey.words, survey.worth_reading) == (False, "", False)


def test_words_on_a_photo_without_a_marking_are_read_and_pass(pipeline, reader):
    photo = pictures.words_on_photo(pictures.landscape_photo(seed=330), "LAKE VIEW",
                                    fill=(35, 35, 55), size=80, at=(0.45, 0.2))
    data = pictures.camera(photo, seed=430)
    assert "LAKE VIEW" in reader.survey(Image.open(io.BytesIO(data))).words
    verdict = scan(pipeline, data, "IMG_2042.jpg")
    assert verdict.action == "pass", [(h.rule, h.excerpt) for h in verdict.hits]


def test_words_are_looked_for_on_an_items_first_few_photographs_only(reader):
    # A deck or a report of dozens of photos would add 0.1-0.15 s each and reach a time
    # limit on a loaded machine: a false hold.
    from filters.ocr import MAX_PHOTO_WORD_CHECKS

    photo = pictures.words_on_photo(pictures.landscape_photo(seed=101, size=(1800, 1200)),
                                    "CONFIDENTIAL", fill=(35, 35, 55), size=78, at=(0.41, 0.2))
    picture = Image.open(io.BytesIO(pictures.camera(photo, seed=201)))
    budget = Budget(Limits(**GENEROUS), ocr=reader)
    for _ in range(MAX_PHOTO_WORD_CHECKS):
        assert "CONFIDENTIAL" in read_for_item(budget, picture, "deck.pptx/slide.jpg")[0]
    assert budget.photo_word_checks == MAX_PHOTO_WORD_CHECKS
    assert read_for_item(budget, picture, "deck.pptx/slide.jpg") == ("", None)


# -- pictures too small for a legible line ------------------------------------------------------

@pytest.mark.parametrize("picture", [
    pictures.banner("SECRET", (200, 60)), pictures.banner("SECRET", (80, 24)),
    pictures.marking_line("SECRET", 7), pictures.marking_line("机密", 12, path=pictures.CJK),
], ids=["banner-200x60", "banner-80x24", "SECRET-7px", "jimi-12px"])
def test_a_small_picture_with_a_marking_is_read_and_held(pipeline, picture):
    assert held_for(scan(pipeline, picture, "sig.png"), "sig.png/#ocr")


@pytest.mark.parametrize("size", [(1, 1), (16, 16), (27, 27), (300, 7), (7, 300)])
def test_a_picture_too_small_for_a_legible_line_loads_no_engine(size):
    reader = fresh_reader()
    budget = Budget(Limits(**GENEROUS), ocr=reader)
    assert read_for_item(budget, Image.new("RGB", size, (30, 30, 30)), "spacer.gif") == ("", None)
    assert reader._layout is None and reader._api is None
    assert budget.ocr_pages == 0


# -- photographs on PDF pages of text -------------------------------------------------------------

def report_page_with_picture(picture: Image.Image) -> bytes:
    """A PDF report page: a heading, prose, and ``picture`` over a third of the page."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    c.drawImage(ImageReader(picture), 60, 80, width=A4[0] - 120, height=(A4[0] - 120) * 0.64)
    text = c.beginText(72, A4[1] - 90)
    for _ in range(3):
        for line in (pictures.BODY_EN[i:i + 80] for i in range(0, len(pictures.BODY_EN), 80)):
            text.textLine(line)
    c.drawText(text)
    c.showPage()
    c.save()
    return out.getvalue()


def test_a_photograph_on_a_report_page_is_surveyed_on_its_own_and_passes(pipeline):
    # The page has a text layer and a photo over a third of it: the photo is surveyed
    # alone (not the whole page re-read by OCR, 1-2.5 s for text the layer already has).
    walked = []

    class Recorder:
        def scan(self, part):
            walked.append(part.origin)
            return ()

    recording = build_pipeline(FiltersConfig.from_mapping({"limits": GENEROUS}))
    recording.text_engines = (*recording.text_engines, Recorder())
    data = report_page_with_picture(pictures.grain_photo(size=(1400, 900)))
    verdict = recording.scan(Part(origin="report.pdf", data=data, name="report.pdf"))
    assert verdict.action == "pass", [(h.rule, h.where) for h in verdict.hits]
    assert "report.pdf/page[1]" in walked  # the text layer is read
    assert [o for o in walked if o.endswith("#ocr")] == []  # and the photo gave no text
    assert verdict.stats.ocr_pages == 1


def test_a_marked_scan_on_a_report_page_is_read_as_a_picture_and_held(pipeline):
    scan_ = pictures.scanned(pictures.text_page([pictures.BODY_EN], banner="SECRET"))
    verdict = scan(pipeline, report_page_with_picture(scan_.crop((0, 0, scan_.width, 800))),
                   "annex.pdf")
    assert held_for(verdict, "annex.pdf/page[1]/image[1]#ocr")


def _holds_text_by_definition(grey: Image.Image) -> bool:
    """_may_hold_text written straight from its docstring: a plain share of quarter-size
    8 x 8 blocks, or a cell of 8 x 8 steps (columns and rows 1 .. side-2) with enough steps."""
    import numpy as np

    from filters.ocr import PLAIN_LEVELS, PLAIN_SHARE, STEP_COUNT, STEP_LEVELS

    if min(grey.size) >= 32:
        small = np.asarray(grey.reduce(4)).astype(int)
        rows, cols = small.shape[0] // 8, small.shape[1] // 8
        plain = [np.ptp(small[8 * y:8 * y + 8, 8 * x:8 * x + 8]) <= PLAIN_LEVELS
                 for y in range(rows) for x in range(cols)]
        if plain and sum(plain) / len(plain) >= PLAIN_SHARE:
            return True
    pixels = np.asarray(grey).astype(int)
    height, width = pixels.shape
    columns = (width - 2) // 8 * 8
    if columns < 8 or height < 3:
        return True
    across = abs(pixels[1:-1, 2:columns + 2] - pixels[1:-1, :columns]) > STEP_LEVELS
    down = abs(pixels[2:, 1:columns + 1] - pixels[:-2, 1:columns + 1]) > STEP_LEVELS
    steps = across | down
    return any(steps[y:y + 8, x:x + 8].sum() >= STEP_COUNT
               for y in range(0, len(steps), 8) for x in range(0, columns, 8))


def test_the_survey_counts_steps_and_plain_areas_as_defined():
    # The counts are taken in packed bytes, a band at a time; each answer must be the
    # definition's, at the step threshold, in a band's last short cell and at odd sizes.
    import numpy as np

    from filters.ocr import STEP_LEVELS, _may_hold_text

    rng = np.random.default_rng(21)
    answers = set()
    for trial in range(150):
        height, width = int(rng.integers(3, 200)), int(rng.integers(10, 200))
        # A ramp with grain: no plain block, no step of its own.
        ramp = np.add.outer(np.arange(height) * 0.5, np.arange(width) * 0.5) + 20
        pixels = np.clip(ramp + rng.normal(0, 2, (height, width)), 0, 255).astype(np.uint8)
        if trial % 5:  # a short bright line: a few steps in a cell or two, near STEP_COUNT
            y, x = int(rng.integers(0, height)), int(rng.integers(0, width))
            line = pixels[y:y + int(rng.integers(1, 3)), x]
            line[:] = np.minimum(255, line.astype(int) + STEP_LEVELS + int(rng.integers(0, 3)))
        grey = Image.fromarray(pixels)
        expected = _holds_text_by_definition(grey)
        answers.add(expected)
        assert _may_hold_text(grey) == expected, (trial, grey.size)
    assert answers == {True, False}


def test_a_small_picture_seen_again_in_an_item_is_read_once(reader):
    # A signature's banner on every part of a thread: read once, its text given each time.
    # A different picture of the same size is read for itself, and so is the same picture
    # in another item.
    budget = Budget(Limits(**GENEROUS), ocr=reader)
    secret = pictures.banner("SECRET", (300, 90))
    reads = []
    read = reader.read

    def counted(image, **kwargs):
        reads.append(image.size)
        return read(image, **kwargs)

    reader.read = counted
    try:
        first = read_for_item(budget, secret, "a.eml/logo.png#ocr")
        again = read_for_item(budget, secret.copy(), "a.eml/reply/logo.png#ocr")
        other = read_for_item(budget, pictures.banner("PUBLIC", (300, 90)), "a.eml/other.png#ocr")
        fresh = read_for_item(Budget(Limits(**GENEROUS), ocr=reader), secret, "b.eml/logo.png#ocr")
    finally:
        del reader.read
    assert "SECRET" in first[0] and first == again == fresh
    assert "PUBLIC" in other[0]
    assert len(reads) == 3 and budget.ocr_pages == 2


@pytest.mark.parametrize("size", [(5, 5), (9, 13), (31, 17), (101, 77), (333, 250), (1401, 899),
                                  (1600, 1067), (1599, 9), (9, 1600)])
def test_the_thick_stroke_pass_never_ends_early_on_a_picture_it_would_have_gone_on_with(size):
    # Its shortcut bounds the erosion of its ink from blocks and the least paper level near
    # each; the bound must never pass the erosion itself, whatever the paper's shape.
    import numpy as np
    from PIL import ImageFilter

    from filters.ocr import _INK_UNDER, _count, _eroded, _max_filter, _pack, _surely_eroded

    rng = np.random.default_rng(size[0] * 7 + size[1])
    width, height = size
    for trial in range(6):
        if trial % 2:  # smooth shapes and grain, as a photograph: the bound finds much
            coarse = rng.integers(0, 256, (height // 20 + 2, width // 20 + 2), dtype=np.uint8)
            smooth = np.asarray(Image.fromarray(coarse).resize(size, Image.Resampling.BICUBIC))
            pixels = np.clip(smooth + rng.normal(0, 9, (height, width)), 0, 255).astype(np.uint8)
        else:  # dark specks on paper, and any level at all
            pixels = np.where(rng.random((height, width)) < 0.1 * trial, rng.integers(0, 256),
                              rng.integers(0, 256, (height, width))).astype(np.uint8)
        small = Image.fromarray(pixels)
        paper = small.resize((max(1, width // 8), max(1, height // 8)), Image.Resampling.BOX)
        paper = _max_filter(paper, 2).filter(ImageFilter.GaussianBlur(2))
        levels = np.asarray(paper.resize(size, Image.Resampling.BILINEAR).point(_INK_UNDER))
        ink = pixels < levels
        assert _surely_eroded(small, paper) <= _count(_eroded(_pack(ink), width, 3), width)


def test_the_thick_stroke_pass_ends_early_on_the_office_mix_photographs():
    # What it costs them (docs/ocr.md): the erosion bounded from blocks is over a quarter.
    import random

    import numpy as np
    from PIL import ImageFilter

    from bench.mix_corpus import photo
    from filters.ocr import _max_filter, _surely_eroded

    for seed in range(4):
        small = Image.open(io.BytesIO(photo(random.Random(seed), 1400, 900))).convert("L")
        paper = small.resize((small.width // 8, small.height // 8), Image.Resampling.BOX)
        paper = _max_filter(paper, 2).filter(ImageFilter.GaussianBlur(2))
        assert _surely_eroded(small, paper) > 0.25 * np.asarray(small).size


@pytest.mark.parametrize("size", [(1, 1), (15, 7), (16, 16), (17, 33), (63, 65), (129, 40),
                                  (1400, 900), (1600, 1067), (1067, 1600), (1599, 1201),
                                  (40, 1600), (1600, 24)])
def test_the_red_ink_grid_is_pillows_box_reduction_of_the_mask(size):
    # _ink_boxes's grid is counted from the packed mask, not drawn and resized: each
    # value must be Pillow's own, for sparse, dense and blob-shaped ink, at any size
    # (a mask far taller than wide is resized by Pillow, whose passes then run the other way).
    import numpy as np

    from filters.ocr import _ink_grid, _ink_image, _pack

    rng = np.random.default_rng(size[0] * 3 + size[1])
    width, height = size
    cells = (max(1, width // 16), max(1, height // 16))
    for trial in range(5):
        if trial < 3:
            ink = rng.random((height, width)) < (0.01, 0.5, 0.97)[trial]
        else:  # strokes and blobs, as a stamp's
            ink = np.zeros((height, width), dtype=bool)
            for _ in range(8):
                y, x = int(rng.integers(0, height)), int(rng.integers(0, width))
                ink[y:y + int(rng.integers(1, 40)), x:x + int(rng.integers(1, 70))] = True
        expected = np.asarray(_ink_image(ink).resize(cells, Image.Resampling.BOX))
        assert np.array_equal(_ink_grid(_pack(ink), width, height), expected), (size, trial)


@pytest.mark.parametrize("mode", ["L", "RGB"])
@pytest.mark.parametrize("size", [(1, 1), (5, 3), (1400, 900), (1800, 1200), (4000, 3000)])
def test_the_survey_sees_a_pictures_own_pixels_without_a_copy(mode, size):
    # _pixels gives NumPy Pillow's memory (through its Arrow export) where np.asarray
    # copies it; what the passes see must be np.asarray's pixels exactly, read-only, and
    # stay valid once the picture is gone. 4000 x 3000 in colour is over Pillow's block
    # size: copied, the same pixels.
    import gc

    import numpy as np

    from filters.ocr import _pixels

    rng = np.random.default_rng(size[0] + size[1])
    bands = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    image = Image.fromarray(bands).convert(mode)
    expected = np.asarray(image).copy()
    pixels = _pixels(image)
    assert not pixels.flags.writeable
    del image
    gc.collect()
    Image.new(mode, size, 7).load()  # memory freed with the picture would be reused here
    seen = pixels if mode == "L" else pixels[..., :3]
    assert np.array_equal(seen, expected)
    if mode == "RGB":
        assert pixels.shape == (size[1], size[0], 4)
