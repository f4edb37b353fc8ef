"""The third personal-data round: every list is held with a personal hit, every negative passes.

The cases (third_cases.py, third_ids.py) were written from public descriptions of
identifier formats and ordinary files before reading Redline's table of formats;
README.md gives the score. A known miss is a strict expected failure with its reason.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from stdnum.be import nn
from stdnum.cl import rut
from stdnum.cz import rc
from stdnum.de import idnr
from stdnum.dk import cpr
from stdnum.fi import hetu
from stdnum.il import idnr as il_idnr
from stdnum.jp import in_ as my_number
from stdnum.no import fodselsnummer
from stdnum.pt import nif
from stdnum.ro import cnp
from stdnum.tr import tckimlik
from stdnum.us import ein, itin
from stdnum.za import idnr as za_idnr

from filters.build import build_pipeline
from filters.pipeline import Pipeline
from tests.corpus_personal import third_ids as t
from tests.corpus_personal.cases import TODAY
from tests.corpus_personal.checks import (
    assert_known_misses_are_cases,
    assert_meets_label,
    case_params,
)
from tests.corpus_personal.third_cases import THIRD_CASES, Case

# Cases Redline misses, each with why.
KNOWN_MISSES: dict[str, str] = {}


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline()


@pytest.mark.parametrize("case", case_params(THIRD_CASES, KNOWN_MISSES))
def test_third_case_meets_its_label(pipeline: Pipeline, tmp_path: Path, case: Case) -> None:
    assert_meets_label(pipeline, tmp_path, case)


def test_third_known_misses_are_cases() -> None:
    assert_known_misses_are_cases(THIRD_CASES, KNOWN_MISSES)


def test_third_identifiers_meet_their_published_rules() -> None:
    """The round's own generators agree with python-stdnum, which implements each rule."""
    rng = random.Random(13)
    for _ in range(200):
        checks = [
            (ein, t.us_ein(rng)),
            (nif, t.pt_nif(rng)),
            (nn, t.be_nn(rng, TODAY)),
            (idnr, t.de_idnr(rng)),
            (cpr, t.dk_cpr(rng, TODAY)),
            (fodselsnummer, t.no_fnr(rng, TODAY)),
            (hetu, t.fi_hetu(rng, TODAY)),
            (rc, t.cz_rc(rng, TODAY)),
            (cnp, t.ro_cnp(rng, TODAY)),
            (my_number, t.jp_my_number(rng)),
            (rut, t.cl_rut(rng)),
            (za_idnr, t.za_id(rng, TODAY)),
            (tckimlik, t.tr_tckn(rng)),
            (il_idnr, t.il_id(rng)),
        ]
        # python-stdnum knows the ITIN groups before 2011 (70-99 but 89, 93); the IRS added 50-65.
        number = t.us_itin(rng)
        if int(number[4:6]) >= 70:
            checks.append((itin, number))
        for module, value in checks:
            assert module.is_valid(value), (module.__name__, value)
