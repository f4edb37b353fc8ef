"""Ordinary office mail that uses marking words in their everyday senses, and how much of it
Redline holds: ``python bench/ordinary_mail.py [--seed S] [--per-kind N] [--baseline REF|DIR]
[--list] [--no-pdf] [--out DIR]``.

The material is written from what organisations actually send, not from Redline's rules:
onboarding mail about confidentiality agreements, legal notes on trade secrets and the
Defend Trade Secrets Act, news about the Official Secrets Act or a leak (泄露机密文件),
the NFL and NPB drafts, bank and demand drafts, draft beer, draft angles and a ship's draft,
secretaries (秘书, secretaría, Sekretariat, 秘書), password resets (密码, パスワード), the
confidentiality disclaimers mail servers append in English, Spanish, German, French,
Italian, Portuguese, Russian, Japanese and Chinese, Spanish privacy footers (LOPDGDD),
保密条款 in contracts, newsletters and "secret sale" marketing, recipes with a secret
ingredient, meeting invitations, invoices, and README or change log files naming IETF
Internet-Drafts (draft-ietf-…). Each item is a mail in one form: plain text, HTML (the
disclaimer in a small grey footer), or a cover note with the text as a .docx or .pdf
attachment (python-docx; LibreOffice converts the PDFs in one batch); README and change log
items are .md/.txt attachments.

Every ordinary item has a *marked twin*: the same item with a real marking or draft stamp of
its language (CONFIDENTIAL, 机密★5年, CONFIDENCIAL, VS-VERTRAULICH, DRAFT, 征求意见稿,
BORRADOR, …) as the first line of the body or the attachment's page header, so the table
also shows what the same mail must still be held for.

Each tree runs ``redline scan --json`` over the files; the table gives, per kind, how many
ordinary items and marked twins were held, then every rule that held an ordinary item.
``--list`` prints each held ordinary item (and each marked twin that passed) with its hits.
The same seed writes the same files.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import io
import random
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from html import escape
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from checkouts import baseline_tree  # noqa: E402
from ordinary_files import scan  # noqa: E402

# Slot values; {name} etc. in the texts below.
NAMES = {
    "en": ["Sarah Collins", "James O'Neill", "Priya Raman", "Tom Becker", "Aisha Bello"],
    "es": ["Lucía Fernández", "Javier Morales", "Carmen Ruiz", "Andrés Gil"],
    "de": ["Jörg Müller", "Katrin Schäfer", "Stefan Wagner", "Anja Hoffmann"],
    "fr": ["Camille Durand", "Julien Moreau", "Élodie Lefèvre"],
    "it": ["Giulia Ferri", "Marco Bianchi"],
    "pt": ["Ana Souza", "Rafael Lima"],
    "ru": ["Анна Смирнова", "Дмитрий Кузнецов", "Елена Попова"],
    "zh": ["王芳", "李强", "张伟", "陈静"],
    "ja": ["佐藤 花子", "鈴木 一郎", "高橋 美咲"],
    "ko": ["김민준", "이서연"],
    "sv": ["Anna Lindqvist", "Erik Berg"],
    "tr": ["Ayşe Yılmaz", "Mehmet Demir"],
    "pl": ["Katarzyna Nowak", "Piotr Wiśniewski"],
    "nl": ["Sanne de Vries", "Pieter Jansen"],
}
COMPANIES = {
    "en": ["Northwind Logistics Ltd", "Bluebell Foods Inc.", "Harbour & Reed LLP", "Acme Tooling Co."],
    "es": ["Distribuciones Levante S.L.", "Grupo Andino S.A.", "Talleres Ebro S.L."],
    "de": ["Rheintal Maschinenbau GmbH", "Nordlicht Handels AG", "Weber & Söhne KG"],
    "fr": ["Atelier Lumière SAS", "Transports Garonne SARL"],
    "it": ["Ferri Arredamenti S.r.l.", "Tessuti Como S.p.A."],
    "pt": ["Souza Alimentos Ltda.", "Lusotrans, S.A."],
    "ru": ["ООО «Северный ветер»", "АО «Уралмаш-Сервис»"],
    "zh": ["上海华信贸易有限公司", "深圳市博远科技有限公司", "杭州青禾食品有限公司"],
    "ja": ["株式会社みらい商事", "東和精機株式会社"],
    "ko": ["(주)한빛상사"],
    "sv": ["Nordkust AB"],
    "tr": ["Anadolu Lojistik A.Ş."],
    "pl": ["Polmet Sp. z o.o."],
    "nl": ["Van Dijk Transport B.V."],
}
CITIES = {"en": ["Leeds", "Denver", "Toronto"], "es": ["Valencia", "Bogotá", "Sevilla"],
          "de": ["Köln", "Stuttgart"], "fr": ["Lyon", "Bordeaux"], "it": ["Milano"], "pt": ["Porto"],
          "ru": ["Екатеринбург", "Казань"], "zh": ["上海", "成都"], "ja": ["大阪", "名古屋"],
          "nl": ["Utrecht"], "pl": ["Poznań"], "tr": ["İzmir"], "sv": ["Göteborg"], "ko": ["부산"]}


@dataclass(frozen=True)
class Text:
    """One ordinary text: its language, subject and paragraphs; ``file`` names it as an
    attachment (README.md) instead of a body; ``header`` is a letterhead (the page header of
    a document form); ``table`` rows follow the paragraphs; ``calendar`` is an invitation's
    RFC 5545 CLASS."""

    lang: str
    subject: str
    body: tuple[str, ...]
    file: str = ""
    header: str = ""
    table: tuple[tuple[str, ...], ...] = ()
    calendar: str = ""


def T(lang: str, subject: str, *body: str, file: str = "", header: str = "",
      table: tuple[tuple[str, ...], ...] = (), calendar: str = "") -> Text:
    return Text(lang, subject, body, file, header, table, calendar)


# Neutral business prose that disclaimers are appended to.
BUSINESS = {
    "nl": ["Beste {first},", "Hierbij de offerte voor de levering van {date} in {city}.",
           "Met vriendelijke groet,\n{name}\n{company}"],
    "pl": ["Dzień dobry,", "w załączeniu przesyłam ofertę na dostawę z dnia {date}.",
           "Z poważaniem\n{name}\n{company}"],
    "tr": ["Merhaba {first},", "{date} tarihli sevkiyat için teklifimiz ektedir.",
           "Saygılarımla,\n{name}\n{company}"],
    "sv": ["Hej {first},", "Bifogat finns offerten för leveransen den {date}.",
           "Med vänliga hälsningar\n{name}\n{company}"],
    "en": ["Hi {first},", "Thanks for the call this morning. As agreed, the revised delivery schedule "
           "is attached; the first 120 pallets leave {city} on {date}.",
           "Let me know if anything changes on your side.", "Best regards,\n{name}\n{company}"],
    "es": ["Hola {first}:", "Te adjunto el presupuesto actualizado para el pedido de {date}. "
           "El transporte sale de {city} a primera hora.", "Quedo a la espera de tus comentarios.",
           "Un saludo,\n{name}\n{company}"],
    "de": ["Hallo {first},", "anbei das Angebot für die Wartung der Anlage in {city}. "
           "Den Termin am {date} haben wir eingetragen.", "Viele Grüße\n{name}\n{company}"],
    "fr": ["Bonjour {first},", "Veuillez trouver ci-joint le devis pour la livraison du {date} à {city}.",
           "Bien cordialement,\n{name}\n{company}"],
    "it": ["Gentile {first},", "in allegato trova l'offerta per la fornitura del {date}.",
           "Cordiali saluti,\n{name}\n{company}"],
    "pt": ["Olá {first},", "Segue em anexo a proposta comercial para a entrega de {date} no {city}.",
           "Atenciosamente,\n{name}\n{company}"],
    "ru": ["Добрый день, {first}!", "Направляю счёт на оплату и акт сверки за ноябрь. Отгрузка со склада "
           "в городе {city} запланирована на {date}.", "С уважением,\n{name}\n{company}"],
    "zh": ["{first}您好：", "附件是本月的对账单和发货计划，请查收。货物预计{date}从{city}仓库发出。",
           "如有问题请随时联系。", "此致\n{name}\n{company}"],
    "ja": ["{first}様", "いつもお世話になっております。{company}の{name}です。",
           "ご依頼いただいたお見積書を添付いたします。ご確認のほど、よろしくお願いいたします。"],
}

# Disclaimers as mail servers and legal departments append them (in the wild, word for word
# close to these).
DISCLAIMERS = {
    "en": [
        "This e-mail is confidential and intended solely for the use of the individual to whom it "
        "is addressed. If you have received this e-mail in error please notify the sender "
        "immediately and delete it from your system.",
        "CONFIDENTIALITY NOTICE: The information contained in this email and any attachments is "
        "confidential and may be legally privileged. It is intended only for the addressee(s). "
        "Any unauthorised use, disclosure or copying is strictly prohibited.",
        "The information in this email is confidential and may be legally privileged. It is "
        "intended solely for the addressee. Access to this email by anyone else is unauthorized.",
        "Private and confidential. This message is for the named recipient only; if it reached "
        "you by mistake, please tell us and delete it.",
    ],
    "es": [
        "Este mensaje es confidencial y está dirigido exclusivamente a su destinatario. Si usted "
        "no es el destinatario indicado, queda notificado de que la lectura, utilización, "
        "divulgación y/o copia sin autorización está prohibida.",
        "AVISO DE CONFIDENCIALIDAD: Este correo electrónico y, en su caso, cualquier fichero anexo "
        "al mismo, contiene información de carácter confidencial exclusivamente dirigida a su "
        "destinatario o destinatarios. Si ha recibido este mensaje por error, le rogamos que lo "
        "comunique al remitente y proceda a su eliminación.",
        "En cumplimiento del Reglamento (UE) 2016/679 (RGPD) y de la Ley Orgánica 3/2018 (LOPDGDD), "
        "le informamos de que sus datos personales serán tratados de forma confidencial por "
        "{company} con la finalidad de gestionar la relación comercial. Puede ejercer sus derechos "
        "de acceso, rectificación y supresión escribiendo a privacidad@example.es.",
        "Privado y confidencial. La información contenida en este mensaje es privada y "
        "confidencial y para uso exclusivo del destinatario.",
        "CONFIDENCIAL: Este mensaje y sus anexos pueden contener información confidencial. "
        "Si usted no es el destinatario, por favor elimínelo.",
    ],
    "de": [
        "Diese E-Mail enthält vertrauliche und/oder rechtlich geschützte Informationen. Wenn Sie "
        "nicht der richtige Adressat sind oder diese E-Mail irrtümlich erhalten haben, informieren "
        "Sie bitte sofort den Absender und vernichten Sie diese Mail. Das unerlaubte Kopieren "
        "sowie die unbefugte Weitergabe dieser Mail sind nicht gestattet.",
        "Vertraulichkeitshinweis: Der Inhalt dieser E-Mail ist vertraulich und ausschließlich für "
        "den bezeichneten Adressaten bestimmt.",
        "{company} · Sitz: {city} · Registergericht Amtsgericht {city} HRB 12345 · "
        "Geschäftsführer: {name}",
    ],
    "fr": [
        "Ce message et toutes les pièces jointes sont confidentiels et établis à l'intention "
        "exclusive de ses destinataires. Toute utilisation ou diffusion non autorisée est "
        "interdite. Si vous avez reçu ce message par erreur, merci de le détruire et d'en avertir "
        "immédiatement l'expéditeur.",
        "AVERTISSEMENT : Ce courriel est confidentiel. S'il ne vous est pas destiné, merci de le "
        "supprimer.",
    ],
    "it": [
        "Le informazioni contenute in questo messaggio sono riservate e confidenziali e ne è "
        "vietata la diffusione in qualsiasi modo. Qualora lo riceviate per errore, vi preghiamo di "
        "darne notizia al mittente e di distruggerlo.",
        "Questo messaggio è riservato ai soli destinatari (D.Lgs. 196/2003 e Reg. UE 2016/679).",
    ],
    "pt": [
        "Esta mensagem e seus anexos são confidenciais e destinados exclusivamente ao destinatário. "
        "Se você recebeu esta mensagem por engano, favor apagá-la e avisar o remetente.",
        "AVISO DE CONFIDENCIALIDADE: as informações desta mensagem são sigilosas.",
    ],
    "ru": [
        "Данное сообщение и любые приложения к нему являются конфиденциальными и предназначены "
        "исключительно для адресата. Если вы получили это сообщение по ошибке, пожалуйста, "
        "сообщите об этом отправителю и удалите его.",
        "КОНФИДЕНЦИАЛЬНОСТЬ: информация в этом письме предназначена только для указанного получателя.",
    ],
    "zh": [
        "本邮件及其附件含有{company}的保密信息，仅限于发送给上面地址中列出的个人或群组。"
        "禁止任何其他人以任何形式使用本邮件中的信息。如果您错收了本邮件，请您立即电话或邮件通知发件人并删除本邮件！",
        "【保密声明】本邮件可能包含机密信息，仅供指定收件人使用。",
    ],
    "ja": [
        "本メールは、宛先に記載された方のみを対象としたものであり、機密情報を含む場合があります。"
        "誤って受信された場合は、お手数ですが送信者にご連絡のうえ、本メールを削除してください。",
        "【機密保持に関するご注意】このメールには秘密情報が含まれている可能性があります。",
    ],
    "nl": [
        "Dit e-mailbericht is vertrouwelijk en uitsluitend bestemd voor de geadresseerde. Indien u "
        "dit bericht onterecht ontvangt, wordt u verzocht de inhoud niet te gebruiken en de "
        "afzender direct te informeren.",
    ],
    "pl": [
        "Treść tej wiadomości jest poufna i prawnie chroniona. Odbiorcą może być jedynie jej "
        "adresat. Jeżeli nie jest Pan/Pani adresatem, prosimy o poinformowanie nadawcy.",
    ],
    "tr": [
        "Bu e-posta ve ekleri gizli bilgi içerebilir ve yalnızca alıcısına yöneliktir. Yanlışlıkla "
        "size ulaştıysa lütfen göndereni bilgilendirip siliniz.",
    ],
    "sv": [
        "Detta e-postmeddelande kan innehålla konfidentiell information och är endast avsett för "
        "mottagaren.",
    ],
}

# Texts per kind. Each is something an ordinary office sends every day.
KINDS: dict[str, list[Text]] = {
    "hr-confidentiality-agreement": [
        T("en", "Your start on {date}: documents to sign",
          "Dear {first},", "Welcome to {company}! Before your first day, please sign and return the "
          "attached offer letter and the Confidentiality Agreement (also called a non-disclosure "
          "agreement). It protects confidential information such as client lists and pricing.",
          "HR will also need a copy of your passport for the right-to-work check.",
          "Kind regards,\n{name}\nPeople Team"),
        T("en", "Reminder: annual Code of Conduct and confidentiality training",
          "Hello all,", "The annual Code of Conduct module is now open in the learning portal. It "
          "covers conflicts of interest, confidentiality of customer data, and how to report "
          "concerns in confidence through the Speak Up line.", "Please complete it by {date}.",
          "Thanks,\n{name}"),
        T("es", "Incorporación: acuerdo de confidencialidad",
          "Hola {first}:", "Te damos la bienvenida a {company}. Antes de tu incorporación el {date}, "
          "firma el contrato y el acuerdo de confidencialidad adjuntos. El deber de secreto se "
          "mantiene tras la finalización de la relación laboral.", "Saludos,\n{name}\nRecursos Humanos"),
        T("de", "Ihr Arbeitsbeginn am {date}",
          "Sehr geehrte/r {first},", "bitte senden Sie uns den Arbeitsvertrag und die "
          "Geheimhaltungsvereinbarung unterschrieben zurück. Die Verschwiegenheitspflicht gilt "
          "auch nach Ende des Arbeitsverhältnisses.", "Mit freundlichen Grüßen\n{name}\nPersonalabteilung"),
        T("zh", "入职材料：劳动合同及保密协议",
          "{first}您好：", "欢迎加入{company}！请于{date}前签署附件中的劳动合同和保密协议，"
          "并携带身份证原件到人力资源部办理入职手续。",
          "员工对在工作中知悉的公司商业秘密负有保密义务。", "人力资源部 {name}"),
        T("ja", "入社手続きのご案内",
          "{first}様", "入社にあたり、雇用契約書と秘密保持誓約書への署名をお願いいたします。",
          "{date}までにご返送ください。", "人事部 {name}"),
        T("fr", "Votre arrivée le {date}",
          "Bonjour {first},", "Merci de nous retourner signés votre contrat de travail et l'accord "
          "de confidentialité. La clause de confidentialité reste valable après votre départ.",
          "Bien à vous,\n{name}\nRessources humaines"),
    ],
    "legal-trade-secrets": [
        T("en", "Defend Trade Secrets Act notice for the new employment agreements",
          "{first},", "Under the Defend Trade Secrets Act of 2016 (18 U.S.C. § 1833(b)), employers "
          "must give notice of whistleblower immunity in any agreement governing trade secrets or "
          "other confidential information. I have added the notice as section 9 of the template.",
          "An individual shall not be held criminally or civilly liable under any federal or state "
          "trade secret law for the disclosure of a trade secret that is made in confidence to a "
          "government official, solely for the purpose of reporting a suspected violation of law.",
          "Regards,\n{name}\nLegal"),
        T("en", "Client alert: trade secret misappropriation ruling",
          "Dear clients,", "Last week the court found that a former sales director misappropriated "
          "trade secrets by downloading customer lists before resigning. Reasonable measures to "
          "keep information secret, such as access controls and confidentiality agreements, were "
          "decisive.", "{name}\n{company}"),
        T("es", "Nota jurídica: secretos empresariales",
          "Estimados clientes:", "La Ley 1/2019, de 20 de febrero, de Secretos Empresariales protege "
          "la información técnica o comercial que es secreta, tiene valor empresarial y ha sido "
          "objeto de medidas razonables para mantenerla en secreto.", "{name}\n{company}"),
        T("de", "Mandanteninformation: Geschäftsgeheimnisgesetz",
          "Sehr geehrte Damen und Herren,", "seit Inkrafttreten des Gesetzes zum Schutz von "
          "Geschäftsgeheimnissen (GeschGehG) genießen Betriebs- und Geschäftsgeheimnisse nur noch "
          "Schutz, wenn angemessene Geheimhaltungsmaßnahmen getroffen wurden.", "{name}\n{company}"),
        T("zh", "法律简报：商业秘密保护",
          "各位客户：", "根据《反不正当竞争法》，商业秘密是指不为公众所知悉、具有商业价值"
          "并经权利人采取相应保密措施的技术信息和经营信息。",
          "近日法院审结一起员工离职后泄露客户名单的案件。", "{company} 法律部"),
    ],
    "news-official-secrets": [
        T("en", "Press cuttings {date}",
          "Morning press summary:", "A former civil servant has been charged under the Official "
          "Secrets Act 1989 after documents were found at a bus stop, police said.",
          "Separately, ministers published the review of the Act's offences of unauthorised "
          "disclosure.", "Media team"),
        T("en", "Reading list for Thursday's book club",
          "Hi all,", "This month's book is a spy thriller about a leak of top secret files in the "
          "1960s. The film version is on streaming too.", "See you Thursday!\n{first}"),
        T("zh", "今日舆情摘要",
          "各位同事：", "今日媒体报道：某公司前员工因泄露机密文件被起诉，涉嫌侵犯商业秘密罪。",
          "另有报道称，一名黑客窃取了数万名用户的账号和密码。", "品牌部"),
        T("es", "Resumen de prensa del {date}",
          "Buenos días:", "El Gobierno aprobó ayer la reforma de la Ley de Secretos Oficiales de 1968, "
          "que fija plazos para desclasificar los documentos.", "Gabinete de comunicación"),
        T("ru", "Обзор прессы",
          "Коллеги, добрый день!", "СМИ сообщают о судебном процессе по делу о государственной тайне "
          "и об утечке персональных данных клиентов банка.", "Пресс-служба"),
    ],
    "sports-draft": [
        T("en", "Office pool: NFL Draft night",
          "Hey team,", "The NFL Draft kicks off Thursday at 8pm ET. Pick who you think goes first "
          "overall; the pool closes at noon.", "Round 1 is on the big screen in the break room.",
          "{first}"),
        T("en", "Fantasy football league draft",
          "League members,", "Our fantasy draft is set for {date}, snake format, 90 seconds per pick. "
          "Mock draft results are in the league app.", "Commissioner {first}"),
        T("ja", "プロ野球ドラフト会議の観戦について",
          "皆さま", "今年のドラフト会議は{date}に開催されます。会議室で中継を観戦しましょう。", "{name}"),
        T("es", "Quiniela del draft de la NBA",
          "Hola a todos:", "El draft de la NBA es el jueves. Apunta tu pronóstico para la primera "
          "elección en la hoja compartida.", "{first}"),
    ],
    "bank-draft": [
        T("en", "Payment options for invoice {inv}",
          "Dear {first},", "Invoice {inv} for {amount} is attached. We accept payment by bank "
          "transfer, cheque or bank draft payable to {company}.", "Payment terms: 30 days net.",
          "Accounts Receivable"),
        T("en", "Demand draft for the security deposit",
          "Dear Sir/Madam,", "Please send the security deposit of INR 50,000 by demand draft drawn in "
          "favour of {company}, payable at {city}.", "Regards,\n{name}"),
        T("en", "Direct debit confirmation",
          "Dear customer,", "Your premium of {amount} will be collected by direct debit (bank draft) "
          "on the 1st of each month.", "Customer Service"),
    ],
    "draft-beer": [
        T("en", "Friday drinks at The Crown",
          "Hi all,", "Friday drinks are at The Crown from 5:30. They have 12 craft beers on draft "
          "and the first round is on the company.", "{first}"),
        T("en", "Supplier offer: draft beer lines for the canteen bar",
          "Hello {first},", "Quote attached for two draught beer taps with cooler and line cleaning "
          "every six weeks. Kegs of draft lager are {amount} each.", "{name}\n{company}"),
    ],
    "engineering-draft": [
        T("en", "DFM review: part 4471-B housing",
          "{first},", "The moulder asks for a draft angle of at least 1.5° per side on the outer "
          "walls and 3° on the textured faces, otherwise the part will stick in the tool.",
          "Rib thickness 60% of nominal wall. Revised CAD by {date}?", "{name}"),
        T("en", "Port call: vessel particulars",
          "Dear agent,", "MV Nordic Star, LOA 229 m, beam 32 m, maximum draft 12.4 m on arrival. "
          "Please confirm the air draft under the bridge and berth availability.", "Ops desk"),
        T("en", "Boiler house maintenance",
          "Team,", "The induced draft fan on boiler 2 will be serviced on {date}; the forced draft fan "
          "stays in service. Check the chimney draft after restart.", "{name}\nFacilities"),
    ],
    "secretary": [
        T("en", "Message from the Company Secretary",
          "Dear shareholders,", "The Company Secretary will circulate the notice of the Annual "
          "General Meeting on {date}. Proxy forms must reach the registrar 48 hours before.",
          "{name}\nCompany Secretary, {company}"),
        T("zh", "关于召开年度股东大会的通知",
          "各位股东：", "董事会秘书{name}将于{date}发出年度股东大会通知，请各位股东留意。",
          "联系人：董事会秘书处"),
        T("es", "Horario de la secretaría",
          "Estimadas familias:", "La secretaría del colegio atenderá de 9:00 a 13:00 durante el mes de "
          "julio. Para certificados, escriban a secretaria@colegio.example.", "La Secretaria"),
        T("de", "Neue Durchwahl im Sekretariat",
          "Liebe Kolleginnen und Kollegen,", "das Sekretariat der Geschäftsführung ist ab sofort unter "
          "-214 erreichbar.", "{name}"),
        T("ja", "秘書室からのお知らせ",
          "各位", "社長秘書の{name}は{date}から産休に入ります。ご用件は秘書室までお願いします。", "秘書室"),
        T("fr", "Secrétariat fermé le {date}",
          "Bonjour,", "Le secrétariat sera fermé le {date} ; pour toute urgence, contactez la "
          "secrétaire générale.", "{name}"),
        T("ru", "Приёмная генерального директора",
          "Коллеги,", "Секретарь генерального директора {name} в отпуске до {date}.", "Канцелярия"),
    ],
    "password-reset": [
        T("zh", "【{company}】密码重置通知",
          "尊敬的用户：", "您于{date}申请了重置登录密码。您的验证码为 482913，10分钟内有效。",
          "请勿将验证码和密码告知他人。如非本人操作，请立即修改密码。", "{company}"),
        T("zh", "VPN 密码即将过期",
          "各位同事：", "您的VPN密码将于7天后过期，请登录自助平台修改密码。新密码需包含大小写字母和数字。",
          "信息技术部"),
        T("en", "Your password was changed",
          "Hi {first},", "The password for your account was changed on {date}. If this was you, no "
          "action is needed. If not, reset your password now and keep your recovery codes secret.",
          "The Security Team"),
        T("ja", "パスワード再設定のお知らせ",
          "{first}様", "パスワード再設定のリクエストを受け付けました。"
          "以下のリンクから新しいパスワードを設定してください。",
          "このメールに心当たりがない場合は破棄してください。"),
        T("es", "Restablecimiento de contraseña",
          "Hola {first}:", "Hemos recibido una solicitud para restablecer tu contraseña. Tu código es "
          "482913. No compartas este código con nadie.", "Equipo de soporte"),
    ],
    "disclaimer-en": [T("en", "Delivery schedule for {date}", *BUSINESS["en"])],
    "disclaimer-es": [T("es", "Presupuesto actualizado", *BUSINESS["es"])],
    "disclaimer-de": [T("de", "Angebot Wartung {city}", *BUSINESS["de"])],
    "disclaimer-fr": [T("fr", "Devis livraison", *BUSINESS["fr"])],
    "disclaimer-it": [T("it", "Offerta fornitura", *BUSINESS["it"])],
    "disclaimer-pt": [T("pt", "Proposta comercial", *BUSINESS["pt"])],
    "disclaimer-ru": [T("ru", "Счёт на оплату", *BUSINESS["ru"])],
    "disclaimer-zh": [T("zh", "本月对账单", *BUSINESS["zh"])],
    "disclaimer-ja": [T("ja", "お見積書送付の件", *BUSINESS["ja"])],
    "disclaimer-nl": [T("nl", "Offerte levering", *BUSINESS["nl"])],
    "disclaimer-pl": [T("pl", "Oferta dostawy", *BUSINESS["pl"])],
    "disclaimer-tr": [T("tr", "Sevkiyat teklifi", *BUSINESS["tr"])],
    "disclaimer-sv": [T("sv", "Offert leverans", *BUSINESS["sv"])],
    "subject-words": [
        T("en", "NFL Draft 2026: office pool is open", "Picks close at noon Thursday. {first}"),
        T("en", "Draft beer tasting on Friday", "Six local breweries, 5pm in the canteen. {first}"),
        T("en", "Secret Santa 2026 – sign up by Friday", "Budget is 20 EUR. Names drawn Monday. {first}"),
        T("en", "Top Secret Recipe Burger is back!", "Only at our {city} restaurants this month."),
        T("es", "Borrador de la Renta 2025: ya disponible",
          "Estimado cliente:", "La Agencia Tributaria ya permite consultar el borrador de la "
          "declaración de la Renta. Si lo desea, revisamos su borrador antes de confirmarlo.",
          "{name}\nAsesoría {company}"),
        T("es", "Reserva confirmada: mesa para 8 personas",
          "Su mesa está reservada para el {date} a las 21:00. Reservado el derecho de admisión.",
          "Restaurante El Puerto"),
        T("zh", "内部招聘：市场部经理", "各位同事：",
          "公司现开展内部招聘，欢迎符合条件的员工报名。", "人力资源部"),
        T("zh", "关于做好保密工作的提醒",
          "各位同事：", "请勿在个人微信群中传输客户资料，电脑离开时请锁屏，密码不要贴在显示器上。",
          "信息安全部"),
        T("ko", "비밀번호 변경 안내",
          "{first}님, 안녕하세요.", "회원님의 비밀번호가 {date}에 변경되었습니다. 본인이 아니라면 "
          "비밀번호를 재설정해 주세요.", "{company} 고객센터"),
        T("ko", "비서실 연락처 변경", "임직원 여러분,",
          "비서실 내선 번호가 2104로 변경되었습니다.", "총무팀"),
        T("ja", "ドラフトビール飲み放題プランのご案内", "幹事様",
          "生ビール（ドラフト）飲み放題付きコースをご用意しました。",
          "{company}"),
        T("ja", "アカウントの秘密の質問を設定してください",
          "{first}様", "セキュリティ向上のため、秘密の質問と答えを設定してください。", "{company}"),
    ],
    "word-senses": [
        T("en", "Your RSU vesting schedule",
          "Hi {first},", "Your restricted stock units (RSUs) vest 25% on {date} and monthly after "
          "that. Restricted shares cannot be sold during a blackout period.", "Equity team"),
        T("en", "Safety data sheet for product 7731",
          "Dear customer,", "Attached is the SDS. The mixture is not classified as hazardous "
          "according to Regulation (EC) No 1272/2008 and is not classified as dangerous goods for "
          "transport (ADR/IMDG).", "Product Safety"),
        T("en", "Team T-shirt order",
          "Hi all,", "Sizes available: (S) Small (M) Medium (L) Large (XL).",
          "(C) 2026 {company}. All rights reserved.", "{first}"),
        T("en", "Handling patient records",
          "Reminder:", "Protected health information (PHI) must be stored only in the EHR. This area "
          "is protected by CCTV. Classified ads for the staff noticeboard go to {first}."),
        T("it", "Accesso all'area riservata",
          "Gentile cliente,", "per scaricare le fatture acceda all'area riservata del nostro sito. "
          "Tutti i diritti riservati.", "{company}"),
        T("de", "Entwurfsplanung Neubau Halle 3",
          "Sehr geehrte Damen und Herren,", "anbei die Entwurfsplanung (Leistungsphase 3 HOAI) des "
          "Architekturbüros. Der Entwurf sieht eine Holzständerbauweise vor.", "{name}"),
        T("de", "Ihre neue Geheimzahl",
          "Sehr geehrte Kundin, sehr geehrter Kunde,", "Ihre neue PIN (Geheimzahl) erhalten Sie in "
          "den nächsten Tagen mit separater Post.", "{company}"),
        T("fr", "Projet : migration ERP – point d'avancement",
          "Projet : migration ERP", "Bonjour à tous, la recette utilisateur commence le {date}.",
          "{name}"),
        T("ru", "Договор поставки: раздел о конфиденциальности",
          "Добрый день!", "7. Конфиденциальность. 7.1. Стороны обязуются сохранять "
          "конфиденциальность сведений, составляющих коммерческую тайну другой Стороны.",
          "{name}"),
        T("es", "Plazas limitadas: curso de Excel",
          "Hola:", "Abrimos inscripciones para el curso de Excel avanzado. Plazas limitadas; "
          "difusión interna.", "Formación"),
        T("pt", "Sigilo bancário e LGPD", "Prezado cliente,", "Seus dados estão protegidos pelo sigilo "
          "bancário (Lei Complementar 105/2001).", "{company}"),
    ],
    "letterhead": [
        T("es", "Renovación de licencias", "Asunto: renovación de licencias de software",
          "Se comunica que el contrato de licencias vence el {date}.", "{name}",
          header="SECRETARÍA GENERAL TÉCNICA"),
        T("en", "AGM notice", "Notice is hereby given that the Annual General Meeting will be held "
          "on {date}.", "By order of the Board", header="Office of the Company Secretary | {company}"),
        T("zh", "年会通知", "各会员单位：", "定于{date}在{city}召开年会，请派员参加。",
          header="中国物流与采购联合会秘书处"),
        T("de", "Sprechstunde", "Die Sprechstunde entfällt am {date}.",
          header="Sekretariat Prof. Dr. Wagner · Lehrstuhl für Maschinenbau"),
        T("ru", "Заседание совета", "Заседание состоится {date} в 14:00.",
          header="Секретариат Учёного совета"),
        T("en", "Tooling guideline", "Minimum draft angles by surface finish:",
          "Polished: 0.5°; light texture: 1.5°; heavy texture: 3°.",
          header="Moulding design guide – draft angles"),
        T("ja", "会議室予約", "来週の役員会議の会議室を予約しました。", header="秘書課"),
        T("fr", "Feuille de temps", "Merci de saisir vos heures avant vendredi.", header="Suivi de projet"),
    ],
    "tables": [
        T("en", "Bar price list", "Our prices from {date}:",
          table=(("Beer", "Draft", "Bottle"),
                 ("Harbour Pale", "£4.80", "£4.20"), ("Midnight Stout", "£5.10", "£4.60"))),
        T("en", "Vessel particulars", "Particulars as requested:",
          table=(("LOA", "229.0 m"), ("Beam", "32.26 m"), ("Draft", "14.2 m"), ("Air draft", "45.1 m"))),
        T("en", "Runbook: credentials rotation", "Objects to rotate in the cluster:",
          table=(("Name", "Type", "Rotation"), ("db-password", "Secret", "90 days"),
                 ("app-config", "ConfigMap", "on release"))),
        T("en", "Ways to pay", "You can pay your deposit in any of these ways:",
          table=(("Payment method", "Fee"),
                 ("Bank transfer", "free"), ("Bank draft", "£10"), ("Cheque", "£5"))),
        T("fr", "Feuille de temps novembre", "Bonjour, voici mes heures :",
          table=(("Projet", "Heures", "Commentaire"),
                 ("Migration ERP", "12", "recette"), ("Support", "6", ""))),
        T("de", "Stundenzettel November", "Hallo, anbei meine Stunden:",
          table=(("Projekt", "Stunden"), ("ERP-Migration", "12"), ("Support", "6"))),
        T("es", "Reservas de salas", "Estado de las salas para mañana:",
          table=(("Sala", "Hora", "Estado"), ("Sala 2", "10:00", "Reservada"), ("Sala 3", "12:00", "Libre"))),
        T("zh", "入职材料清单", "请核对以下材料：",
          table=(("材料", "状态"), ("保密协议", "已签署"), ("劳动合同", "已签署"), ("体检报告", "待提交"))),
        T("en", "Onboarding checklist", "Where we are with your paperwork:",
          table=(("Document", "Status"),
                 ("Confidentiality agreement", "Signed"), ("Offer letter", "Signed"))),
        T("en", "Team roster", "Updated roster for the charity match:",
          table=(("Player", "Position", "Draft"),
                 ("J. Smith", "QB", "2024 R1"), ("M. Diaz", "WR", "2022 R3"))),
        T("ru", "Табель за ноябрь", "Добрый день, мои часы:",
          table=(("Проект", "Часы"), ("Внедрение ERP", "12"), ("Поддержка", "6"))),
    ],
    "calendar-invite": [
        T("en", "Invitation: 1:1 {first} / {last}", "Weekly one-to-one.", calendar="PRIVATE"),
        T("en", "Invitation: Dentist", "Blocked for an appointment.", calendar="CONFIDENTIAL"),
        T("en", "Invitation: Project sync", "Agenda in the document.", calendar="PUBLIC"),
    ],
    "contract-baomi": [
        T("zh", "采购合同（签字版）",
          "{first}您好：", "附件为双方已签字的采购合同扫描件，请查收。", "合同第九条为保密条款：",
          "第九条 保密条款 9.1 双方对在本合同履行过程中知悉的对方商业秘密及其他保密信息负有保密义务，"
          "未经对方书面同意，不得向任何第三方披露。9.2 本条款在合同终止后三年内继续有效。",
          "{name}"),
        T("zh", "关于签订保密协议的函",
          "{company}：", "为保护双方在合作中交换的技术资料，现将《保密协议》一式两份寄送贵司，"
          "请盖章后寄回一份。",
          "保密期限为五年。", "{name}"),
        T("es", "Contrato de prestación de servicios",
          "Hola {first}:", "Adjunto el contrato firmado. La cláusula décima (Confidencialidad) obliga a "
          "ambas partes a mantener la confidencialidad de la información recibida durante dos años.",
          "Saludos,\n{name}"),
        T("en", "Mutual NDA ahead of our technical workshop",
          "Hi {first},", "Before we share drawings, our legal team asks for a mutual non-disclosure "
          "agreement. The attached standard form covers confidential information exchanged for the "
          "evaluation; the obligations last three years.", "{name}"),
    ],
    "newsletter-marketing": [
        T("en", "Secret Sale: up to 60% off, members only",
          "Shh... our Secret Sale starts now.", "Members get up to 60% off selected lines until "
          "Sunday midnight. It's no secret that these deals go fast!", "Unsubscribe | Privacy policy"),
        T("en", "The {company} newsletter – {date}",
          "In this issue:", "• The secret to a great customer call\n• Meet our new finance "
          "secretary\n• Why we still love draft beer Fridays", "You are receiving this because you "
          "subscribed. We respect your privacy and keep your data confidential."),
        T("es", "Rebajas secretas solo para socios",
          "¡Chis! Empiezan nuestras rebajas secretas.", "Hasta un 50% de descuento este fin de "
          "semana. Consulta nuestra política de privacidad."),
        T("fr", "Vente privée : le secret le mieux gardé",
          "Chère cliente, cher client,", "Notre vente privée commence demain. Le secret ? Des prix "
          "jamais vus.", "Se désinscrire"),
        T("de", "Unser Geheimtipp für den Herbst",
          "Liebe Kundinnen und Kunden,", "unser Geheimtipp: die neue Kollektion ist ab heute online.",
          "Datenschutzerklärung | Abmelden"),
    ],
    "recipe": [
        T("en", "Bake sale recipes",
          "Hi all,", "As promised, Grandma's chili recipe. The secret ingredient is a square of dark "
          "chocolate stirred in at the end.", "Enjoy,\n{first}"),
        T("zh", "分享：红烧肉做法",
          "大家好：", "上次聚餐的红烧肉做法如下，秘诀是先炒糖色，秘制酱汁要小火慢炖一个小时。", "{first}"),
        T("es", "Receta del concurso de paellas",
          "Hola:", "El secreto de una buena paella está en el sofrito y en no remover el arroz.",
          "{first}"),
        T("ja", "社内レシピ集",
          "皆さま", "カレーの隠し味はインスタントコーヒーです。秘伝のタレの作り方も載せました。", "{first}"),
    ],
    "meeting-invite": [
        T("en", "Invitation: Quarterly business review – {date} 10:00",
          "When: {date} 10:00–11:30 (UTC+00:00)", "Where: Room 4.12 / Teams",
          "Agenda: 1. Sales update 2. Hiring 3. Secret Santa planning", "Please reply to my "
          "secretary to confirm.", "{name}"),
        T("zh", "会议通知：第三季度经营分析会",
          "各位同事：", "定于{date}上午9点在三楼会议室召开第三季度经营分析会，请各部门负责人准时参加。",
          "会议材料由办公室秘书统一发送。", "总经理办公室"),
        T("es", "Convocatoria: reunión de coordinación",
          "Estimados compañeros:", "Os convoco a la reunión de coordinación el {date} a las 10:00 en "
          "la sala 2. Orden del día adjunto.", "{name}\nSecretaría de Dirección"),
        T("de", "Einladung: Abteilungsbesprechung am {date}",
          "Hallo zusammen,", "die Besprechung findet um 14 Uhr im Raum B2 statt. Das Protokoll führt "
          "Frau {last} aus dem Sekretariat.", "{name}"),
    ],
    "invoice": [
        T("en", "Invoice {inv} from {company}",
          "Dear customer,", "Please find attached invoice {inv} dated {date}, total {amount}.",
          "Payment by BACS, cheque or banker's draft. Thank you for your business.", "{company}"),
        T("es", "Factura {inv}",
          "Estimado cliente:", "Adjuntamos la factura {inv} con fecha {date} por importe de {amount}.",
          "Forma de pago: transferencia bancaria.", "{company}"),
        T("zh", "发票 {inv}",
          "您好：", "附件为{date}开具的增值税专用发票，金额{amount}。请核对后安排付款。", "{company} 财务部"),
    ],
    "readme-ietf-draft": [
        T("en", "Release notes for our client library",
          "## Changelog", "### 2.4.0", "- Implement draft-ietf-httpbis-digest-headers-13 (Digest "
          "fields), now RFC 9530.", "- Support HTTP Message Signatures (RFC 9421, formerly "
          "draft-ietf-httpbis-message-signatures).", "- Fix: password field no longer logged.",
          file="CHANGELOG.md"),
        T("en", "Library README",
          "# quic-lite", "A small QUIC implementation following RFC 9000 and the datagram extension "
          "(draft-ietf-quic-datagram, published as RFC 9221).", "## Secrets", "Set the TLS key log "
          "file with SSLKEYLOGFILE to decrypt traces in Wireshark; never use it in production.",
          file="README.md"),
        T("en", "Spec references",
          "References", "[DPOP] Fett, D., et al., \"OAuth 2.0 Demonstrating Proof of Possession "
          "(DPoP)\", Work in Progress, Internet-Draft, draft-ietf-oauth-dpop-16, April 2023.",
          "[RFC6749] Hardt, D., Ed., \"The OAuth 2.0 Authorization Framework\".",
          "The client secret must be kept confidential (Section 2.3.1).", file="references.txt"),
    ],
    "mail-drafts-folder": [
        T("en", "Re: lost e-mail",
          "Hi {first},", "I found the message you were looking for: it was still in your Drafts "
          "folder and never sent. I've sent it now.", "{name}\nIT Service Desk"),
        T("fr", "Re : message introuvable",
          "Bonjour {first},", "Votre message était resté dans le dossier Brouillons. Il est maintenant "
          "envoyé.", "Le support"),
        T("de", "Outlook-Tipp der Woche",
          "Hallo zusammen,", "nicht gesendete Nachrichten landen im Ordner „Entwürfe“. Dort können "
          "Sie sie später fertigstellen.", "Ihre IT"),
    ],
    "privacy-policy": [
        T("es", "Actualización de nuestra política de privacidad",
          "Estimado cliente:", "Hemos actualizado nuestra Política de Privacidad. Tus datos se tratan "
          "de forma confidencial y no se ceden a terceros salvo obligación legal.",
          "Responsable: {company}. Finalidad: gestión de pedidos. Derechos: acceso, rectificación, "
          "supresión y portabilidad."),
        T("en", "We've updated our Privacy Policy",
          "Hello,", "We've updated our Privacy Policy to explain how we keep your information "
          "private and confidential, and how long we retain it.", "{company}"),
        T("ru", "Обновление политики конфиденциальности",
          "Уважаемый клиент!", "Мы обновили Политику конфиденциальности. Ваши персональные данные "
          "обрабатываются в соответствии с Федеральным законом № 152-ФЗ.", "{company}"),
        T("pt", "Atualização da Política de Privacidade",
          "Prezado cliente,", "Atualizamos a nossa Política de Privacidade conforme a LGPD. Seus "
          "dados são tratados com sigilo.", "{company}"),
    ],
}

# Real markings and draft stamps per language, for the marked twins.
MARKINGS = {
    "en": ["CONFIDENTIAL", "SECRET", "TOP SECRET", "DRAFT", "OFFICIAL-SENSITIVE"],
    "es": ["CONFIDENCIAL", "RESERVADO", "BORRADOR", "DIFUSIÓN LIMITADA"],
    "de": ["VS-VERTRAULICH", "VS-NUR FÜR DEN DIENSTGEBRAUCH", "ENTWURF", "STRENG VERTRAULICH"],
    "fr": ["DIFFUSION RESTREINTE", "SECRET", "PROJET"],
    "it": ["RISERVATO", "BOZZA"],
    "pt": ["CONFIDENCIAL", "RESERVADO", "MINUTA"],
    "ru": ["СЕКРЕТНО", "ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ", "ПРОЕКТ"],
    "zh": ["机密★5年", "秘密", "征求意见稿", "内部资料 注意保存"],
    "ja": ["極秘", "社外秘", "草案"],
    "ko": ["대외비", "초안"],
    "nl": ["STAATSGEHEIM CONFIDENTIEEL", "CONCEPT"],
    "pl": ["POUFNE", "PROJEKT"],
    "tr": ["GİZLİ", "TASLAK"],
    "sv": ["HEMLIG", "UTKAST"],
}
FORMS = ("plain", "html", "docx", "pdf")


@dataclass
class Item:
    """One generated mail: where it is written, its kind, and whether it is the marked twin."""

    file: str
    kind: str
    form: str
    marked: str


def _slots(rng: random.Random, lang: str) -> dict[str, str]:
    name = rng.choice(NAMES[lang])
    first, _, last = name.partition(" ")
    if lang in ("zh",):
        first, last = name[1:], name[0]
    return {"name": name, "first": first, "last": last or name,
            "company": rng.choice(COMPANIES[lang]), "city": rng.choice(CITIES[lang]),
            "date": f"{rng.randint(2, 27):02d}.{rng.randint(1, 12):02d}.2026",
            "inv": f"INV-2026-{rng.randint(1000, 9999)}",
            "amount": f"{rng.randint(120, 98000):,} {rng.choice(['EUR', 'USD', 'GBP', 'CNY'])}"}


def _fill(text: str, slots: dict[str, str]) -> str:
    for key, value in slots.items():
        text = text.replace("{" + key + "}", value)
    return text


def _docx(paragraphs: list[str], header: str, footer: str,
          table: tuple[tuple[str, ...], ...] = ()) -> bytes:
    import docx

    document = docx.Document()
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    section.footer.paragraphs[0].text = footer
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, cells, strict=True):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _html(paragraphs: list[str], disclaimer: str, table: tuple[tuple[str, ...], ...] = ()) -> str:
    body = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    if table:
        body += ('<table border="1" cellpadding="4">'
                 + "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in table)
                 + "</table>")
    foot = (f'<div style="font-size:8pt;color:#888888;border-top:1px solid #ccc">{escape(disclaimer)}</div>'
            if disclaimer else "")
    return f'<html><body style="font-family:Calibri,sans-serif">{body}{foot}</body></html>'


COVER = {"en": "Please see the attached.", "es": "Te envío el documento adjunto.",
         "de": "Anbei das Dokument.", "fr": "Veuillez trouver le document ci-joint.",
         "it": "In allegato il documento.", "pt": "Segue o documento em anexo.",
         "ru": "Документ во вложении.", "zh": "请查收附件。", "ja": "添付ファイルをご確認ください。",
         "ko": "첨부 파일을 확인해 주세요.", "nl": "Zie bijlage.", "pl": "W załączeniu dokument.",
         "tr": "Belge ektedir.", "sv": "Se bilaga."}
ATTACHMENT_NAME = {"en": "letter", "es": "documento", "de": "Schreiben", "fr": "courrier",
                   "it": "lettera", "pt": "documento", "ru": "pismo", "zh": "wenjian", "ja": "shorui",
                   "ko": "munseo", "nl": "brief", "pl": "pismo", "tr": "belge", "sv": "brev"}


def _calendar(subject: str, klass: str, stamp: int) -> str:
    # As Outlook and Google Calendar write a request (RFC 5545; CLASS is the event's access
    # classification: PUBLIC, PRIVATE or CONFIDENTIAL).
    return "\r\n".join([
        "BEGIN:VCALENDAR", "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", "VERSION:2.0",
        "METHOD:REQUEST", "BEGIN:VEVENT", f"UID:{stamp}-ordinary@example.com",
        "DTSTART:20261210T100000Z", "DTEND:20261210T103000Z", f"SUMMARY:{subject}",
        f"CLASS:{klass}", "ORGANIZER:mailto:office@example.com", "STATUS:CONFIRMED",
        "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR", ""])


def generate(out: Path, seed: int, per_kind: int, pdf: bool) -> list[Item]:
    """Write ``per_kind`` ordinary mails per kind (and their marked twins) under ``out``."""
    rng = random.Random(seed)
    items: list[Item] = []
    pending_pdf: list[tuple[Path, Path, EmailMessage, str]] = []
    stamp = 0
    for kind, texts in KINDS.items():
        forms = [f for f in FORMS if pdf or f != "pdf"]
        for n in range(per_kind):
            text = texts[n % len(texts)]
            lang = text.lang
            slots = _slots(rng, lang)
            paragraphs = [_fill(p, slots) for p in text.body]
            subject = _fill(text.subject, slots)
            disclaimer = ""
            if kind.startswith("disclaimer-"):
                disclaimer = _fill(rng.choice(DISCLAIMERS[lang]), slots)
            form = forms[(n + rng.randrange(len(forms))) % len(forms)]
            if text.file:
                form = "file"
            elif text.header:
                form = ("docx", "pdf")[n % 2] if pdf else "docx"
            elif text.calendar:
                form = "calendar"
            marking = rng.choice(MARKINGS[lang])
            for marked in ("", marking):
                stamp += 1
                message = EmailMessage()
                sender = slots["name"]
                message["From"] = f"{sender} <office{stamp % 7}@example.com>"
                message["To"] = "partner@example.net"
                message["Subject"] = subject
                message["Date"] = format_datetime(datetime.datetime(
                    2026, 11, 1 + stamp % 28, 9, stamp % 60, tzinfo=datetime.UTC))
                message["Message-ID"] = f"<{seed}.{stamp}@example.com>"
                # A neutral name: the kind's name ('sports-draft') would itself read as one.
                name = f"item-{stamp:04d}"
                lines = ([marked] if marked else []) + paragraphs
                rows = ["\t".join(row) for row in text.table]
                if form in ("plain", "html"):
                    plain = "\n\n".join(lines + (["\n".join(rows)] if rows else [])
                                        + ([disclaimer] if disclaimer else []))
                    message.set_content(plain)
                    if form == "html":
                        message.add_alternative(_html(lines, disclaimer, text.table), subtype="html")
                elif form == "calendar":
                    message.set_content("\n\n".join(lines))
                    message.add_attachment(_calendar(subject, text.calendar, stamp).encode(),
                                           maintype="text", subtype="calendar", filename="invite.ics",
                                           params={"method": "REQUEST"})
                elif form == "file":
                    message.set_content(COVER[lang] + "\n\n" + slots["name"])
                    message.add_attachment("\n\n".join(lines).encode(), maintype="text",
                                           subtype="markdown" if text.file.endswith(".md") else "plain",
                                           filename=text.file)
                else:
                    cover = COVER[lang] + "\n\n" + slots["name"] + ("\n\n" + disclaimer if disclaimer else "")
                    message.set_content(cover)
                    footer = f"{slots['company']} · {slots['city']}"
                    data = _docx(paragraphs, marked or _fill(text.header, slots), footer, text.table)
                    stem = f"{ATTACHMENT_NAME[lang]}-{stamp}"
                    if form == "docx":
                        message.add_attachment(
                            data, maintype="application",
                            subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                            filename=f"{stem}.docx")
                    else:
                        source = out / "pdf-src" / f"{stem}.docx"
                        source.parent.mkdir(parents=True, exist_ok=True)
                        source.write_bytes(data)
                        pending_pdf.append((source, out / f"{name}.eml", message, stem))
                        items.append(Item(f"{name}.eml", kind, form, marked))
                        continue
                (out / f"{name}.eml").write_bytes(bytes(message))
                items.append(Item(f"{name}.eml", kind, form, marked))
    if pending_pdf:
        folder = out / "pdf-src"
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                        *[str(p[0]) for p in pending_pdf]], capture_output=True, check=True)
        for source, target, message, stem in pending_pdf:
            message.add_attachment(source.with_suffix(".pdf").read_bytes(), maintype="application",
                                   subtype="pdf", filename=f"{stem}.pdf")
            target.write_bytes(bytes(message))
    return items


def _held(result: dict) -> list[str]:
    if result.get("verdict", "pass") == "pass":
        return []
    return list(dict.fromkeys(h["rule"] for h in result.get("hits", []) if h.get("counts", True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--per-kind", type=int, default=12)
    parser.add_argument("--baseline", help="git revision or folder of a Redline tree")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--list", action="store_true", help="print held ordinary items, passed twins")
    parser.add_argument("--no-pdf", action="store_true", help="no PDF attachments (no LibreOffice)")
    parser.add_argument("--out", type=Path, help="keep the generated mail here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="redline-ordinary-mail-") as tmp:
        out = args.out or Path(tmp) / "mail"
        out.mkdir(parents=True, exist_ok=True)
        items = generate(out, args.seed, args.per_kind, not args.no_pdf)
        paths = [out / i.file for i in items]
        trees = {"this tree": ROOT}
        if args.baseline:
            (Path(tmp) / "base").mkdir()
            trees = {"baseline": baseline_tree(args.baseline, Path(tmp) / "base" / "tree"), **trees}
        results = {name: scan(tree, paths, args.jobs) for name, tree in trees.items()}
    names = list(trees)
    ordinary = [i for i in items if not i.marked]
    print(f"seed {args.seed}: {len(ordinary)} ordinary mails in {len(KINDS)} kinds, each with a marked "
          f"twin; forms {dict(collections.Counter(i.form for i in ordinary))}")
    head = " ".join(f"{'held ' + n:>16s} {'twins held':>10s}" for n in names)
    print(f"{'kind':30s} {'mails':>5s} {head}")
    totals = collections.Counter()
    for kind in KINDS:
        row = []
        for n in names:
            held = sum(1 for i in ordinary if i.kind == kind and _held(results[n].get(str(out / i.file), {})))
            twins = sum(1 for i in items if i.marked and i.kind == kind
                        and _held(results[n].get(str(out / i.file), {})))
            totals[n, "held"] += held
            totals[n, "twins"] += twins
            row.append(f"{held:16d} {twins:10d}")
        count = sum(1 for i in ordinary if i.kind == kind)
        print(f"{kind:30s} {count:5d} " + " ".join(row))
    print(f"{'all':30s} {len(ordinary):5d} "
          + " ".join(f"{totals[n, 'held']:16d} {totals[n, 'twins']:10d}" for n in names))
    counts = [collections.Counter(rule for i in ordinary
                                  for rule in _held(results[n].get(str(out / i.file), {})))
              for n in names]
    print(f"\n{'rule (ordinary mails held with it)':44s} " + " ".join(f"{n:>10s}" for n in names))
    for rule in sorted(set().union(*counts)):
        print(f"{rule:44s} " + " ".join(f"{c[rule]:10d}" for c in counts))
    if args.list:
        for n in names:
            print(f"\n{n}:")
            for i in items:
                result = results[n].get(str(out / i.file), {})
                if bool(_held(result)) != bool(i.marked):
                    what = "HELD" if not i.marked else f"PASSED twin ({i.marked})"
                    hits = "; ".join(f"{h['rule']} {h['where'].split('/')[-1]} {h['excerpt'][:70]!r}"
                                     for h in result.get("hits", [])[:3])
                    print(f"  {what} {i.kind} {i.file} [{i.form}] {hits}")


if __name__ == "__main__":
    main()
