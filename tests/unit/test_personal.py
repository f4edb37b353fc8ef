"""The personal-data engine: validators, masking, thresholds and labels, hard negatives.

Identifiers come from tests/fixtures/personal.py (seeded, built by their public rules,
of people who do not exist); negatives are the numbers business text is full of.
"""

from __future__ import annotations

import datetime
import random

import pytest

from filters.build import FiltersConfig, build_pipeline
from filters.engines import personal, personal_scan
from filters.engines.personal import (
    PersonalConfig,
    PersonalEngine,
    mask,
    mask_identifiers,
    valid_card,
    valid_cn_id,
    valid_es_id,
    valid_iban,
    valid_mobile,
)
from filters.errors import ConfigError
from filters.types import Part
from tests.fixtures import personal as data

TODAY = datetime.date.today()


@pytest.fixture(scope="module")
def engine() -> PersonalEngine:
    return PersonalEngine()


def hits(engine: PersonalEngine, text: str, role: str = "body") -> list:
    return list(engine.scan(Part(origin="test", text=text, role=role)))


def rules(engine: PersonalEngine, text: str) -> set[str]:
    return {h.rule for h in hits(engine, text)}


# -- validators ----------------------------------------------------------------------------


def test_resident_id_needs_check_digit_date_and_region():
    rng = random.Random(1)
    good = data.cn_id(rng, TODAY)
    assert valid_cn_id(good, TODAY)
    assert not valid_cn_id(data.bad_cn_id(rng, TODAY), TODAY)
    assert valid_cn_id("11010519491231002X")  # the check digit X (value 10)
    assert valid_cn_id("11010519491231002x")
    # 30 February, a birth date in the future, a region code no county ever had
    body = "11010519900230123"
    from stdnum.cn import ric

    assert not valid_cn_id(body + ric.calc_check_digit(body + "0"), TODAY)
    future = TODAY + datetime.timedelta(days=400)
    body = f"110105{future:%Y%m%d}123"
    assert not valid_cn_id(body + ric.calc_check_digit(body + "0"), TODAY)
    body = "990105199003071234"[:17]
    assert not valid_cn_id(body + ric.calc_check_digit(body + "0"), TODAY)


def test_resident_id_of_someone_born_before_the_district_code_still_counts():
    # 320102 (Nanjing Xuanwu) is listed from 1983; people born earlier carry it too.
    from stdnum.cn import ric

    body = "32010219500101001"
    assert valid_cn_id(body + ric.calc_check_digit(body + "0"), TODAY)


def test_spanish_dni_nie_check_letter():
    rng = random.Random(2)
    assert valid_es_id(data.dni_number(rng)) and valid_es_id(data.nie_number(rng))
    assert valid_es_id("12345678Z") and not valid_es_id("12345678A")
    assert valid_es_id("X1234567L") and not valid_es_id("X1234567A")


def test_iban_per_country_length_and_mod_97():
    rng = random.Random(3)
    assert valid_iban(data.es_iban(rng)) and valid_iban(data.foreign_iban(rng))
    assert valid_iban("GB82WEST12345698765432")
    assert not valid_iban("GB82WEST1234569876543")  # one character short for GB
    assert not valid_iban("ES9121000418450200051333")  # mod 97 fails


def test_card_needs_issuer_range_and_luhn():
    rng = random.Random(4)
    for scheme in data.CARD_PREFIXES:
        assert valid_card(data.card_number(rng, scheme)), scheme
    assert valid_card("4111111111111111")
    assert not valid_card("4111111111111112")  # Luhn
    assert not valid_card("9111111111111116")  # Luhn-valid, no issuer starts with 9
    assert not valid_card("4111111111116")  # 13-digit Visa is no longer issued


def test_mobile_segments():
    assert valid_mobile("13812345678") and valid_mobile("19912345678")
    assert not valid_mobile("12012345678") and not valid_mobile("14012345678")


# -- masking ----------------------------------------------------------------------------------


def test_masks_keep_what_tells_records_apart_and_hide_the_rest():
    assert mask("cn_id", "110105194912310021") == "110105********0021"
    assert mask("card", "4111111111111111") == "411111******1111"
    assert mask("iban", "ES9121000418450200051332") == "ES91****************1332"
    assert mask("es_id", "12345678Z") == "*****678Z"
    assert mask("es_id", "X1234567L") == "X****567L"
    assert mask("mobile", "13812345678") == "138****5678"
    assert mask("email", "maria@example.es") == "m****@example.es"


def test_mask_identifiers_keeps_length_and_separators_and_leaves_other_numbers():
    rng = random.Random(5)
    ident, card, iban = data.cn_id(rng, TODAY), data.card_number(rng, "visa"), data.es_iban(rng)
    text = (
        f"机密 身份证号 {ident}; tarjeta {data.grouped(card)}; IBAN {data.grouped(iban)}; "
        f"pedido 2024031512345678901; ISBN 9780140449136"
    )
    masked = mask_identifiers(text)
    assert len(masked) == len(text)
    assert ident not in masked and data.grouped(card) not in masked
    assert data.grouped(iban) not in masked
    assert ident[:6] + "********" + ident[-4:] in masked
    assert "2024031512345678901" in masked and "9780140449136" in masked


def test_every_excerpt_of_a_scan_is_masked_also_of_other_engines():
    rng = random.Random(6)
    ident = data.cn_id(rng, TODAY)
    pipeline = build_pipeline()
    verdict = pipeline.scan(Part(origin="mail", text=f"机密★10年\n身份证号 {ident}\n"))
    assert verdict.hits, "the marking must still be found"
    for hit in verdict.hits:
        assert ident not in hit.excerpt, hit


# -- volume and context -------------------------------------------------------------------------


def cn_table(people, header=True) -> str:
    lines = ["姓名\t身份证号\t手机号\t地址"] if header else []
    lines += [f"{p.name}\t{p.id_number}\t{p.mobile}\t{p.address}" for p in people]
    return "\n".join(lines)


def test_a_register_of_resident_ids_is_a_hit_naming_kind_and_count_masked(engine):
    people = data.chinese_people(random.Random(7), 40, TODAY)
    found = hits(engine, cn_table(people, header=False))
    assert [h.rule for h in found] == ["personal.cn_id"]
    hit = found[0]
    assert hit.category == "personal" and hit.action == "quarantine"
    assert hit.excerpt.startswith("40 Chinese resident ID numbers")
    assert "40 mobile numbers" in hit.excerpt
    for person in people:
        assert person.id_number not in hit.excerpt and person.mobile not in hit.excerpt
    start, end = hit.span
    assert hit.excerpt[start:end] == mask("cn_id", people[0].id_number)


def test_below_the_threshold_without_a_label_passes_and_with_a_label_holds(engine):
    people = data.chinese_people(random.Random(8), 9, TODAY)
    assert not hits(engine, cn_table(people, header=False))
    few = people[:3]
    assert rules(engine, cn_table(few)) == {"personal.cn_id"}
    assert not hits(engine, cn_table(few[:2]))


def test_own_id_in_a_signature_passes(engine):
    ident = data.cn_id(random.Random(9), TODAY)
    text = f"此致\n敬礼\n张伟\n身份证号：{ident}\n手机：13812345678\nzhang.wei@example.cn\n"
    assert not hits(engine, text)


def test_one_iban_on_an_invoice_passes_and_a_direct_debit_list_holds(engine):
    rng = random.Random(10)
    lines = [
        f"Factura nº 2026/{rng.randint(1000, 9999)}",
        "Fecha: 03/02/2026",
        "Concepto\tCantidad\tPrecio\tImporte",
    ]
    lines += [
        f"Servicio {i}\t{rng.randint(1, 9)}\t{rng.randint(10, 999)},00\t{rng.randint(10, 9999)},00"
        for i in range(20)
    ]
    lines += ["Total: 12.345,67 EUR", f"IBAN: {data.grouped(data.es_iban(rng))}", "CIF: B12345678"]
    assert not hits(engine, "\n".join(lines))
    customers = data.spanish_people(rng, 6)
    remesa = "Nombre;IBAN;Importe\n" + "\n".join(f"{c.name};{c.iban};35,00" for c in customers)
    assert rules(engine, remesa) == {"personal.iban"}


def test_spanish_customer_file_hits_dni_iban_and_cards(engine):
    customers = data.spanish_people(random.Random(11), 12)
    text = "\n".join(f"{c.name};{c.dni};{c.iban};{c.card};{c.phone};{c.address};{c.email}" for c in customers)
    found = {h.rule: h for h in hits(engine, text)}
    assert set(found) == {"personal.es_id", "personal.iban", "personal.card"}
    assert "12 e-mail addresses" in found["personal.card"].excerpt
    for c in customers:
        assert all(c.card not in h.excerpt and c.dni not in h.excerpt for h in found.values())


def test_two_card_numbers_beside_a_card_label_hold_five_without_label(engine):
    rng = random.Random(12)
    cards = [data.card_number(rng) for _ in range(5)]
    assert rules(engine, "Card number: " + ", ".join(cards[:2])) == {"personal.card"}
    assert not hits(engine, "Ref " + ", ".join(cards[:4]))
    assert rules(engine, "Refs " + ", ".join(cards)) == {"personal.card"}


def test_passport_numbers_count_only_beside_a_passport_label(engine):
    rng = random.Random(13)
    numbers = [data.passport_number(rng, "CN") for _ in range(4)]
    assert not hits(engine, "Codes: " + ", ".join(numbers))
    assert rules(engine, "护照号码\n" + "\n".join(numbers)) == {"personal.passport"}
    assert rules(engine, "Passport numbers: " + ", ".join(numbers[:3])) == {"personal.passport"}
    assert not hits(engine, "Passport: " + numbers[0])


def test_mail_addresses_never_hit_alone_and_mobile_numbers_only_in_bulk_beside_a_label(engine):
    rng = random.Random(14)
    mobiles = [data.cn_mobile(rng) for _ in range(500)]
    text = "\n".join(f"{mobile}\tuser{i}@example.cn" for i, mobile in enumerate(mobiles))
    assert not hits(engine, "编号\t邮箱\n" + text)
    assert not hits(engine, "邮箱\n" + "\n".join(f"user{i}@example.cn" for i in range(500)))
    # A customer list under a mobile header is personal data (personal_formats.py).
    assert rules(engine, "手机号\t邮箱\n" + text) == {"personal.cn_mobile"}


def test_evasions_full_width_digits_zero_width_and_groups(engine):
    people = data.chinese_people(random.Random(15), 12, TODAY)
    full_width = "\n".join(
        p.id_number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")) for p in people
    )
    assert rules(engine, full_width) == {"personal.cn_id"}
    zero_width = "\n".join("\u200b".join(p.id_number) for p in people)
    assert rules(engine, zero_width) == {"personal.cn_id"}
    grouped = "\n".join(f"{p.id_number[:6]} {p.id_number[6:14]} {p.id_number[14:]}" for p in people)
    assert rules(engine, grouped) == {"personal.cn_id"}
    rng = random.Random(16)
    cards = "\n".join(data.grouped(data.card_number(rng), "-") for _ in range(6))
    assert rules(engine, cards) == {"personal.card"}


def test_real_cards_padded_with_random_numbers_still_hit(engine):
    rng = random.Random(17)
    lines = [data.random_digits(rng, 16) for _ in range(3000)]
    real = [data.card_number(rng) for _ in range(300)]
    lines[::10] = real
    assert rules(engine, "\n".join(lines)) == {"personal.card"}


# -- hard negatives ---------------------------------------------------------------------------


def test_random_digit_tables_pass(engine):
    rng = random.Random(18)
    for length in (16, 18, 19):
        table = "\n".join("\t".join(data.random_digits(rng, length) for _ in range(6)) for _ in range(500))
        assert not hits(engine, table), length


def test_a_log_full_of_18_digit_numbers_with_failing_checks_passes(engine):
    rng = random.Random(19)
    lines = [
        f"2026-02-{rng.randint(1, 28):02d}T10:{rng.randint(0, 59):02d}:00Z INFO "
        f"request_id={data.bad_cn_id(rng, TODAY)} trace={data.random_digits(rng, 18)} ok"
        for _ in range(3000)
    ]
    assert not hits(engine, "\n".join(lines))


def test_order_tracking_isbn_timestamps_and_extensions_pass(engine):
    rng = random.Random(20)
    lines = ["Pedido\tSeguimiento\tISBN\tFecha\tTeléfono"]
    lines += [
        f"{data.order_number(rng)}\t{data.tracking_number(rng)}\t{data.isbn13(rng)}\t"
        f"{data.timestamp_digits(rng)}\t+34 91 {rng.randint(100, 999)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)} ext. {rng.randint(100, 9999)}"
        for _ in range(3000)
    ]
    assert not hits(engine, "\n".join(lines))


# -- configuration -------------------------------------------------------------------------------


def test_thresholds_and_action_come_from_the_config():
    config = FiltersConfig.from_mapping(
        {"personal": {"thresholds": {"cn_id": 2}, "action": "reject", "extra_labels": {"card": ["PAN"]}}}
    )
    engine = PersonalEngine(config.personal)
    people = data.chinese_people(random.Random(21), 2, TODAY)
    found = hits(engine, cn_table(people, header=False))
    assert [h.action for h in found] == ["reject"]
    rng = random.Random(22)
    cards = [data.card_number(rng) for _ in range(2)]
    assert {h.rule for h in hits(engine, "PAN\n" + "\n".join(cards))} == {"personal.card"}


def test_disabled_engine_is_not_built():
    config = FiltersConfig.from_mapping({"personal": {"enabled": False}})
    pipeline = build_pipeline(config)
    assert not any(isinstance(e, PersonalEngine) for e in pipeline.text_engines)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"thresholds": {"ssn": 3}}, "personal.thresholds.ssn: unknown kind"),
        ({"thresholds": {"passport": 3}}, "personal.thresholds.passport: unknown kind"),
        ({"labelled_thresholds": {"card": 0}}, "personal.labelled_thresholds.card: expected a count"),
        ({"thresholds": {"card": "five"}}, "personal.thresholds.card: expected an integer"),
        ({"action": "drop"}, "personal.action: expected one of pass, monitor, quarantine, reject"),
        ({"extra_labels": {"cn_id": [""]}}, "personal.extra_labels.cn_id: a label must not be empty"),
        ({"treshold": 3}, "personal.treshold: unknown key"),
    ],
)
def test_bad_config_names_the_key(section, message):
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        FiltersConfig.from_mapping({"personal": section})


def test_config_defaults_are_what_the_docs_say():
    config = PersonalConfig()
    assert config.threshold("cn_id", False) == 10 and config.threshold("card", False) == 5
    assert config.threshold("cn_id", True) == 3 and config.threshold("passport", False) is None
    assert personal.CATEGORY == "personal"


def test_the_compiled_scanner_validates_every_candidate_once():
    rng = random.Random(23)
    text = "\n".join(f"{data.order_number(rng)},{data.card_number(rng, 'visa')}" for _ in range(100))
    records = personal_scan.scan(text.encode(), TODAY)
    cards = records[records[:, personal_scan.KIND] == personal_scan.CARD]
    assert len(cards) == 100 and cards[:, personal_scan.OK].all()


# -- one item, many parts ---------------------------------------------------------------------


def test_ids_split_over_many_attachments_add_up_to_one_hit():
    import email.message

    people = data.chinese_people(random.Random(24), 40, TODAY)
    message = email.message.EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.org", "b@x.test", "lists"
    message.set_content("see attached")
    for i in range(5):  # eight per file: no file alone reaches ten
        chunk = "\n".join(p.id_number for p in people[i * 8 : (i + 1) * 8]).encode()
        message.add_attachment(chunk, maintype="text", subtype="plain", filename=f"part{i}.txt")
    verdict = build_pipeline().scan_bytes(message.as_bytes(), origin="mail", declared_type="message/rfc822")
    found = [h for h in verdict.hits if h.category == "personal"]
    assert [(h.rule, h.where) for h in found] == [("personal.cn_id", "mail")]
    assert found[0].excerpt.startswith("40 Chinese resident ID numbers in 5 parts")
    assert verdict.action == "quarantine"


def test_upload_fields_one_identifier_each_add_up():
    from filters.workers import scan_parts

    customers = data.spanish_people(random.Random(25), 12)
    parts = [Part(origin=f"upload:json[customers[{i}].nif]", text=c.dni) for i, c in enumerate(customers)]
    hits, _ = scan_parts(build_pipeline(), parts)
    assert [(h.rule, h.where) for h in hits] == [("personal.es_id", "upload:body")]
    # Under a neutral key five are a customer or two; under a key named for the kind
    # ("nif", a label) the labelled threshold of three applies.
    neutral = [
        Part(origin=f"upload:json[customers[{i}].code]", text=c.dni) for i, c in enumerate(customers[:5])
    ]
    few, _ = scan_parts(build_pipeline(), neutral)
    assert few == []
    labelled, _ = scan_parts(build_pipeline(), parts[:3])
    assert [h.excerpt.split(":")[0] for h in labelled] == ["3 Spanish DNIs/NIEs in 3 parts beside a label"]


def test_a_part_that_hits_alone_is_not_counted_again_for_the_item(engine):
    people = data.chinese_people(random.Random(26), 30, TODAY)
    engine.begin_item()
    first = hits(engine, cn_table(people[:15], header=False))
    second = hits(engine, cn_table(people[15:], header=False))
    assert len(first) == len(second) == 1
    assert engine.end_item("mail") == []


def test_a_large_register_is_counted_in_full(engine):
    rng = random.Random(27)
    ids = sorted({data.cn_id(rng, TODAY) for _ in range(6000)})
    (hit,) = hits(engine, "\n".join(ids + ids[:100]))  # repeats count once
    counted = int(hit.excerpt.split()[0])
    assert abs(counted - len(ids)) <= len(ids) // 500, (counted, len(ids))  # within 0.2 %
    small = sorted({data.cn_id(rng, TODAY) for _ in range(300)})
    (hit,) = hits(engine, "\n".join(small * 3))
    assert hit.excerpt.startswith(f"{len(small)} Chinese resident ID numbers")


def test_many_real_cards_hidden_in_far_more_random_numbers_still_hit(engine):
    rng = random.Random(28)
    lines = [data.random_digits(rng, 16) for _ in range(60000)]
    lines[::6] = [data.card_number(rng) for _ in range(10000)]
    (hit,) = hits(engine, "\n".join(lines))
    assert hit.rule == "personal.card" and hit.excerpt.startswith("1")


def test_fast_dni_nie_and_iban_checks_agree_with_stdnum():
    from stdnum import iban
    from stdnum.es import dni, nie

    rng = random.Random(29)
    letters = "TRWAGMYFPDXBNJZSQVHLCKE"
    for _ in range(3000):
        number = f"{rng.randint(0, 99_999_999):08d}{rng.choice(letters)}"
        assert valid_es_id(number) == dni.is_valid(number), number
        number = f"{rng.choice('XYZ')}{rng.randint(0, 9_999_999):07d}{rng.choice(letters)}"
        assert valid_es_id(number) == nie.is_valid(number), number
    samples = [data.es_iban(rng) for _ in range(200)] + [data.foreign_iban(rng) for _ in range(200)]
    samples += [s[:-1] + str((int(s[-1]) + 1) % 10) for s in samples]
    samples += [
        "GB82WEST12345698765432",
        "NL91ABNA0417164300",
        "FR1420041010050500013M02606",
        "GB82WEST1234569876543",
        "SF2793336797544",
        "XX00123456789012",
    ]
    for number in samples:
        assert valid_iban(number) == iban.is_valid(number), number


# -- key names as labels ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("cardNumber", "card number"),
        ("idCard", "id card"),
        ("DNI", "dni"),
        ("numero_tarjeta", "numero tarjeta"),
        ("IBANCode", "iban code"),
        ("id-no", "id no"),
        ("customers[3].passportNo", "customers 3 passport no"),
        ("身份证号", "身份证号"),
    ],
)
def test_key_names_read_as_words(name, words):
    assert personal.key_words(name) == words


def test_json_keys_in_text_are_labels(engine):
    import json

    rng = random.Random(401)
    cards = [data.card_number(rng) for _ in range(2)]
    body = json.dumps({"orders": [{"cardNumber": c, "total": 10} for c in cards]})
    assert rules(engine, body) == {"personal.card"}
    # The same two numbers under a key that names nothing are one or two payments.
    assert rules(engine, body.replace("cardNumber", "ref")) == set()
    # A word that only contains a label is not one: "discard", "cardinal".
    assert rules(engine, body.replace("cardNumber", "cardinalNumber")) == set()
    people = data.chinese_people(rng, 3, TODAY)
    body = json.dumps([{"idCard": p.id_number} for p in people])
    assert rules(engine, body) == {"personal.cn_id"}


def test_upload_field_names_are_labels_even_when_fields_are_joined(engine):
    from filters.workers import scan_parts

    people = data.chinese_people(random.Random(402), 3, TODAY)
    parts = [Part(origin=f"upload:json[rows[{i}].idCard]", text=p.id_number) for i, p in enumerate(people)]
    found, _ = scan_parts(build_pipeline(), parts)
    assert [h.rule for h in found] == ["personal.cn_id"]
    joined = Part(
        origin="upload:json", text="\n".join(p.id_number for p in people), meta={"field_names": "rows idCard"}
    )
    assert rules(engine, joined.text) == set()
    assert {h.rule for h in engine.scan(joined)} == {"personal.cn_id"}


# -- digits in groups and one by one -------------------------------------------------------------


def test_cards_and_ids_written_in_groups_or_digit_by_digit_are_joined(engine):
    rng = random.Random(403)
    cards = [data.card_number(rng, "visa") for _ in range(5)]
    assert rules(engine, "\n".join(data.grouped(c, "-") for c in cards)) == {"personal.card"}
    assert rules(engine, "\n".join(" ".join(c) for c in cards)) == {"personal.card"}
    people = data.chinese_people(rng, 10, TODAY)
    spaced = "\n".join(" ".join(p.id_number) for p in people)  # 1 1 0 1 0 5 …
    assert rules(engine, spaced) == {"personal.cn_id"}
    grouped = "\n".join(f"{p.id_number[:6]} {p.id_number[6:14]} {p.id_number[14:]}" for p in people)
    assert rules(engine, grouped) == {"personal.cn_id"}
    ibans = [data.es_iban(rng) for _ in range(10)]
    assert rules(engine, "\n".join(data.grouped(i) for i in ibans)) == {"personal.iban"}


def test_a_plain_card_beside_other_columns_still_counts(engine):
    rng = random.Random(404)
    lines = [f"{data.card_number(rng, 'visa')} 2026-01-{i + 10} 35.00" for i in range(5)]
    assert rules(engine, "\n".join(lines)) == {"personal.card"}


def test_space_aligned_table_columns_are_not_joined_into_numbers(engine):
    rng = random.Random(405)
    # Four 4-digit columns look like a card laid out in groups: random ones pass by
    # chance as often as random card numbers do, and the count subtracts chance.
    four = "\n".join(" ".join(f"{rng.randint(1000, 9999)}" for _ in range(4)) for _ in range(3000))
    assert rules(engine, four) == set()
    # Five or more columns are no card layout at all: nothing is joined.
    five = "\n".join(
        " ".join(data.card_number(rng, "visa")[i : i + 4] for i in (0, 4, 8, 12))
        + f" {rng.randint(1000, 9999)}"
        for _ in range(50)
    )
    assert rules(engine, five) == set()
    # A table of one-digit scores, sixteen columns.
    scores = "\n".join(" ".join(str(rng.randint(0, 9)) for _ in range(16)) for _ in range(3000))
    assert rules(engine, scores) == set()
    years = "\n".join("2019 2020 2021 2022 2023 2024" for _ in range(100))
    assert rules(engine, years) == set()


def test_grouped_cards_hidden_among_random_groups_still_hit(engine):
    rng = random.Random(406)
    lines = [" ".join(f"{rng.randint(1000, 9999)}" for _ in range(4)) for _ in range(6000)]
    lines[::60] = [data.grouped(data.card_number(rng, "visa")) for _ in range(100)]
    assert rules(engine, "\n".join(lines)) == {"personal.card"}


def test_repeating_failed_numbers_buys_no_cover(engine):
    rng = random.Random(407)
    cards = [data.card_number(rng, "visa") for _ in range(6)]
    bad = data.random_digits(rng, 15)
    filler = ["4" + bad] * 20000  # one failed candidate repeated: counts once
    assert rules(engine, "\n".join(cards + filler)) == {"personal.card"}


def test_the_interpreted_and_compiled_scanner_find_the_same_records():
    rng = random.Random(408)
    people = data.chinese_people(rng, 20, TODAY)
    spanish = data.spanish_people(rng, 20)
    pieces = [p.id_number for p in people] + [" ".join(p.id_number) for p in people[:5]]
    pieces += [s.dni for s in spanish] + [data.grouped(s.iban) for s in spanish]
    pieces += [data.grouped(s.card, "-") for s in spanish] + [s.card for s in spanish]
    pieces += [data.random_digits(rng, n) for n in range(7, 21) for _ in range(20)]
    pieces += [data.nie_number(rng) for _ in range(10)] + ["GB82 WEST 1234 5698 7654 32"]
    text = ", ".join(rng.sample(pieces, len(pieces))).encode()
    results = [personal_scan.scan(text, TODAY, compiled=compiled).tolist() for compiled in (False, True)]
    assert results[0] == results[1]
    kinds = {row[0] for row in results[0] if row[1]}
    assert kinds == {personal_scan.CN_ID, personal_scan.CARD, personal_scan.ES_ID, personal_scan.IBAN}


def test_the_scanners_iban_check_agrees_with_stdnum():
    from stdnum import iban

    rng = random.Random(409)
    samples = [data.es_iban(rng) for _ in range(100)] + [data.foreign_iban(rng) for _ in range(100)]
    samples += [s[:-1] + str((int(s[-1]) + 1) % 10) for s in samples]
    # Spanish accounts whose CCC check digits are wrong, with a correct mod 97
    for s in samples[:30]:
        bban = s[4:12] + f"{(int(s[12:14]) + 1) % 100:02d}" + s[14:]
        samples.append("ES" + iban.calc_check_digits("ES00" + bban) + bban)
    samples += [
        "GB82WEST12345698765432",
        "GB82 WEST 1234 5698 7654 32",
        "NL91ABNA0417164300",
        "FR1420041010050500013M02606",
        "NL91AB1A0417164300",
        "DE89370400440532013000",
    ]
    for sample in samples:
        records = personal_scan.scan(f"IBAN: {sample};".encode(), TODAY)
        ibans = records[records[:, personal_scan.KIND] == personal_scan.IBAN]
        assert len(ibans) == 1, sample
        assert bool(ibans[0, personal_scan.OK]) == iban.is_valid(sample), sample


def test_identifiers_in_any_layout_the_engine_joins_are_masked_in_excerpts():
    rng = random.Random(410)
    ident, card = data.cn_id(rng, TODAY), data.card_number(rng, "visa")
    text = f"CONFIDENCIAL — {' '.join(ident)} / {'-'.join(card)} / 3056 930902 5904 / 机密"
    masked = mask_identifiers(text)
    assert len(masked) == len(text)
    assert " ".join(ident) not in masked and "-".join(card) not in masked
    assert " ".join(ident[:6]) in masked and " ".join(ident[-4:]) in masked  # what stays
    assert "3056 930902 5904" not in masked  # Diners 4-6-4
    assert "CONFIDENCIAL" in masked and masked.endswith("机密")


def test_with_no_writable_cache_the_scanner_is_compiled_in_memory_and_says_so(monkeypatch, caplog):
    import numba

    real = numba.njit

    def no_cache_allowed(*args, **options):
        if options.get("cache"):
            raise RuntimeError("cannot cache function '_scan': no locator available")
        return real(*args, **options)

    monkeypatch.setattr(personal_scan, "_compiled", [])
    monkeypatch.setattr(numba, "njit", no_cache_allowed)
    scanner = personal_scan.compile_scanner()
    assert "without a disk cache" in caplog.text
    monkeypatch.undo()
    records = personal_scan.scan(b"x" * personal_scan.COMPILED_FROM + b" 4111111111111111", TODAY)
    assert scanner is not None and records[:, personal_scan.OK].tolist() == [1]


def test_passport_numbers_in_a_large_part_count_beside_their_label(engine):
    # A part of 64 KiB or more is read by the compiled scanner, which tells the engine
    # whether any word has a passport number's shape before it looks for labels.
    rng = random.Random(411)
    filler = "\n".join(f"{data.order_number(rng)},{data.random_digits(rng, 16)}" for _ in range(3000))
    numbers = [data.passport_number(rng, rng.choice(["CN", "ES"])) for _ in range(3)]
    assert len(filler) > personal_scan.COMPILED_FROM
    assert rules(engine, filler + "\nPasaporte\n" + "\n".join(numbers)) == {"personal.passport"}
    assert not hits(engine, filler + "\nCodes\n" + "\n".join(numbers))
    assert not hits(engine, filler + "\nPassport\n" + "\n".join(n.lower() for n in numbers))


def test_the_engine_reads_each_text_as_fold_utf8_gives_it(engine):
    # The engine skips the expression that removes invisible characters when Hyperscan
    # finds none: every invisible character, anywhere, must still be removed.
    from filters.normalise import _INVISIBLE_RANGES, fold_utf8

    rng = random.Random(412)
    ident = data.cn_id(rng, TODAY)
    fullwidth = ident.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    texts = [
        "plain ASCII 4111111111111111",
        f"身份证号 {ident}",
        f"身份证号 {fullwidth}",
        "ｃａｒｄ　ｎｕｍｂｅｒ",
        "lone \udc80 surrogate 身份证",
    ]
    for low, high in _INVISIBLE_RANGES:
        for code in (low, high):
            at = rng.randrange(1, 17)
            texts.append(f"身份证号 {ident[:at]}{chr(code)}{ident[at:]}")
            texts.append(f"{chr(code)}{fullwidth}{chr(code)}")
    for text in texts:
        assert engine._folded(text) == fold_utf8(text), repr(text)
    assert rules(
        engine,
        "身份证号\n"
        + "\n".join(p.id_number[:9] + "\u200b" + p.id_number[9:] for p in data.chinese_people(rng, 3, TODAY)),
    ) == {"personal.cn_id"}
