"""The personal-data corpus: every list is held with a personal hit, every negative passes.

The cases (cases.py) were written from public descriptions of identifier formats and of
the shapes organisations send them in, before reading Redline's personal-data engine;
README.md gives the score before and after. A known miss is a strict expected failure
with its reason.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from stdnum import iban, imei, isbn, issn, luhn
from stdnum.ar import cuit
from stdnum.cn import ric, uscc
from stdnum.es import cif, dni, nie
from stdnum.mx import curp, rfc
from stdnum.us import ssn

from filters.build import build_pipeline
from filters.pipeline import Pipeline
from tests.corpus_personal import ids
from tests.corpus_personal.cases import CASES, TODAY, Case
from tests.corpus_personal.checks import (
    assert_known_misses_are_cases,
    assert_meets_label,
    case_params,
)

NO_CHECK = (
    "{} has no check digit, and a part that names it writes amounts with the same "
    "thousands dots: it is not read"
)
# Cases Redline misses, each with why.
KNOWN_MISSES: dict[str, str] = {
    "ar-dni-dotted-xlsx": NO_CHECK.format("an Argentine DNI"),
    "co-cedula-html": NO_CHECK.format("a Colombian cédula"),
    "passport-us-digits-xlsx": (
        "a passport number of nine digits and no letter (US, UK) is not read: in a "
        "travel list it cannot be told from a phone or booking number"
    ),
    "neg-donation-accounts-html": (
        "five published donation accounts beside 'IBAN' reach the labelled "
        "threshold (4): an organisation's own accounts look like its employees'"
    ),
}


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline()


@pytest.mark.parametrize("case", case_params(CASES, KNOWN_MISSES))
def test_case_meets_its_label(pipeline: Pipeline, tmp_path: Path, case: Case) -> None:
    assert_meets_label(pipeline, tmp_path, case)


def test_known_misses_are_cases() -> None:
    assert_known_misses_are_cases(CASES, KNOWN_MISSES)


def test_corpus_is_mixed() -> None:
    """Lists of many kinds in every format, with single items and hard negatives beside them."""
    assert len({c.kind for c in CASES}) >= 15
    assert {c.item.fmt for c in CASES} == {"csv", "xlsx", "docx", "pdf", "txt", "eml", "html"}
    assert sum(c.expect == "none" for c in CASES) >= 20


def test_generated_identifiers_meet_their_published_rules() -> None:
    """The corpus's own generators agree with python-stdnum where it has the format."""
    rng = random.Random(7)
    for _ in range(200):
        number = ids.cn_id(rng, TODAY)
        assert ric.calc_check_digit(number) == number[17]  # it reads the first 17
        assert not ric.is_valid(ids.cn_id_bad(rng, TODAY))
        assert uscc.is_valid(ids.cn_uscc(rng))
        code, _name = ids.curp(rng, TODAY)
        assert curp.is_valid(code) and rfc.is_valid(ids.rfc_from_curp(rng, code))
        assert cuit.is_valid(ids.cuil(rng)) and cif.is_valid(ids.cif(rng))
        assert dni.is_valid(ids.dni(rng)) and nie.is_valid(ids.nie(rng))
        assert all(
            iban.is_valid(ids.iban(rng, c)) for c in ("ES", "DE", "FR", "GB", "IT", "NL", "BE", "PT", "AT")
        )
        assert all(luhn.is_valid(ids.card(rng, scheme)) for scheme in ids.CARD_RANGES)
        assert (
            imei.is_valid(ids.imei(rng)) and isbn.is_valid(ids.isbn13(rng)) and issn.is_valid(ids.issn(rng))
        )
        assert ssn.is_valid(ids.ssn(rng))
    assert all(luhn.is_valid(number) for number in ids.PUBLISHED_TEST_CARDS)
