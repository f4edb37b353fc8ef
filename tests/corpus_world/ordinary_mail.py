"""Ordinary outbound mail with marking words in everyday senses, each with a marked twin.

A sample of what bench/ordinary_mail.py generates, written from what offices send (not
from Redline's rules): onboarding mail about confidentiality agreements, the disclaimers
mail servers append (English, Spanish, German, Chinese, Japanese, Polish, Turkish), 保密条款
in a contract, a password reset (密码), news of a leak (机密文件), the NFL draft, a bank
draft, a ship's draft in a port call and in vessel particulars, a bar's price list and a
team roster with a Draft column, IETF Internet-Drafts in a change log, a French project
heading and timesheet (Projet), a restaurant booking (reservada). Each ``Pair`` is the
ordinary mail (must pass) and the same mail with a real marking or draft stamp of its
language where such stamps stand (must be held for that category).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from email.message import EmailMessage

import docx

C, D = "classification", "draft"


@dataclass(frozen=True)
class Mail:
    """A mail: subject, body lines, and optionally the body as a .docx attachment (with a
    page header) instead of the mail's own text."""

    subject: str
    lines: tuple[str, ...]
    docx: bool = False
    header: str = ""


@dataclass(frozen=True)
class Pair:
    """An ordinary mail and its marked twin: ``marking`` as the body's (or the attached
    document's) first line, or in the document's page header when ``in_header``."""

    kind: str
    mail: Mail
    marking: str
    expect: str
    in_header: bool = False

    def twin(self) -> Mail:
        """The same mail carrying the marking."""
        if self.in_header:
            return Mail(self.mail.subject, self.mail.lines, self.mail.docx, self.marking)
        return Mail(self.mail.subject, (self.marking, *self.mail.lines), self.mail.docx, self.mail.header)


def _docx(lines: tuple[str, ...], header: str) -> bytes:
    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    document.sections[0].footer.paragraphs[0].text = "Northwind Logistics Ltd · Leeds"
    rows = [line.split("\t") for line in lines if "\t" in line]
    for line in lines:
        if "\t" not in line:
            document.add_paragraph(line)
    if rows:
        table = document.add_table(rows=len(rows), cols=max(map(len, rows)))
        for row, cells in zip(table.rows, rows, strict=True):
            for cell, value in zip(row.cells, cells, strict=False):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render(mail: Mail) -> bytes:
    """The .eml bytes of one mail."""
    message = EmailMessage()
    message["From"] = "Sarah Collins <s.collins@example.com>"
    message["To"] = "partner@example.net"
    message["Subject"] = mail.subject
    message["Date"] = "Tue, 03 Nov 2026 09:14:00 +0000"
    message["Message-ID"] = "<ordinary.0001@example.com>"
    if mail.docx:
        message.set_content("Please see the attached.\n\nSarah")
        message.add_attachment(_docx(mail.lines, mail.header), maintype="application",
                               subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                               filename="letter-2611.docx")
    else:
        message.set_content("\n\n".join(mail.lines))
    return bytes(message)


EN_DISCLAIMER = ("This e-mail is confidential and intended solely for the use of the individual to whom "
                 "it is addressed. If you have received this e-mail in error please notify the sender "
                 "immediately and delete it from your system.")
ES_DISCLAIMER = ("AVISO DE CONFIDENCIALIDAD: Este correo electrónico y, en su caso, cualquier fichero anexo "
                 "al mismo, contiene información de carácter confidencial exclusivamente dirigida a su "
                 "destinatario o destinatarios. Si ha recibido este mensaje por error, le rogamos que lo "
                 "comunique al remitente y proceda a su eliminación.")
DE_DISCLAIMER = ("Diese E-Mail enthält vertrauliche und/oder rechtlich geschützte Informationen. Wenn Sie "
                 "nicht der richtige Adressat sind oder diese E-Mail irrtümlich erhalten haben, informieren "
                 "Sie bitte sofort den Absender und vernichten Sie diese Mail.")

PAIRS: list[Pair] = [
    Pair("hr-nda", Mail("Your start on 12 January: documents to sign", (
        "Dear Priya,", "Welcome aboard! Before your first day, please sign and return the attached offer "
        "letter and the Confidentiality Agreement (a non-disclosure agreement). It protects confidential "
        "information such as client lists and pricing.", "Kind regards,\nTom\nPeople Team")),
        "CONFIDENTIAL", C),
    Pair("disclaimer-en", Mail("Delivery schedule", (
        "Hi Aisha,", "As agreed, the first 120 pallets leave Leeds on 14 March.", "Best regards,\nTom",
        EN_DISCLAIMER)), "SECRET", C),
    Pair("disclaimer-es", Mail("Presupuesto actualizado", (
        "Hola Lucía:", "Te adjunto el presupuesto actualizado para el pedido de marzo.", "Un saludo,\nJavier",
        ES_DISCLAIMER, "Privado y confidencial. La información contenida en este mensaje es privada y "
        "confidencial y para uso exclusivo del destinatario.")), "CONFIDENCIAL", C),
    Pair("disclaimer-de", Mail("Angebot Wartung Köln", (
        "Hallo Katrin,", "anbei das Angebot für die Wartung der Anlage in Köln.", "Viele Grüße\nStefan",
        DE_DISCLAIMER)), "VS-VERTRAULICH", C),
    Pair("disclaimer-zh", Mail("本月对账单", (
        "王经理您好：", "附件是本月的对账单和发货计划，请查收。",
        "本邮件及其附件含有上海华信贸易有限公司的保密信息，仅限于发送给上面地址中列出的个人或群组。"
        "禁止任何其他人以任何形式使用本邮件中的信息。如果您错收了本邮件，请您立即电话或邮件通知发件人并删除本邮件！")),
        "机密★5年", C),
    Pair("disclaimer-ja", Mail("お見積書送付の件", (
        "佐藤様", "ご依頼いただいたお見積書を添付いたします。",
        "本メールは、宛先に記載された方のみを対象としたものであり、機密情報を含む場合があります。"
        "誤って受信された場合は、お手数ですが送信者にご連絡のうえ、本メールを削除してください。")),
        "極秘", C),
    Pair("disclaimer-pl", Mail("Oferta dostawy", (
        "Dzień dobry,", "w załączeniu przesyłam ofertę na dostawę.",
        "Treść tej wiadomości jest poufna i prawnie chroniona. Odbiorcą może być jedynie jej adresat.")),
        "POUFNE", C),
    Pair("disclaimer-tr", Mail("Sevkiyat teklifi", (
        "Merhaba Ayşe,", "Sevkiyat için teklifimiz ektedir.",
        "Bu e-posta ve ekleri gizli bilgi içerebilir ve yalnızca alıcısına yöneliktir.")), "GİZLİ", C),
    Pair("contract-baomi", Mail("采购合同（签字版）", (
        "李经理您好：", "附件为双方已签字的采购合同，请查收。",
        "第九条 保密条款 9.1 双方对在本合同履行过程中知悉的对方商业秘密及其他保密信息负有保密义务，"
        "未经对方书面同意，不得向任何第三方披露。", "张伟"), docx=True), "征求意见稿", D),
    Pair("password-reset-zh", Mail("【博远科技】密码重置通知", (
        "尊敬的用户：", "您申请了重置登录密码。您的验证码为 482913，10分钟内有效。",
        "请勿将验证码和密码告知他人。")), "秘密★1年", C),
    Pair("news-leak-zh", Mail("今日舆情摘要", (
        "各位同事：", "今日媒体报道：某公司前员工因泄露机密文件被起诉，涉嫌侵犯商业秘密罪。", "品牌部")),
        "内部资料 注意保存", C),
    Pair("nfl-draft", Mail("Office pool: NFL Draft night", (
        "Hey team,", "The NFL Draft kicks off Thursday at 8pm ET. Pick who you think goes first overall.",
        "Sam")), "DRAFT", D),
    Pair("bank-draft", Mail("Payment options for invoice INV-2026-4471", (
        "Dear Mr Reed,", "We accept payment by bank transfer, cheque or bank draft payable to Acme "
        "Tooling Co.", "Accounts Receivable")), "DRAFT", D),
    Pair("ship-draft", Mail("Port call: vessel particulars", (
        "Dear agent,", "MV Nordic Star, LOA 229 m, beam 32 m, maximum draft 12.4 m on arrival. Please "
        "confirm the air draft under the bridge.", "Ops desk")), "DRAFT", D),
    Pair("ship-draft-table", Mail("Vessel particulars", (
        "Particulars as requested:", "LOA\t229.0 m", "Beam\t32.26 m", "Draft\t14.2 m", "Air draft\t45.1 m"),
        docx=True), "DRAFT", D, in_header=True),
    Pair("bar-price-list", Mail("Bar price list", (
        "Our prices from 1 December:", "Beer\tDraft\tBottle", "Harbour Pale\t£4.80\t£4.20",
        "Midnight Stout\t£5.10\t£4.60")), "DRAFT", D),
    Pair("team-roster", Mail("Team roster", (
        "Updated roster for the charity match:", "Player\tPosition\tDraft", "J. Smith\tQB\t2024 R1",
        "M. Diaz\tWR\t2022 R3"), docx=True), "DRAFT", D),
    Pair("ietf-changelog", Mail("Release notes for our client library", (
        "## Changelog", "### 2.4.0", "- Implement draft-ietf-httpbis-digest-headers-13 (Digest fields), "
        "now RFC 9530.", "- Support HTTP Message Signatures (RFC 9421, formerly "
        "draft-ietf-httpbis-message-signatures).")), "DRAFT", D),
    Pair("projet-heading", Mail("Projet : migration ERP – point d'avancement", (
        "Projet : migration ERP", "Bonjour à tous, la recette utilisateur commence le 12 janvier.",
        "Julien"), docx=True), "PROJET", D, in_header=True),
    Pair("projet-timesheet", Mail("Feuille de temps novembre", (
        "Bonjour, voici mes heures :", "Projet\tHeures\tCommentaire", "Migration ERP\t12\trecette",
        "Support\t6\tastreinte")), "PROJET", D),
    Pair("booking-es", Mail("Reserva confirmada", (
        "Su mesa está reservada para el 12 de diciembre a las 21:00.", "Restaurante El Puerto")),
        "BORRADOR", D),
]
