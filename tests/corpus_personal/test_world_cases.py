"""The second personal-data round: every list is held with a personal hit, every negative passes.

The cases (world_cases.py, world_ids.py) were written from public descriptions of
identifier formats and ordinary files before reading Redline's personal-data engine;
README.md gives the score. A known miss is a strict expected failure with its reason.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from stdnum import iban, imei, isbn, isin, issn, luhn
from stdnum.au import tfn
from stdnum.br import cpf
from stdnum.ca import sin
from stdnum.fr import nir
from stdnum.gb import nhs
from stdnum.in_ import aadhaar
from stdnum.it import codicefiscale
from stdnum.kr import rrn
from stdnum.nl import bsn
from stdnum.pl import pesel
from stdnum.se import personnummer

from filters.build import build_pipeline
from filters.pipeline import Pipeline
from tests.corpus_personal import world_ids as w
from tests.corpus_personal.cases import TODAY
from tests.corpus_personal.checks import (
    assert_known_misses_are_cases,
    assert_meets_label,
    case_params,
)
from tests.corpus_personal.world_cases import WORLD_CASES, Case

# Cases Redline misses, each with why.
KNOWN_MISSES: dict[str, str] = {}


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline()


@pytest.mark.parametrize("case", case_params(WORLD_CASES, KNOWN_MISSES))
def test_world_case_meets_its_label(pipeline: Pipeline, tmp_path: Path, case: Case) -> None:
    assert_meets_label(pipeline, tmp_path, case)


def test_world_known_misses_are_cases() -> None:
    assert_known_misses_are_cases(WORLD_CASES, KNOWN_MISSES)


def test_world_identifiers_meet_their_published_rules() -> None:
    """The round's own generators agree with python-stdnum, which implements each rule."""
    rng = random.Random(11)
    for _ in range(200):
        assert all(iban.is_valid(w.iban(rng, country)) for country in w.IBAN_LAYOUT)
        assert all(luhn.is_valid(w.card(rng, network)) for network in w.CARD_NETWORKS)
        first, last = w.person(rng)
        checks = [
            (nhs, w.nhs(rng)),
            (sin, w.ca_sin(rng)),
            (codicefiscale, w.it_cf(rng, first, last, TODAY)),
            (nir, w.fr_nir(rng, TODAY)),
            (bsn, w.nl_bsn(rng)),
            (cpf, w.br_cpf(rng)),
            (aadhaar, w.aadhaar(rng)),
            (rrn, w.kr_rrn(rng, TODAY)),
            (personnummer, w.se_pnr(rng, TODAY)),
            (pesel, w.pl_pesel(rng, TODAY)),
            (tfn, w.au_tfn(rng)),
            (isbn, w.isbn13(rng)),
            (issn, w.issn(rng)),
            (imei, w.imei(rng)),
            (isin, w.isin(rng)),
        ]
        for module, number in checks:
            assert module.is_valid(number), (module.__name__, number)


def test_mrz_check_digits_follow_icao_9303() -> None:
    """ICAO 9303's worked example: L898902C3, born 740812, expires 120415."""
    assert w.mrz_digit("L898902C3") == "6"
    assert w.mrz_digit("740812") == "2"
    assert w.mrz_digit("120415") == "9"
