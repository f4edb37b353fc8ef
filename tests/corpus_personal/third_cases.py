"""Third held-out round of personal-data cases: fourteen more national numbers, more layouts.

Written before reading Redline's personal-data engine's table, from public descriptions of
each number (third_ids.py) and of the files organisations send: an HR export under a
header in the country's language, a payroll CSV, a tax office's PDF table, an HTML mail
with a table, a plain mail listing people. Layouts of kinds read before: a vertical xlsx
under a Spanish "DNI" header, a CSV under "身份证号", a German "Steuer-ID" column. Hard
negatives are ordinary files whose numbers share a length or a check with an identifier:
a supplier list of EINs (firms, not people), order, invoice and tracking numbers, phone
lists, a log of epoch milliseconds, a GTIN price list, 18-digit ids that fail GB 11643,
and single people's own numbers in a form reply.
"""

from __future__ import annotations

import random

from tests.corpus_personal import ids
from tests.corpus_personal import third_ids as t
from tests.corpus_personal import world_ids as w
from tests.corpus_personal.cases import TODAY, Case, _table, case_adder

THIRD_CASES: list[Case] = []
case = case_adder(THIRD_CASES, "third/")


def _name(r: random.Random) -> str:
    first, last = w.person(r)
    return f"{first} {last}"


def _dob(r: random.Random) -> str:
    return f"{w.birth_date(r, TODAY):%d.%m.%Y}"


# --- national numbers not read before ---------------------------------------------------------

case(
    "us-itin-payroll-csv",
    "us_itin",
    "personal",
    "csv",
    lambda r: _table(
        "Employee\tITIN\tState\tHire date",
        18,
        lambda r, i: f"{_name(r)}\t{t.us_itin(r)}\tTX\t2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
        r,
    ),
)
case(
    "pt-nif-hr-xlsx",
    "pt_nif",
    "personal",
    "xlsx",
    lambda r: _table(
        "Nome\tNIF\tData de nascimento\tDepartamento",
        20,
        lambda r, i: f"{_name(r)}\t{t.pt_nif(r)}\t{_dob(r)}\t{r.choice(['Vendas', 'Armazém', 'RH'])}",
        r,
    ),
)
case(
    "be-nn-html-table",
    "be_nn",
    "personal",
    "html",
    lambda r: (
        "Bonjour Sophie,",
        "voici la liste des affiliés pour la déclaration DmfA du trimestre :",
        "Nom\tNuméro de registre national\tDate d'entrée",
        *(f"{_name(r)}\t{t.be_nn(r, TODAY)}\t01/0{r.randint(1, 9)}/2025" for _ in range(12)),
        "Cordialement, Marc",
    ),
    subject="liste DmfA T3",
)
case(
    "de-steuer-id-xlsx",
    "de_idnr",
    "personal",
    "xlsx",
    lambda r: _table(
        "Personalnummer\tName\tSteuer-ID\tSteuerklasse\tGeburtsdatum",
        22,
        lambda r, i: f"{4100 + i}\t{_name(r)}\t{t.de_idnr(r)}\t{r.randint(1, 5)}\t{_dob(r)}",
        r,
    ),
)
case(
    "de-steuer-id-grouped-pdf",
    "de_idnr",
    "personal",
    "pdf",
    lambda r: (
        "Lohnsteuerbescheinigungen 2025 — Übersicht",
        "Name\tSteuerliche Identifikationsnummer\teTIN",
        *(
            f"{_name(r)}\t{(n := t.de_idnr(r))[:2]} {n[2:5]} {n[5:8]} {n[8:]}\t{r.randint(10000, 99999)}"
            for _ in range(14)
        ),
    ),
)
case(
    "dk-cpr-csv",
    "dk_cpr",
    "personal",
    "csv",
    lambda r: _table(
        "Navn\tCPR-nr.\tAfdeling",
        16,
        lambda r, i: f"{_name(r)}\t{t.dk_cpr(r, TODAY)}\t{r.choice(['Lager', 'Salg', 'Drift'])}",
        r,
    ),
    delimiter=";",
)
case(
    "no-fnr-mail",
    "no_fnr",
    "personal",
    "eml",
    lambda r: (
        "Hei,",
        "her er fødselsnummer for de nye ansatte som skal meldes inn i pensjonsordningen:",
        *(f"{_name(r)}  {t.no_fnr(r, TODAY)}" for _ in range(10)),
        "Mvh Kari",
    ),
    subject="nye ansatte pensjon",
)
case(
    "fi-hetu-xlsx",
    "fi_hetu",
    "personal",
    "xlsx",
    lambda r: _table(
        "Nimi\tHenkilötunnus\tOsasto",
        15,
        lambda r, i: f"{_name(r)}\t{t.fi_hetu(r, TODAY)}\t{r.choice(['Myynti', 'Varasto'])}",
        r,
    ),
)
case(
    "cz-rodne-cislo-pdf",
    "cz_rc",
    "personal",
    "pdf",
    lambda r: (
        "Seznam zaměstnanců — přihláška k pojištění",
        "Jméno\tRodné číslo\tZdravotní pojišťovna",
        *(f"{_name(r)}\t{t.cz_rc(r, TODAY)}\t{r.choice(['111', '201', '205', '207'])}" for _ in range(14)),
    ),
)
case(
    "ro-cnp-csv",
    "ro_cnp",
    "personal",
    "csv",
    lambda r: _table(
        "Nume\tCNP\tData angajării",
        20,
        lambda r, i: f"{_name(r)}\t{t.ro_cnp(r, TODAY)}\t2024-{r.randint(1, 12):02d}-01",
        r,
    ),
)
case(
    "jp-my-number-xlsx",
    "jp_my_number",
    "personal",
    "xlsx",
    lambda r: _table(
        "社員番号\t氏名\t個人番号\t扶養",
        15,
        lambda r, i: f"{7000 + i}\t{_name(r)}\t{t.jp_my_number(r)}\t{r.randint(0, 3)}",
        r,
    ),
)
case(
    "jp-my-number-spaced-html",
    "jp_my_number",
    "personal",
    "html",
    lambda r: (
        "総務部 御中",
        "年末調整用のマイナンバー一覧を送付します。",
        "氏名\tマイナンバー",
        *(f"{_name(r)}\t{t.jp_my_number_spaced(t.jp_my_number(r))}" for _ in range(10)),
    ),
    subject="マイナンバー一覧",
)
case(
    "cl-rut-xlsx",
    "cl_rut",
    "personal",
    "xlsx",
    lambda r: _table(
        "Nombre\tRUT\tCargo\tSueldo",
        20,
        lambda r, i: (
            f"{_name(r)}\t{t.cl_rut(r)}\t{r.choice(['Vendedor', 'Bodeguero'])}\t{r.randint(500, 1500)}000"
        ),
        r,
    ),
)
case(
    "za-id-csv",
    "za_id",
    "personal",
    "csv",
    lambda r: _table(
        "Full name\tID Number\tBranch",
        20,
        lambda r, i: f"{_name(r)}\t{t.za_id(r, TODAY)}\t{r.choice(['Sandton', 'Durban', 'Cape Town'])}",
        r,
    ),
)
case(
    "tr-tckn-xlsx",
    "tr_tckn",
    "personal",
    "xlsx",
    lambda r: _table(
        "Ad Soyad\tT.C. Kimlik No\tDoğum Tarihi",
        20,
        lambda r, i: f"{_name(r)}\t{t.tr_tckn(r)}\t{_dob(r)}",
        r,
    ),
)
case(
    "il-id-html",
    "il_id",
    "personal",
    "html",
    lambda r: (
        "שלום,",
        "מצורפת רשימת העובדים לביטוח הבריאות:",
        "שם\tמספר זהות",
        *(f"{_name(r)}\t{t.il_id(r)}" for _ in range(12)),
    ),
    subject="רשימת עובדים",
)

# --- kinds read before, in other layouts --------------------------------------------------

case(
    "es-dni-vertical-xlsx",
    "es_dni",
    "personal",
    "xlsx",
    lambda r: ("DNI", *(ids.dni(r) for _ in range(25))),
)
case(
    "cn-id-header-csv",
    "cn_id",
    "personal",
    "csv",
    lambda r: _table(
        "姓名\t身份证号",
        20,
        lambda r, i: f"{ids.person_cn(r)}\t{ids.cn_id(r, TODAY)}",
        r,
    ),
)
case(
    "us-ssn-mail-body",
    "us_ssn",
    "personal",
    "eml",
    lambda r: (
        "Hi Dana,",
        "for the benefits enrollment, here are the dependents' social security numbers:",
        *(f"{_name(r)} - {ids.ssn(r)}" for _ in range(8)),
        "Thanks!",
    ),
    subject="benefits enrollment",
)

# --- one person's own number: passes ---------------------------------------------------------

case(
    "single-nif-form-reply-eml",
    "single",
    "none",
    "eml",
    lambda r: (
        "Boa tarde,",
        "em resposta ao formulário, seguem os meus dados:",
        f"Nome: {_name(r)}",
        f"NIF: {t.pt_nif(r)}",
        f"IBAN: {w.iban(r, 'PL')}",
        "Obrigado",
    ),
    subject="Re: formulário de reembolso",
)
case(
    "single-steuer-id-letter-pdf",
    "single",
    "none",
    "pdf",
    lambda r: (
        "Sehr geehrte Damen und Herren,",
        f"anbei meine Steuer-ID {t.de_idnr(r)} für die Lohnabrechnung.",
        "Mit freundlichen Grüßen",
        _name(r),
    ),
)
case(
    "single-tckn-za-id-html",
    "single",
    "none",
    "html",
    lambda r: (
        "Merhaba,",
        "Başvuru formu:",
        "Ad Soyad\tT.C. Kimlik No\tTelefon",
        f"{_name(r)}\t{t.tr_tckn(r)}\t+90 532 {r.randint(100, 999)} {r.randint(1000, 9999)}",
    ),
)

# --- hard negatives ------------------------------------------------------------------------

case(
    "neg-ein-vendor-list-csv",
    "negative",
    "none",
    "csv",
    lambda r: _table(
        "Vendor\tEIN\t1099 type\tAmount",
        20,
        lambda r, i: (
            f"{r.choice(['Acme', 'Globex', 'Initech', 'Umbrella'])} "
            f"{r.choice(['LLC', 'Inc.', 'Corp'])} #{i}\t"
            f"{t.us_ein(r)}\tNEC\t{r.randint(600, 90000)}.00"
        ),
        r,
    ),
)
case(
    "neg-orders-9-and-11-digit-xlsx",
    "negative",
    "none",
    "xlsx",
    lambda r: _table(
        "Order ID\tCustomer no.\tItems\tTotal",
        30,
        lambda r, i: (
            f"{w.digits(r, 11)}\t{r.randint(100_000_000, 999_999_999)}\t{r.randint(1, 9)}\t"
            f"{r.randint(5, 400)}.{r.randint(0, 99):02d}"
        ),
        r,
    ),
)
case(
    "neg-invoices-13-digit-csv",
    "negative",
    "none",
    "csv",
    lambda r: _table(
        "Invoice number\tDate\tNet\tVAT",
        30,
        lambda r, i: (
            f"{r.randint(10**12, 10**13 - 1)}\t2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}\t"
            f"{r.randint(10, 9000)}.00\t{r.randint(1, 900)}.00"
        ),
        r,
    ),
)
case(
    "neg-phone-list-eml",
    "negative",
    "none",
    "eml",
    lambda r: (
        "Branch contacts for the holiday rota:",
        *(
            f"{r.choice(['Oslo', 'Bergen', 'Lisboa', 'Porto', 'Istanbul'])} office  "
            f"+47 {w.digits(r, 8)}  +90 5{w.digits(r, 9)}"
            for _ in range(15)
        ),
    ),
    subject="rota contacts",
)
case(
    "neg-tracking-numbers-csv",
    "negative",
    "none",
    "csv",
    lambda r: _table(
        "Shipment\tCarrier\tTracking number",
        25,
        lambda r, i: (
            f"SHP-{40000 + i}\t{(c := r.choice(['DHL', 'PostNL', 'Correos']))}\t"
            + {"DHL": w.digits(r, 10), "PostNL": f"3S{r.choice('ABCDEFGH')}{w.digits(r, 12)}"}.get(
                c, f"PQ{w.digits(r, 20)}"
            )
        ),
        r,
    ),
)
case(
    "neg-epoch-ms-log-txt",
    "negative",
    "none",
    "txt",
    lambda r: tuple(
        f"ts={t.epoch_ms(r)} level=info req={w.digits(r, 11)} latency_ms={r.randint(1, 900)}"
        for _ in range(60)
    ),
)
case(
    "neg-gtin-price-list-xlsx",
    "negative",
    "none",
    "xlsx",
    lambda r: _table(
        "GTIN\tArtikel\tPreis",
        30,
        lambda r, i: (
            f"{t.gtin13(r, r.choice(['40', '20', '869', '729', '560']))}\tArtikel {i}\t{r.randint(1, 90)},99"
        ),
        r,
    ),
)
case(
    "neg-18-digit-ids-failing-check-csv",
    "negative",
    "none",
    "csv",
    lambda r: _table(
        "user_id\tcreated_at\tplan",
        30,
        lambda r, i: (
            f"{t.cn_18_failing(r, ids.cn_id(r, TODAY))}\t2025-0{r.randint(1, 9)}-1{r.randint(0, 9)}\tpro"
        ),
        r,
    ),
)
