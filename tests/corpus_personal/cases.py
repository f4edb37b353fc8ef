"""Held-out personal-data cases: lists of people as organisations send them, and hard negatives.

Written before reading Redline's personal-data engine, from public descriptions of the
world: the identifier formats and check digits in ids.py, and the shapes real exports
take (an HR roster in xlsx, a customer CSV from a Chinese Excel in GB18030, a payroll
remittance with semicolons, a Word letter with a table, a PDF form, a plain mail, an HTML
mail with a table, full-width digits, numbers typed in groups). Expected outcomes:

- ``personal``: a list of people's identifiers leaving in bulk is held with a personal hit;
- ``none``: must pass: one person's own details, an organisation's own published bank
  accounts, and numbers that look like identifiers but are not (order, invoice, tracking
  numbers, ISBN/ISSN, EAN, IMEI, company registration codes, GUIDs, versions, timestamps,
  switchboard numbers, numbers failing their check).

Decision on processors' published test card numbers (4242 4242 4242 4242, 4111 1111 1111
1111, …): they pass. They are printed in every payment integration guide and issued to
no one, so a developer's mail listing them carries no cardholder data (PCI DSS scopes
real primary account numbers); holding it would teach users that the gateway cries wolf.
Excluding a fixed public list opens no evasion: a real card cannot be written as one.
"""

from __future__ import annotations

import datetime
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.corpus_personal import ids

TODAY = datetime.date.today()


@dataclass(frozen=True)
class Item:
    """One file: ``fmt`` is csv, xlsx, docx, pdf, txt, eml (plain mail) or html (HTML mail).

    ``lines`` are text lines; a line with tabs is a table row (a sheet or CSV row, a Word
    or HTML table row, spaced columns in a PDF or plain text).
    """

    fmt: str
    lines: tuple[str, ...]
    subject: str = ""
    encoding: str = "utf-8"
    delimiter: str = ","
    numeric: bool = False  # xlsx: whole numbers of 7+ digits stored as numbers


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # the identifier the case is about, or "negative" / "single"
    expect: str  # "personal" or "none"
    item: Item
    source: str = field(default="")


def _rng(name: str) -> random.Random:
    return random.Random(zlib.crc32(name.encode()))


def _table(
    header: str, rows: int, row: Callable[[random.Random, int], str], rng: random.Random
) -> tuple[str, ...]:
    return (header, *(row(rng, i) for i in range(rows)))


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" or "A" <= c <= "Z" else c for c in text)


def _dob(rng: random.Random) -> str:
    return f"{ids.birth_date(rng, TODAY):%Y-%m-%d}"


def case_adder(cases: list[Case], seed_prefix: str = "") -> Callable[..., None]:
    """A ``case(name, kind, expect, fmt, build, **item)`` that appends to ``cases``.

    Each case's generator is seeded by ``seed_prefix + name``, so a round's items do not
    change when another round adds cases.
    """

    def case(
        name: str,
        kind: str,
        expect: str,
        fmt: str,
        build: Callable[[random.Random], tuple[str, ...]],
        **item: object,
    ) -> None:
        cases.append(Case(name, kind, expect, Item(fmt, build(_rng(seed_prefix + name)), **item)))  # type: ignore[arg-type]

    return case


CASES: list[Case] = []
case = case_adder(CASES)


# --- China: resident identity numbers, mobiles --------------------------------------------

case(
    "cn-hr-roster-xlsx",
    "cn_id",
    "personal",
    "xlsx",
    lambda r: _table(
        "工号\t姓名\t性别\t身份证号码\t手机号码\t入职日期",
        25,
        lambda r, i: (
            f"E{1000 + i}\t{ids.person_cn(r)}\t{r.choice('男女')}\t{ids.cn_id(r, TODAY)}\t"
            f"{ids.cn_mobile(r)}\t2019-0{r.randint(1, 9)}-1{r.randint(0, 9)}"
        ),
        r,
    ),
)
case(
    "cn-customers-gb18030-csv",
    "cn_id",
    "personal",
    "csv",
    lambda r: _table(
        "客户名称\t证件类型\t证件号码\t联系电话\t地址",
        40,
        lambda r, i: (
            f"{ids.person_cn(r)}\t居民身份证\t{ids.cn_id(r, TODAY)}\t{ids.cn_mobile(r)}\t"
            f"北京市朝阳区建国路{r.randint(1, 200)}号"
        ),
        r,
    ),
    encoding="gb18030",
)
case(
    "cn-unlabelled-csv",
    "cn_id",
    "personal",
    "csv",
    lambda r: _table(
        "name\tno\tmobile\tcity",
        30,
        lambda r, i: f"{ids.person_cn(r)}\t{ids.cn_id(r, TODAY)}\t{ids.cn_mobile(r)}\t上海",
        r,
    ),
)
case(
    "cn-fullwidth-mail",
    "cn_id",
    "personal",
    "eml",
    lambda r: (
        "王经理：",
        "您好！以下为本次出差人员的身份证号码，请协助订票：",
        *(f"{ids.person_cn(r)}　身份证：{_fullwidth(ids.cn_id(r, TODAY))}" for _ in range(5)),
        "谢谢！",
        "行政部 小李",
    ),
    subject="出差人员信息",
)
case(
    "cn-grouped-docx",
    "cn_id",
    "personal",
    "docx",
    lambda r: (
        "关于报送培训人员名单的函",
        "现将参加培训人员名单报送如下：",
        "序号\t姓名\t身份证号",
        *(
            f"{i + 1}\t{ids.person_cn(r)}\t{(n := ids.cn_id(r, TODAY))[:6]} {n[6:14]} {n[14:]}"
            for i in range(6)
        ),
        "特此函告。",
    ),
)
case(
    "cn-x-check-html",
    "cn_id",
    "personal",
    "html",
    lambda r: (
        "各位好，附上新员工信息，请办理社保：",
        "姓名\t身份证号\t入职日期",
        *(f"{ids.person_cn(r)}\t{ids.cn_id_x(r, TODAY)}\t2026-11-0{r.randint(1, 9)}" for _ in range(8)),
    ),
    subject="新员工社保办理",
)
case(
    "cn-legacy15-csv",
    "cn_id15",
    "personal",
    "csv",
    lambda r: _table(
        "姓名\t身份证号\t出生年份\t住址",
        20,
        lambda r, i: f"{ids.person_cn(r)}\t{ids.cn_id15(r)}\t19{r.randint(40, 84)}\t天津市和平区",
        r,
    ),
)
case(
    "cn-pdf-signup-form",
    "cn_id",
    "personal",
    "pdf",
    lambda r: (
        "2026年度职工运动会报名表",
        "单位：市场部",
        "序号\t姓名\t性别\t公民身份号码\t联系电话",
        *(
            f"{i + 1}\t{ids.person_cn(r)}\t{r.choice('男女')}\t{ids.cn_id(r, TODAY)}\t{ids.cn_mobile(r)}"
            for i in range(12)
        ),
    ),
)
case(
    "cn-digit-by-digit-mail",
    "cn_id",
    "personal",
    "eml",
    lambda r: (
        "Hi, the IDs for the visa letters:",
        *(f"{ids.person_cn(r)} 身份证号 {' '.join(ids.cn_id(r, TODAY))}" for _ in range(4)),
        "Thanks",
    ),
    subject="visa letters",
)
case(
    "cn-mobile-customer-list-xlsx",
    "cn_mobile",
    "personal",
    "xlsx",
    lambda r: _table(
        "会员姓名\t手机号\t收货地址\t注册日期",
        80,
        lambda r, i: (
            f"{ids.person_cn(r)}\t{ids.cn_mobile(r)}\t广州市天河区体育西路{r.randint(1, 300)}号\t"
            f"2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
        ),
        r,
    ),
)
case(
    "cn-mobile-spaced-mail",
    "cn_mobile",
    "personal",
    "eml",
    lambda r: (
        "活动报名名单（姓名 / 手机）：",
        *(f"{ids.person_cn(r)}  {(m := ids.cn_mobile(r))[:3]} {m[3:7]} {m[7:]}" for _ in range(60)),
    ),
    subject="报名名单",
)

# --- Hong Kong, Taiwan ----------------------------------------------------------------------

case(
    "hk-staff-xlsx",
    "hkid",
    "personal",
    "xlsx",
    lambda r: _table(
        "Staff No.\tName\tHKID No.\tDate of Birth\tMobile",
        15,
        lambda r, i: (
            f"HK{300 + i}\t{r.choice(ids.HK_NAMES)}\t{(h := ids.hkid(r))[0]}({h[1]})\t{_dob(r)}\t"
            f"{r.choice('5679')}{r.randint(0, 9_999_999):07d}"
        ),
        r,
    ),
)
case(
    "hk-members-mail",
    "hkid",
    "personal",
    "eml",
    lambda r: (
        "Dear Sir/Madam,",
        "Please find the members' particulars for the insurance enrolment:",
        *(f"{r.choice(ids.HK_NAMES)}, 香港身份證號碼 {(h := ids.hkid(r))[0]}({h[1]})" for _ in range(12)),
        "Regards,",
        "HR Department",
    ),
    subject="Insurance enrolment",
)
case(
    "tw-members-csv",
    "tw_id",
    "personal",
    "csv",
    lambda r: _table(
        "姓名\t身分證字號\t出生日期\t電話",
        15,
        lambda r, i: (
            f"{r.choice(ids.TW_SURNAMES)}{r.choice(ids.CN_GIVEN)}{r.choice(ids.CN_GIVEN)}\t{ids.tw_id(r)}\t"
            f"{_dob(r)}\t09{r.randint(0, 99_999_999):08d}"
        ),
        r,
    ),
)

# --- Spain ---------------------------------------------------------------------------------

case(
    "es-payroll-xlsx",
    "es_id",
    "personal",
    "xlsx",
    lambda r: _table(
        "Nº empleado\tApellidos y nombre\tDNI\tFecha de nacimiento\tIBAN",
        20,
        lambda r, i: f"{200 + i}\t{ids.person_es(r)}\t{ids.dni(r)}\t{_dob(r)}\t{ids.iban(r, 'ES')}",
        r,
    ),
)
case(
    "es-nie-semicolon-csv",
    "es_id",
    "personal",
    "csv",
    lambda r: _table(
        "Nombre;NIE;Nacionalidad;Teléfono".replace(";", "\t"),
        12,
        lambda r, i: f"{ids.person_en(r)}\t{ids.nie(r)}\tReino Unido\t6{r.randint(0, 99_999_999):08d}",
        r,
    ),
    delimiter=";",
    encoding="cp1252",
)
case(
    "es-dni-dotted-docx",
    "es_id",
    "personal",
    "docx",
    lambda r: (
        "Madrid, 3 de diciembre de 2026",
        "Estimados señores:",
        "Les remitimos la relación de asistentes al curso de prevención de riesgos laborales:",
        "Nombre\tD.N.I.",
        *(f"{ids.person_es(r)}\t{(d := ids.dni(r))[:2]}.{d[2:5]}.{d[5:8]}-{d[8]}" for _ in range(8)),
        "Atentamente,",
    ),
)
case(
    "es-dni-hyphen-pdf",
    "es_id",
    "personal",
    "pdf",
    lambda r: (
        "SOLICITUD DE INSCRIPCIÓN - RELACIÓN DE ALUMNOS",
        "Apellidos, Nombre\tNIF\tFecha nac.",
        *(f"{ids.person_es(r)}\t{(d := ids.dni(r))[:8]}-{d[8]}\t{_dob(r)}" for _ in range(14)),
    ),
)

# --- Mexico, Argentina, Colombia ------------------------------------------------------------


def _curp_row(r: random.Random, i: int) -> str:
    number, name = ids.curp(r, TODAY)
    return f"{name}\t{number}\t{ids.rfc_from_curp(r, number)}"


case("mx-curp-csv", "mx_curp", "personal", "csv", lambda r: _table("Nombre\tCURP\tRFC", 20, _curp_row, r))
case(
    "mx-rfc-xlsx",
    "mx_rfc",
    "personal",
    "xlsx",
    lambda r: _table(
        "Empleado\tRFC\tSalario",
        15,
        lambda r, i: (
            f"{(c := ids.curp(r, TODAY))[1]}\t{ids.rfc_from_curp(r, c[0])}\t{r.randint(9, 60)}000.00"
        ),
        r,
    ),
)
case(
    "ar-cuil-csv",
    "ar_cuil",
    "personal",
    "csv",
    lambda r: _table(
        "Apellido y nombre\tCUIL\tFecha de ingreso",
        20,
        lambda r, i: f"{ids.person_es(r)}\t{ids.cuil(r)}\t2024-0{r.randint(1, 9)}-01",
        r,
    ),
)
case(
    "ar-dni-dotted-xlsx",
    "ar_dni",
    "personal",
    "xlsx",
    lambda r: _table(
        "Socio\tDNI\tDomicilio",
        20,
        lambda r, i: (
            f"{ids.person_es(r)}\t{ids.dotted(r.randint(10_000_000, 45_999_999))}\t"
            f"Av. Corrientes {r.randint(100, 5000)}, CABA"
        ),
        r,
    ),
)
case(
    "co-cedula-html",
    "co_cedula",
    "personal",
    "html",
    lambda r: (
        "Buenos días, adjunto la base de beneficiarios:",
        "Nombre\tCédula de ciudadanía\tCiudad",
        *(
            f"{ids.person_es(r)}\t{ids.dotted(r.randint(1_000_000_000, 1_099_999_999))}\tBogotá"
            for _ in range(15)
        ),
    ),
    subject="Base de beneficiarios",
)

# --- IBAN -----------------------------------------------------------------------------------

case(
    "iban-sepa-remittance-csv",
    "iban",
    "personal",
    "csv",
    lambda r: _table(
        "Beneficiario;IBAN;Importe;Concepto".replace(";", "\t"),
        15,
        lambda r, i: f"{ids.person_es(r)}\t{ids.iban(r, 'ES')}\t{r.randint(900, 3000)},00\tNómina noviembre",
        r,
    ),
    delimiter=";",
)
case(
    "iban-europe-spaced-xlsx",
    "iban",
    "personal",
    "xlsx",
    lambda r: _table(
        "Name\tCountry\tIBAN",
        12,
        lambda r, i: (
            f"{ids.person_en(r)}\t{(c := r.choice(('DE', 'FR', 'GB', 'IT', 'NL', 'AT', 'IE')))}\t"
            f"{ids.spaced(ids.iban(r, c))}"
        ),
        r,
    ),
)
case(
    "iban-html-mail",
    "iban",
    "personal",
    "html",
    lambda r: (
        "Hallo, anbei die Bankverbindungen der neuen Mitarbeiter:",
        "Name\tIBAN\tBank",
        *(f"{ids.person_en(r)}\t{ids.spaced(ids.iban(r, 'DE'))}\tSparkasse" for _ in range(6)),
    ),
    subject="Bankverbindungen",
)
case(
    "iban-mixed-pdf",
    "iban",
    "personal",
    "pdf",
    lambda r: (
        "Liste des bénéficiaires - virement groupé",
        "Nom\tIBAN",
        *(
            f"{ids.person_en(r)}\t{ids.spaced(ids.iban(r, r.choice(('FR', 'BE', 'PT', 'ES'))))}"
            for _ in range(12)
        ),
    ),
)

# --- Payment cards ----------------------------------------------------------------------------

case(
    "card-customers-xlsx",
    "card",
    "personal",
    "xlsx",
    lambda r: _table(
        "Customer\tCard number\tExpiry\tScheme",
        20,
        lambda r, i: (
            f"{ids.person_en(r)}\t{ids.card(r, (s := r.choice(list(ids.CARD_RANGES))))}\t"
            f"{r.randint(1, 12):02d}/{r.randint(27, 31)}\t{s}"
        ),
        r,
    ),
)
case(
    "card-spaced-mail",
    "card",
    "personal",
    "eml",
    lambda r: (
        "Hi team, the cards to refund manually:",
        *(f"{ids.person_en(r)} - card number {ids.card_grouped(ids.card(r, 'visa'))}" for _ in range(6)),
        "Cheers",
    ),
    subject="manual refunds",
)
case(
    "card-dashed-csv",
    "card",
    "personal",
    "csv",
    lambda r: _table(
        "order_ref\tpan\tholder",
        10,
        lambda r, i: (
            f"R{90000 + i}\t"
            f"{ids.card_grouped(ids.card(r, r.choice(('mastercard2', 'amex', 'unionpay'))), '-')}"
            f"\t{ids.person_en(r)}"
        ),
        r,
    ),
)
case(
    "card-unionpay19-docx",
    "card",
    "personal",
    "docx",
    lambda r: (
        "工资卡信息登记表",
        "姓名\t开户行\t银行卡号",
        *(f"{ids.person_cn(r)}\t中国工商银行\t{ids.spaced(ids.card(r, 'unionpay19'))}" for _ in range(8)),
    ),
)
case(
    "card-fullwidth-html",
    "card",
    "personal",
    "html",
    lambda r: (
        "退款名单如下：",
        "姓名\t卡号",
        *(f"{ids.person_cn(r)}\t{_fullwidth(ids.card(r, r.choice(('visa', 'unionpay'))))}" for _ in range(5)),
    ),
    subject="退款",
)
case(
    "card-numeric-cells-xlsx",
    "card",
    "personal",
    "xlsx",
    lambda r: _table(
        "Cardholder\tPAN\tLimit",
        10,
        lambda r, i: f"{ids.person_en(r)}\t{ids.card(r, 'visa')}\t{r.randint(1, 20)}000",
        r,
    ),
    numeric=True,
)

# --- United States, United Kingdom, passports -------------------------------------------------

case(
    "us-ssn-csv",
    "us_ssn",
    "personal",
    "csv",
    lambda r: _table(
        "Employee\tSSN\tDOB\tState", 20, lambda r, i: f"{ids.person_en(r)}\t{ids.ssn(r)}\t{_dob(r)}\tCA", r
    ),
)
case(
    "us-ssn-pdf",
    "us_ssn",
    "personal",
    "pdf",
    lambda r: (
        "Benefits enrollment - dependents",
        "Name\tSocial Security Number\tRelationship",
        *(f"{ids.person_en(r)}\t{ids.ssn(r)}\t{r.choice(('Spouse', 'Child'))}" for _ in range(12)),
    ),
)
case(
    "uk-nino-xlsx",
    "uk_nino",
    "personal",
    "xlsx",
    lambda r: _table(
        "Employee\tNI number\tTax code", 15, lambda r, i: f"{ids.person_en(r)}\t{ids.nino(r)}\t1257L", r
    ),
)
case(
    "passport-visa-list-csv",
    "passport",
    "personal",
    "csv",
    lambda r: _table(
        "Name\tNationality\tPassport No.\tDate of birth",
        12,
        lambda r, i: (
            f"{ids.person_cn(r)}\tCHN\tE{r.randint(10_000_000, 99_999_999)}\t{_dob(r)}"
            if i % 2
            else f"{ids.person_es(r)}\tESP\tPA{r.choice('ABCDE')}{r.randint(100_000, 999_999)}\t{_dob(r)}"
        ),
        r,
    ),
)
case(
    "passport-us-digits-xlsx",
    "passport",
    "personal",
    "xlsx",
    lambda r: _table(
        "Traveler\tPassport Number\tExpiration",
        12,
        lambda r, i: f"{ids.person_en(r)}\t{r.randint(500_000_000, 599_999_999)}\t2031-0{r.randint(1, 9)}-15",
        r,
    ),
)
case(
    "mixed-register-pdf",
    "es_id",
    "personal",
    "pdf",
    lambda r: (
        "Registro de socios",
        "Nombre\tFecha de nacimiento\tDNI\tIBAN",
        *(f"{ids.person_es(r)}\t{_dob(r)}\t{ids.dni(r)}\t{ids.iban(r, 'ES')}" for _ in range(10)),
    ),
)

# --- One person's own details (single) -------------------------------------------------------

case(
    "single-dni-letter-docx",
    "single",
    "none",
    "docx",
    lambda r: (
        "Sevilla, 2 de diciembre de 2026",
        "A la atención de Recursos Humanos",
        f"Yo, {ids.person_es(r)}, con DNI {ids.dni(r)}, solicito el certificado de empresa.",
        f"Les ruego que lo ingresen en mi cuenta {ids.spaced(ids.iban(r, 'ES'))}.",
        "Un saludo.",
    ),
)
case(
    "single-cv-docx",
    "single",
    "none",
    "docx",
    lambda r: (
        "个人简历",
        f"姓名：{ids.person_cn(r)}",
        f"身份证号：{ids.cn_id(r, TODAY)}",
        f"手机：{ids.cn_mobile(r)}",
        "教育背景：2014-2018 北京大学 计算机科学与技术",
        "工作经历：2018-至今 某科技有限公司 软件工程师",
    ),
)
case(
    "single-hotel-card-mail",
    "single",
    "none",
    "eml",
    lambda r: (
        "Dear reservations,",
        "Please guarantee my booking 4 to 6 December with my card:",
        f"Card number: {ids.card_grouped(ids.card(r, 'mastercard'))}, expiry 09/29.",
        "Kind regards,",
        ids.person_en(r),
    ),
    subject="Booking guarantee",
)
case(
    "single-hkid-application-mail",
    "single",
    "none",
    "eml",
    lambda r: (
        "Dear HR,",
        f"My HKID is {(h := ids.hkid(r))[0]}({h[1]}) and my date of birth is {_dob(r)}.",
        "Please let me know if anything else is needed.",
        r.choice(ids.HK_NAMES),
    ),
    subject="Onboarding",
)
case(
    "single-ssn-w4-pdf",
    "single",
    "none",
    "pdf",
    lambda r: (
        "Form W-4 Employee's Withholding Certificate",
        f"(a) First name and middle initial: {ids.person_en(r)}",
        f"(b) Social security number: {ids.ssn(r)}",
        "(c) Single or Married filing separately",
    ),
)

# --- Hard negatives ------------------------------------------------------------------------------

case(
    "neg-orders-csv",
    "negative",
    "none",
    "csv",
    lambda r: _table(
        "order_no\tinvoice_no\tdate\tamount\tcustomer_ref",
        80,
        lambda r, i: (
            f"{ids.digits(r, 16)}\tINV-2026-{r.randint(0, 99999):05d}\t2026-11-{r.randint(1, 30):02d}\t"
            f"{r.randint(10, 9999)}.{r.randint(0, 99):02d}\t{ids.digits(r, 18)}"
        ),
        r,
    ),
)
case(
    "neg-isbn-catalogue-xlsx",
    "negative",
    "none",
    "xlsx",
    lambda r: _table(
        "Title\tISBN\tISSN\tPrice",
        60,
        lambda r, i: f"Volume {i + 1}\t{ids.isbn13(r)}\t{ids.issn(r)}\t{r.randint(10, 90)}.00",
        r,
    ),
)
case(
    "neg-tracking-csv",
    "negative",
    "none",
    "csv",
    lambda r: _table(
        "carrier\ttracking\tshipped",
        50,
        lambda r, i: (
            r.choice(
                (
                    f"UPS\t1Z{r.randint(100, 999)}A{r.randint(10, 99)}{r.randint(10**9, 10**10 - 1)}",
                    f"USPS\t9400 1{ids.digits(r, 3)} {ids.digits(r, 4)} {ids.digits(r, 4)} "
                    f"{ids.digits(r, 4)} {ids.digits(r, 2)}",
                    f"SF Express\tSF{ids.digits(r, 13)}",
                    f"EMS\tE{r.choice('ABCM')}{ids.digits(r, 9)}CN",
                    f"DHL\t{ids.digits(r, 10)}",
                    f"中通\t7{ids.digits(r, 13)}",
                    f"FedEx\t{ids.digits(r, 12)}",
                )
            )
            + f"\t2026-11-{r.randint(1, 30):02d}"
        ),
        r,
    ),
)
case(
    "neg-signature-thread-mail",
    "negative",
    "none",
    "eml",
    lambda r: tuple(
        line
        for n in range(10)
        for line in (
            f"> On 2026-11-{20 + n} 10:{n:02d}, someone wrote:",
            "> Noted, thanks.",
            ">",
            "> --",
            "> 张伟 | 销售总监",
            "> 总机 Switchboard: +86 10 6552 8888 转 8021",
            "> 客服热线: 400-810-8888",
            "> 手机: 139 1000 2345",
            "> Madrid office: +34 915 123 456 · Fax +34 915 123 457",
            "> 北京市朝阳区建国路 88 号 SOHO 现代城 A 座 1501",
        )
    ),
    subject="RE: RE: RE: quotation",
)
case(
    "neg-log-txt",
    "negative",
    "none",
    "txt",
    lambda r: tuple(
        f"{1764993600000 + r.randint(0, 10**8)} 20261206{r.randint(0, 235959):06d}{r.randint(0, 999):03d} "
        f"req={ids.digits(r, 18)} trace={r.getrandbits(128):032x} "
        f"session={r.getrandbits(32):08x}-{r.getrandbits(16):04x}-4{r.getrandbits(12):03x}-"
        f"{r.choice('89ab')}{r.getrandbits(12):03x}-{r.getrandbits(48):012x} "
        f"version=10.0.19045.{r.randint(1000, 5000)} "
        f"latency_ms={r.randint(1, 900)}"
        for _ in range(200)
    ),
)


def _invoices(r: random.Random) -> tuple[str, ...]:
    own = [ids.spaced(ids.iban(r, "ES")) for _ in range(3)]  # the issuer's own three accounts
    company = ids.cif(r)
    return tuple(
        line
        for n in range(12)
        for line in (
            f"FACTURA Nº 2026/{1400 + n}",
            f"Cliente: {ids.person_es(r)}",
            f"Base imponible {r.randint(100, 9000)},00 EUR  IVA 21%",
            f"Domiciliación: CaixaBank {own[0]} · BBVA {own[1]}",
            f"Santander {own[2]} · SWIFT CAIXESBBXXX · CIF {company}",
        )
    )


case("neg-invoice-batch-pdf", "negative", "none", "pdf", _invoices)
case(
    "neg-test-cards-mail",
    "negative",
    "none",
    "eml",
    lambda r: (
        "Hi, for the sandbox integration use these test card numbers (any future expiry, any CVC):",
        *(f"card number {ids.card_grouped(n)}" for n in ids.PUBLISHED_TEST_CARDS),
        "They are the processor's published test cards; do not use real cards in staging.",
    ),
    subject="Sandbox test cards",
)
case(
    "neg-bad-check-ids-csv",
    "negative",
    "none",
    "csv",
    lambda r: _table("姓名\t身份证号", 20, lambda r, i: f"{ids.person_cn(r)}\t{ids.cn_id_bad(r, TODAY)}", r),
)
case(
    "neg-bad-luhn-cards-xlsx",
    "negative",
    "none",
    "xlsx",
    lambda r: _table(
        "Customer\tCard number",
        20,
        lambda r, i: (
            f"{ids.person_en(r)}\t{(c := ids.card(r, 'visa'))[:15]}{(int(c[15]) + r.randint(1, 9)) % 10}"
        ),
        r,
    ),
)
case(
    "neg-suppliers-cif-csv",
    "negative",
    "none",
    "csv",
    lambda r: _table(
        "Proveedor\tCIF\tIBAN\tPoblación",
        20,
        lambda r, i: f"Suministros {r.choice(ids.ES_SURNAMES)} S.L.\t{ids.cif(r)}\t\tMadrid",
        r,
    ),
)
case(
    "neg-suppliers-uscc-xlsx",
    "negative",
    "none",
    "xlsx",
    lambda r: _table(
        "供应商名称\t统一社会信用代码\t联系电话",
        30,
        lambda r, i: (
            f"{r.choice(ids.CN_SURNAMES)}氏贸易有限公司\t{ids.cn_uscc(r)}\t"
            f"010-{r.randint(6000_0000, 8999_9999)}"
        ),
        r,
    ),
)
case(
    "neg-imei-inventory-csv",
    "negative",
    "none",
    "csv",
    lambda r: _table(
        "asset_tag\tmodel\tIMEI\tassigned",
        40,
        lambda r, i: f"IT-{4000 + i}\tPhone 15\t{ids.imei(r)}\t2026-0{r.randint(1, 9)}-01",
        r,
    ),
)
case(
    "neg-ean-products-xlsx",
    "negative",
    "none",
    "xlsx",
    lambda r: _table(
        "SKU\tEAN\tDescription\tStock",
        60,
        lambda r, i: (
            f"SKU{i:05d}\t{ids.ean13(r.choice(('84', '69', '40')) + ids.digits(r, 10, '0123456789'))}\t"
            f"Item {i}\t{r.randint(0, 500)}"
        ),
        r,
    ),
    numeric=True,
)
case(
    "neg-bank-transactions-csv",
    "negative",
    "none",
    "csv",
    lambda r: _table(
        "交易流水号\t交易时间\t金额\t摘要",
        40,
        lambda r, i: (
            f"{ids.digits(r, 18)}\t2026-11-{r.randint(1, 30):02d} "
            f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}\t"
            f"{r.randint(1, 99999)}.{r.randint(0, 99):02d}\t转账"
        ),
        r,
    ),
)
case(
    "neg-donation-accounts-html",
    "negative",
    "none",
    "html",
    lambda r: (
        "Unterstützen Sie unsere Arbeit! Spendenkonten:",
        "Bank\tIBAN\tBIC",
        *(
            f"{bank}\t{ids.spaced(ids.iban(r, 'DE'))}\t{bic}"
            for bank, bic in (
                ("Sparkasse KölnBonn", "COLSDE33XXX"),
                ("Commerzbank", "COBADEFFXXX"),
                ("Deutsche Bank", "DEUTDEDKXXX"),
                ("Bank für Sozialwirtschaft", "BFSWDE33XXX"),
                ("GLS Bank", "GENODEM1GLS"),
            )
        ),
        "Herzlichen Dank!",
    ),
    subject="Newsletter Dezember",
)
case(
    "neg-office-directory-docx",
    "negative",
    "none",
    "docx",
    lambda r: (
        "全国分支机构联系方式",
        "分支机构\t总机\t传真\t客服",
        *(
            f"{city}分公司\t+86 {code} {ids.digits(r, 4)} {ids.digits(r, 4)}\t"
            f"+86 {code} {ids.digits(r, 8)}\t400-{ids.digits(r, 3)}-"
            f"{ids.digits(r, 4)}"
            for city, code in (
                ("北京", "10"),
                ("上海", "21"),
                ("广州", "20"),
                ("深圳", "755"),
                ("成都", "28"),
                ("武汉", "27"),
                ("西安", "29"),
                ("南京", "25"),
                ("杭州", "571"),
                ("重庆", "23"),
                ("天津", "22"),
                ("沈阳", "24"),
            )
        ),
    ),
)
case(
    "neg-gift-codes-csv",
    "negative",
    "none",
    "csv",
    lambda r: _table(
        "campaign\tgift_code\tvalue", 60, lambda r, i: f"XMAS26\t{ids.spaced(ids.digits(r, 16))}\t25", r
    ),
)
case(
    "neg-schedule-dates-eml",
    "negative",
    "none",
    "eml",
    lambda r: (
        "Agenda 2026-12-08:",
        *(
            f"{h:02d}:{m:02d}-{h:02d}:{m + 25:02d}  Session {h}{m}  room 20261208{h:02d}{m:02d}  v2.{h}.{m}"
            for h in range(9, 18)
            for m in (0, 30)
        ),
    ),
    subject="Agenda",
)
