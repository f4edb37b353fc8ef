"""Mail as real clients write it, many variants, through the pipeline ``redline serve``
builds (OCR off): ``python bench/client_variants.py [--count N] [--seed S] [--office DIR]``.

Families, from public descriptions of what each client emits: Outlook HTML (mso
conditional comments, VML, windows-1252 quoted-printable), Outlook Rich Text (winmail.dat),
an RTF body, Apple Mail (multipart/alternative with a multipart/related inline picture,
quoted-printable broken at odd places), Thunderbird (format=flowed, delsp=yes), Gmail
(gmail_quote divs), phones (base64 in one long line, "Sent from my iPhone"), mailing-list
footers, calendar invitations (METHOD:REQUEST, folded lines), vCards, read receipts
(message/disposition-notification), bounces (message/delivery-status), forwards nested
three deep as message/rfc822, S/MIME and PGP/MIME signed mail. Half the variants carry a
marking (a banner line at the top or foot of the body); the rest are ordinary prose with
words near markings. Prints each variant whose verdict differs from its label: an
ordinary mail held (``extract.failed`` or a marking hit), a marked one passed. With
``--office DIR`` (bench/office_variants.py's output) the documents there are scanned too.
"""

from __future__ import annotations

import argparse
import base64
import collections
import json
import quopri
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from tests.fixtures.client_mail import ical_fold  # noqa: E402

CRLF = "\r\n"

PROSE = [
    "Thanks for your help with the shipment last week.",
    "The secretary will send the agenda on Friday.",
    "Our company secretary has filed the annual return.",
    "Drinks after work? The pub has draft beer at half price.",
    "The NFL draft is on tonight, who is in the office pool?",
    "Lunch at Bella Vista: their Top Secret Recipe lasagne is back on the menu.",
    "The secret to a good sourdough is patience.",
    "Secret Santa names will be drawn on Monday.",
    "I attach the first draft of my speech for Maria's retirement party.",
    "For advice call the confidential helpline on 0800 123 456.",
    "La secretaría cerrará a las tres el viernes.",
    "Te envío el borrador del menú de Navidad para la cena.",
    "成功的秘密在于坚持，周五见。",
    "请把草稿箱里的旧邮件清理一下。",
    "Die Sekretärin ist ab Montag wieder im Büro. Grüße aus Köln!",
    "Revenue rose 4.2% to EUR 18.3 million in the third quarter.",
    "Delivery of 240 pallets is booked for 14 March at dock 3.",
    "Please confirm invoice 2026-0413 before we pay it.",
    "Can we move our call to 15:30 CET? Something came up.",
    "The photos from the team day are on the shared drive.",
]
DISCLAIMERS = [
    "Confidentiality notice: This e-mail and any attachments are confidential and may be "
    "legally privileged. If you are not the intended recipient, please notify the sender "
    "immediately and delete this e-mail.",
    "CONFIDENTIALITY NOTICE: This message is intended only for the named recipient and may "
    "contain confidential information. Any review or distribution by others is prohibited.",
    "AVISO DE CONFIDENCIALIDAD: Este mensaje y sus anexos son confidenciales y se dirigen "
    "exclusivamente a su destinatario.",
    "本邮件及其附件含有保密信息，仅限于发送给上述收件人。",
]
SIGNATURES = [
    "Best regards,\nAnna Schmidt\nSales Manager | Acme Logistics Ltd\n+44 113 496 0000",
    "Sent from my iPhone",
    "Sent from my Galaxy",
    "Cheers,\nTom",
    "Saludos,\nLucía",
    "-- \nJörg Müller\nAcme GmbH",
]
MARKINGS = [
    "SECRET//NOFORN",
    "TOP SECRET",
    "SECRET",
    "CONFIDENTIAL",
    "机密★5年",
    "CONFIDENCIAL",
    "BORRADOR",
    "DRAFT",
    "DRAFT - NOT FOR DISTRIBUTION",
    "绝密",
    "SECRETO",
]
FROM = "From: Anna Schmidt <anna.schmidt@acme.example>"
TO = "To: Sam Patel <sam.patel@partner.example.com>"


def body_text(rng: random.Random, marking: str) -> str:
    lines = [rng.choice(["Hi Sam,", "Hello all,", "Dear colleagues,", "Hola Jorge,", "Hallo Jörg,"]), ""]
    lines += rng.sample(PROSE, rng.randint(2, 5))
    lines += ["", rng.choice(SIGNATURES)]
    if rng.random() < 0.5:
        lines += ["", rng.choice(DISCLAIMERS)]
    if marking:
        lines = [marking, "", *lines] if rng.random() < 0.6 else [*lines, "", marking]
    return "\n".join(lines)


def html_of(text: str) -> str:
    from html import escape

    return "".join(
        f"<p class=MsoNormal>{escape(line) or '<o:p>&nbsp;</o:p>'}</p>\n" for line in text.split("\n")
    )


def qp(data: bytes) -> str:
    return quopri.encodestring(data).decode("ascii").replace("\n", CRLF)


def qp_odd(data: bytes, rng: random.Random) -> str:
    """Quoted-printable with soft breaks wherever a writer's line budget ran out, inside
    words and between a '=' escape's neighbours, never inside an escape."""
    out, line = [], ""
    for byte in data.replace(b"\r\n", b"\n"):
        if byte == 10:
            out.append(line + CRLF)
            line = ""
            continue
        token = chr(byte) if (33 <= byte <= 126 and byte != 61) or byte == 32 else f"={byte:02X}"
        budget = rng.choice([rng.randint(4, 20), rng.randint(20, 75)])
        if len(line) + len(token) > budget:
            out.append(line + "=" + CRLF)
            line = ""
        line += token
    if line.endswith(" "):
        line = line[:-1] + "=20"
    out.append(line)
    return "".join(out)


def b64(data: bytes, width: int = 76) -> str:
    text = base64.b64encode(data).decode()
    if width <= 0:
        return text
    return CRLF.join(text[i : i + width] for i in range(0, len(text), width))


def head(subject: str, ctype: str, *extra: str) -> str:
    return (
        CRLF.join(
            [
                FROM,
                TO,
                f"Subject: {subject}",
                "Date: Wed, 1 Apr 2026 09:30:12 +0000",
                "Message-ID: <a1b2c3@acme.example>",
                "MIME-Version: 1.0",
                f"Content-Type: {ctype}",
                *extra,
            ]
        )
        + CRLF
        + CRLF
    )


def mail(subject: str, ctype: str, body: str, *extra: str) -> bytes:
    return (head(subject, ctype, *extra) + body).encode("utf-8", "surrogateescape")


def part(ctype: str, body: str, *extra: str) -> str:
    return CRLF.join([f"Content-Type: {ctype}", *extra]) + CRLF + CRLF + body + CRLF


def multipart(boundary: str, parts: list[str]) -> str:
    return "".join(f"--{boundary}{CRLF}{p}" for p in parts) + f"--{boundary}--{CRLF}"


def png(rng: random.Random) -> bytes:
    import io

    from PIL import Image

    image = Image.new("RGB", (40, 20), tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# -- families --------------------------------------------------------------------------------


def outlook_html(rng, text):
    head_html = (
        '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:'
        'office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://'
        'schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40">'
        '<head><meta http-equiv=Content-Type content="text/html; charset=windows-1252">'
        '<meta name=Generator content="Microsoft Word 15 (filtered medium)">'
        "<!--[if !mso]><style>v\\:* {behavior:url(#default#VML);}\no\\:* {behavior:url(#default"
        "#VML);}\n.shape {behavior:url(#default#VML);}\n</style><![endif]--><style><!--\n"
        '/* Font Definitions */\n@font-face\n\t{font-family:"Cambria Math";\n\tpanose-1:2 4 5 3'
        " 5 4 6 3 2 4;}\np.MsoNormal, li.MsoNormal, div.MsoNormal\n\t{margin:0cm;\n\tfont-size:"
        '11.0pt;\n\tfont-family:"Calibri",sans-serif;}\n@page WordSection1\n\t{size:612.0pt '
        "792.0pt;\n\tmargin:72.0pt 72.0pt 72.0pt 72.0pt;}\ndiv.WordSection1\n\t{page:WordSection1;}"
        '\n--></style><!--[if gte mso 9]><xml>\n<o:shapedefaults v:ext="edit" spidmax="1026" />'
        '\n</xml><![endif]--><!--[if gte mso 9]><xml>\n<o:shapelayout v:ext="edit">\n<o:idmap '
        'v:ext="edit" data="1" />\n</o:shapelayout></xml><![endif]--></head>'
        '<body lang=EN-GB link="#0563C1" vlink="#954F72" style=\'word-wrap:break-word\'>'
        "<div class=WordSection1>"
    )
    vml = ""
    if rng.random() < 0.5:
        vml = (
            '<!--[if gte vml 1]><v:shape id="Picture_x0020_1" o:spid="_x0000_i1025" '
            'type="#_x0000_t75" style=\'width:120pt;height:40pt\'><v:imagedata src="cid:'
            'image001.png@01DA1234.5678" o:title=""/></v:shape><![endif]--><![if !vml]>'
            '<img width=160 height=53 src="cid:image001.png@01DA1234.5678"><![endif]>'
        )
    html = head_html + html_of(text) + vml + "</div></body></html>"
    data = html.encode("cp1252", "xmlcharrefreplace")
    plain = text.encode("cp1252", "replace")
    boundary = "_000_DB9PR01MB8312A1B2C3D4E5F6DB9PR01MB8312eurp_"
    alt = multipart(
        boundary,
        [
            part(
                'text/plain; charset="windows-1252"', qp(plain), "Content-Transfer-Encoding: quoted-printable"
            ),
            part(
                'text/html; charset="windows-1252"', qp(data), "Content-Transfer-Encoding: quoted-printable"
            ),
        ],
    )
    if vml:
        related = "_004_DB9PR01MB8312A1B2C3D4E5F6DB9PR01MB8312eurp_"
        body = multipart(
            related,
            [
                part(f'multipart/alternative; boundary="{boundary}"', alt),
                part(
                    'image/png; name="image001.png"',
                    b64(png(rng)),
                    "Content-Description: image001.png",
                    'Content-Disposition: inline; filename="image001.png"; size=120',
                    "Content-ID: <image001.png@01DA1234.5678>",
                    "Content-Transfer-Encoding: base64",
                ),
            ],
        )
        return mail(
            "RE: notes",
            f'multipart/related; boundary="{related}"; type="multipart/alternative"',
            body,
            "X-MS-Has-Attach: yes",
        )
    return mail("RE: notes", f'multipart/alternative; boundary="{boundary}"', alt)


def rtf_of(text: str) -> str:
    body = "\\par\r\n".join(rtf_escape(line) for line in text.split("\n"))
    return (
        "{\\rtf1\\ansi\\ansicpg1252\\fromtext \\fbidis \\deff0{\\fonttbl\r\n{\\f0\\fswiss "
        "Arial;}\r\n{\\f1\\fmodern Courier New;}\r\n}\r\n{\\colortbl\r\n\\red0\\green0\\blue0;"
        "}\r\n\\uc1\\pard\\plain\\deftab360 \\f0\\fs20 " + body + "\r\n}"
    )


def rtf_escape(line: str) -> str:
    out = []
    for ch in line:
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ord(ch) < 128:
            out.append(ch)
        elif ord(ch) < 256:
            out.append(f"\\'{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?")
    return "".join(out)


def rtf_from_html(rng, text: str) -> str:
    """Outlook's Rich Text body with its HTML encapsulated (\\fromhtml1, MS-OXRTFEX): the
    tags in \\*\\htmltag groups, the text between; a span may cut a line anywhere."""
    out = [
        "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\fbidis \\deff0{\\fonttbl\r\n"
        "{\\f0\\fswiss\\fcharset0 Arial;}\r\n"
        "{\\f1\\fmodern Courier New;}\r\n{\\f2\\fnil\\fcharset2 Symbol;}}\r\n"
        "{\\colortbl\\red0\\green0\\blue0;"
        "\\red5\\green99\\blue193;}\r\n\\uc1\\pard\\plain\\deftab360 \\f0\\fs24 \r\n",
        "{\\*\\htmltag19 <html>}\r\n{\\*\\htmltag34 <head>}\r\n{\\*\\htmltag241 <style>}\r\n"
        "{\\*\\htmltag241 p.MsoNormal \\{margin:0cm;font-size:11.0pt;\\}}\r\n{\\*\\htmltag249 </style>}\r\n"
        '{\\*\\htmltag41 </head>}\r\n{\\*\\htmltag50 <body lang="EN-GB" link="#0563C1">}\\htmlrtf '
        '{\\htmlrtf0 \r\n{\\*\\htmltag96 <div class="WordSection1">}\\htmlrtf {\\htmlrtf0 \r\n',
    ]
    for line in text.split("\n"):
        body = rtf_escape(line)
        if line in MARKINGS and rng.random() < 0.5:
            cut = rng.randint(1, len(line) - 1)
            body = (
                rtf_escape(line[:cut])
                + '{\\*\\htmltag84 <span lang="EN-US">}\\htmlrtf {\\htmlrtf0 '
                + rtf_escape(line[cut:])
                + "\\htmlrtf }\\htmlrtf0 {\\*\\htmltag92 </span>}"
            )
        out.append(
            '{\\*\\htmltag64 <p class="MsoNormal">}\\htmlrtf {\\htmlrtf0 '
            + (body or "{\\*\\htmltag84 &nbsp;}\\htmlrtf \\'a0\\htmlrtf0 ")
            + "{\\*\\htmltag244 <o:p>}{\\*\\htmltag252 </o:p>}\\htmlrtf \\par\r\n}\\htmlrtf0\r\n"
            "{\\*\\htmltag72 </p>}\r\n"
        )
    out.append(
        "{\\*\\htmltag104 </div>}\\htmlrtf }\\htmlrtf0 \r\n{\\*\\htmltag58 </body>}\r\n"
        "{\\*\\htmltag27 </html>}\r\n\\htmlrtf }\\htmlrtf0 }"
    )
    return "".join(out)


def outlook_tnef(rng, text):
    from fixtures.tnef import mail_with_winmail, winmail

    rtf = rtf_of(text) if rng.random() < 0.5 else rtf_from_html(rng, text)
    if rng.random() < 0.5:
        tnef = winmail(subject="Plan", rtf=rtf)
    else:
        tnef = winmail(subject="Plan", body=text.encode("cp1252", "replace").decode("cp1252"), rtf=rtf)
    return mail_with_winmail(tnef, rng.choice(["", " ", "Please see the plan."]))


def rtf_body(rng, text):
    rtf = rtf_of(text) if rng.random() < 0.5 else rtf_from_html(rng, text)
    if rng.random() < 0.5:
        return mail("notes", "text/rtf", rtf)
    boundary = "rtfpart"
    body = multipart(
        boundary,
        [
            part("text/plain; charset=utf-8", "See the attached notes.", "Content-Transfer-Encoding: 8bit"),
            part(
                'application/rtf; name="notes.rtf"',
                b64(rtf.encode()),
                'Content-Disposition: attachment; filename="notes.rtf"',
                "Content-Transfer-Encoding: base64",
            ),
        ],
    )
    return mail("notes", f'multipart/mixed; boundary="{boundary}"', body)


def apple_mail(rng, text):
    data = text.encode()
    outer = f"Apple-Mail=_{rng.getrandbits(64):016X}-0000-4000-8000-00000000000{rng.randrange(10)}"
    inner = f"Apple-Mail=_{rng.getrandbits(64):016X}-1111-4000-8000-00000000000{rng.randrange(10)}"
    html = (
        '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8">'
        '</head><body style="overflow-wrap: break-word; -webkit-nbsp-mode: space; '
        'line-break: after-white-space;">'
        + "".join(f"<div>{line or '<br>'}</div>" for line in text.split("\n"))
        + '<div><img apple-inline="yes" id="A1B2" src="cid:F1A2B3C4-D5E6@home"></div>'
        "</body></html>"
    )
    related = multipart(
        inner,
        [
            part(
                "text/html; charset=utf-8",
                qp_odd(html.encode(), rng),
                "Content-Transfer-Encoding: quoted-printable",
            ),
            part(
                'image/png; name="IMG_0042.png"',
                b64(png(rng)),
                'Content-Disposition: inline; filename="IMG_0042.png"',
                "Content-Transfer-Encoding: base64",
                "Content-Id: <F1A2B3C4-D5E6@home>",
            ),
        ],
    )
    body = multipart(
        outer,
        [
            part(
                "text/plain; charset=utf-8", qp_odd(data, rng), "Content-Transfer-Encoding: quoted-printable"
            ),
            part(f'multipart/related; type="text/html"; boundary="{inner}"', related),
        ],
    )
    return mail(
        "Re: photos",
        f'multipart/alternative; boundary="{outer}"',
        body,
        "X-Mailer: Apple Mail (2.3774.600.62)",
    )


def flowed(rng, text):
    """format=flowed; delsp=yes (RFC 3676): a soft break is a trailing space the reader
    deletes, so a break may fall inside a word."""
    out = []
    for line in text.split("\n"):
        if line.startswith((" ", "From ", ">")):
            line = " " + line
        while len(line) > 3 and rng.random() < 0.7:
            cut = rng.randint(2, min(len(line) - 1, 72))
            out.append(line[:cut] + " ")
            line = line[cut:]
        out.append(line.rstrip(" "))
    body = CRLF.join(out) + CRLF
    return mail(
        "Re: plans",
        "text/plain; charset=UTF-8; format=flowed; delsp=yes",
        body,
        "Content-Transfer-Encoding: 8bit",
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Thunderbird/115.6.0",
    )


def gmail(rng, text):
    quoted = "\n".join(rng.sample(PROSE, 2))
    html = (
        '<div dir="ltr">'
        + "".join(f"<div>{line or '<br>'}</div>" for line in text.split("\n"))
        + '</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, 31 '
        'Mar 2026 at 18:02, Jorge Ruiz &lt;<a href="mailto:jruiz@socio.example.es">'
        'jruiz@socio.example.es</a>&gt; wrote:<br></div><blockquote class="gmail_quote" '
        'style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:'
        '1ex"><div dir="ltr">' + quoted.replace("\n", "<br>") + "</div></blockquote></div>"
    )
    plain = (
        text
        + "\n\nOn Tue, 31 Mar 2026 at 18:02, Jorge Ruiz <jruiz@socio.example.es> wrote:\n"
        + "\n".join("> " + q for q in quoted.split("\n"))
    )
    boundary = f"000000000000{rng.getrandbits(48):012x}"
    enc = rng.choice(["base64", "quoted-printable"])
    coder = (lambda b: b64(b)) if enc == "base64" else qp
    body = multipart(
        boundary,
        [
            part('text/plain; charset="UTF-8"', coder(plain.encode()), f"Content-Transfer-Encoding: {enc}"),
            part('text/html; charset="UTF-8"', coder(html.encode()), f"Content-Transfer-Encoding: {enc}"),
        ],
    )
    return mail("Re: Cena", f'multipart/alternative; boundary="{boundary}"', body)


def mobile(rng, text):
    data = (text + "\n\nSent from my iPhone").encode()
    if rng.random() < 0.5:
        return mail(
            "Re: tomorrow",
            "text/plain; charset=utf-8",
            b64(data, 0),
            "Content-Transfer-Encoding: base64",
            "X-Mailer: iPhone Mail (21E236)",
        )
    boundary = f"Apple-Mail-{rng.getrandbits(32):08X}"
    body = multipart(
        boundary,
        [
            part(
                "text/plain; charset=utf-8",
                b64(data, rng.choice([0, 998, 500])),
                "Content-Transfer-Encoding: base64",
            ),
            part(
                'image/jpeg; name="IMG_1234.jpg"',
                b64(png(rng), 0),
                'Content-Disposition: inline; filename="IMG_1234.jpg"',
                "Content-Transfer-Encoding: base64",
            ),
        ],
    )
    return mail(
        "Re: tomorrow", f"multipart/mixed; boundary={boundary}", body, "X-Mailer: iPhone Mail (21E236)"
    )


def list_footer(rng, text):
    footer = (
        "_______________________________________________\nlogistics-users mailing list\n"
        "logistics-users@lists.example.org\nhttps://lists.example.org/mailman/listinfo/"
        "logistics-users\nTo unsubscribe send an email to logistics-users-leave@lists.example.org"
    )
    list_heads = (
        "List-Id: Logistics users <logistics-users.lists.example.org>",
        "List-Unsubscribe: <mailto:logistics-users-leave@lists.example.org>",
        "Precedence: list",
    )
    if rng.random() < 0.5:
        return mail(
            "[logistics-users] notes",
            "text/plain; charset=utf-8",
            text + "\n" + footer,
            "Content-Transfer-Encoding: 8bit",
            *list_heads,
        )
    boundary = "===============1234567890=="
    body = multipart(
        boundary,
        [
            part("text/plain; charset=utf-8", b64(text.encode()), "Content-Transfer-Encoding: base64"),
            part(
                'text/plain; charset="us-ascii"',
                footer,
                "Content-Transfer-Encoding: 7bit",
                "Content-Disposition: inline",
            ),
        ],
    )
    return mail("[logistics-users] notes", f'multipart/mixed; boundary="{boundary}"', body, *list_heads)


def ical_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def invitation(rng, text):
    summary = rng.choice(["Weekly sync", "Q3 review", "Lunch", "Secret Santa draw", "Draft beer tasting"])
    ics_lines = [
        "BEGIN:VCALENDAR",
        "METHOD:REQUEST",
        "PRODID:Microsoft Exchange Server 2010",
        "VERSION:2.0",
        "BEGIN:VEVENT",
        "ORGANIZER;CN=Anna Schmidt:mailto:anna.schmidt@acme.example",
        "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Sam Patel:"
        "mailto:sam.patel@partner.example.com",
        f"DESCRIPTION;LANGUAGE=en-GB:{ical_escape(text)}",
        f"SUMMARY;LANGUAGE=en-GB:{ical_escape(summary)}",
        "DTSTART;TZID=GMT Standard Time:20260415T100000",
        "DTEND;TZID=GMT Standard Time:20260415T103000",
        f"UID:040000008200E00074C5B7101A82E0080000000{rng.getrandbits(40):010X}",
        "CLASS:PUBLIC",
        "PRIORITY:5",
        "DTSTAMP:20260401T093012Z",
        "TRANSP:OPAQUE",
        "STATUS:CONFIRMED",
        "SEQUENCE:0",
        "LOCATION;LANGUAGE=en-GB:Room 4.12",
        "X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE",
        "BEGIN:VALARM",
        "DESCRIPTION:REMINDER",
        "TRIGGER;RELATED=START:-PT15M",
        "ACTION:DISPLAY",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    ics = CRLF.join(ical_fold(line) for line in ics_lines) + CRLF
    boundary = "_000_invite_"
    enc = rng.choice(["base64", "8bit", "quoted-printable"])
    coded = {
        "base64": lambda s: b64(s.encode("utf-8", "surrogateescape")),
        "8bit": lambda s: s,
        "quoted-printable": lambda s: qp(s.encode("utf-8", "surrogateescape")),
    }[enc]
    parts = [
        part('text/plain; charset="utf-8"', coded(text), f"Content-Transfer-Encoding: {enc}"),
        part(
            'text/calendar; charset="utf-8"; method=REQUEST', coded(ics), f"Content-Transfer-Encoding: {enc}"
        ),
    ]
    body = multipart(boundary, parts)
    if rng.random() < 0.4:
        mixed = "_mixed_invite_"
        body = multipart(
            mixed,
            [
                part(f'multipart/alternative; boundary="{boundary}"', body),
                part(
                    'application/ics; name="invite.ics"',
                    b64(ics.encode("utf-8", "surrogateescape")),
                    'Content-Disposition: attachment; filename="invite.ics"',
                    "Content-Transfer-Encoding: base64",
                ),
            ],
        )
        return mail(summary, f'multipart/mixed; boundary="{mixed}"', body)
    return mail(summary, f'multipart/alternative; boundary="{boundary}"', body)


def vcard(rng, text):
    note = text.split("\n")
    card_lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "PRODID:-//Apple Inc.//iPhone OS 17.4//EN",
        "N:Schmidt;Anna;;;",
        "FN:Anna Schmidt",
        "ORG:Acme Logistics Ltd;",
        "TITLE:Executive Secretary",
        "EMAIL;type=INTERNET;type=WORK;type=pref:anna.schmidt@acme.example",
        "TEL;type=CELL;type=VOICE;type=pref:+44 7700 900123",
        "item1.ADR;type=WORK;type=pref:;;12 Harbour Road;Leeds;;LS1 4AB;United Kingdom",
        f"NOTE:{ical_escape(chr(10).join(note))}",
    ]
    if rng.random() < 0.5:
        card_lines.append("PHOTO;ENCODING=b;TYPE=PNG:" + base64.b64encode(png(rng)).decode())
    card_lines.append("END:VCARD")
    card = CRLF.join(ical_fold(line) for line in card_lines) + CRLF
    boundary = "vcardmix"
    encoded = rng.random() < 0.5
    body = multipart(
        boundary,
        [
            part(
                "text/plain; charset=utf-8",
                "My contact details are attached.",
                "Content-Transfer-Encoding: 7bit",
            ),
            part(
                'text/vcard; charset=utf-8; name="Anna Schmidt.vcf"',
                b64(card.encode("utf-8", "surrogateescape")) if encoded else card,
                'Content-Disposition: attachment; filename="Anna Schmidt.vcf"',
                "Content-Transfer-Encoding: " + ("base64" if encoded else "8bit"),
            ),
        ],
    )
    return mail("contact", f'multipart/mixed; boundary="{boundary}"', body)


def original(rng, text, subject="notes"):
    return (
        CRLF.join(
            [
                "From: Sam Patel <sam.patel@partner.example.com>",
                "To: Anna Schmidt <anna.schmidt@acme.example>",
                f"Subject: {subject}",
                "Date: Tue, 31 Mar 2026 08:00:00 +0000",
                "Message-ID: <orig@partner.example.com>",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: 8bit",
            ]
        )
        + CRLF
        + CRLF
        + text.replace("\n", CRLF)
        + CRLF
    )


def read_receipt(rng, text):
    boundary = "mdn-boundary"
    human = (
        "This is a Return Receipt for the mail that you sent to sam.patel@partner.example.com."
        "\n\nNote: This Return Receipt only acknowledges that the message was displayed on the"
        " recipient's computer."
    )
    notification = (
        CRLF.join(
            [
                "Reporting-UA: partner.example.com; Mozilla Thunderbird",
                "Final-Recipient: rfc822;sam.patel@partner.example.com",
                "Original-Message-ID: <a1b2c3@acme.example>",
                "Disposition: manual-action/MDN-sent-manually; displayed",
            ]
        )
        + CRLF
    )
    third = (
        part("text/rfc822-headers", original(rng, "").split(CRLF + CRLF)[0] + CRLF)
        if rng.random() < 0.5
        else part("message/rfc822", original(rng, text))
    )
    body = multipart(
        boundary,
        [
            part("text/plain; charset=UTF-8", human.replace("\n", CRLF), "Content-Transfer-Encoding: 7bit"),
            part(
                "message/disposition-notification; name=MDNPart2.txt",
                notification,
                "Content-Disposition: inline",
                "Content-Transfer-Encoding: 7bit",
            ),
            third,
        ],
    )
    return mail(
        "Return Receipt (displayed) - notes",
        f'multipart/report; report-type=disposition-notification; boundary="{boundary}"',
        body,
    )


def bounce(rng, text):
    boundary = "9B095B5ADSN=_01D8C6B7A1C2D3E4"
    human = (
        "This is the mail system at host mx.acme.example.\n\nI'm sorry to have to inform you "
        "that your message could not\nbe delivered to one or more recipients.\n\n"
        "<nobody@partner.example.com>: host mx.partner.example.com said: 550 5.1.1 "
        "User unknown"
    )
    status = (
        CRLF.join(
            [
                "Reporting-MTA: dns; mx.acme.example",
                "X-Postfix-Queue-ID: 4Q1xyz",
                "Arrival-Date: Wed,  1 Apr 2026 09:30:13 +0000",
                "",
                "Final-Recipient: rfc822; nobody@partner.example.com",
                "Original-Recipient: rfc822;nobody@partner.example.com",
                "Action: failed",
                "Status: 5.1.1",
                "Remote-MTA: dns; mx.partner.example.com",
                "Diagnostic-Code: smtp; 550 5.1.1 User unknown",
            ]
        )
        + CRLF
    )
    body = multipart(
        boundary,
        [
            part(
                "text/plain; charset=us-ascii", human.replace("\n", CRLF), "Content-Description: Notification"
            ),
            part("message/delivery-status", status, "Content-Description: Delivery report"),
            part("message/rfc822", original(rng, text), "Content-Description: Undelivered Message"),
        ],
    )
    return (
        CRLF.join(
            [
                "From: MAILER-DAEMON@acme.example (Mail Delivery System)",
                TO,
                "Subject: Undelivered Mail Returned to Sender",
                "Auto-Submitted: auto-replied",
                "MIME-Version: 1.0",
                f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"',
            ]
        )
        + CRLF
        + CRLF
        + body
    ).encode()


def nested_forward(rng, text):
    inner = original(rng, text, "the plan")
    for depth in range(3):
        boundary = f"fwd-{depth}-{rng.getrandbits(24):06x}"
        note = rng.choice(["FYI", "See below.", "Forwarding as discussed.", "Reenvío el correo."])
        inner = (
            CRLF.join(
                [
                    f"From: person{depth}@acme.example",
                    f"To: next{depth}@acme.example",
                    f"Subject: Fwd: the plan ({depth})",
                    "MIME-Version: 1.0",
                    f'Content-Type: multipart/mixed; boundary="{boundary}"',
                ]
            )
            + CRLF
            + CRLF
            + multipart(
                boundary,
                [
                    part("text/plain; charset=utf-8", note),
                    part("message/rfc822", inner, 'Content-Disposition: attachment; filename="plan.eml"'),
                ],
            )
        )
    return inner.encode("utf-8", "surrogateescape")


def smime_signed(rng, text):
    from fixtures.smime import detached_mail

    return detached_mail(text)


_GPG_HOME: Path | None = None


def _gpg_sign(data: bytes) -> str:
    import subprocess
    import tempfile

    global _GPG_HOME
    if _GPG_HOME is None:
        _GPG_HOME = Path(tempfile.mkdtemp(prefix="fuzz-gpg-"))
        subprocess.run(
            [
                "gpg",
                "--homedir",
                str(_GPG_HOME),
                "--batch",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "",
                "--quick-gen-key",
                "Anna <anna.schmidt@acme.example>",
                "ed25519",
                "sign",
                "never",
            ],
            check=True,
            capture_output=True,
        )
    out = subprocess.run(
        [
            "gpg",
            "--homedir",
            str(_GPG_HOME),
            "--batch",
            "--armor",
            "--detach-sign",
            "--digest-algo",
            "SHA256",
        ],
        input=data,
        check=True,
        capture_output=True,
    )
    return out.stdout.decode().replace("\n", CRLF)


def pgp_signed(rng, text):
    signed_part = part(
        "text/plain; charset=UTF-8; format=flowed",
        qp(text.encode()),
        "Content-Transfer-Encoding: quoted-printable",
    )
    boundary = f"------------{rng.getrandbits(64):016X}"
    body = (
        "This is an OpenPGP/MIME signed message (RFC 4880 and 3156)"
        + CRLF
        + multipart(
            boundary,
            [
                signed_part,
                part(
                    'application/pgp-signature; name="OpenPGP_signature.asc"',
                    _gpg_sign(signed_part.encode()),
                    "Content-Description: OpenPGP digital signature",
                    'Content-Disposition: attachment; filename="OpenPGP_signature.asc"',
                ),
            ],
        )
    )
    return mail(
        "notes",
        f'multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="{boundary}"',
        body,
    )


LEGACY = {
    "zh": ["gb2312", "gbk", "gb18030", "big5", "hz-gb-2312", "iso-2022-jp"],
    "latin": ["iso-8859-1", "windows-1252", "iso-8859-15", "utf-7"],
}


def legacy_charset(rng, text):
    """A body in the charset a regional client picks (GBK, Big5, ISO-2022-JP, Latin-1),
    in 8bit, quoted-printable or base64, and the subject as an RFC 2047 encoded word."""
    import email.header

    pool = LEGACY["zh"] if any(ord(c) > 0x2E80 for c in text) else LEGACY["latin"]
    for _ in range(10):
        charset = rng.choice(pool)
        try:
            data = text.replace("\n", CRLF).encode(charset)
            break
        except UnicodeEncodeError:
            continue
    else:
        charset, data = "utf-8", text.replace("\n", CRLF).encode()
    enc = rng.choice(["8bit", "quoted-printable", "base64"])
    body = {"8bit": lambda b: b.decode("latin-1"), "quoted-printable": qp, "base64": b64}[enc](data)
    subject = rng.choice(["Nota", "Informe semanal", "会议纪要", "Re: Mittagessen"])
    try:
        coded = email.header.Header(subject, charset).encode()
    except (UnicodeEncodeError, LookupError):
        coded = subject
    return head(coded, f'text/plain; charset="{charset}"', f"Content-Transfer-Encoding: {enc}").encode(
        "utf-8"
    ) + body.encode("latin-1")


def subject_banner(rng, text):
    """The marking, when there is one, opens or closes the subject as well as the body."""
    import email.header

    lines = text.split("\n")
    marking = next((m for m in MARKINGS if m in (lines[0], lines[-1])), "")
    topic = rng.choice(
        [
            "Plan for Q3",
            "Minutes",
            "Presupuesto",
            "会议纪要",
            "Draft beer night",
            "Secretary's update",
            "Confidential helpline numbers",
        ]
    )
    subject = (
        {0: f"{marking}: {topic}", 1: f"[{marking}] {topic}", 2: f"{topic} ({marking})"}[rng.randrange(3)]
        if marking
        else topic
    )
    if any(ord(c) > 127 for c in subject) or rng.random() < 0.3:
        subject = email.header.Header(subject, "utf-8").encode()
    return mail(
        subject, "text/plain; charset=utf-8", qp(text.encode()), "Content-Transfer-Encoding: quoted-printable"
    )


def outlook_banner(rng, text):
    """Outlook HTML where the banner line is styled as Word writes it: bold, red, centred,
    sometimes in spans cut by proofing marks, with <o:p> right after."""
    from html import escape

    out = []
    for line in text.split("\n"):
        if line in MARKINGS:
            cut = rng.randint(1, len(line) - 1)
            inner = rng.choice(
                [
                    f"<b><span style='font-size:14.0pt;color:red'>{escape(line)}<o:p></o:p></span></b>",
                    f"<b><span style='color:red'>{escape(line[:cut])}</span></b><b><span lang=EN-US "
                    f"style='color:red'>{escape(line[cut:])}</span></b><o:p></o:p>",
                    f"<span class=SpellE>{escape(line[:cut])}</span>{escape(line[cut:])}<o:p></o:p>",
                    f"{escape(line[:cut])}<!--[if !supportLists]--><!--[endif]-->{escape(line[cut:])}",
                ]
            )
            out.append(f"<p class=MsoNormal align=center style='text-align:center'>{inner}</p>")
        else:
            out.append(f"<p class=MsoNormal>{escape(line) or '<o:p>&nbsp;</o:p>'}<o:p></o:p></p>")
    props = (
        "<!--[if gte mso 9]><xml>\n<o:DocumentProperties>\n<o:Author>Anna Schmidt</o:Author>"
        "\n<o:LastAuthor>Anna Schmidt</o:LastAuthor>\n<o:Revision>2</o:Revision>\n"
        "<o:Created>2026-03-30T09:12:00Z</o:Created>\n<o:Company>Acme</o:Company>\n"
        "</o:DocumentProperties>\n</xml><![endif]--><!--[if gte mso 9]><xml>\n"
        "<w:WordDocument>\n<w:TrackMoves>false</w:TrackMoves>\n<w:TrackFormatting/>\n"
        "<w:EnvelopeVis/>\n<w:ValidateAgainstSchemas/>\n</w:WordDocument>\n</xml><![endif]-->"
    )
    html = (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-'
        'microsoft-com:office:word"><head><meta http-equiv=Content-Type content="text/html; '
        f'charset=utf-8">{props}</head><body lang=EN-GB><div class=WordSection1>'
        + "\n".join(out)
        + "</div></body></html>"
    )
    enc = rng.choice(["quoted-printable", "base64"])
    coder = qp if enc == "quoted-printable" else b64
    return mail(
        "notes", "text/html; charset=utf-8", coder(html.encode()), f"Content-Transfer-Encoding: {enc}"
    )


def invitation_summary(rng, text):
    """An invitation whose marking is in its SUMMARY (folded if long) and description."""
    lines = text.split("\n")
    marking = next((m for m in MARKINGS if m in (lines[0], lines[-1])), "")
    summary = (f"{marking} - " if marking else "") + rng.choice(
        [
            "Quarterly planning review with the regional logistics leads and the finance team",
            "Cata de cerveza de barril",
            "季度规划会议（第三季度）",
            "Secretary's office hours",
        ]
    )
    ics_lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        "DTSTART:20260415T090000Z",
        "DTEND:20260415T100000Z",
        "DTSTAMP:20260401T093012Z",
        "ORGANIZER;CN=anna.schmidt@acme.example:mailto:anna.schmidt@acme.example",
        f"UID:{rng.getrandbits(64):016x}@google.com",
        "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP="
        "TRUE;CN=sam.patel@partner.example.com;X-NUM-GUESTS=0:mailto:sam.patel@partner.example.com",
        f"DESCRIPTION:{ical_escape(text)}",
        "SEQUENCE:0",
        "STATUS:CONFIRMED",
        f"SUMMARY:{ical_escape(summary)}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    ics = CRLF.join(ical_fold(line) for line in ics_lines) + CRLF
    data = ics.encode("utf-8", "surrogateescape")
    boundary = f"000000000000{rng.getrandbits(48):012x}"
    body = multipart(
        boundary,
        [
            part(
                'text/plain; charset="UTF-8"',
                "Invitation from Google Calendar",
                "Content-Transfer-Encoding: 7bit",
            ),
            part(
                'text/calendar; charset="UTF-8"; method=REQUEST',
                b64(data),
                "Content-Transfer-Encoding: base64",
            ),
        ],
    )
    import email.header

    return mail(
        email.header.Header(f"Invitation: {summary}", "utf-8").encode(),
        f'multipart/alternative; boundary="{boundary}"',
        body,
    )


MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "rtf": "application/rtf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "pdf": "application/pdf",
}


def attached(rng, text, document: Path):
    """An office document as clients attach it: Outlook (RFC 2231 UTF-8 name), Apple Mail
    (inline, x-unix-mode), Gmail (application/octet-stream), inside winmail.dat, inside a
    forward, inside a zip."""
    import io
    import zipfile

    data = document.read_bytes()
    name = (
        rng.choice(["Menü Weihnachten", "Informe Q3", "会议纪要", "minutes", "Budget 2027"]) + document.suffix
    )
    how = rng.choice(["outlook", "apple", "gmail", "tnef", "forward", "zip"])
    if how == "tnef":
        from fixtures.tnef import mail_with_winmail, winmail

        return mail_with_winmail(
            winmail(subject="Plan", rtf=rtf_of(text), attachments=[(document.name, data)])
        )
    if how == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(document.name, data)
        data, name, media = buffer.getvalue(), "documents.zip", "application/zip"
    else:
        media = MEDIA[document.suffix[1:]] if how != "gmail" else "application/octet-stream"
    import urllib.parse

    quoted = urllib.parse.quote(name)
    disposition = {
        "outlook": f"attachment; filename*=utf-8''{quoted}; size={len(data)}",
        "apple": f'inline; filename="{name}"',
        "gmail": f'attachment; filename="{name}"',
        "forward": f"attachment; filename*=utf-8''{quoted}",
        "zip": 'attachment; filename="documents.zip"',
    }[how]
    extra = ("X-Attachment-Id: f_lu1abc0",) if how == "gmail" else ()
    ctype = f'{media}; name="{name}"' + ("; x-unix-mode=0644" if how == "apple" else "")
    boundary = f"att-{rng.getrandbits(40):010x}"
    body = multipart(
        boundary,
        [
            part(
                "text/plain; charset=utf-8", qp(text.encode()), "Content-Transfer-Encoding: quoted-printable"
            ),
            part(
                ctype,
                b64(data),
                f"Content-Disposition: {disposition}",
                "Content-Transfer-Encoding: base64",
                *extra,
            ),
        ],
    )
    if how == "forward":
        inner = (
            CRLF.join(
                [
                    "From: Sam Patel <sam.patel@partner.example.com>",
                    "Subject: minutes",
                    "MIME-Version: 1.0",
                    f'Content-Type: multipart/mixed; boundary="{boundary}"',
                ]
            )
            + CRLF
            + CRLF
            + body
        )
        outer = "fwd-outer"
        body = multipart(outer, [part("text/plain; charset=utf-8", "FYI"), part("message/rfc822", inner)])
        boundary = outer
    return mail("minutes", f'multipart/mixed; boundary="{boundary}"', body)


def global_bounce(rng, text):
    """Exchange's non-delivery report for an internationalised message (RFC 6533):
    message/global-delivery-status and the original as message/global, UTF-8 headers raw."""
    boundary = f"_{rng.getrandbits(64):016x}_"
    human = (
        "Delivery has failed to these recipients or groups:\n\nmüller@partner.example.com\n"
        "The email address you entered couldn't be found.\n\nDiagnostic information for "
        "administrators:\n\nGenerating server: DB9PR01MB8312.eurprd01.prod.exchangelabs.com"
    )
    status = (
        CRLF.join(
            [
                "Reporting-MTA: dns;DB9PR01MB8312.eurprd01.prod.exchangelabs.com",
                "Received-From-MTA: dns;DB9PR01MB8312.eurprd01.prod.exchangelabs.com",
                "Arrival-Date: Wed, 1 Apr 2026 09:30:13 +0000",
                "",
                "Original-Recipient: rfc822;müller@partner.example.com",
                "Final-Recipient: utf-8;müller@partner.example.com",
                "Action: failed",
                "Status: 5.1.10",
                "Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; "
                "Recipient not found by SMTP address lookup",
                "X-Display-Name: Jörg Müller",
            ]
        )
        + CRLF
    )
    orig = original(rng, text).replace(
        "To: Anna Schmidt", "To: Jörg Müller <müller@partner.example.com>, Anna Schmidt"
    )
    kind = rng.choice(["message/global", "message/global-headers", "text/rfc822-headers"])
    if kind != "message/global":
        orig = orig.split(CRLF + CRLF)[0] + CRLF
    enc = rng.choice(["8bit", "base64", "quoted-printable"])
    coded = {
        "8bit": lambda t: t,
        "base64": lambda t: b64(t.encode()),
        "quoted-printable": lambda t: qp(t.encode()),
    }[enc]
    body = multipart(
        boundary,
        [
            part(
                'text/plain; charset="utf-8"',
                coded(human.replace("\n", CRLF)),
                f"Content-Transfer-Encoding: {enc}",
            ),
            part("message/global-delivery-status", status, "Content-Transfer-Encoding: 8bit"),
            part(kind, orig, "Content-Transfer-Encoding: 8bit"),
        ],
    )
    want_body = kind == "message/global"
    return (
        CRLF.join(
            [
                "From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@acme.example>",
                TO,
                "Subject: Undeliverable: notes",
                "MIME-Version: 1.0",
                f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"',
                "X-MS-Exchange-Message-Is-Ndr: ",
                "Content-Language: en-US",
            ]
        )
        + CRLF
        + CRLF
        + body
    ).encode(), want_body


def feedback_report(rng, text):
    """An abuse report (RFC 5965, ARF) quoting the original mail whole."""
    boundary = "arf-part"
    report = (
        CRLF.join(
            [
                "Feedback-Type: abuse",
                "User-Agent: SomeGenerator/1.0",
                "Version: 1",
                "Original-Mail-From: <anna.schmidt@acme.example>",
                "Arrival-Date: Wed, 1 Apr 2026 09:30:13 +0000",
                "Source-IP: 192.0.2.1",
                "Reported-Domain: acme.example",
            ]
        )
        + CRLF
    )
    body = multipart(
        boundary,
        [
            part(
                "text/plain; charset=us-ascii",
                "This is an email abuse report for an email message "
                "received from IP 192.0.2.1 on Wed, 1 Apr 2026 09:30:13 +0000.",
            ),
            part("message/feedback-report", report),
            part("message/rfc822", original(rng, text), "Content-Disposition: inline"),
        ],
    )
    return mail(
        "FW: Abuse report", f'multipart/report; report-type=feedback-report; boundary="{boundary}"', body
    )


FAMILIES = {
    "global_bounce": global_bounce,
    "feedback_report": feedback_report,
    "legacy_charset": legacy_charset,
    "subject_banner": subject_banner,
    "outlook_banner": outlook_banner,
    "invitation_summary": invitation_summary,
    "outlook_html": outlook_html,
    "outlook_tnef": outlook_tnef,
    "rtf_body": rtf_body,
    "apple_mail": apple_mail,
    "flowed": flowed,
    "gmail": gmail,
    "mobile": mobile,
    "list_footer": list_footer,
    "invitation": invitation,
    "vcard": vcard,
    "read_receipt": read_receipt,
    "bounce": bounce,
    "nested_forward": nested_forward,
    "smime_signed": smime_signed,
    "pgp_signed": pgp_signed,
}


# Where a read receipt carries only the original's headers, its body (and a marking in
# it) is not in the mail at all.
def carries_body(family: str, data: bytes) -> bool:
    return not (family == "read_receipt" and b"text/rfc822-headers" in data)


def judge(verdict) -> str:
    if verdict.action == "pass":
        return "pass"
    cats = {h.category for h in verdict.hits}
    if cats & {"classification", "draft"}:
        return (
            "marking"
            if "classification" in cats
            or any(
                not h.rule.startswith("draft.comments") and not h.rule.startswith("draft.tracked")
                for h in verdict.hits
                if h.category == "draft"
            )
            else "draft"
        )
    return "held:" + ",".join(sorted({h.rule for h in verdict.hits}))


def describe(verdict) -> str:
    return "; ".join(f"{h.rule} @{h.where[-60:]} «{h.excerpt[:70]}»" for h in verdict.hits[:4])


def _in_pdf(path: Path, marking: str) -> bool:
    """True when the PDF's text holds the marking (Calc's export leaves out a page style's
    header and footer unless the sheet uses it)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        text = "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    return marking.replace(" ", "") in text.replace(" ", "").replace("\r\n", "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100, help="variants per family")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--office", type=Path, help="bench/office_variants.py's output folder")
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--dump", type=Path, help="write each finding's input here")
    args = parser.parse_args()
    from filters.build import build_pipeline
    from filters.types import Part

    pipeline = build_pipeline()
    rng = random.Random(args.seed)
    tally: collections.Counter = collections.Counter()
    findings: collections.Counter = collections.Counter()
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    for family in args.families.split(","):
        make = FAMILIES[family]
        for index in range(args.count):
            marking = rng.choice(MARKINGS) if index % 2 else ""
            text = body_text(rng, marking)
            data = make(rng, text)
            carried = carries_body(family, data if isinstance(data, bytes) else data[0])
            if isinstance(data, tuple):
                data, carried = data
            want = "marking" if marking and carried else "pass"
            verdict = pipeline.scan(Part(origin="mail", data=data, declared_type="message/rfc822"))
            got = judge(verdict)
            tally[family, want == got] += 1
            if got != want:
                findings[family, want, got.split(":")[0]] += 1
                print(
                    f"{family:15} #{index:<4} want {want:8} got {got[:40]:40} {describe(verdict)[:300]}",
                    flush=True,
                )
                if args.dump:
                    (args.dump / f"{family}-{index}.eml").write_bytes(data)
    if args.office:
        labels = json.loads((args.office / "labels.json").read_text())
        documents = sorted(p for p in args.office.glob("*/v*") if p.parent.name != "source")
        for document in documents:
            label = labels[document.stem]
            want = label["expected"]
            if document.suffix == ".pdf" and want == "draft":
                want = "pass"
            if document.suffix == ".pdf" and label["marking"] and not _in_pdf(document, label["marking"]):
                continue
            text = body_text(rng, "")
            data = attached(rng, text, document)
            verdict = pipeline.scan(Part(origin="mail", data=data, declared_type="message/rfc822"))
            got = judge(verdict)
            tally["attached", want == got] += 1
            if got != want:
                findings["attached", want, got.split(":")[0]] += 1
                print(
                    f"attached {document.parent.name}/{document.stem} want {want:8} got {got[:40]:40} "
                    f"{label['marking']!r} in {label['place']} {describe(verdict)[:300]}",
                    flush=True,
                )
                if args.dump:
                    (args.dump / f"attached-{document.parent.name}-{document.stem}.eml").write_bytes(data)
    if args.office:
        labels = json.loads((args.office / "labels.json").read_text())
        for folder in sorted(p for p in args.office.iterdir() if p.is_dir() and p.name != "source"):
            for path in sorted(folder.iterdir()):
                label = labels[path.stem]
                # A PDF export keeps neither tracked changes nor comments' state.
                draft_pdf = folder.name == "pdf" and label["expected"] == "draft"
                want = "pass" if draft_pdf else label["expected"]
                if path.suffix == ".pdf" and label["marking"] and not _in_pdf(path, label["marking"]):
                    tally["pdf without its marking (LibreOffice left it out)", True] += 1
                    continue
                verdict = pipeline.scan_file(path)
                got = judge(verdict)
                family = f"office_{folder.name}"
                tally[family, want == got] += 1
                if got != want:
                    findings[family, want, got.split(":")[0]] += 1
                    print(
                        f"{family:15} {path.stem:6} want {want:8} got {got[:40]:40} "
                        f"{label['marking']!r} in {label['place']} {describe(verdict)[:300]}",
                        flush=True,
                    )
    print(f"\n{time.monotonic() - started:.0f} s")
    for family in dict.fromkeys(f for f, _ in tally):
        print(f"{family:18} {tally[family, True]:5} as labelled, {tally[family, False]:4} not")
    for key, n in sorted(findings.items()):
        print("finding", *key, n)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
