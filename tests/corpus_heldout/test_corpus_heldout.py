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
from tests.corpus_heldout.round4 import CASES
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

# The fourth round (round4.py) as scored before its fixes: each miss until it is fixed.
FOURTH_BEFORE = "missed when the fourth round was written (README.md, fourth round): not yet fixed"
FOURTH_ROUND: dict[tuple[str, str], str] = {
    ('eu-council', '||Council of the European Union'): FOURTH_BEFORE,
    ('eu-council', 'LIMITE||The working group met on 3 June to review progress on the logistics prog'):
        FOURTH_BEFORE,
    ('ecb', 'ECB-CONFIDENTIAL||The working group met on 3 June to review progress on the logi'):
        FOURTH_BEFORE,
    ('ecb', 'ECB-RESTRICTED||The working group met on 3 June to review progress on the logist'):
        FOURTH_BEFORE,
    ('oecd', '||For Official Use'): FOURTH_BEFORE,
    ('interpol', 'INTERPOL RESTRICTED||The working group met on 3 June to review progress on the l'):
        FOURTH_BEFORE,
    ('nato', 'KFOR RESTRICTED||The working group met on 3 June to review progress on the logis'):
        FOURTH_BEFORE,
    ('nato', '||MISSION SECRET'): FOURTH_BEFORE,
    ('us', 'SENSITIVE SECURITY INFORMATION||The working group met on 3 June to review progre'): FOURTH_BEFORE,
    ('us', 'PROTECTED CRITICAL INFRASTRUCTURE INFORMATION||The working group met on 3 June t'): FOURTH_BEFORE,
    ('us', 'CONTAINS CRITICAL ENERGY/ELECTRIC INFRASTRUCTURE INFORMATION – DO NOT RELEASE||T'): FOURTH_BEFORE,
    ('us', 'UNCLASSIFIED CONTROLLED NUCLEAR INFORMATION||The working group met on 3 June to '): FOURTH_BEFORE,
    ('us', 'SAFEGUARDS INFORMATION||The working group met on 3 June to review progress on th'): FOURTH_BEFORE,
    ('us', '||DISTRIBUTION STATEMENT D. Distribution authorized to the Department of Defense'): FOURTH_BEFORE,
    ('us', 'footer DISTRIBUTION STATEMENT F. Furt…A 05 or higher DoD authority.'): FOURTH_BEFORE,
    ('us', 'footer WARNING - This document contai…to severe criminal penalties.'): FOURTH_BEFORE,
    ('us', '||EXPORT CONTROLLED - ITAR'): FOURTH_BEFORE,
    ('us', 'footer Use or disclosure of data cont… title page of this proposal.'): FOURTH_BEFORE,
    ('au', 'Medical-in-Confidence||The working group met on 3 June to review progress on the'): FOURTH_BEFORE,
    ('sg', 'OFFICIAL (CLOSED) / NON-SENSITIVE||The working group met on 3 June to review pro'): FOURTH_BEFORE,
    ('ee', 'AK||Edastame teabe süsteemi uuendamise käigu kohta.'): FOURTH_BEFORE,
    ('tr', 'KOZMİK ÇOK GİZLİ||Sistemin modernizasyonuna ilişkin bilgi notu ekte sunulmuştur.'): FOURTH_BEFORE,
    ('pl', 'TAJEMNICA PRZEDSIĘBIORSTWA||Przedstawiam informację o postępie prac nad moderniz'): FOURTH_BEFORE,
    ('ru', 'Сов. секретно||Направляем информацию о ходе модернизации системы.'): FOURTH_BEFORE,
    ('mx', '||Fecha de clasificación: 3 de junio de 2025'): FOURTH_BEFORE,
    ('eg', 'سرى جدا||نرفق لسيادتكم مذكرة بشأن سير برنامج التحديث.'): FOURTH_BEFORE,
    ('eg', '||سرى للغاية'): FOURTH_BEFORE,
    ('iq', 'سري للغاية وشخصي||نرفق لسيادتكم مذكرة بشأن سير برنامج التحديث.'): FOURTH_BEFORE,
    ('ar', 'محدود التداول||نرفق لسيادتكم مذكرة بشأن سير برنامج التحديث.'): FOURTH_BEFORE,
    ('krd', 'نهێنی||ڕاپۆرتی پێشکەوتنی پڕۆژەکە هاوپێچ کراوە.'): FOURTH_BEFORE,
    ('krd', 'زۆر نهێنی||ڕاپۆرتی پێشکەوتنی پڕۆژەکە هاوپێچ کراوە.'): FOURTH_BEFORE,
    ('tj', 'МАХФӢ||Ҳисобот дар бораи пешрафти лоиҳа замима мегардад.'): FOURTH_BEFORE,
    ('tj', 'КОМИЛАН МАХФӢ||Ҳисобот дар бораи пешрафти лоиҳа замима мегардад.'): FOURTH_BEFORE,
    ('tm', 'GIZLIN||Taslamanyň ýerine ýetirilişi barada hasabat goşulýar.'): FOURTH_BEFORE,
    ('tm', 'ÖRÄN GIZLIN||Taslamanyň ýerine ýetirilişi barada hasabat goşulýar.'): FOURTH_BEFORE,
    ('lk', 'රහස්\u200dයයි||ව්\u200dයාපෘතියේ ප්\u200dරගති වාර්තාව අමුණා ඇත.'): FOURTH_BEFORE,
    ('in', 'ગોપનીય||પ્રોજેક્ટની પ્રગતિનો અહેવાલ સામેલ છે.'): FOURTH_BEFORE,
    ('in', 'ಗೌಪ್ಯ||ಯೋಜನೆಯ ಪ್ರಗತಿ ವರದಿಯನ್ನು ಲಗತ್ತಿಸಲಾಗಿದೆ.'): FOURTH_BEFORE,
    ('cn', 'footer 公司内部资料 严禁外传'): FOURTH_BEFORE,
    ('cn', '华为机密，未经许可不得扩散||根据工作安排，现将有关情况报告如下：'): FOURTH_BEFORE,
    ('cn', '内部公开||根据工作安排，现将有关情况报告如下：'): FOURTH_BEFORE,
    ('corp-fr', 'footer Classification : Diffusion limitée'): FOURTH_BEFORE,
    ('corp', 'footer © 2025 SAP SE or an SAP affili…ghts reserved. | CONFIDENTIAL'): FOURTH_BEFORE,
    ('corp', 'Internal Use Only||The working group met on 3 June to review progress on the log'):
        FOURTH_BEFORE,
    ('corp', 'core title'): FOURTH_BEFORE,
    ('corp', 'core keywords'): FOURTH_BEFORE,
    ('corp', 'xlsx cell note order'): FOURTH_BEFORE,
    ('draft-hy', 'ՆԱԽԱԳԻԾ||Կից ներկայացնում ենք օրինագծի տեքստը։'): FOURTH_BEFORE,
    ('draft-kk', 'ЖОБА||Заң жобасының мәтіні қоса беріліп отыр.'): FOURTH_BEFORE,
    ('draft-pt', '||MINUTA DE CONTRATO DE PRESTAÇÃO DE SERVIÇOS'): FOURTH_BEFORE,
    ('draft-fr', '||AVANT-PROJET DE LOI'): FOURTH_BEFORE,
    ('draft-ms', 'DERAF||Bersama-sama ini dikemukakan laporan kemajuan program pemodenan.'): FOURTH_BEFORE,
    ('draft-kr', '||조직 개편 잠정안'): FOURTH_BEFORE,
    ('draft-en', 'STRAWMAN – FOR DISCUSSION ONLY||The working group met on 3 June to review progre'):
        FOURTH_BEFORE,
    ('draft-en', 'Draft 3 – redline against Draft 2||The working group met on 3 June to review pro'):
        FOURTH_BEFORE,
    ('draft-en', 'core status review'): FOURTH_BEFORE,
}

# Cases Redline still misses, keyed by system and first lines (_key), each with why.
KNOWN_MISSES: dict[tuple[str, str], str] = {
    ("draft-kr", "||하반기 사업계획 검토안"): TITLE_SUFFIX,
    **THIRD_ROUND,
    **FOURTH_ROUND,
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
