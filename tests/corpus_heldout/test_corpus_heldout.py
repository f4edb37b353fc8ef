"""The held-out corpus: every labelled case is scanned by the default pipeline and meets its label.

The cases (cases.py) were written after the vocabulary, from public descriptions it was
not written from; README.md gives the score before and after the misses were fixed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from filters.build import build_pipeline
from filters.pipeline import Pipeline
from tests.corpus_heldout.cases import CASES, Case
from tests.corpus_heldout.make import SUFFIX, file_name, render

VOCAB = "the system's words are not in the vocabulary"
CABLE = "a letter-spaced level followed by the cable's SECTION line is not read as a banner"
CITED = "a draft suffix cited inside a consultation notice's title is read as a draft"
SINGLE = "the single-character level 密 alone in a page header is not read"

# Cases Redline still misses, keyed by system and first line, each with why.
KNOWN_MISSES: dict[tuple[str, str], str] = {
    ('us', 'C O N F I D E N T I A L SECTION 01 OF 02'): CABLE,
    ('at', 'VERSCHLUSS'): VOCAB,
    ('nl', 'Dep. Vertrouwelijk'): VOCAB,
    ('lt', 'RIBOTO NAUDOJIMO'): VOCAB,
    ('lt', 'SLAPTAI'): VOCAB,
    ('lt', 'VISIŠKAI SLAPTAI'): VOCAB,
    ('lv', 'DIENESTA VAJADZĪBĀM'): VOCAB,
    ('lv', 'SEVIŠĶI SLEPENI'): VOCAB,
    ('lv', 'KONFIDENCIĀLI'): VOCAB,
    ('ee', 'ASUTUSESISESEKS KASUTAMISEKS'): VOCAB,
    ('ee', 'SALAJANE'): VOCAB,
    ('ee', 'TÄIESTI SALAJANE'): VOCAB,
    ('hu', 'BIZALMAS'): VOCAB,
    ('hu', 'TITKOS'): VOCAB,
    ('hr', 'POVJERLJIVO'): VOCAB,
    ('hr', 'VRLO TAJNO'): VOCAB,
    ('hr', 'OGRANIČENO'): VOCAB,
    ('si', 'ZAUPNO'): VOCAB,
    ('si', 'STROGO TAJNO'): VOCAB,
    ('rs', 'СТРОГО ПОВЕРЉИВО'): VOCAB,
    ('rs', 'ДРЖАВНА ТАЈНА'): VOCAB,
    ('tr', 'ÖZEL'): VOCAB,
    ('ir', 'محرمانه'): VOCAB,
    ('ir', 'بکلی سری'): VOCAB,
    ('ir', 'خیلی محرمانه'): VOCAB,
    ('cn', '内部传阅'): VOCAB,
    ('cn', '国家秘密 严禁外传'): VOCAB,
    ('tw', '密'): SINGLE,
    ('vn', 'MẬT'): VOCAB,
    ('vn', 'TỐI MẬT'): VOCAB,
    ('vn', 'TUYỆT MẬT'): VOCAB,
    ('id', 'RAHASIA'): VOCAB,
    ('id', 'SANGAT RAHASIA'): VOCAB,
    ('id', 'TERBATAS'): VOCAB,
    ('my', 'SULIT'): VOCAB,
    ('my', 'TERHAD'): VOCAB,
    ('my', 'RAHSIA BESAR'): VOCAB,
    ('th', 'ลับ'): VOCAB,
    ('th', 'ลับมาก'): VOCAB,
    ('th', 'ลับที่สุด'): VOCAB,
    ('draft-hu', 'TERVEZET'): VOCAB,
    ('draft-ro', 'PROIECT'): VOCAB,
    ('draft-kr', '하반기 사업계획 검토안'): VOCAB,
    ('draft-vi', 'DỰ THẢO'): VOCAB,
    ('draft-id', 'RANCANGAN'): VOCAB,
    ('draft-zh', '关于征求《XX市停车管理条例（征求意见稿）》意见的公告'):
        CITED,
}


def _first(case: Case) -> str:
    item = case.item
    return (item.header or item.box or item.subject or item.body.split("\n", 1)[0] or item.name)[:40]


def _label(index: int, case: Case) -> str:
    return f"{index:03d}-{case.system}-{case.expect}-{_first(case)[:24]}"


PARAMS = [pytest.param(index, case, id=_label(index, case),
                       marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[key])]
                       if (key := (case.system, _first(case))) in KNOWN_MISSES else [])
          for index, case in enumerate(CASES)]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline()


@pytest.mark.parametrize(("index", "case"), PARAMS)
def test_case_meets_its_label(pipeline: Pipeline, tmp_path: Path, index: int, case: Case) -> None:
    path = tmp_path / file_name(index, case)
    path.write_bytes(render(case.item))
    verdict = pipeline.scan_file(path, origin=path.name)
    categories = {h.category for h in verdict.hits}
    described = "; ".join(f"{h.rule}[{h.severity}] {h.excerpt!r}" for h in verdict.hits) or "no hits"
    if case.expect == "none":
        assert verdict.passed, f"held: {described}"
    elif case.expect == "report":
        assert "classification" in categories, described
    else:
        assert not verdict.passed and case.expect in categories, described


def test_corpus_is_held_out_and_mixed() -> None:
    """Many systems, every item kind, adversarial forms, and hard negatives beside the markings."""
    systems = {c.system.split("-")[-1] for c in CASES}
    assert len(systems) >= 50
    assert {c.item.kind for c in CASES} == set(SUFFIX)
    assert sum(c.system == "adversarial" for c in CASES) >= 25
    assert sum(c.expect == "none" for c in CASES) >= 70 and len(CASES) >= 300


def test_known_misses_name_real_cases() -> None:
    keys = {(c.system, _first(c)) for c in CASES}
    assert set(KNOWN_MISSES) <= keys
