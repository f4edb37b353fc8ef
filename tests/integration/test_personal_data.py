"""Citizens' identifiers in bulk through the real listeners: mail by SMTP (smtplib) and
uploads through the HTTP proxy (curl). Registers and customer files in workbooks, CSVs,
PDFs, Word tables, mail bodies and JSON bodies are held with a ``personal`` hit naming
the kind and the count, masked; one person's details, an invoice with one IBAN and
business files full of other numbers pass. Nothing the engine protects reaches the
store's hit records or the log."""

from __future__ import annotations

import datetime
import json
import random
import smtplib
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest
from integration.listeners_harness import Listeners, Outcome

from tests.fixtures import personal as data

TODAY = datetime.date.today()


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = Listeners(tmp_path_factory.mktemp("personal"))
    yield server
    server.close()


def _mail(body: str, attachment: tuple[str, bytes] | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "alice@example.org"
    message["To"] = "bob@partner.test"
    message["Subject"] = "datos solicitados / 资料"
    message.set_content(body)
    if attachment is not None:
        name, content = attachment
        message.add_attachment(content, maintype="application", subtype="octet-stream",
                               filename=name)
    return message


def _personal(outcome: Outcome) -> dict[str, dict]:
    return {h["rule"]: h for h in outcome.hits if h["category"] == "personal"}


def _assert_nothing_spread(gateway: Listeners, outcome: Outcome, secrets: list[str]) -> None:
    """No identifier in the recorded hits nor in the gateway's log."""
    recorded = json.dumps(outcome.hits, ensure_ascii=False)
    log = gateway.log
    for secret in secrets:
        assert secret not in recorded, secret
        assert secret not in log, secret


def _upload(gateway: Listeners, tmp_path, name: str, content: bytes) -> Outcome:
    path = tmp_path / name
    path.write_bytes(content)
    return gateway.upload("-F", f"file=@{path};type=application/octet-stream")


# -- held -----------------------------------------------------------------------------------

def test_register_of_residents_in_a_workbook_is_held_by_mail_masked(gateway):
    people = data.chinese_people(random.Random(101), 200, TODAY)
    book = data.table_xlsx(["姓名", "身份证号", "手机号", "住址"],
                           [[p.name, p.id_number, p.mobile, p.address] for p in people])
    outcome = gateway.mail(_mail("附件是名单。", ("名单.xlsx", book)))
    assert outcome.held, outcome.excerpts()
    hit = _personal(outcome)["personal.cn_id"]
    assert hit["excerpt"].startswith("200 Chinese resident ID numbers beside a label")
    assert "200 mobile numbers" in hit["excerpt"]
    assert people[0].id_number[:6] + "********" + people[0].id_number[-4:] in hit["excerpt"]
    assert hit["where"].endswith(".xlsx/xl/worksheets/sheet1.xml") or "xl/" in hit["where"]
    _assert_nothing_spread(gateway, outcome, [p.id_number for p in people[:20]]
                           + [p.mobile for p in people[:20]])


def _numeric_workbook(rows: list[list[object]]) -> bytes:
    """An .xlsx whose long numbers are stored as numbers, as an export script writes them."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_cards_and_phones_stored_as_numbers_in_a_workbook_are_held_by_mail(gateway):
    rng = random.Random(111)
    cards = [int(data.card_number(rng, "visa")) for _ in range(12)]
    mobiles = [int(data.cn_mobile(rng)) for _ in range(12)]
    book = _numeric_workbook([["Customer", "Amount", "Card number", "Phone"]]
                             + [[f"Cliente {i}", 19.95 * i, card, mobile]
                                for i, (card, mobile) in enumerate(zip(cards, mobiles, strict=True))])
    outcome = gateway.mail(_mail("Export attached.", ("export.xlsx", book)))
    assert outcome.held, outcome.excerpts()
    hit = _personal(outcome)["personal.card"]
    # The header sits in the workbook's shared strings, the numbers in its sheet.
    assert hit["excerpt"].startswith("12 payment card numbers beside a label: ")
    assert hit["where"].endswith("export.xlsx/xl/worksheets/sheet1.xml")
    assert "12 mobile numbers" in hit["excerpt"]
    _assert_nothing_spread(gateway, outcome, [str(c) for c in cards] + [str(m) for m in mobiles])


def test_a_workbook_of_figures_and_random_long_numbers_passes_by_mail(gateway):
    rng = random.Random(112)
    rows = [[rng.random() * 1000, int(data.random_digits(rng, 16)),
             int(data.random_digits(rng, 18)), rng.randint(1, 10**6)] for _ in range(2000)]
    assert not gateway.mail(_mail("Q3 figures.", ("figures.xlsx", _numeric_workbook(rows)))).held


def test_json_upload_keys_name_the_kind_through_the_proxy(gateway):
    people = data.chinese_people(random.Random(113), 3, TODAY)
    labelled = json.dumps({"rows": [{"idCard": p.id_number} for p in people]})
    outcome = gateway.upload("-H", "Content-Type: application/json", "--data-binary", labelled,
                             path="/api/v1/import")
    assert outcome.held and set(_personal(outcome)) == {"personal.cn_id"}
    plain = labelled.replace("idCard", "ref")
    assert not gateway.upload("-H", "Content-Type: application/json", "--data-binary", plain,
                              path="/api/v1/import").held


def test_a_large_json_upload_keeps_its_key_names_as_labels(gateway):
    # More fields than become parts of their own: the values are joined into one part,
    # and the key names go with it.
    rng = random.Random(114)
    rows = [{"sku": data.order_number(rng), "qty": rng.randint(1, 9)} for _ in range(700)]
    rows[100]["cardNumber"] = data.card_number(rng, "visa")
    rows[400]["cardNumber"] = data.card_number(rng, "mastercard")
    body = json.dumps({"rows": rows})
    outcome = gateway.upload("-H", "Content-Type: application/json", "--data-binary", body,
                             path="/api/v1/orders")
    assert outcome.held and set(_personal(outcome)) == {"personal.card"}
    for row in rows:
        row.pop("cardNumber", None)
    rows[100]["ref"], rows[400]["ref"] = data.card_number(rng), data.card_number(rng)
    assert not gateway.upload("-H", "Content-Type: application/json", "--data-binary",
                              json.dumps({"rows": rows}), path="/api/v1/orders").held


def test_customer_csv_upload_through_the_proxy_is_held_for_dni_iban_and_cards(gateway, tmp_path):
    customers = data.spanish_people(random.Random(102), 60)
    csv = data.table_csv(["Nombre", "DNI", "IBAN", "Tarjeta", "Teléfono", "Dirección", "Email"],
                         [[c.name, c.dni, c.iban, data.grouped(c.card), c.phone, c.address,
                           c.email] for c in customers], delimiter=";")
    outcome = _upload(gateway, tmp_path, "clientes.csv", csv)
    assert outcome.held, outcome.detail
    found = _personal(outcome)
    assert {"personal.es_id", "personal.iban", "personal.card"} <= set(found)
    assert found["personal.card"]["excerpt"].startswith("60 payment card numbers")
    _assert_nothing_spread(gateway, outcome, [c.dni for c in customers[:10]]
                           + [c.iban for c in customers[:10]] + [c.card for c in customers[:10]])


def test_json_api_body_with_customers_is_held(gateway):
    customers = data.spanish_people(random.Random(103), 15)
    body = json.dumps({"customers": [{"nombre": c.name, "nif": c.dni, "iban": c.iban}
                                     for c in customers]}, ensure_ascii=False)
    outcome = gateway.upload("-H", "Content-Type: application/json", "--data-binary", body,
                             path="/api/v1/import")
    assert outcome.held
    assert {"personal.es_id", "personal.iban"} <= set(_personal(outcome))


def test_pdf_remittance_of_ibans_is_held_and_invoice_with_one_iban_passes(gateway, tmp_path):
    rng = random.Random(104)
    customers = data.spanish_people(rng, 12)
    remittance = data.table_pdf("Remesa SEPA marzo", ["Deudor", "IBAN", "Importe"],
                                [[c.name, data.grouped(c.iban), "35,00"] for c in customers])
    outcome = gateway.mail(_mail("Adjunto la remesa.", ("remesa.pdf", remittance)))
    assert outcome.held and "personal.iban" in _personal(outcome), outcome.excerpts()
    invoice = data.table_pdf(
        "Factura 2026/0413 - Suministros Ejemplo S.L. - CIF B12345678",
        ["Concepto", "Cantidad", "Importe"],
        [[f"Artículo {i}", str(rng.randint(1, 9)), f"{rng.randint(10, 900)},00"] for i in range(25)]
        + [["Total", "", "8.450,00"], ["IBAN", "", data.grouped(data.es_iban(rng))]])
    assert not gateway.mail(_mail("Adjunto la factura.", ("factura.pdf", invoice))).held


def test_three_dnis_beside_a_label_in_a_mail_body_are_held(gateway):
    rng = random.Random(105)
    people = data.spanish_people(rng, 3)
    body = "Hola, te paso los datos de los participantes:\n\n" + "\n".join(
        f"{p.name} - DNI {p.dni}" for p in people) + "\n\nUn saludo"
    outcome = gateway.mail(_mail(body))
    assert outcome.held and "personal.es_id" in _personal(outcome)
    _assert_nothing_spread(gateway, outcome, [p.dni for p in people])


def test_passports_in_a_word_table_are_held(gateway):
    rng = random.Random(106)
    rows = [[p.name, data.passport_number(rng, "CN"), p.mobile]
            for p in data.chinese_people(rng, 6, TODAY)]
    document = data.table_docx(["姓名", "护照号码", "手机"], rows, "出访人员名单")
    outcome = gateway.mail(_mail("请查收。", ("出访名单.docx", document)))
    assert outcome.held and "personal.passport" in _personal(outcome), outcome.excerpts()


# -- passes -----------------------------------------------------------------------------------

def test_one_persons_details_in_a_signature_pass(gateway):
    person = data.chinese_people(random.Random(107), 1, TODAY)[0]
    body = (f"您好，报名表已填好。\n\n此致\n{person.name}\n身份证号：{person.id_number}\n"
            f"手机：{person.mobile}\n{person.email}\n")
    assert not gateway.mail(_mail(body)).held


def test_a_few_ids_without_a_label_pass(gateway):
    people = data.chinese_people(random.Random(108), 9, TODAY)
    book = data.table_xlsx(["Name", "Ref"], [[p.name, p.id_number] for p in people])
    assert not gateway.mail(_mail("See attached.", ("refs.xlsx", book))).held


def test_business_files_full_of_other_numbers_pass(gateway, tmp_path):
    rng = random.Random(109)
    rows = [[data.order_number(rng), data.tracking_number(rng), data.isbn13(rng),
             data.timestamp_digits(rng), f"+34 91 {rng.randint(100, 999)} {rng.randint(10, 99)} "
             f"{rng.randint(10, 99)} ext. {rng.randint(100, 9999)}", data.random_digits(rng, 16),
             data.bad_cn_id(rng, TODAY)] for _ in range(2000)]
    csv = data.table_csv(["pedido", "envío", "ISBN", "timestamp", "teléfono", "referencia",
                          "request_id"], rows)
    assert not gateway.mail(_mail("Export de pedidos.", ("pedidos.csv", csv))).held
    assert not _upload(gateway, tmp_path, "pedidos.csv", csv).held
    log = "\n".join(f"2026-03-01T08:{i % 60:02d}:00Z INFO trace={data.bad_cn_id(rng, TODAY)} ok"
                    for i in range(3000))
    assert not _upload(gateway, tmp_path, "service.log", log.encode()).held


# -- configuration ------------------------------------------------------------------------------

def test_personal_action_reject_refuses_the_mail(tmp_path):
    server = Listeners(tmp_path, config='[personal]\naction = "reject"\n')
    try:
        customers = data.spanish_people(random.Random(110), 8)
        csv = data.table_csv(["Nombre", "Tarjeta"], [[c.name, c.card] for c in customers])
        with pytest.raises(smtplib.SMTPDataError) as refused:
            server.mail(_mail("tarjetas", ("tarjetas.csv", csv)))
        assert refused.value.smtp_code == 550
    finally:
        server.close()


def test_a_bad_personal_setting_stops_the_start_naming_the_key(tmp_path):
    from integration.serve_harness import REDLINE

    config = tmp_path / "bad.toml"
    config.write_text("[personal]\nthresholds = { ssn = 3 }\n", encoding="utf-8")
    result = subprocess.run([str(REDLINE), "serve", "--config", str(config), "--data-dir",
                             str(tmp_path / "data")], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "personal.thresholds.ssn: unknown kind" in result.stderr, result.stderr


def test_redline_scan_prints_the_hit_masked_and_exits_1(tmp_path):
    from integration.serve_harness import REDLINE

    people = data.chinese_people(random.Random(111), 30, TODAY)
    register = tmp_path / "register.csv"
    register.write_bytes(data.table_csv(["姓名", "身份证号", "手机号"],
                                        [[p.name, p.id_number, p.mobile] for p in people]))
    clean = tmp_path / "orders.csv"
    rng = random.Random(112)
    clean.write_bytes(data.table_csv(["order", "tracking"], [
        [data.order_number(rng), data.tracking_number(rng)] for _ in range(500)]))
    result = subprocess.run([str(REDLINE), "scan", "--json", str(register), str(clean)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    verdicts = {Path(line["path"]).name: line for line in lines}
    assert verdicts["orders.csv"]["verdict"] == "pass"
    held = verdicts["register.csv"]
    assert held["verdict"] == "quarantine"
    (hit,) = [h for h in held["hits"] if h["category"] == "personal"]
    assert hit["rule"] == "personal.cn_id" and hit["excerpt"].startswith("30 Chinese")
    for person in people:
        assert person.id_number not in result.stdout and person.mobile not in result.stdout
