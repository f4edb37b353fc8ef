"""Second held-out round of personal-data cases: more countries, networks and ordinary files.

Written before reading Redline's personal-data engine, from public descriptions of the
world (the formats and check digits in world_ids.py) and of the files organisations send:
a payroll SEPA file, a patient list, an HR export, an airline's passenger manifest with
machine-readable passport lines, scanned forms read as text, a CRM export, a Word table.
Expected outcomes as in cases.py: ``personal`` for a list of people's identifiers leaving
in bulk, ``none`` for one person's own details and for the numbers of ordinary business
and technical files (shipping labels, catalogues, logs, masked receipts, sort codes,
measurements, published test cards in a developer's guide).
"""

from __future__ import annotations

import random

from tests.corpus_personal import world_ids as w
from tests.corpus_personal.cases import TODAY, Case, _table, case_adder

WORLD_CASES: list[Case] = []
case = case_adder(WORLD_CASES, "world/")


def _name(r: random.Random) -> str:
    first, last = w.person(r)
    return f"{first} {last}"


def _dob(r: random.Random) -> str:
    return f"{w.birth_date(r, TODAY):%d/%m/%Y}"


# --- IBANs of many countries, payment cards of more networks --------------------------------

SEPA = ["PL", "SE", "CH", "NO", "DK", "LU", "MT", "GR", "RO", "IE", "LT", "LV", "BG", "CY", "HR", "AT", "LI"]
case(
    "iban-payroll-many-countries-csv",
    "iban",
    "personal",
    "csv",
    lambda r: _table(
        "Employee ID;Name;Country;IBAN;Net pay EUR",
        30,
        lambda r, i: (
            f"{20400 + i};{_name(r)};{(c := r.choice(SEPA))};{w.iban(r, c)};"
            f"{r.randint(1800, 5200)},{r.randint(0, 99):02d}"
        ),
        r,
    ),
    delimiter=";",
)
case(
    "iban-gulf-brazil-turkey-xlsx",
    "iban",
    "personal",
    "xlsx",
    lambda r: _table(
        "Beneficiary\tBank account (IBAN)\tCurrency",
        20,
        lambda r, i: (
            f"{_name(r)}\t{w.iban(r, r.choice(['SA', 'AE', 'QA', 'KW', 'BR', 'TR', 'IL', 'UA']))}\t"
            f"{r.choice(['SAR', 'AED', 'BRL', 'TRY'])}"
        ),
        r,
    ),
)
case(
    "iban-spaced-unlabelled-mail",
    "iban",
    "personal",
    "eml",
    lambda r: (
        "Hi Karin,",
        "please find the refund list for the cancelled tour below, one customer a line.",
        *(
            f"{_name(r)}  {w.spaced(w.iban(r, r.choice(SEPA)))}  EUR {r.randint(80, 900)}.00"
            for _ in range(14)
        ),
        "Thanks, Tom",
    ),
    subject="refunds batch 14",
)
case(
    "card-new-networks-xlsx",
    "card",
    "personal",
    "xlsx",
    lambda r: _table(
        "Customer\tCard number\tExpiry\tNetwork",
        20,
        lambda r, i: (
            f"{_name(r)}\t{w.card(r, (n := r.choice(['maestro', 'mir', 'rupay', 'troy', 'elo'])))}\t"
            f"{r.randint(1, 12):02d}/{r.randint(27, 31)}\t{n}"
        ),
        r,
    ),
)
case(
    "card-cvv-export-csv",
    "card",
    "personal",
    "csv",
    lambda r: _table(
        "first_name\tlast_name\tpan\texp_month\texp_year\tcvv\tzip",
        25,
        lambda r, i: "\t".join(
            [
                *w.person(r),
                w.card(
                    r, r.choice(["visa", "mastercard", "mastercard2", "amex", "discover", "jcb", "diners"])
                ),
                str(r.randint(1, 12)),
                str(r.randint(2026, 2031)),
                f"{r.randint(0, 999):03d}",
                f"{r.randint(10000, 99999)}",
            ]
        ),
        r,
    ),
)
case(
    "card-docx-table-grouped",
    "card",
    "personal",
    "docx",
    lambda r: (
        "Cards on file — corporate travel programme",
        "Traveller\tCard\tExpires",
        *(
            f"{_name(r)}\t{w.card_groups(w.card(r, r.choice(['visa', 'amex', 'mastercard', 'diners'])))}\t"
            f"{r.randint(1, 12):02d}/{r.randint(27, 30)}"
            for _ in range(8)
        ),
        "Please keep this table in the vault.",
    ),
)
case(
    "card-visa19-mail-unlabelled",
    "card",
    "personal",
    "eml",
    lambda r: (
        "Team,",
        "these came back from the gateway as declined last night, can someone call them?",
        *(
            f"{_name(r)} {w.card(r, r.choice(['visa19', 'visa', 'mastercard']))} {w.us_phone(r)}"
            for _ in range(9)
        ),
        "Cheers",
    ),
    subject="declines",
)

# --- passports: machine-readable zones and numbers ------------------------------------------


def _mrz_lines(r: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        first, last = w.person(r)
        nat = r.choice(["GBR", "DEU", "FRA", "ITA", "NLD", "USA", "CAN", "IND", "BRA", "ESP"])
        line1, line2 = w.mrz_td3(
            r, last.replace(" ", "").replace("'", "").replace("ü", "UE"), first, nat, TODAY
        )
        out += [line1, line2]
    return out


case(
    "mrz-apis-manifest-txt",
    "passport",
    "personal",
    "txt",
    lambda r: ("FLIGHT XY1234 LHR-JFK  APIS DATA  MRZ SCANS", *_mrz_lines(r, 20)),
)
case(
    "mrz-scanned-forms-eml",
    "passport",
    "personal",
    "eml",
    lambda r: (
        "Hello,",
        "attached are the OCR results of the guests' documents scanned at check-in today:",
        *_mrz_lines(r, 6),
        "Front desk",
    ),
    subject="check-in scans",
)
case(
    "passport-numbers-visa-group-xlsx",
    "passport",
    "personal",
    "xlsx",
    lambda r: _table(
        "Surname\tGiven names\tNationality\tPassport No.\tDate of birth\tDate of expiry",
        15,
        lambda r, i: (
            f"{w.person(r)[1]}\t{w.person(r)[0]}\t{r.choice(['IND', 'PHL', 'NGA', 'PAK'])}\t"
            f"{r.choice(w.UPPER)}{w.digits(r, 7)}\t{_dob(r)}\t{r.randint(1, 28):02d}/0{r.randint(1, 9)}/2031"
        ),
        r,
    ),
)

# --- national, tax and health numbers -------------------------------------------------------

case(
    "nhs-patient-list-csv",
    "nhs",
    "personal",
    "csv",
    lambda r: _table(
        "Patient name\tNHS Number\tDate of birth\tPostcode\tNext appointment",
        30,
        lambda r, i: (
            f"{_name(r)}\t{w.nhs_spaced(w.nhs(r))}\t{_dob(r)}\tLS{r.randint(1, 29)} {r.randint(1, 9)}AB\t"
            f"2026-12-{r.randint(10, 28)}"
        ),
        r,
    ),
)
case(
    "nhs-referrals-docx",
    "nhs",
    "personal",
    "docx",
    lambda r: (
        "Referral batch to community physiotherapy",
        "Name\tNHS no.\tDOB",
        *(f"{_name(r)}\t{w.nhs(r)}\t{_dob(r)}" for _ in range(6)),
        "Dr A. Patel, Riverside Surgery",
    ),
)
case(
    "ca-sin-hr-xlsx",
    "ca_sin",
    "personal",
    "xlsx",
    lambda r: _table(
        "Employee\tSIN\tProvince\tStart date",
        25,
        lambda r, i: (
            f"{_name(r)}\t{(s := w.ca_sin(r))[:3]} {s[3:6]} {s[6:]}\t"
            f"{r.choice(['ON', 'QC', 'BC', 'AB'])}\t2021-0{r.randint(1, 9)}-01"
        ),
        r,
    ),
)
case(
    "it-cf-docx-table",
    "it_cf",
    "personal",
    "docx",
    lambda r: (
        "Elenco dipendenti per la denuncia INAIL",
        "Cognome\tNome\tCodice Fiscale\tQualifica",
        *(
            f"{(p := w.person(r))[1]}\t{p[0]}\t{w.it_cf(r, p[0], p[1], TODAY)}\t"
            f"{r.choice(['impiegato', 'operaio'])}"
            for _ in range(12)
        ),
    ),
)
case(
    "fr-nir-csv",
    "fr_nir",
    "personal",
    "csv",
    lambda r: _table(
        "Nom\tPrénom\tN° de sécurité sociale\tMutuelle",
        20,
        lambda r, i: f"{(p := w.person(r))[1]}\t{p[0]}\t{w.fr_nir_spaced(w.fr_nir(r, TODAY))}\toui",
        r,
    ),
    delimiter=";",
    encoding="cp1252",
)
case(
    "nl-bsn-xlsx",
    "nl_bsn",
    "personal",
    "xlsx",
    lambda r: _table(
        "Naam\tBSN\tGeboortedatum\tWoonplaats",
        20,
        lambda r, i: f"{_name(r)}\t{w.nl_bsn(r)}\t{_dob(r)}\t{r.choice(['Utrecht', 'Delft', 'Leiden'])}",
        r,
    ),
)
case(
    "br-cpf-crm-csv",
    "br_cpf",
    "personal",
    "csv",
    lambda r: _table(
        "Nome\tCPF\tE-mail\tCidade",
        30,
        lambda r, i: (
            f"{(p := w.person(r))[0]} {p[1]}\t{w.br_cpf_dotted(w.br_cpf(r))}\t{w.email(*p)}\tSão Paulo"
        ),
        r,
    ),
)
case(
    "in-aadhaar-csv",
    "aadhaar",
    "personal",
    "csv",
    lambda r: _table(
        "Name\tAadhaar No\tMobile\tDistrict",
        30,
        lambda r, i: f"{_name(r)}\t{w.aadhaar_spaced(w.aadhaar(r))}\t+91 9{w.digits(r, 9)}\tPune",
        r,
    ),
)
case(
    "sg-nric-html-mail",
    "sg_nric",
    "personal",
    "html",
    lambda r: (
        "Dear HR, the new joiners for the security pass:",
        "Name\tNRIC/FIN\tContact",
        *(f"{_name(r)}\t{w.sg_nric(r)}\t+65 {r.choice('89')}{w.digits(r, 7)}" for _ in range(8)),
        "Regards, Facilities",
    ),
    subject="security pass list",
)
case(
    "kr-rrn-xlsx",
    "kr_rrn",
    "personal",
    "xlsx",
    lambda r: _table(
        "성명\t주민등록번호\t연락처\t부서",
        20,
        lambda r, i: (
            f"{r.choice('김이박최정')}{r.choice(['민준', '서연', '지우', '하준'])}\t{w.kr_rrn(r, TODAY)}\t"
            f"010-{r.randint(1000, 9999)}-{r.randint(1000, 9999)}\t영업부"
        ),
        r,
    ),
)
case(
    "se-personnummer-csv",
    "se_pnr",
    "personal",
    "csv",
    lambda r: _table(
        "Namn\tPersonnummer\tAdress",
        20,
        lambda r, i: f"{_name(r)}\t{w.se_pnr(r, TODAY)}\tStorgatan {r.randint(1, 80)}, Uppsala",
        r,
    ),
    delimiter=";",
)
case(
    "pl-pesel-csv",
    "pl_pesel",
    "personal",
    "csv",
    lambda r: _table(
        "Imię\tNazwisko\tPESEL\tStanowisko",
        20,
        lambda r, i: f"{(p := w.person(r))[0]}\t{p[1]}\t{w.pl_pesel(r, TODAY)}\tspecjalista",
        r,
    ),
    delimiter=";",
)
case(
    "au-tfn-pdf",
    "au_tfn",
    "personal",
    "pdf",
    lambda r: (
        "PAYG payment summary — employee list",
        *_table(
            "Employee\tTax file number\tState",
            15,
            lambda r, i: (
                f"{_name(r)}\t{(t := w.au_tfn(r))[:3]} {t[3:6]} {t[6:]}\t{r.choice(['NSW', 'VIC', 'QLD'])}"
            ),
            r,
        ),
    ),
)
case(
    "us-ssn-numeric-xlsx",
    "us_ssn",
    "personal",
    "xlsx",
    lambda r: _table(
        "Employee\tSSN\tState",
        20,
        lambda r, i: f"{_name(r)}\t{w.us_ssn(r).replace('-', '')}\t{r.choice(['CA', 'NY', 'TX'])}",
        r,
    ),
    numeric=True,
)

# --- one person's own details ----------------------------------------------------------------

case(
    "single-signature-phone-iban-eml",
    "single",
    "none",
    "eml",
    lambda r: (
        "Hello Anna,",
        "thanks for the order; our invoice is attached. Payment to:",
        f"IBAN {w.spaced(w.iban(r, 'CH'))}  BIC UBSWCHZH80A",
        "Kind regards",
        "Lukas Meier | Sales Manager",
        "Mobile +41 79 123 45 67 | Phone +41 44 555 12 00",
    ),
)
case(
    "single-gp-letter-nhs-docx",
    "single",
    "none",
    "docx",
    lambda r: (
        "Dear Dr Jones,",
        f"Re: Mrs Sarah Wilson, DOB 12/03/1961, NHS number {w.nhs_spaced(w.nhs(r))}",
        "I saw this lady in clinic today with a three-week history of knee pain.",
        "Yours sincerely, Mr B. Okafor, Consultant Orthopaedic Surgeon",
    ),
)
case(
    "single-visa-application-mrz-txt",
    "single",
    "none",
    "txt",
    lambda r: ("Scanned passport page (OCR):", *_mrz_lines(r, 1), "Applicant signature: ____"),
)
case(
    "single-cpf-invoice-pdf",
    "single",
    "none",
    "pdf",
    lambda r: (
        "NOTA FISCAL DE SERVIÇO",
        f"Tomador: Ana Costa   CPF: {w.br_cpf_dotted(w.br_cpf(r))}",
        "Serviço\tValor",
        "Consultoria\tR$ 1.200,00",
    ),
)
case(
    "single-hotel-card-html",
    "single",
    "none",
    "html",
    lambda r: (
        "Booking guarantee",
        "Guest\tCard\tExpiry",
        f"James Smith\t{w.card_groups(w.card(r, 'visa'))}\t09/28",
        "Please charge the first night.",
    ),
)

# --- ordinary files with long numbers --------------------------------------------------------

case(
    "neg-stripe-test-cards-docs-html",
    "negative",
    "none",
    "html",
    lambda r: (
        "Testing your integration: use these card numbers with any future expiry and any CVC.",
        "Brand\tNumber\tCVC",
        "Visa\t4242 4242 4242 4242\tAny 3 digits",
        "Visa (debit)\t4000 0566 5566 5556\tAny 3 digits",
        "Mastercard\t5555 5555 5555 4444\tAny 3 digits",
        "Mastercard (2-series)\t2223 0031 2200 3222\tAny 3 digits",
        "Mastercard (debit)\t5200 8282 8282 8210\tAny 3 digits",
        "American Express\t3782 822463 10005\tAny 4 digits",
        "Discover\t6011 1111 1111 1117\tAny 3 digits",
        "Diners Club\t3056 9300 0902 0004\tAny 3 digits",
        "JCB\t3566 0020 2036 0505\tAny 3 digits",
        "UnionPay\t6200 0000 0000 0005\tAny 3 digits",
        "Never use real card details in test mode.",
    ),
)
case(
    "neg-masked-settlement-csv",
    "negative",
    "none",
    "csv",
    lambda r: _table(
        "date\tterminal\tcard\tauth_code\tamount",
        120,
        lambda r, i: (
            f"2026-11-{r.randint(1, 30):02d}\tT{r.randint(1000, 9999)}\t{w.masked_card(r)}\t"
            f"{r.randint(100000, 999999)}\t{r.randint(1, 900)}.{r.randint(0, 99):02d}"
        ),
        r,
    ),
)
case(
    "neg-shipping-manifest-csv",
    "negative",
    "none",
    "csv",
    lambda r: _table(
        "Order number\tSSCC\tGTIN\tUPS tracking\tWeight kg",
        150,
        lambda r, i: (
            f"SO-{w.digits(r, 10)}\t{w.sscc(r)}\t{w.gtin14(r)}\t"
            f"{w.ups(r)}\t{r.randint(1, 40)}.{r.randint(0, 9)}"
        ),
        r,
    ),
)
case(
    "neg-order-ids-16-digit-xlsx",
    "negative",
    "none",
    "xlsx",
    lambda r: _table(
        "Order ID\tCustomer no.\tItems\tTotal",
        200,
        lambda r, i: (
            f"{r.choice('3456')}{w.digits(r, 15)}\tC{w.digits(r, 6)}\t"
            f"{r.randint(1, 9)}\t{r.randint(5, 500)}.99"
        ),
        r,
    ),
    numeric=True,
)
case(
    "neg-library-catalogue-csv",
    "negative",
    "none",
    "csv",
    lambda r: _table(
        "Title\tISBN\tISSN\tShelf",
        150,
        lambda r, i: f"Proceedings vol. {i}\t{w.isbn13(r)}\t{w.issn(r)}\tQA{r.randint(1, 999)}",
        r,
    ),
)
case(
    "neg-device-inventory-imei-xlsx",
    "negative",
    "none",
    "xlsx",
    lambda r: _table(
        "Asset tag\tModel\tIMEI\tSerial",
        120,
        lambda r, i: (
            f"IT-{w.digits(r, 5)}\t{r.choice(['Galaxy A54', 'iPhone 13', 'Moto G'])}\t{w.imei(r)}\t"
            f"{w.digits(r, 12)}"
        ),
        r,
    ),
)
case(
    "neg-app-log-txt",
    "negative",
    "none",
    "txt",
    lambda r: tuple(
        f"{1733400000000 + i * 137} INFO req={w.guid(r)} span={w.digits(r, 19)} user_id={w.digits(r, 9)} "
        f"latency_ns={w.digits(r, 12)} trace={r.getrandbits(64):016x} ts=20261205{w.digits(r, 9)}"
        for i in range(300)
    ),
)
case(
    "neg-sort-codes-csv",
    "negative",
    "none",
    "csv",
    lambda r: _table(
        "Sort code\tBank\tBranch\tBIC",
        80,
        lambda r, i: (
            f"{r.randint(10, 99)}-{r.randint(0, 99):02d}-{r.randint(0, 99):02d}\t"
            f"{r.choice(['Barclays', 'Lloyds', 'HSBC UK', 'NatWest'])}\t"
            f"{r.choice(['Leeds', 'York', 'Bristol'])}\t"
            f"{r.choice(['BARCGB22', 'LOYDGB2L', 'HBUKGB4B', 'NWBKGB2L'])}"
        ),
        r,
    ),
)
case(
    "neg-securities-isin-xlsx",
    "negative",
    "none",
    "xlsx",
    lambda r: _table(
        "ISIN\tName\tQuantity\tMarket value",
        150,
        lambda r, i: (
            f"{w.isin(r)}\tFund {i}\t{r.randint(1, 9999)}\t{r.randint(1000, 999999)}.{r.randint(0, 99):02d}"
        ),
        r,
    ),
)
case(
    "neg-lab-measurements-csv",
    "negative",
    "none",
    "csv",
    lambda r: _table(
        "sample_id\tsequence_run\twavelength_nm\tabsorbance\tcount",
        300,
        lambda r, i: (
            f"{w.digits(r, 12)}\t{w.digits(r, 10)}\t{r.uniform(200, 800):.6f}\t{r.random():.12f}\t"
            f"{r.randint(10**8, 10**11)}"
        ),
        r,
    ),
)
case(
    "neg-dutch-invoice-numbers-csv",
    "negative",
    "none",
    "csv",
    lambda r: _table(
        "Factuurnummer\tKlant\tBedrag\tVervaldatum",
        150,
        lambda r, i: (
            f"{r.randint(100000000, 799999999)}\tKlant {i}\t{r.randint(10, 900)},{r.randint(0, 99):02d}\t"
            f"2026-12-{r.randint(1, 28):02d}"
        ),
        r,
    ),
    delimiter=";",
)
case(
    "neg-consignments-12-digit-grouped-txt",
    "negative",
    "none",
    "txt",
    lambda r: (
        "Consignment report",
        *(
            f"{w.digits(r, 4)} {w.digits(r, 4)} {w.digits(r, 4)}  delivered  {r.randint(1, 30)} parcels"
            for _ in range(150)
        ),
    ),
)
case(
    "neg-canadian-orders-333-csv",
    "negative",
    "none",
    "csv",
    lambda r: _table(
        "Order #\tStore\tTotal CAD",
        150,
        lambda r, i: (
            f"{w.digits(r, 3)} {w.digits(r, 3)} {w.digits(r, 3)}\t"
            f"Store {r.randint(1, 80)}\t{r.randint(5, 400)}.00"
        ),
        r,
    ),
)
case(
    "neg-ean-price-list-xlsx",
    "negative",
    "none",
    "xlsx",
    lambda r: _table(
        "EAN\tArticle\tPrice",
        200,
        lambda r, i: (
            f"{w.ean13(r, r.choice(['40', '50', '76', '80']))}\t"
            f"Article {i}\t{r.randint(1, 99)}.{r.randint(0, 99):02d}"
        ),
        r,
    ),
    numeric=True,
)
case(
    "neg-uk-phone-directory-company-txt",
    "negative",
    "none",
    "txt",
    lambda r: (
        "Branch switchboards",
        *(
            f"{city:<12} 0{r.randint(113, 191)} {r.randint(100, 999)} {r.randint(1000, 9999)}"
            for city in [
                "Leeds",
                "York",
                "Bristol",
                "Bath",
                "Derby",
                "Hull",
                "Luton",
                "Poole",
                "Crewe",
                "Ely",
            ]
            * 3
        ),
    ),
)
