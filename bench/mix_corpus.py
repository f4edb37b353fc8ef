"""A seeded mail mix shaped like an office's outbound mail, for bench/mix_bench.py.

Most mails are plain or HTML text of 3-30 KB; some are replies quoting their history;
some carry a 100-300 KB .docx, a 0.5-2 MB PDF report, an .xlsx, a zip of three documents
or a 5-10 MB deck or report; a tenth of the text is Chinese or Spanish; about 1 % carry a
classification marking (a hold). The same seed and count give the same mails.
``python bench/mix_corpus.py --out DIR`` writes them as DIR/NNNN-CLASS.eml.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import docx
import numpy
import openpyxl
import pptx
from docx.shared import Inches
from PIL import Image
from pptx.util import Inches as PptxInches
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

# Shares of an office's outbound mail by kind (of 100 mails); "large" is a 5-10 MB file.
SHARES = {"plain": 36, "html": 20, "reply": 15, "docx": 10, "pdf": 8, "xlsx": 6, "zip": 4,
          "large": 1}
MARKED_SHARE = 0.01

ENGLISH = [
    "Thanks for sending the revised schedule over so quickly.",
    "The supplier confirmed delivery of the pallets for Thursday morning.",
    "Could you check the figures in the third column before the meeting?",
    "We agreed to move the workshop to the larger room on the second floor.",
    "The invoice for the March maintenance visit is attached for your records.",
    "Please let me know if the proposed dates work for your team.",
    "The budget review showed spending in line with the plan for the quarter.",
    "Our colleagues in the Valencia office will join the call from ten o'clock.",
    "I have updated the contact list with the new account managers.",
    "The training sessions were well attended and the feedback was positive.",
    "Parking at the north entrance will be closed during the resurfacing works.",
    "The customer asked for a summary of the service levels we offer.",
    "Travel arrangements for the conference are now complete.",
    "The catering order for the open day needs to be confirmed by Friday.",
    "Attached you will find the minutes of yesterday's coordination meeting.",
    "We expect the new printers to be installed by the end of next week.",
]
SPANISH = [
    "Gracias por enviar el calendario revisado tan rápido.",
    "El proveedor confirmó la entrega de los palés para el jueves por la mañana.",
    "¿Podrías revisar las cifras de la tercera columna antes de la reunión?",
    "Acordamos trasladar el taller a la sala grande de la segunda planta.",
    "Adjunto la factura de la visita de mantenimiento de marzo.",
    "Por favor, confirma si las fechas propuestas le vienen bien a tu equipo.",
    "La revisión del presupuesto muestra un gasto acorde con el plan del trimestre.",
    "Los compañeros de la oficina de Valencia se unirán a la llamada a las diez.",
    "He actualizado la lista de contactos con los nuevos gestores de cuenta.",
    "Las sesiones de formación tuvieron buena asistencia y buenas valoraciones.",
]
CHINESE = [
    "感谢您这么快把修改后的日程发过来。",
    "供应商确认周四上午送货。",
    "开会前请核对一下第三列的数字。",
    "我们同意把研讨会改到二楼的大会议室。",
    "附件是三月份维护服务的发票，请查收。",
    "请告诉我建议的日期是否适合贵团队。",
    "预算审查显示本季度支出与计划一致。",
    "培训课程出席率很高，反馈也很好。",
    "会议纪要见附件，如有问题请随时联系。",
    "新的打印机预计下周末前安装完毕。",
]
LANGUAGES = {"en": ENGLISH, "es": SPANISH, "zh": CHINESE}
GREETING = {"en": "Hello {name},", "es": "Hola {name}:", "zh": "{name}，您好："}
SIGN_OFF = {"en": "Best regards,", "es": "Un saludo,", "zh": "此致"}
NAMES = ["Alice", "Ben", "Carmen", "Daniel", "Elena", "Farid", "Grace", "Hugo", "Li Wei",
         "Zhang Min", "Lucía", "Marta", "Nikos", "Olivia", "Pablo", "Rosa"]
# Markings a hold is for: one per kind of marked mail (header banner, body line, title).
MARKINGS = {"en": "SECRET//NOFORN", "es": "CONFIDENCIAL", "zh": "机密★5年"}


def prose(rng: random.Random, lang: str, chars: int) -> list[str]:
    """Paragraphs of about ``chars`` characters of ordinary office prose in ``lang``."""
    sentences = LANGUAGES[lang]
    joiner = "" if lang == "zh" else " "
    paragraphs: list[str] = []
    total = 0
    while total < chars:
        paragraph = joiner.join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
        paragraphs.append(paragraph)
        total += len(paragraph.encode()) + 2
    return paragraphs


def photo(rng: random.Random, width: int, height: int, quality: int = 88) -> bytes:
    """A JPEG that compresses like a photograph: smooth shapes with fine grain."""
    generator = numpy.random.default_rng(rng.getrandbits(32))
    coarse = generator.integers(0, 256, (height // 40 + 2, width // 40 + 2, 3), dtype=numpy.uint8)
    image = Image.fromarray(coarse).resize((width, height), Image.BICUBIC)
    grain = generator.normal(0, 9, (height, width, 3))
    pixels = numpy.clip(numpy.asarray(image, dtype=numpy.float32) + grain, 0, 255)
    out = io.BytesIO()
    Image.fromarray(pixels.astype(numpy.uint8)).save(out, "JPEG", quality=quality)
    return out.getvalue()


def make_docx(rng: random.Random, lang: str, target: int, marking: str | None) -> bytes:
    """A report of ``target`` bytes or so: headings, prose, a table and one picture."""
    document = docx.Document()
    if marking:
        document.sections[0].header.paragraphs[0].text = marking
    document.add_heading(rng.choice(LANGUAGES[lang])[:60], level=1)
    table = document.add_table(rows=6, cols=4)
    for row in table.rows:
        for cell in row.cells:
            cell.text = str(rng.randint(100, 99_999))
    picture = photo(rng, 900, 600, quality=80)
    document.add_picture(io.BytesIO(picture), width=Inches(4))
    room = max(0, target - len(picture) - 30_000)
    # Prose compresses about 3:1 in the package.
    for paragraph in prose(rng, lang, room * 3):
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PDF_PHOTO = 480_000  # what one 1400x900 photograph adds to a PDF, roughly


def make_pdf(rng: random.Random, lang: str, target: int, marking: str | None) -> bytes:
    """A report of ``target`` bytes or so: pages of prose, with photographs on some."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle("Quarterly operations report")
    width, height = A4
    size = 0
    page = 0
    # A photograph costs about 1.3 times its JPEG in the file; stop before the one too many.
    while page == 0 or size + (PDF_PHOTO if page % 2 else 3_000) <= target:
        page += 1
        c.setFont("Helvetica-Bold", 11)
        if marking:
            c.drawCentredString(width / 2, height - 30, marking)
            c.drawCentredString(width / 2, 25, marking)
        c.setFont("Helvetica", 10)
        y = height - 70
        with_photo = page % 2 == 0
        lines = 20 if with_photo else 52
        text = " ".join(prose(rng, "en" if lang == "zh" else lang, lines * 90))
        for start in range(0, lines * 90, 90):
            c.drawString(60, y, text[start:start + 90])
            y -= 13
        if with_photo:
            picture = photo(rng, 1400, 900)
            size += round(len(picture) * 1.3)
            c.drawImage(ImageReader(io.BytesIO(picture)), 60, 80, width=width - 120,
                        height=(width - 120) * 900 / 1400)
        size += 3_000
        c.showPage()
    c.save()
    return buf.getvalue()


def make_xlsx(rng: random.Random, lang: str) -> bytes:
    """A workbook of a few hundred rows of figures with labels."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Figures"
    sheet.append(["Item", "Region", "Q1", "Q2", "Q3", "Q4"])
    labels = LANGUAGES[lang]
    for _ in range(rng.randint(100, 800)):
        sheet.append([rng.choice(labels)[:40], rng.choice(NAMES),
                      *(rng.randint(0, 90_000) for _ in range(4))])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


DECK_PHOTO = 830_000  # one 1800x1200 photograph


def make_deck(rng: random.Random, target: int) -> bytes:
    """A slide deck of ``target`` bytes or so: a title and a photograph per slide."""
    presentation = pptx.Presentation()
    size = 30_000  # the empty deck
    while size + DECK_PHOTO <= target or size == 30_000:
        slide = presentation.slides.add_slide(presentation.slide_layouts[5])
        slide.shapes.title.text = rng.choice(ENGLISH)[:50]
        picture = photo(rng, 1800, 1200, quality=92)
        size += len(picture)
        slide.shapes.add_picture(io.BytesIO(picture), PptxInches(1), PptxInches(1.6),
                                 width=PptxInches(8))
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def make_zip(rng: random.Random, lang: str) -> bytes:
    """A zip of three documents: a docx, an xlsx and a small PDF."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("notes.docx", make_docx(rng, lang, rng.randint(60_000, 150_000), None))
        archive.writestr("figures.xlsx", make_xlsx(rng, lang))
        archive.writestr("summary.pdf", make_pdf(rng, lang, rng.randint(100_000, 300_000), None))
    return out.getvalue()


def body_text(rng: random.Random, lang: str, chars: int, marking: str | None) -> str:
    name = rng.choice(NAMES)
    lines = [marking, ""] if marking else []
    lines += [GREETING[lang].format(name=name), ""]
    lines += [p for paragraph in prose(rng, lang, chars) for p in (paragraph, "")]
    lines += [SIGN_OFF[lang], rng.choice(NAMES)]
    return "\n".join(lines) + "\n"


def quoted_history(rng: random.Random, lang: str, levels: int, when: datetime) -> str:
    """Earlier messages of a thread, each quoted one level deeper than the one after it."""
    text = ""
    for _ in range(levels):
        when -= timedelta(hours=rng.randint(1, 40))
        earlier = body_text(rng, lang, rng.randint(800, 6_000), None)
        header = f"On {when:%a, %d %b %Y at %H:%M}, {rng.choice(NAMES)} wrote:"
        text = "\n".join([header, *("> " + line for line in (earlier + text).splitlines())]) + "\n"
    return text


def mail(rng: random.Random, index: int, kind: str, marked: bool, when: datetime) -> bytes:
    """One mail of ``kind`` in the mix (marked: it carries a classification marking)."""
    lang = rng.choices(["en", "es", "zh"], weights=[80, 10, 10])[0]
    marking = MARKINGS[lang] if marked else None
    message = EmailMessage()
    message["From"] = f"{rng.choice(NAMES)} <staff{index % 40}@example.org>"
    message["To"] = f"{rng.choice(NAMES)} <contact{index % 97}@partner.example.com>"
    message["Date"] = format_datetime(when)
    message["Message-ID"] = f"<mix{index}.{rng.getrandbits(40):x}@example.org>"
    subject = rng.choice(LANGUAGES[lang])[:48]
    message["Subject"] = ("Re: " if kind == "reply" else "") + subject
    text_marking = marking if kind in ("plain", "html", "reply") else None
    if kind == "reply":
        text = body_text(rng, lang, rng.randint(300, 3_000), text_marking)
        text += "\n" + quoted_history(rng, lang, rng.randint(2, 6), when)
    else:
        text = body_text(rng, lang, rng.randint(2_500, 28_000) if kind in ("plain", "html")
                         else rng.randint(300, 2_000), text_marking)
    message.set_content(text)
    if kind == "html":
        paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        message.add_alternative(
            f"<html><body style=\"font-family: Calibri\">{paragraphs}</body></html>", subtype="html")
    document_marking = marking if kind not in ("plain", "html", "reply") else None
    office = "application/vnd.openxmlformats-officedocument"
    if kind == "docx":
        data = make_docx(rng, lang, rng.randint(100_000, 300_000), document_marking)
        message.add_attachment(data, maintype="application", subtype=office.split("/")[1]
                               + ".wordprocessingml.document", filename="report.docx")
    elif kind == "pdf":
        data = make_pdf(rng, lang, rng.randint(500_000, 2_000_000), document_marking)
        message.add_attachment(data, maintype="application", subtype="pdf",
                               filename="operations-report.pdf")
    elif kind == "xlsx":
        data = make_xlsx(rng, lang)
        message.add_attachment(data, maintype="application", subtype=office.split("/")[1]
                               + ".spreadsheetml.sheet", filename="figures.xlsx")
    elif kind == "zip":
        message.add_attachment(make_zip(rng, lang), maintype="application", subtype="zip",
                               filename="documents.zip")
    elif kind == "large":
        target = rng.randint(5_000_000, 10_000_000)
        if index % 2:
            message.add_attachment(make_deck(rng, target), maintype="application",
                                   subtype=office.split("/")[1] + ".presentationml.presentation",
                                   filename="site-visit.pptx")
        else:
            message.add_attachment(make_pdf(rng, lang, target, document_marking),
                                   maintype="application", subtype="pdf",
                                   filename="annual-report.pdf")
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


def plan(count: int, seed: int) -> list[tuple[str, bool]]:
    """(kind, marked) per mail: the shares exactly, shuffled by ``seed``."""
    rng = random.Random(seed)
    total = sum(SHARES.values())
    kinds = [kind for kind, share in SHARES.items()
             for _ in range(max(1, round(count * share / total)))]
    kinds = (kinds * 2)[:count] if len(kinds) < count else kinds[:count]
    rng.shuffle(kinds)
    marked = set(rng.sample(range(count), max(1, round(count * MARKED_SHARE))))
    return [(kind, i in marked) for i, kind in enumerate(kinds)]


def generate(out: Path, count: int, seed: int) -> list[Path]:
    """Write the mix into ``out`` (once: an existing complete mix is reused)."""
    done = out / "COMPLETE"
    if done.exists():
        return sorted(out.glob("*.eml"))
    out.mkdir(parents=True, exist_ok=True)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    paths = []
    for index, (kind, marked) in enumerate(plan(count, seed)):
        rng = random.Random(seed * 1_000_003 + index)
        path = out / f"{index:04d}-{kind}{'-marked' if marked else ''}.eml"
        path.write_bytes(mail(rng, index, kind, marked, start + timedelta(minutes=7 * index)))
        paths.append(path)
    done.write_text(f"{count} mails, seed {seed}\n")
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--seed", type=int, default=21)
    args = parser.parse_args()
    paths = generate(args.out, args.messages, args.seed)
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} mails, {total / 1e6:.1f} MB in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
