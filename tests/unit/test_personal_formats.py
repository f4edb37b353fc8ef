"""Identifiers read beside their label (filters/engines/personal_formats.py): validators
against their published rules and python-stdnum, label gating, thresholds, masking, and
the published test cards that count for nothing."""

from __future__ import annotations

import datetime
import random

import pytest
from stdnum.ar import cuit
from stdnum.br import cpf
from stdnum.ca import sin
from stdnum.gb import nhs
from stdnum.in_ import aadhaar
from stdnum.mx import curp, rfc
from stdnum.us import ssn

from filters.build import build_pipeline
from filters.engines import personal_formats as formats
from filters.engines.personal import (
    PUBLISHED_TEST_CARDS,
    PersonalConfig,
    PersonalEngine,
    mask_identifiers,
    valid_card,
)
from filters.errors import ConfigError
from filters.types import Part
from tests.corpus_personal import ids
from tests.corpus_personal import world_ids as w

TODAY = datetime.date.today()


@pytest.fixture(scope="module")
def engine() -> PersonalEngine:
    return PersonalEngine()


def rules(engine: PersonalEngine, text: str, origin: str = "test") -> set[str]:
    return {h.rule for h in engine.scan(Part(origin=origin, text=text, role="body"))}


def _mutated(value: str, rng: random.Random) -> str:
    """``value`` with its last character replaced by another of the same class."""
    pool = "0123456789" if value[-1].isdigit() else "ABCDEFGHJKLMNPQRSTUVWXYZ"
    return value[:-1] + rng.choice([c for c in pool if c != value[-1]])


def test_published_examples() -> None:
    assert formats.valid_hk_id("A1234563")  # A123456(3), the Immigration Department's example
    assert formats.valid_tw_id("A123456789")  # the example of the Ministry of the Interior
    assert not formats.valid_tw_id("A123456788")
    assert not formats.valid_tw_id("A323456789")  # second digit is sex: 1 or 2
    assert formats.valid_ssn("219099998") and not formats.valid_ssn("219099999")  # wallet card
    assert not formats.valid_ssn("666123456") and not formats.valid_ssn("900123456")
    assert not formats.valid_ssn("123004567") and not formats.valid_ssn("123450000")
    assert formats.valid_nino("AB123456C")
    assert not formats.valid_nino("QQ123456C")  # HMRC's example prefix is never issued
    assert not formats.valid_nino("GB123456A") and not formats.valid_nino("QQ123456E")
    assert not formats.valid_nino("DA123456A") and not formats.valid_nino("AO123456A")


def test_validators_agree_with_stdnum() -> None:
    rng = random.Random(11)
    for _ in range(300):
        code, _name = ids.curp(rng, TODAY)
        person_rfc = ids.rfc_from_curp(rng, code)
        cuil = ids.cuil(rng).replace("-", "")
        number = ids.ssn(rng).replace("-", "")
        assert formats.valid_curp(code) and curp.is_valid(code)
        assert formats.valid_rfc(person_rfc) and rfc.is_valid(person_rfc)
        assert formats.valid_cuil(cuil) and cuit.is_valid(cuil)
        assert formats.valid_ssn(number) and ssn.is_valid(number)
        for valid, theirs, value in (
            (formats.valid_curp, curp.is_valid, code),
            (formats.valid_cuil, cuit.is_valid, cuil),
        ):
            wrong = _mutated(value, rng)
            assert not valid(wrong) and not theirs(wrong)
        hk, check = ids.hkid(rng)
        assert formats.valid_hk_id(hk + check) and not formats.valid_hk_id(hk + _mutated(check, rng)[-1])
        tw = ids.tw_id(rng)
        assert formats.valid_tw_id(tw) and not formats.valid_tw_id(_mutated(tw, rng))
        assert formats.valid_cn_id15(ids.cn_id15(rng), TODAY)


def test_companies_are_not_people(engine) -> None:
    # A company's CUIT (30-) and RFC (three letters) are not read as a person's.
    assert not formats.valid_cuil("30500010912")
    companies = ["ABC680524P76", "XYZ010101AB1", "GHI991231TZ5", "JKL750101AA0"]
    assert rules(engine, "RFC\n" + "\n".join(companies)) == set()


def _roster(rows: list[str], label: str) -> str:
    return "\n".join([f"Name\t{label}", *(f"Person {i}\t{row}" for i, row in enumerate(rows))])


@pytest.mark.parametrize(
    ("kind", "label", "make"),
    [
        ("hk_id", "HKID No.", lambda r: "{}({})".format(*ids.hkid(r))),
        ("tw_id", "身分證字號", ids.tw_id),
        ("mx_curp", "CURP", lambda r: ids.curp(r, TODAY)[0]),
        ("ar_cuil", "CUIL", ids.cuil),
        ("us_ssn", "SSN", ids.ssn),
        ("uk_nino", "NI number", ids.nino),
        ("cn_id15", "身份证号", ids.cn_id15),
        ("es_id", "D.N.I.", lambda r: f"{(d := ids.dni(r))[:2]}.{d[2:5]}.{d[5:8]}-{d[8]}"),
    ],
)
def test_a_labelled_list_is_a_hit_and_nothing_else_is(engine, kind, label, make) -> None:
    rng = random.Random(kind)
    values = [make(rng) for _ in range(6)]
    assert rules(engine, _roster(values, label)) == {f"personal.{kind}"}
    assert rules(engine, _roster(values, "Reference")) == set()  # no label: not read
    assert rules(engine, _roster(values[:2], label)) == set()  # below the threshold
    hit = next(iter(engine.scan(Part(origin="t", text=_roster(values, label), role="body"))))
    assert not any(v.replace(" ", "") in hit.excerpt.replace(" ", "") for v in values)


def test_failed_candidates_count_against_chance(engine) -> None:
    # Random letters and digits of a Taiwan ID's shape: one in ten passes by chance.
    rng = random.Random(5)
    shapes = [
        rng.choice("ABCDEFGHJK") + rng.choice("12") + ids.digits(rng, 8, "0123456789") for _ in range(300)
    ]
    assert rules(engine, _roster(shapes, "身分證字號")) == set()


def test_upload_field_names_label_their_values(engine) -> None:
    values = "\n".join(ids.ssn(random.Random(i)) for i in range(5))
    assert rules(engine, values, origin="upload:form[employee_ssn]") == {"personal.us_ssn"}
    assert rules(engine, values, origin="upload:form[reference]") == set()


def test_mobile_numbers_in_bulk_beside_a_label(engine) -> None:
    rng = random.Random(8)
    mobiles = [f"{(m := ids.cn_mobile(rng))[:3]} {m[3:7]} {m[7:]}" for _ in range(60)]
    assert rules(engine, _roster(mobiles, "手机号")) == {"personal.cn_mobile"}
    assert rules(engine, _roster(mobiles[:40], "手机号")) == set()
    assert rules(engine, _roster(mobiles, "Reference")) == set()
    # One number repeated in every quoted signature of a thread is one number.
    assert rules(engine, "\n".join(["> 手机: 139 1000 2345"] * 80)) == set()


def test_masking_covers_the_forms() -> None:
    text = "SSN 123-45-6788, HKID A123456(3), DNI 12.345.678-Z, 身份证 110101490101123, CUIL 20-12345678-6"
    masked = mask_identifiers(text)
    for value in ("123-45", "123456", "12.345", "4901011", "12345678"):
        assert value not in masked, masked
    assert masked.startswith("SSN ***-**-6788, HKID A******(3)")


def test_published_test_cards_count_for_nothing(engine) -> None:
    assert all(valid_card(number) for number in PUBLISHED_TEST_CARDS)
    listed = "\n".join(f"card number {number}" for number in sorted(PUBLISHED_TEST_CARDS))
    assert rules(engine, listed) == set()
    rng = random.Random(3)
    real = "\n".join(f"card number {ids.card(rng, 'visa')}" for _ in range(3))
    assert rules(engine, listed + "\n" + real) == {"personal.card"}


def test_config_knows_the_kinds() -> None:
    config = PersonalConfig(labelled_thresholds={"us_ssn": 10, "cn_mobile": 200})
    assert config.threshold("us_ssn", True) == 10 and config.threshold("us_ssn", False) is None
    with pytest.raises(ConfigError, match=r"personal\.thresholds\.us_ssn: unknown kind"):
        PersonalConfig(thresholds={"us_ssn": 10})


def test_more_countries_published_examples() -> None:
    """The issuers' (or python-stdnum's) worked examples, and each with its check broken."""
    examples = [
        (formats.valid_nhs, "9434765919"),  # NHS Digital's example
        (formats.valid_ca_sin, "123456782"),  # python-stdnum's example
        (formats.valid_it_cf, "RCCMNL83S18D969H"),
        (formats.valid_fr_nir, "295109912611193"),
        (formats.valid_nl_bsn, "111222333"),
        (formats.valid_br_cpf, "39053344705"),
        (formats.valid_aadhaar, "234123412346"),
        (formats.valid_sg_nric, "S1234567D"),
        (formats.valid_se_pnr, "8803200016"),
        (formats.valid_pl_pesel, "44051401359"),
        (formats.valid_au_tfn, "123456782"),
    ]
    rng = random.Random(2)
    for valid, value in examples:
        assert valid(value, TODAY), value
        assert not valid(_mutated(value, rng), TODAY), value
    corsica = "18505" + "2A" + "006084"  # born in Corse-du-Sud: 2A reads 19 for the key
    assert formats.valid_fr_nir(corsica + f"{97 - int('1850519006084') % 97:02d}")
    assert not formats.valid_br_cpf("11111111111")  # one digit repeated passes the arithmetic


WORLD = [
    ("nhs", "NHS Number", lambda r: w.nhs_spaced(w.nhs(r))),
    ("ca_sin", "SIN", lambda r: (s := w.ca_sin(r))[:3] + " " + s[3:6] + " " + s[6:]),
    ("it_cf", "Codice fiscale", lambda r: w.it_cf(r, *w.person(r), TODAY)),
    ("fr_nir", "N° de sécurité sociale", lambda r: w.fr_nir_spaced(w.fr_nir(r, TODAY))),
    ("nl_bsn", "BSN", w.nl_bsn),
    ("br_cpf", "CPF", lambda r: w.br_cpf_dotted(w.br_cpf(r))),
    ("in_aadhaar", "Aadhaar No", lambda r: w.aadhaar_spaced(w.aadhaar(r))),
    ("sg_nric", "NRIC", w.sg_nric),
    ("kr_rrn", "주민등록번호", lambda r: w.kr_rrn(r, TODAY)),
    ("se_pnr", "Personnummer", lambda r: w.se_pnr(r, TODAY)),
    ("pl_pesel", "PESEL", lambda r: w.pl_pesel(r, TODAY)),
    ("au_tfn", "Tax file number", lambda r: (t := w.au_tfn(r))[:3] + " " + t[3:6] + " " + t[6:]),
]


@pytest.mark.parametrize(("kind", "label", "make"), WORLD, ids=[k for k, _, _ in WORLD])
def test_more_countries_a_labelled_list_is_a_hit_and_nothing_else_is(engine, kind, label, make) -> None:
    rng = random.Random(kind)
    values = [make(rng) for _ in range(6)]
    assert rules(engine, _roster(values, label)) == {f"personal.{kind}"}
    assert rules(engine, _roster(values, "Reference")) == set()  # no label: not read
    assert rules(engine, _roster(values[:2], label)) == set()  # below the threshold
    hit = next(iter(engine.scan(Part(origin="t", text=_roster(values, label), role="body"))))
    compact = hit.excerpt.replace(" ", "").replace("-", "").replace(".", "")
    assert not any(v.replace(" ", "").replace("-", "").replace(".", "") in compact for v in values)


def test_more_countries_validators_agree_with_stdnum() -> None:
    rng = random.Random(13)
    pairs = [
        (formats.valid_nhs, nhs.is_valid, 10),
        (formats.valid_ca_sin, sin.is_valid, 9),
        (formats.valid_br_cpf, cpf.is_valid, 11),
        (formats.valid_aadhaar, aadhaar.is_valid, 12),
    ]
    for ours, theirs, length in pairs:
        for _ in range(3000):
            value = "".join(rng.choice("0123456789") for _ in range(length))
            if value[0] not in "08":  # stdnum reads SINs of 0 and 8, never issued
                assert ours(value) == theirs(value), value


def test_random_numbers_under_a_label_pass_and_groups_are_not_cut(engine) -> None:
    rng = random.Random(4)
    # Spanish mobile numbers (9 digits, 3-3-3) in a text where "sin" is a word: one in
    # ten passes the SIN's Luhn by chance, which the chance rule subtracts.
    phones = [
        f"6{ids.digits(rng, 2, '0123456789')} {ids.digits(rng, 3, '0123456789')} "
        f"{ids.digits(rng, 3, '0123456789')}"
        for _ in range(200)
    ]
    assert rules(engine, "Precios sin IVA\n" + "\n".join(phones)) == set()
    # A 4-4-4-4 reference is not read as an Aadhaar number and a tail.
    refs = [" ".join(ids.digits(rng, 4, "0123456789") for _ in range(4)) for _ in range(40)]
    assert rules(engine, "Aadhaar enrolment centre, batch references:\n" + "\n".join(refs)) == set()


def test_cards_of_more_networks(engine) -> None:
    """Maestro, Mir, RuPay, Troy and Elo numbers by their issuer ranges and Luhn; the same
    numbers with the check digit broken, and Braintree's Maestro test card, are not cards."""
    rng = random.Random(6)
    networks = ["maestro", "mir", "rupay", "troy", "elo"]
    numbers = [w.card(rng, networks[i % len(networks)]) for i in range(10)]
    assert all(valid_card(number) for number in numbers)
    assert rules(engine, "Card number\n" + "\n".join(numbers)) == {"personal.card"}
    broken = [_mutated(number, rng) for number in numbers]
    assert rules(engine, "Card number\n" + "\n".join(broken)) == set()
    assert "6304000000000000" in PUBLISHED_TEST_CARDS
    assert rules(engine, "Card number\n6304000000000000\n6304 0000 0000 0000") == set()


# -- the third round: fifteen more national numbers ----------------------------------------------

THIRD_EXAMPLES = [  # python-stdnum's worked examples (a person's NIF computed by the rule)
    (formats.valid_pt_nif, "221681116"),
    (formats.valid_be_nn, "85073003328"),
    (formats.valid_be_nn, "17073003384"),  # born 2017: the check over 2170730033
    (formats.valid_de_idnr, "36574261809"),
    (formats.valid_no_fnr, "15108695088"),
    (formats.valid_fi_hetu, "131052-308T"),
    (formats.valid_cz_rc, "7103192745"),
    (formats.valid_ro_cnp, "1630615123457"),
    (formats.valid_jp_my_number, "621498320257"),
    (formats.valid_cl_rut, "125319092"),
    (formats.valid_za_id, "7503305044089"),
    (formats.valid_tr_tckn, "17291716060"),
    (formats.valid_il_id, "039337423"),
]


def test_third_round_published_examples_and_broken_checks() -> None:
    rng = random.Random(21)
    for valid, value in THIRD_EXAMPLES:
        assert valid(value, TODAY), (valid.__name__, value)
        assert not valid(_mutated(value, rng), TODAY), (valid.__name__, value)
    assert formats.valid_us_itin("912903456", TODAY)  # no check digit: the IRS's groups
    assert formats.valid_dk_cpr("2110625629", TODAY)  # no check digit: a real date is all
    assert not formats.valid_dk_cpr("5110625629", TODAY)
    assert not formats.valid_us_itin("912933456")  # group 93 is not issued
    assert not formats.valid_pt_nif("501964843")  # a company's NIF (5…), not a person's
    assert not formats.valid_cl_rut("760864285")  # a company's RUT (76 million)
    assert not formats.valid_de_idnr("36554266806")  # more than one digit repeated
    assert not formats.valid_cz_rc("1103492745")  # no month 49 - 20 … 29


def _third_lists(rng: random.Random) -> dict[str, tuple[str, list[str]]]:
    from tests.corpus_personal import third_ids as t

    return {
        "us_itin": ("ITIN", [t.us_itin(rng) for _ in range(4)]),
        "pt_nif": ("NIF", [t.pt_nif(rng) for _ in range(4)]),
        "be_nn": ("Rijksregisternummer", [t.be_nn(rng, TODAY) for _ in range(4)]),
        "de_idnr": ("Steuer-ID", [t.de_idnr(rng) for _ in range(4)]),
        "dk_cpr": ("CPR-nr.", [t.dk_cpr(rng, TODAY) for _ in range(4)]),
        "no_fnr": ("Fødselsnummer", [t.no_fnr(rng, TODAY) for _ in range(4)]),
        "fi_hetu": ("Henkilötunnus", [t.fi_hetu(rng, TODAY) for _ in range(4)]),
        "cz_rc": ("Rodné číslo", [t.cz_rc(rng, TODAY) for _ in range(4)]),
        "ro_cnp": ("CNP", [t.ro_cnp(rng, TODAY) for _ in range(4)]),
        "jp_my_number": ("個人番号", [t.jp_my_number(rng) for _ in range(4)]),
        "cl_rut": ("RUT", [t.cl_rut(rng) for _ in range(4)]),
        "za_id": ("SA ID", [t.za_id(rng, TODAY) for _ in range(4)]),
        "tr_tckn": ("T.C. Kimlik No", [t.tr_tckn(rng) for _ in range(4)]),
        "il_id": ("מספר זהות", [t.il_id(rng) for _ in range(4)]),
    }


def test_third_round_lists_hold_beside_a_label_and_one_person_passes(engine) -> None:
    for kind, (label, values) in _third_lists(random.Random(22)).items():
        assert f"personal.{kind}" in rules(engine, label + "\n" + "\n".join(values)), kind
        assert rules(engine, f"{label}: {values[0]}") == set(), kind
        assert f"personal.{kind}" not in rules(engine, "Reference\n" + "\n".join(values)), kind


def test_third_round_numbers_are_masked_in_every_excerpt() -> None:
    """A marking's excerpt that quotes the numbers shows them masked, keeping the span."""
    lists = _third_lists(random.Random(23))
    line = "; ".join(f"{label} {values[0]}" for label, values in lists.values())
    masked = mask_identifiers(line)
    assert len(masked) == len(line)
    for kind, (_label, values) in lists.items():
        assert values[0] not in masked, (kind, masked)
    pipeline = build_pipeline()
    verdict = pipeline.scan(Part(origin="mail", text=f"TOP SECRET\n{line}\n"))
    assert any(h.category != "personal" for h in verdict.hits), "the marking must still be found"
    for hit in verdict.hits:
        for _label, values in lists.values():
            assert values[0] not in hit.excerpt, hit


def test_the_spanish_word_sin_is_not_the_canadian_sin_label(engine) -> None:
    """"sin" is Spanish for "without": a Spanish price list whose nine-digit references
    happen to pass Luhn is not a list of Canadian SINs; under a "SIN" header it is."""
    rng = random.Random(24)
    numbers = [w.ca_sin(rng) for _ in range(6)]
    spanish = "Referencias de pedido (precios sin IVA, envío sin cargo):\n" + "\n".join(numbers)
    assert "personal.ca_sin" not in rules(engine, spanish)
    assert "personal.ca_sin" in rules(engine, "Employee\tSIN\n" + "\n".join(f"x\t{n}" for n in numbers))
    assert "personal.ca_sin" in rules(engine, "social insurance number\n" + "\n".join(numbers))


def test_padded_values_are_masked_from_their_written_digits_and_codes_are_left() -> None:
    """An Israeli ID written without its leading zero keeps its own last digits (not the
    padded value's shifted onto it); a parcel's S10 code holds no NIF or Israeli ID."""
    assert mask_identifiers("ת.ז 3933742-3") == "ת.ז *****42-3"
    assert mask_identifiers("DNI 1.234.567-L") == "DNI *.***.567-L"
    assert mask_identifiers("RR175996733CN, RB193589354ES") == "RR175996733CN, RB193589354ES"
    assert mask_identifiers("NIF 221 681 116") == "NIF *** *** 116"
