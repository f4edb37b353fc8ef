"""The containers corpus: marked text inside the wrappings real mail and uploads carry.

Written from public descriptions of the formats (RFC 2045-2049, 2046 message/rfc822, 5751
S/MIME, 3156 PGP/MIME, 5545 iCalendar, 6350 vCard, APPNOTE.TXT, MS-CFB, MS-OXMSG,
MS-OXTNEF, MS-OLEDS, MS-EMF, MS-WMF, MS-CAB, MS-ONESTORE, ISO 32000-1, SVG 1.1, RTF 1.9.1)
before Redline's extractors were read. Each marked item has the marking only inside its
wrapping (subjects and outer text are ordinary); most have a clean twin that must pass.

Expected outcomes:

- ``classification`` / ``draft``: held with a hit of that category (read and found);
- ``held``: held, whatever the hit: content Redline cannot read (encrypted, split, cut
  short, a bomb, nested past any sane depth) must not pass; reading it and finding the
  marking is as good;
- ``none``: a clean twin; it must pass.
"""

from __future__ import annotations

import base64
import binascii
import bz2
import datetime
import gzip
import io
import lzma  # noqa: F401  (zipfile's LZMA members)
import os
import random
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage

from tests.corpus_containers import formats

# The texts: a marking where a marking stands (a banner line, a 密级 field), and a twin without.
SECRET = "SECRET\n\nQ3 supplier review\nThe figures below are for the steering board only.\nSECRET\n"
ZH = "密级：机密★5年\n\n关于第三季度供应商评估的报告\n请按规定范围传阅，不得复制。\n"
ES = "CONFIDENCIAL\n\nInforme trimestral de proveedores\nDistribución limitada al comité de dirección.\n"
DRAFT = "DRAFT\n\nProposal for the 2027 facilities budget\nNot for circulation until approved.\n"
CLEAN = "Q3 supplier review\n\nThe figures below were discussed at Tuesday's meeting.\nLunch is at noon.\n"
CLEAN_ZH = "关于第三季度供应商评估的报告\n\n会议于周二举行，午餐时间为中午十二点。\n"
CLEAN_ES = "Informe trimestral de proveedores\n\nEl comité se reúne el martes a las diez.\n"


@dataclass(frozen=True)
class Case:
    """One item: a name, its expected outcome, the file name it travels under and its bytes."""

    name: str
    expect: str
    file: str
    build: Callable[[], bytes]


# --- mails ----------------------------------------------------------------------------------


def _mail(
    subject: str = "Q3 supplier review",
    body: str = "Hello,\n\nplease find the file attached.\n\nRegards,\nAna\n",
    html: str | None = None,
) -> EmailMessage:
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = "Ana Pérez <ana@example.com>"
    message["To"] = "partner@example.org"
    message["Subject"] = subject
    message["Date"] = "Tue, 01 Dec 2026 09:30:00 +0100"
    message["Message-ID"] = f"<{os.urandom(6).hex()}@example.com>"
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def _attach(message: EmailMessage, data: bytes, media: str, filename: str) -> EmailMessage:
    maintype, subtype = media.split("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


def forwarded_twice(text: str) -> bytes:
    inner = _mail("Supplier figures", text)
    middle = _mail("Fwd: Supplier figures", "See below.\n")
    middle.add_attachment(inner)
    outer = _mail("Fwd: Fwd: Supplier figures", "FYI, forwarding as attachment.\n")
    outer.add_attachment(middle)
    return outer.as_bytes()


def eml_wrong_type(text: str, media: str) -> bytes:
    inner = _mail("Supplier figures", text).as_bytes()
    return _attach(_mail(), inner, media, "Supplier figures.eml").as_bytes()


def msg_attached(body: str, attachment: str | None) -> bytes:
    files = [("notes.txt", attachment.encode("utf-8"))] if attachment else []
    data = formats.outlook_msg("Supplier figures", body, files)
    return _attach(_mail(), data, "application/vnd.ms-outlook", "Supplier figures.msg").as_bytes()


def winmail(text: str) -> bytes:
    data = formats.tnef("Please see the attached notes.", [("notes.txt", text.encode("utf-8"))])
    return _attach(_mail(), data, "application/ms-tnef", "winmail.dat").as_bytes()


def _certificate(rsa: bool = False):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric import rsa as rsa_keys
    from cryptography.x509.oid import NameOID

    key = rsa_keys.generate_private_key(65537, 2048) if rsa else ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Ana Perez"),
            x509.NameAttribute(NameOID.EMAIL_ADDRESS, "ana@example.com"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _headers(subject: str) -> bytes:
    return (
        f"From: ana@example.com\r\nTo: partner@example.org\r\nSubject: {subject}\r\n"
        "Date: Tue, 01 Dec 2026 09:30:00 +0100\r\n"
    ).encode()


def smime_signed(text: str, detached: bool) -> bytes:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    cert, key = _certificate()
    content = (
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + text.encode().replace(b"\n", b"\r\n")
    )
    builder = pkcs7.PKCS7SignatureBuilder().set_data(content).add_signer(cert, key, hashes.SHA256())
    if detached:
        signed = builder.sign(serialization.Encoding.SMIME, [pkcs7.PKCS7Options.DetachedSignature])
        return _headers("Q3 supplier review") + signed.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    der = builder.sign(serialization.Encoding.DER, [])
    body = base64.encodebytes(der).replace(b"\n", b"\r\n")
    return (
        _headers("Q3 supplier review") + b"MIME-Version: 1.0\r\n"
        b"Content-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\r\n"
        b"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=smime.p7m\r\n\r\n"
        + body
    )


def smime_encrypted(text: str, media: str = "application/pkcs7-mime; smime-type=enveloped-data") -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    cert, _ = _certificate(rsa=True)
    content = b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + text.encode()
    der = (
        pkcs7.PKCS7EnvelopeBuilder()
        .set_data(content)
        .add_recipient(cert)
        .encrypt(serialization.Encoding.DER, [])
    )
    body = base64.encodebytes(der).replace(b"\n", b"\r\n")
    return (
        _headers("Q3 supplier review")
        + b"MIME-Version: 1.0\r\n"
        + f"Content-Type: {media}; name=smime.p7m\r\n".encode()
        + b"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=smime.p7m\r\n\r\n"
        + body
    )


def pgp_mime_encrypted() -> bytes:
    boundary = "pgp-" + os.urandom(6).hex()
    return (
        _headers("Q3 supplier review")
        + (
            "MIME-Version: 1.0\r\n"
            'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted";\r\n'
            f' boundary="{boundary}"\r\n\r\n'
            "This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)\r\n"
            f"--{boundary}\r\nContent-Type: application/pgp-encrypted\r\n"
            "Content-Description: PGP/MIME version identification\r\n\r\n"
            "Version: 1\r\n\r\n"
            f'--{boundary}\r\nContent-Type: application/octet-stream; name="encrypted.asc"\r\n'
            "Content-Description: OpenPGP encrypted message\r\n"
            'Content-Disposition: inline; filename="encrypted.asc"\r\n\r\n'
            + formats.pgp_message().replace("\n", "\r\n")
            + f"\r\n--{boundary}--\r\n"
        ).encode()
    )


def pgp_inline() -> bytes:
    return _mail(body="Hi,\n\n" + formats.pgp_message() + "\nAna\n").as_bytes()


def calendar(text: str) -> bytes:
    attach = base64.b64encode(text.encode()).decode()
    line = f"ATTACH;FMTTYPE=text/plain;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=briefing.txt:{attach}"
    folded = "\r\n ".join([line[:75]] + [line[i : i + 74] for i in range(75, len(line), 74)])
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example Corp//Calendar 1.0//EN\r\nMETHOD:REQUEST\r\n"
        "BEGIN:VEVENT\r\nUID:20261201T093000Z-1@example.com\r\nDTSTAMP:20261201T093000Z\r\n"
        "DTSTART:20261208T100000Z\r\nDTEND:20261208T110000Z\r\nSUMMARY:Supplier review\r\n"
        "ORGANIZER;CN=Ana Perez:mailto:ana@example.com\r\nATTENDEE;CN=Partner:mailto:partner@example.org\r\n"
        f"{folded}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def invite_mail(text: str) -> bytes:
    message = _mail(body="You are invited to the supplier review.\n")
    message.add_attachment(
        calendar(text),
        maintype="text",
        subtype="calendar",
        filename="invite.ics",
        params={"method": "REQUEST"},
    )
    return message.as_bytes()


def vcard(note: str) -> bytes:
    escaped = note.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")
    return (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Jordan Lee\r\nN:Lee;Jordan;;;\r\nORG:Example Corp\r\n"
        "EMAIL;TYPE=work:jordan@example.com\r\nTEL;TYPE=work,voice:+1-555-0100\r\n"
        f"NOTE:{escaped}\r\nEND:VCARD\r\n"
    ).encode()


def svg(lines: list[str]) -> bytes:
    texts = "".join(
        f'<text x="40" y="{60 + 40 * i}" font-family="Arial" font-size="28">{line}</text>'
        for i, line in enumerate(lines)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="800" '
        f'height="300" viewBox="0 0 800 300"><rect width="800" height="300" fill="#fff"/>{texts}</svg>'
    ).encode()


def tar_gz_in_zip_in_mail(text: str) -> bytes:
    tar_buffer = io.BytesIO()
    with tarfile.open(fileobj=tar_buffer, mode="w:gz") as archive:
        data = text.encode()
        info = tarfile.TarInfo("reports/q3/notes.txt")
        info.size, info.mtime = len(data), 1764580000
        archive.addfile(info, io.BytesIO(data))
        filler = b"\n".join(b"row %d, %d" % (i, i * 7) for i in range(200))
        info = tarfile.TarInfo("reports/q3/table.csv")
        info.size, info.mtime = len(filler), 1764580000
        archive.addfile(info, io.BytesIO(filler))
    zip_buffer = io.BytesIO()
    with zipfile.ZipFile(zip_buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readme.txt", "Backup of the reports folder.\n")
        archive.writestr("reports-q3.tar.gz", tar_buffer.getvalue())
    return _attach(_mail(), zip_buffer.getvalue(), "application/zip", "reports.zip").as_bytes()


def base64_pasted(text: str) -> bytes:
    blob = base64.encodebytes(text.encode()).decode()
    return _mail(body=f"Hi,\n\nthe notes, base64 so the formatting survives:\n\n{blob}\nAna\n").as_bytes()


def uuencoded(text: str) -> bytes:
    data = text.encode()
    lines = [binascii.b2a_uu(data[i : i + 45]).decode() for i in range(0, len(data), 45)]
    body = "Hi,\n\nnotes below.\n\nbegin 644 notes.txt\n" + "".join(lines) + "`\nend\n\nAna\n"
    return _mail(body=body).as_bytes()


def _quoted_printable_binary(raw: bytes) -> bytes:
    """Quoted-printable of bytes that are not ASCII lines: CR and LF bytes are =0D and =0A (RFC 2045 6.7)."""
    return binascii.b2a_qp(raw, istext=False).replace(b"\n", b"\r\n")


def utf16_quoted_printable(text: str) -> bytes:
    raw = b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")
    boundary = "qp-" + os.urandom(6).hex()
    return (
        _headers("Q3 supplier review")
        + (
            f'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'
            f"--{boundary}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nNotes attached.\r\n"
            f'--{boundary}\r\nContent-Type: text/plain; charset="utf-16"; name="notes.txt"\r\n'
            "Content-Transfer-Encoding: quoted-printable\r\n"
            'Content-Disposition: attachment; filename="notes.txt"\r\n\r\n'
        ).encode()
        + _quoted_printable_binary(raw)
        + f"\r\n--{boundary}--\r\n".encode()
    )


def html_mail(html: str) -> bytes:
    return _mail(body="This message is best viewed as HTML.\n", html=html).as_bytes()


def data_url_link(text: str) -> str:
    link = base64.b64encode(text.encode()).decode()
    return (
        f'<html><body><p>Notes: <a href="data:text/plain;charset=utf-8;base64,{link}">open</a></p>'
        "</body></html>"
    )


def data_url_svg(line: str) -> str:
    picture = base64.b64encode(svg([line, "Q3 supplier review"])).decode()
    return (
        f'<html><body><p>Banner:</p><img src="data:image/svg+xml;base64,{picture}" width="400"></body></html>'
    )


def img_alt(alt: str) -> str:
    return (
        f'<html><body><p><img src="cid:banner@example.com" alt="{alt}" width="600" height="40"></p>'
        "<p>Q3 supplier review: figures attached.</p></body></html>"
    )


def css_content(word: str) -> str:
    return (
        '<html><head><style>.banner::before { content: "' + word + '"; color: red; font-weight: bold; }'
        '</style></head><body><div class="banner"></div><p>Q3 supplier review: figures attached.</p>'
        "</body></html>"
    )


# --- files ----------------------------------------------------------------------------------


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx(rows: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


OBJECT_RUN = (
    '<w:p><w:r><w:object w:dxaOrig="4320" w:dyaOrig="1440"><v:shape id="_x0000_i1025" type="#_x0000_t75" '
    'style="width:216pt;height:72pt" o:ole=""><v:imagedata r:id="rIdPreview" o:title=""/></v:shape>'
    '<o:OLEObject Type="Embed" ProgID="{prog}" ShapeID="_x0000_i1025" DrawAspect="{aspect}" '
    'ObjectID="_1790000001" r:id="rIdObject"/></w:object></w:r></w:p>'
)
NAMESPACES = (
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w='
)


def docx_with_object(kind: str, text: str) -> bytes:
    """A docx with an object embedded as Word embeds one: xlsx part or OLE Package, with a preview picture."""
    from PIL import Image

    from tests.fixtures.office import patch_zip

    base = _docx(["Q3 supplier review", "The table is embedded below."])
    if kind == "xlsx":
        lines = text.strip().split("\n")
        part, data = "embeddings/Microsoft_Excel_Worksheet.xlsx", _xlsx([[line] for line in lines if line])
        prog, aspect, rel_type = "Excel.Sheet.12", "Content", "package"
        content_type = (
            '<Default Extension="xlsx" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>'
        )
    else:
        part, data = "embeddings/oleObject1.bin", formats.ole_package_object("notes.txt", text.encode())
        prog, aspect, rel_type = "Package", "Icon", "oleObject"
        content_type = (
            '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>'
        )
    preview = io.BytesIO()
    Image.new("RGB", (288, 96), "white").save(preview, "PNG")
    rels_type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

    def document(xml: bytes) -> bytes:
        if b"xmlns:v=" not in xml:  # python-docx's template declares VML and Office already
            xml = xml.replace(b"xmlns:w=", NAMESPACES.encode(), 1)
        run = OBJECT_RUN.format(prog=prog, aspect=aspect).encode()
        return xml.replace(b"<w:sectPr", run + b"<w:sectPr", 1)

    def rels(xml: bytes) -> bytes:
        extra = (
            f'<Relationship Id="rIdObject" Type="{rels_type}{rel_type}" Target="{part}"/>'
            f'<Relationship Id="rIdPreview" Type="{rels_type}image" Target="media/image1.png"/>'
        )
        return xml.replace(b"</Relationships>", extra.encode() + b"</Relationships>")

    def types(xml: bytes) -> bytes:
        extra = content_type + '<Default Extension="png" ContentType="image/png"/>'
        if b'Extension="png"' in xml:
            extra = content_type
        return xml.replace(b"<Override", extra.encode() + b"<Override", 1)

    return patch_zip(
        base,
        {
            "word/document.xml": document,
            "word/_rels/document.xml.rels": rels,
            "[Content_Types].xml": types,
            f"word/{part}": data,
            "word/media/image1.png": preview.getvalue(),
        },
    )


def rtf_with_object(text: str) -> bytes:
    native = formats.ole1_package("notes.txt", text.encode()).hex()
    wrapped = "\n".join(native[i : i + 128] for i in range(0, len(native), 128))
    return (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}\\f0\\fs22 Q3 supplier review: "
        "the notes are embedded below.\\par\n{\\object\\objemb{\\*\\objclass Package}\\objw1200\\objh800"
        "{\\*\\objdata\n"
        + wrapped
        + "\n}{\\result {\\pict\\wmetafile8\\picw1200\\pich800 0100090000}}}\\par\n}"
    ).encode()


def csv_utf16(banner: str | None) -> bytes:
    rows = ([banner, ""] if banner else []) + [
        "Supplier,Quarter,Amount",
        "Acme Ltd,Q3,120400",
        "Globex,Q3,98020",
    ]
    return b"\xff\xfe" + "\r\n".join(rows).encode("utf-16-le")


def zip_of(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name, (2026, 12, 1, 9, 30, 0)), data, compress_type=compression)
    return out.getvalue()


def pdf_text(lines: list[str], encrypt=None) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, encrypt=encrypt)
    for i, line in enumerate(lines):
        page.drawString(72, 760 - 18 * i, line)
    page.save()
    return out.getvalue()


def pdf_encrypted(lines: list[str], user_password: str) -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption

    return pdf_text(
        lines,
        StandardEncryption(user_password, ownerPassword="owner-2026", canCopy=0, canModify=0, strength=128),
    )


def docx_encrypted(paragraphs: list[str]) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(_docx(paragraphs))).encrypt("Pa55word!", out)
    return out.getvalue()


def zip_aes(text: str) -> bytes:
    import pyzipper

    out = io.BytesIO()
    with pyzipper.AESZipFile(
        out, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(b"Pa55word!")
        archive.writestr("notes.txt", text)
    return out.getvalue()


def seven_zip(
    members: list[tuple[str, bytes]], password: str | None = None, header_encryption: bool = False
) -> bytes:
    import py7zr

    out = io.BytesIO()
    with py7zr.SevenZipFile(out, "w", password=password, header_encryption=header_encryption) as archive:
        for name, data in members:
            archive.writestr(data, name)
    return out.getvalue()


def _filler(size: int) -> bytes:
    """Bytes that do not compress (a photo's worth), so an archive spans more than one volume."""
    return random.Random(size).randbytes(size)


def split_7z_first(text: str) -> bytes:
    whole = seven_zip([("notes.txt", text.encode()), ("photo.jpg", _filler(200_000))])
    return whole[:100_000]


def split_zip_parts(text: str) -> tuple[bytes, bytes]:
    """The first and last segments of a split zip (APPNOTE 8.5): .z01 and .zip."""
    whole = zip_of([("notes.txt", text.encode()), ("photo.jpg", _filler(200_000))], zipfile.ZIP_STORED)
    spanned = b"PK\x07\x08" + whole
    cut = 131_072
    first, last = spanned[:cut], spanned[cut:]
    # The end record of the last segment names disk 1 as its own and the directory's.
    end = last.rfind(b"PK\x05\x06")
    directory_offset = int.from_bytes(last[end + 16 : end + 20], "little") + 4 - cut
    last = (
        last[: end + 4]
        + (1).to_bytes(2, "little")
        + (1).to_bytes(2, "little")
        + last[end + 8 : end + 16]
        + directory_offset.to_bytes(4, "little")
        + last[end + 20 :]
    )
    return first, last


def truncated_zip(text: str) -> bytes:
    whole = zip_of([("notes.txt", text.encode() * 20), ("photo.jpg", _filler(50_000))])
    return whole[: len(whole) // 2]


def truncated_tar_gz(text: str) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in (("notes.txt", text.encode()), ("photo.jpg", _filler(60_000))):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    whole = out.getvalue()
    return whole[: len(whole) * 2 // 3]


def nested_zip(text: str, depth: int) -> bytes:
    data, name = text.encode(), "notes.txt"
    for level in range(depth):
        data, name = zip_of([(name, data)]), f"level{depth - level:02d}.zip"
    return data


def bomb_of_bombs() -> bytes:
    one = formats.zeros_bomb(b"zeros.bin", 1.0)
    return zip_of([(f"part{i}.zip", one) for i in range(8)], zipfile.ZIP_STORED)


def rtf_compressed(text: str) -> bytes:
    """A plain text as Outlook stores a body: RTF, compressed (MS-OXRTFCP)."""
    import compressed_rtf

    lines = "".join(line + "\\par " for line in text.split("\n"))
    return compressed_rtf.compress(
        ("{\\rtf1\\ansi\\ansicpg1252\\fromtext \\deff0{\\fonttbl{\\f0\\fswiss Arial;}}" + lines + "}").encode(
            "ascii", "xmlcharrefreplace"
        )
    )


def x_uuencode_part(text: str) -> bytes:
    data = text.encode()
    lines = "".join(binascii.b2a_uu(data[i : i + 45]).decode() for i in range(0, len(data), 45))
    encoded = ("begin 644 notes.txt\n" + lines + "`\nend\n").replace("\n", "\r\n")
    return (
        _headers("Q3 supplier review")
        + (
            'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="uu"\r\n\r\n'
            "--uu\r\nContent-Type: text/plain\r\n\r\nNotes attached.\r\n"
            "--uu\r\nContent-Type: application/octet-stream; name=notes.txt\r\n"
            "Content-Transfer-Encoding: x-uuencode\r\n\r\n" + encoded + "\r\n--uu--\r\n"
        ).encode()
    )


def onepkg(text: str) -> bytes:
    return formats.cabinet(
        [("Open Notebook.onetoc2", bytes(1024)), ("Meetings.one", formats.onenote_section(text))]
    )


# --- the cases ------------------------------------------------------------------------------

_html = html_mail

CASES: list[Case] = [
    # Controls: each marking read in a plain file, so a miss below is the wrapping's.
    Case("control secret", "classification", "notes-en.txt", lambda: SECRET.encode()),
    Case("control 机密★5年", "classification", "notes-zh.txt", lambda: ZH.encode()),
    Case("control confidencial", "classification", "notes-es.txt", lambda: ES.encode()),
    Case("control draft", "draft", "notes-draft.txt", lambda: DRAFT.encode()),
    Case("control clean", "none", "notes-clean.txt", lambda: CLEAN.encode()),
    # Mail inside mail.
    Case("forwarded twice", "classification", "fwd-twice.eml", lambda: forwarded_twice(SECRET)),
    Case("forwarded twice clean", "none", "fwd-twice-clean.eml", lambda: forwarded_twice(CLEAN)),
    Case(
        "eml as octet-stream",
        "classification",
        "eml-octet.eml",
        lambda: eml_wrong_type(ZH, "application/octet-stream"),
    ),
    Case("eml as pdf", "classification", "eml-pdf.eml", lambda: eml_wrong_type(ES, "application/pdf")),
    Case(
        "eml as octet-stream clean",
        "none",
        "eml-octet-clean.eml",
        lambda: eml_wrong_type(CLEAN, "application/octet-stream"),
    ),
    Case("msg body", "classification", "msg-body.eml", lambda: msg_attached(SECRET, None)),
    Case("msg attachment", "classification", "msg-attachment.eml", lambda: msg_attached(CLEAN, ZH)),
    Case("msg clean", "none", "msg-clean.eml", lambda: msg_attached(CLEAN, CLEAN_ZH)),
    Case("winmail.dat attachment", "classification", "tnef.eml", lambda: winmail(ES)),
    Case("winmail.dat clean", "none", "tnef-clean.eml", lambda: winmail(CLEAN_ES)),
    # S/MIME and PGP.
    Case(
        "smime multipart/signed", "classification", "smime-detached.eml", lambda: smime_signed(SECRET, True)
    ),
    Case(
        "smime multipart/signed clean", "none", "smime-detached-clean.eml", lambda: smime_signed(CLEAN, True)
    ),
    Case("smime opaque signed-data", "classification", "smime-opaque.eml", lambda: smime_signed(ZH, False)),
    Case(
        "smime opaque signed-data clean",
        "none",
        "smime-opaque-clean.eml",
        lambda: smime_signed(CLEAN_ZH, False),
    ),
    Case("smime enveloped-data", "held", "smime-encrypted.eml", lambda: smime_encrypted(CLEAN)),
    Case(
        "smime enveloped-data as x-pkcs7-mime",
        "held",
        "smime-encrypted-x.eml",
        lambda: smime_encrypted(CLEAN, "application/x-pkcs7-mime"),
    ),
    Case("pgp/mime encrypted", "held", "pgp-mime.eml", pgp_mime_encrypted),
    Case("pgp inline message", "held", "pgp-inline.eml", pgp_inline),
    # Encrypted files: held, whatever they hold.
    Case("zip aes", "held", "notes-aes.zip", lambda: zip_aes(CLEAN)),
    Case(
        "zip zipcrypto",
        "held",
        "notes-zipcrypto.zip",
        lambda: formats.raw_zip([(b"notes.txt", CLEAN.encode())], password=b"Pa55word!"),
    ),
    Case(
        "7z password", "held", "notes-pw.7z", lambda: seven_zip([("notes.txt", CLEAN.encode())], "Pa55word!")
    ),
    Case(
        "7z password headers",
        "held",
        "notes-pwh.7z",
        lambda: seven_zip([("notes.txt", CLEAN.encode())], "Pa55word!", header_encryption=True),
    ),
    Case("docx password", "held", "notes-pw.docx", lambda: docx_encrypted(CLEAN.split("\n"))),
    Case("pdf user password", "held", "notes-pw.pdf", lambda: pdf_encrypted(CLEAN.split("\n"), "Pa55word!")),
    Case(
        "pdf owner password only",
        "classification",
        "notes-owner.pdf",
        lambda: pdf_encrypted(SECRET.split("\n"), ""),
    ),
    Case(
        "pdf owner password only clean",
        "none",
        "notes-owner-clean.pdf",
        lambda: pdf_encrypted(CLEAN.split("\n"), ""),
    ),
    # Objects inside documents.
    Case("docx embedded xlsx", "classification", "embedded-xlsx.docx", lambda: docx_with_object("xlsx", ES)),
    Case(
        "docx embedded xlsx clean",
        "none",
        "embedded-xlsx-clean.docx",
        lambda: docx_with_object("xlsx", CLEAN_ES),
    ),
    Case("docx ole package", "classification", "embedded-ole.docx", lambda: docx_with_object("ole", SECRET)),
    Case("docx ole package clean", "none", "embedded-ole-clean.docx", lambda: docx_with_object("ole", CLEAN)),
    Case("rtf ole package", "classification", "embedded-ole.rtf", lambda: rtf_with_object(ZH)),
    Case("rtf ole package clean", "none", "embedded-ole-clean.rtf", lambda: rtf_with_object(CLEAN_ZH)),
    Case(
        "pdf embedded file",
        "classification",
        "attached.pdf",
        lambda: formats.pdf_with_files(
            "See the attached notes.", [("notes.txt", "text/plain", SECRET.encode())]
        ),
    ),
    Case(
        "pdf embedded file clean",
        "none",
        "attached-clean.pdf",
        lambda: formats.pdf_with_files(
            "See the attached notes.", [("notes.txt", "text/plain", CLEAN.encode())]
        ),
    ),
    Case(
        "pdf portfolio",
        "classification",
        "portfolio.pdf",
        lambda: formats.pdf_with_files(
            "This portfolio needs a viewer that shows attached files.",
            [
                ("cover.txt", "text/plain", CLEAN.encode()),
                (
                    "notes.docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    _docx(ES.split("\n")),
                ),
            ],
            portfolio=True,
        ),
    ),
    Case(
        "pdf portfolio clean",
        "none",
        "portfolio-clean.pdf",
        lambda: formats.pdf_with_files(
            "This portfolio needs a viewer that shows attached files.",
            [
                ("cover.txt", "text/plain", CLEAN.encode()),
                (
                    "notes.docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    _docx(CLEAN_ES.split("\n")),
                ),
            ],
            portfolio=True,
        ),
    ),
    # Calendar, contacts, pictures drawn with text.
    Case("ics base64 attach", "classification", "invite.ics", lambda: calendar(SECRET)),
    Case("ics base64 attach clean", "none", "invite-clean.ics", lambda: calendar(CLEAN)),
    Case("invite mail base64 attach", "classification", "invite.eml", lambda: invite_mail(ZH)),
    Case("invite mail clean", "none", "invite-clean.eml", lambda: invite_mail(CLEAN_ZH)),
    Case("vcard note", "classification", "contact.vcf", lambda: vcard(ES)),
    Case("vcard note clean", "none", "contact-clean.vcf", lambda: vcard(CLEAN_ES)),
    Case("svg text", "classification", "banner.svg", lambda: svg(["SECRET", "Q3 supplier review"])),
    Case("svg text clean", "none", "banner-clean.svg", lambda: svg(["Q3 supplier review", "Figures"])),
    Case("emf text", "classification", "chart.emf", lambda: formats.emf(ZH.strip().split("\n"))),
    Case("emf text clean", "none", "chart-clean.emf", lambda: formats.emf(CLEAN_ZH.strip().split("\n"))),
    Case(
        "wmf text",
        "classification",
        "chart.wmf",
        lambda: formats.wmf(["SECRET", "Q3 supplier review", "SECRET"]),
    ),
    Case("wmf text clean", "none", "chart-clean.wmf", lambda: formats.wmf(["Q3 supplier review", "Figures"])),
    Case("onenote section", "held", "Meetings.one", lambda: formats.onenote_section(SECRET)),
    Case("onenote package", "held", "Notebook.onepkg", lambda: onepkg(SECRET)),
    # Archives and compression.
    Case("tar.gz in zip in mail", "classification", "tgz-zip.eml", lambda: tar_gz_in_zip_in_mail(ES)),
    Case("tar.gz in zip in mail clean", "none", "tgz-zip-clean.eml", lambda: tar_gz_in_zip_in_mail(CLEAN_ES)),
    Case("gzip named .pdf", "classification", "minutes.pdf", lambda: gzip.compress(SECRET.encode(), mtime=0)),
    Case("gzip named .txt", "classification", "minutes-zh.txt", lambda: gzip.compress(ZH.encode(), mtime=0)),
    Case(
        "gzip named .pdf clean", "none", "minutes-clean.pdf", lambda: gzip.compress(CLEAN.encode(), mtime=0)
    ),
    Case(
        "gzip as doc attachment",
        "classification",
        "gzip-doc.eml",
        lambda: _attach(_mail(), gzip.compress(ES.encode()), "application/msword", "minutes.doc").as_bytes(),
    ),
    Case(
        "zip gbk name marked",
        "classification",
        "gbk-name.zip",
        lambda: formats.raw_zip([("机密★5年_采购合同.txt".encode("gbk"), b"Supplier contract, page 1\n")]),
    ),
    Case(
        "zip gbk name clean",
        "none",
        "gbk-name-clean.zip",
        lambda: formats.raw_zip([("采购合同.txt".encode("gbk"), CLEAN_ZH.encode("gbk"))]),
    ),
    Case(
        "zip cp437 name, marked content",
        "classification",
        "cp437-name.zip",
        lambda: formats.raw_zip([("Präsentation Übersicht.txt".encode("cp437"), ES.encode("cp1252"))]),
    ),
    Case(
        "zip utf-8 flag name, marked content",
        "classification",
        "utf8-name.zip",
        lambda: formats.raw_zip([("报告.txt".encode(), ZH.encode())], utf8_flag=True),
    ),
    Case(
        "zip deflate64",
        "classification",
        "deflate64.zip",
        lambda: formats.raw_zip([(b"notes.txt", SECRET.encode() * 30)], method=9),
    ),
    Case(
        "zip deflate64 clean",
        "none",
        "deflate64-clean.zip",
        lambda: formats.raw_zip([(b"notes.txt", CLEAN.encode() * 30)], method=9),
    ),
    Case(
        "zip bzip2",
        "classification",
        "bzip2.zip",
        lambda: formats.raw_zip([(b"notes.txt", ZH.encode() * 30)], method=12),
    ),
    Case(
        "zip bzip2 clean",
        "none",
        "bzip2-clean.zip",
        lambda: formats.raw_zip([(b"notes.txt", CLEAN_ZH.encode() * 30)], method=12),
    ),
    Case(
        "zip lzma",
        "classification",
        "lzma.zip",
        lambda: zip_of([("notes.txt", ES.encode() * 30)], zipfile.ZIP_LZMA),
    ),
    Case(
        "zip lzma clean",
        "none",
        "lzma-clean.zip",
        lambda: zip_of([("notes.txt", CLEAN_ES.encode() * 30)], zipfile.ZIP_LZMA),
    ),
    Case("bzip2 named .dat", "classification", "export.dat", lambda: bz2.compress(ES.encode())),
    Case("7z volume one", "held", "archive.7z.001", lambda: split_7z_first(SECRET)),
    Case("split zip first segment", "held", "archive.z01", lambda: split_zip_parts(SECRET)[0]),
    Case("split zip last segment", "held", "archive.zip", lambda: split_zip_parts(SECRET)[1]),
    Case("truncated zip", "held", "truncated.zip", lambda: truncated_zip(SECRET)),
    Case("truncated tar.gz", "held", "truncated.tar.gz", lambda: truncated_tar_gz(SECRET)),
    Case(
        "truncated 7z",
        "held",
        "truncated.7z",
        lambda: seven_zip([("notes.txt", SECRET.encode()), ("photo.jpg", _filler(30_000))])[:20_000],
    ),
    Case("zip bomb 1 GiB", "held", "bomb.zip", lambda: formats.zeros_bomb(b"zeros.bin", 1.0)),
    Case("zip of zip bombs", "held", "bombs.zip", bomb_of_bombs),
    Case("zip nested 40 deep", "held", "deep.zip", lambda: nested_zip(SECRET, 40)),
    Case("zip nested 3 deep clean", "none", "nested-clean.zip", lambda: nested_zip(CLEAN, 3)),
    Case("zip nested 3 deep", "classification", "nested.zip", lambda: nested_zip(ZH, 3)),
    # Text encodings inside mail.
    Case("base64 pasted in body", "classification", "b64-body.eml", lambda: base64_pasted(SECRET)),
    Case("base64 pasted in body clean", "none", "b64-body-clean.eml", lambda: base64_pasted(CLEAN)),
    Case("uuencoded in body", "draft", "uu-body.eml", lambda: uuencoded(DRAFT)),
    Case("uuencoded marked", "classification", "uu-body-zh.eml", lambda: uuencoded(ZH)),
    Case("uuencoded in body clean", "none", "uu-body-clean.eml", lambda: uuencoded(CLEAN)),
    Case("utf-16 quoted-printable", "classification", "qp-utf16.eml", lambda: utf16_quoted_printable(ZH)),
    Case(
        "utf-16 quoted-printable clean",
        "none",
        "qp-utf16-clean.eml",
        lambda: utf16_quoted_printable(CLEAN_ZH),
    ),
    Case("html data: link", "classification", "data-link.eml", lambda: _html(data_url_link(ES))),
    Case("html data: link clean", "none", "data-link-clean.eml", lambda: _html(data_url_link(CLEAN_ES))),
    Case("html data: svg picture", "classification", "data-svg.eml", lambda: _html(data_url_svg("SECRET"))),
    Case(
        "html data: svg picture clean", "none", "data-svg-clean.eml", lambda: _html(data_url_svg("Figures"))
    ),
    Case("html img alt", "classification", "img-alt.eml", lambda: _html(img_alt("SECRET"))),
    Case("html img alt clean", "none", "img-alt-clean.eml", lambda: _html(img_alt("Company logo"))),
    Case("html css content", "classification", "css-content.eml", lambda: _html(css_content("机密★5年"))),
    Case("html css content clean", "none", "css-content-clean.eml", lambda: _html(css_content("新"))),
    Case("csv utf-16 bom", "classification", "table.csv", lambda: csv_utf16("CONFIDENCIAL")),
    Case("csv utf-16 bom clean", "none", "table-clean.csv", lambda: csv_utf16(None)),
]

# The second round, probed after the extractors were read (not a held-out figure): Outlook
# items inside items and bodies kept only as compressed RTF or HTML, winmail.dat with its
# body among the MAPI properties (what Outlook sends most), a PDF paperclip annotation,
# the x-uuencode transfer encoding, an MSZIP cabinet, and small archives of formats
# Redline does not open.
SECOND_ROUND: list[Case] = [
    Case(
        "msg item attached",
        "classification",
        "msg-item.msg",
        lambda: formats.outlook_msg_with_item(
            "Fwd: figures", "See the attached item.", "Supplier figures", SECRET
        ),
    ),
    Case(
        "msg item attached clean",
        "none",
        "msg-item-clean.msg",
        lambda: formats.outlook_msg_with_item(
            "Fwd: figures", "See the attached item.", "Supplier figures", CLEAN
        ),
    ),
    Case(
        "msg rtf body only",
        "classification",
        "msg-rtf.msg",
        lambda: formats.outlook_msg_rich("figures", rtf_compressed=rtf_compressed(SECRET)),
    ),
    Case(
        "msg rtf body only clean",
        "none",
        "msg-rtf-clean.msg",
        lambda: formats.outlook_msg_rich("figures", rtf_compressed=rtf_compressed(CLEAN)),
    ),
    Case(
        "msg html body only",
        "classification",
        "msg-html.msg",
        lambda: formats.outlook_msg_rich(
            "figures", html=f"<html><body><pre>{ES}</pre></body></html>".encode()
        ),
    ),
    Case(
        "winmail.dat rtf body",
        "classification",
        "tnef-rtf.eml",
        lambda: _attach(
            _mail(), formats.tnef_rtf_body(rtf_compressed(SECRET)), "application/ms-tnef", "winmail.dat"
        ).as_bytes(),
    ),
    Case(
        "winmail.dat rtf body clean",
        "none",
        "tnef-rtf-clean.eml",
        lambda: _attach(
            _mail(), formats.tnef_rtf_body(rtf_compressed(CLEAN)), "application/ms-tnef", "winmail.dat"
        ).as_bytes(),
    ),
    Case(
        "pdf paperclip annotation",
        "classification",
        "paperclip.pdf",
        lambda: formats.pdf_with_annotation_file("See the paperclip.", "notes.txt", ES.encode()),
    ),
    Case(
        "pdf paperclip annotation clean",
        "none",
        "paperclip-clean.pdf",
        lambda: formats.pdf_with_annotation_file("See the paperclip.", "notes.txt", CLEAN_ES.encode()),
    ),
    Case("x-uuencode part", "classification", "x-uuencode.eml", lambda: x_uuencode_part(ZH)),
    Case("x-uuencode part clean", "none", "x-uuencode-clean.eml", lambda: x_uuencode_part(CLEAN_ZH)),
    Case(
        "cab mszip",
        "classification",
        "notes.cab",
        lambda: formats.mszip_cabinet("notes.txt", SECRET.encode() * 20),
    ),
    Case(
        "cab mszip clean",
        "none",
        "notes-clean.cab",
        lambda: formats.mszip_cabinet("notes.txt", CLEAN.encode() * 20),
    ),
    Case("onenote package clean", "none", "Notebook-clean.onepkg", lambda: onepkg(CLEAN)),
    Case(
        "small rar", "held", "notes.rar", lambda: b"Rar!\x1a\x07\x01\x00" + bz2.compress(SECRET.encode())[10:]
    ),
    Case("small .Z", "held", "notes.txt.Z", lambda: b"\x1f\x9d\x90" + bz2.compress(SECRET.encode())[10:]),
]
CASES += SECOND_ROUND


def _picture(fmt: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(out, fmt)
    return out.getvalue()


SELF_EXTRACTOR = b"MZ" + bytes(58) + (64).to_bytes(4, "little") + b"PE\0\0" + bytes(400)


def _directory_with_data(text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readme.txt", "Folder of notes.\n")
        archive.writestr(zipfile.ZipInfo("notes/"), text)
    return out.getvalue()


# The third round, probed after the second round's fixes: a zip appended after a picture
# or a program (a self-extracting archive), and a zip directory entry carrying data.
THIRD_ROUND: list[Case] = [
    Case(
        "zip after a png",
        "classification",
        "cat.png",
        lambda: _picture("PNG") + zip_of([("notes.txt", SECRET)]),
    ),
    Case(
        "zip after a png clean",
        "none",
        "cat-clean.png",
        lambda: _picture("PNG") + zip_of([("notes.txt", CLEAN)]),
    ),
    Case(
        "zip after a jpeg",
        "classification",
        "cat.jpg",
        lambda: _picture("JPEG") + zip_of([("notes.txt", ES)]),
    ),
    Case(
        "self-extracting zip",
        "classification",
        "setup.exe",
        lambda: SELF_EXTRACTOR + zip_of([("notes.txt", ZH * 5)]),
    ),
    Case(
        "zip directory entry with data", "classification", "folder.zip", lambda: _directory_with_data(SECRET)
    ),
    Case(
        "zip directory entry with data clean", "none", "folder-clean.zip", lambda: _directory_with_data(CLEAN)
    ),
]
CASES += THIRD_ROUND


def _long_text() -> bytes:
    """Meeting notes longer than the first bytes a type is judged by."""
    line = "Minutes of the facilities meeting: rooms, parking and the canteen rota.\n"
    return (line * 200).encode()


# The fourth round, written from APPNOTE 5.10 (PPMd members), Microsoft's PE format page
# and 7-Zip's and RARLAB's format notes (self-extracting programs: the archive after the
# program's image), before the changes it asked for: a zip member compressed with PPMd
# (as 7-Zip's -mm=PPMd writes it), a 7z and a RAR self-extracting program, and a zip
# appended to a text file longer than its first bytes.
FOURTH_ROUND: list[Case] = [
    Case("zip ppmd member", "classification", "notes-ppmd.zip",
         lambda: formats.raw_zip([(b"notes.txt", SECRET.encode() * 20)], method=98)),
    Case("zip ppmd member clean", "none", "notes-ppmd-clean.zip",
         lambda: formats.raw_zip([(b"notes.txt", CLEAN.encode() * 20)], method=98)),
    Case("7z self-extracting", "classification", "setup7z.exe",
         lambda: formats.pe_program(seven_zip([("notes.txt", (ZH * 40).encode())]))),
    Case("7z self-extracting clean", "none", "setup7z-clean.exe",
         lambda: formats.pe_program(seven_zip([("notes.txt", (CLEAN_ZH * 40).encode())]))),
    Case("rar self-extracting", "held", "setuprar.exe",
         # What RAR compresses reads as no text: a gzip of the notes, stored.
         lambda: formats.pe_program(
             formats.rar5_stored("notes.txt.gz", gzip.compress(SECRET.encode(), mtime=0)))),
    Case("zip after a text", "classification", "minutes.txt",
         lambda: _long_text() + zip_of([("notes.txt", ES.encode())])),
    Case("zip after a text clean", "none", "minutes-clean.txt",
         lambda: _long_text() + zip_of([("notes.txt", CLEAN_ES.encode())])),
]
CASES += FOURTH_ROUND
