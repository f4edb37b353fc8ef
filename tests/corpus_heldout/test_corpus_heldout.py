"""The held-out corpus: every labelled case is scanned by the default pipeline and meets its label.

The cases (cases.py) were written after the vocabulary, from public descriptions it was
not written from; README.md gives the score before and after the misses were fixed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from filters.build import build_pipeline
from filters.pipeline import Pipeline
from tests.corpus_heldout.cases import Case
from tests.corpus_heldout.make import SUFFIX, file_name, render
from tests.corpus_heldout.round10 import CASES
from tests.corpus_world.score import assert_meets_label

TITLE_SUFFIX = ("a Korean draft word closing a title line without brackets (…사업계획 검토안) is not read: "
                "검토안 alone counts as a stamp, (안) in brackets as a suffix, and a bare title suffix "
                "would need a position of its own")
# The third round's misses that remain after its fixes (README.md), each with why.
SUBJECT_HEAD = ("an upper-case level opening a subject with no separator after it (STRENG GEHEIM "
                "Lagebild) is not read: the subject position asks for ':', ' - ' or brackets (the "
                "four encoded words decode whole)")
SENTENCE_CASE_SUBJECT = ("a one-word level in sentence case opening a subject (Черновик: …) is read as "
                         "ordinary writing, as 'Confidential: salary review' is; in capitals it is read")
IN_PROSE = ("a level named inside a sentence (eingestuft als VS-VERTRAULICH, klassificerad BEGRÄNSAT "
            "HEMLIG) is not read: levels are read where markings stand, not in prose")
COMMENTS_DRAFT = ("a docx with any review comment is held as a draft (draft.comments), even when "
                  "the comment says the version is final")
TITLE_END = ("a Japanese draft word closing a title without brackets (組織規程改正原案) is not read: "
             "原案 counts alone as a stamp and （案） in brackets as a suffix")
HYPHENATED = ("a word hyphenated across a line break (CONFI-/DENTIAL) is rejoined, but the "
              "rejoined level stands in a sentence, where levels are not read (as IN_PROSE)")
THIRD_ROUND: dict[tuple[str, str], str] = {
    ('de', 'subject in four words'): SUBJECT_HEAD,
    ('de', 'flowed vs-vertraulich'): IN_PROSE,
    ('se', 'flowed begransat hemlig split'): IN_PROSE,
    ('corp', 'comment final'): COMMENTS_DRAFT,
    ('draft-jp', '||組織規程改正原案'): TITLE_END,
    ('draft-ru', 'koi8-r chernovik'): SENTENCE_CASE_SUBJECT,
    ('adversarial', 'hyphenated across lines'): HYPHENATED,
}

# The fourth round's misses that remain after its fixes (README.md), each with why.
LOW_BY_DESIGN = ("the level is read but reported at low severity, not held, by design: LIMITE (the Council's "
                 "distribution marking), OFFICIAL (CLOSED) (Singapore's baseline) and "
                 "Internal Use Only (many organisations stamp every mail so)")
OFFICE_BOX = ("'For Official Use' alone on a line is also the office box of a form (ordinary.py's museum "
              "form); OECD's marking without 'Only' is not read")
KEYWORDS_LIST = ("a level among other keywords (Strictly Confidential; board) is not read: a property is "
                 "read as one whole value, and keywords are a list")
FOURTH_ROUND: dict[tuple[str, str], str] = {
    ('eu-council', '||Council of the European Union'): LOW_BY_DESIGN,
    ('eu-council', 'LIMITE||The working group met on 3 June to review progress on the logistics prog'):
        LOW_BY_DESIGN,
    ('oecd', '||For Official Use'): OFFICE_BOX,
    ('sg', 'OFFICIAL (CLOSED) / NON-SENSITIVE||The working group met on 3 June to review pro'): LOW_BY_DESIGN,
    ('corp', 'Internal Use Only||The working group met on 3 June to review progress on the log'):
        LOW_BY_DESIGN,
    ('corp', 'core keywords'): KEYWORDS_LIST,
    ('draft-kr', '||조직 개편 잠정안'): TITLE_SUFFIX,
}

# The fifth round's misses that remain after its fixes (README.md), each with why.
SENTENCE_CASE_BODY = ("a level in sentence case on a body line that is neither the first nor the "
                      "last (the ICC's 'Confidential EX PARTE only available to the Prosecution', fourth "
                      "line of the caption) is read as prose: in a body, a stamp in any case is read at its "
                      "edges only")
EVERYDAY_ARABIC = ("a one-word Arabic-script level that is also an everyday word is not read alone at the "
                   "top of a body: محظور (forbidden; no register found that lists it as a level) and the "
                   "Dari محرم (confidential; also the month of Muharram, a heading of dates)")
SLIDE_BOX = ("an organisation's name before its level (Ericsson Confidential) is read in page headers and "
             "footers only; on a slide it is a text box of the slide's body, where a title-case line "
             "('Keeping Data Confidential') is a heading")
DISCLAIMER_NOTICE = ("a level opening a footer notice whose text reads as a mail disclaimer ('TRADE SECRET "
                     "– Contains proprietary information of …') is taken for a disclaimer's heading "
                     "(common.toml's [[disclaimer]]: 'contains … proprietary')")
NOT_FOR_PUBLICATION = ("NOT FOR PUBLICATION is not read: US appellate courts head their public, "
                       "non-precedential opinions so, and holding those would hold public documents")
EXPOSURE_DRAFT = ("an Exposure Draft's cover page is held as a draft, by design (EXPOSURE DRAFT is a draft "
                  "qualifier of draft.en.banner; standards bodies circulate them before publication): that "
                  "this one is published shows only lines below ('Comments to be received by')")
CASELESS_PROJECT = ("a draft word that also means project or format in a script without case is read in "
                    "page headers and footers only: პროექტი (Georgian: project, draft) and प्रारूप (Hindi: "
                    "draft, also the 'Format A' heading of government forms) alone at the top of a body are "
                    "headings")
FIFTH_ROUND: dict[tuple[str, str], str] = {
    ('icc', '||Original: English No.: ICC-01/25-12'): SENTENCE_CASE_BODY,
    ('ae', '||محظور'): EVERYDAY_ARABIC,
    ('af', '||محرم'): EVERYDAY_ARABIC,
    ('corp', 'Ericsson Confidential||Roadmap 2026'): SLIDE_BOX,
    ('corp', 'footer TRADE SECRET – Contains propri…f Acme Corp. Do not disclose.'): DISCLAIMER_NOTICE,
    ('ngo', '|Field security update|<p><b>NOT FOR PUBLICATION – INTERNAL</b></p><p>The workin'):
        NOT_FOR_PUBLICATION,
    ('draft-en', '||Exposure Draft'): EXPOSURE_DRAFT,
    ('draft-ka', '||პროექტი'): CASELESS_PROJECT,
    ('draft-hi', '||प्रारूप'): CASELESS_PROJECT,
}

# The sixth round's misses that remain after its fixes (README.md), each with why.
PORTION_MARK = ("a bare single-letter portion mark is read from two portion-marked paragraphs "
                "((S) or (C) beside (U) ones: classification.en.portion_single), and opening a subject "
                "only with a caveat ((S//NF)) or as (TS): a subject '(C) Visit of …' is not read, as (C) "
                "also opens a list's third item and a copyright line")
PROJECT_SUBJECT = ("ПРОЕКТ opening a subject before a colon is not read as a draft: it also means "
                   "project, and a project's mail is headed so too ('ПРОЕКТ: сроки сдачи'); it is read "
                   "alone on a line in capitals, in a page header, after a field label or in brackets")
SIXTH_ROUND: dict[tuple[str, str], str] = {
    ('tag', 'r6 mail (C) Visit of the delegation'): PORTION_MARK,
    ('draft-ru', '|ПРОЕКТ: положение о закупках|Направляем информацию о ходе модернизации системы.'):
        PROJECT_SUBJECT,
}

# The ninth round's misses that remain after its fixes (README.md), each with why: none.
NINTH_ROUND: dict[tuple[str, str], str] = {}

# The tenth round's misses that remain after its fixes (README.md), each with why: none.
TENTH_ROUND: dict[tuple[str, str], str] = {}

# Cases Redline still misses, keyed by system and first lines (_key), each with why.
KNOWN_MISSES: dict[tuple[str, str], str] = {
    ("draft-kr", "||하반기 사업계획 검토안"): TITLE_SUFFIX,
    **THIRD_ROUND,
    **FOURTH_ROUND,
    **FIFTH_ROUND,
    **SIXTH_ROUND,
    **NINTH_ROUND,
    **TENTH_ROUND,
}


def _first(case: Case) -> str:
    item = case.item
    return (item.tag or item.header or item.box or item.subject or item.sheet or item.body.split("\n", 1)[0]
            or item.name or item.kind)[:40]


def _key(case: Case) -> tuple[str, str]:
    item = case.item
    if item.tag:
        return case.system, item.tag
    return case.system, f"{item.header or item.box}|{item.subject}|{item.body.split(chr(10), 1)[0]}"[:80]


def _label(index: int, case: Case) -> str:
    return f"{index:03d}-{case.system}-{case.expect}-{_first(case)[:24]}"


PARAMS = [pytest.param(index, case, id=_label(index, case),
                       marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[key])]
                       if (key := _key(case)) in KNOWN_MISSES else [])
          for index, case in enumerate(CASES)]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline()


@pytest.mark.parametrize(("index", "case"), PARAMS)
def test_case_meets_its_label(pipeline: Pipeline, tmp_path: Path, index: int, case: Case) -> None:
    path = tmp_path / file_name(index, case)
    path.write_bytes(render(case.item))
    assert_meets_label(pipeline, path, case.expect)


def test_corpus_is_held_out_and_mixed() -> None:
    """Many systems, every item kind, adversarial forms, and hard negatives beside the markings."""
    systems = {c.system.split("-")[-1] for c in CASES}
    assert len(systems) >= 50
    assert {c.item.kind for c in CASES} == set(SUFFIX)
    assert sum(c.system == "adversarial" for c in CASES) >= 25
    assert sum(c.expect == "none" for c in CASES) >= 70 and len(CASES) >= 300


def test_known_misses_name_real_cases() -> None:
    keys = {_key(c) for c in CASES}
    assert set(KNOWN_MISSES) <= keys
