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
from tests.corpus_heldout.round6 import CASES
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
COMPANY_GLUED = ("a company's name glued before a Chinese level (华为机密) is not read: a level is read "
                 "where it opens its line, and joined to the word before it is part of that word (商业机密)")
FOOTER_SEGMENT = ("a level as the last of a footer's '|'-separated segments (… All rights reserved. | "
                  "CONFIDENTIAL) is not read; at the start of the footer (Restricted | © Siemens) it is")
TITLE_TRAILING = ("a level closing a title after a dash (Pricing strategy – CONFIDENTIAL) is not read: "
                  "titles and subjects are read for a level opening them")
KEYWORDS_LIST = ("a level among other keywords (Strictly Confidential; board) is not read: a property is "
                 "read as one whole value, and keywords are a list")
FOURTH_ROUND: dict[tuple[str, str], str] = {
    ('eu-council', '||Council of the European Union'): LOW_BY_DESIGN,
    ('eu-council', 'LIMITE||The working group met on 3 June to review progress on the logistics prog'):
        LOW_BY_DESIGN,
    ('oecd', '||For Official Use'): OFFICE_BOX,
    ('sg', 'OFFICIAL (CLOSED) / NON-SENSITIVE||The working group met on 3 June to review pro'): LOW_BY_DESIGN,
    ('cn', '华为机密，未经许可不得扩散||根据工作安排，现将有关情况报告如下：'): COMPANY_GLUED,
    ('corp', 'footer © 2025 SAP SE or an SAP affili…ghts reserved. | CONFIDENTIAL'): FOOTER_SEGMENT,
    ('corp', 'Internal Use Only||The working group met on 3 June to review progress on the log'):
        LOW_BY_DESIGN,
    ('corp', 'core title'): TITLE_TRAILING,
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

# The sixth round's misses before any change (README.md), each with what was missed.
UNLISTED_LEVEL = ("a level of a register the rules were not written from is not read: Euratom's EURA-SECRET "
                  "and EURA-RESTRICTED, New Zealand's NZEO caveat, Taiwan's 一般公務機密, Japan's 社内秘 "
                  "in a footer, Malaysia's TERHAD opening a subject")
TREATMENT_LEGEND = ("the SEC's 'CONFIDENTIAL TREATMENT REQUESTED BY …' legend in a page header is not read")
PORTION_MARK = ("a portion mark opening a paragraph or a subject ((S) …, (C) …) is not read; the "
                "caveated forms ((TS//SI//NF), (S//NF)) are")
INTERNET_DRAFT = "an Internet-Draft's first line ('Internet-Draft   Example WG', Expires: …) is not read"
FOR_COMMENT = "'Version 0.2 – for comment' in a page header is not read as a draft"
UNLISTED_DRAFT = ("a draft word of a language the rules were not written from, alone in a page header, is "
                  "not read: Telugu, Malayalam, Kannada, Gujarati, Sinhala, Lao, Burmese, Khmer, Belarusian, "
                  "Kyrgyz, Tajik, Luxembourgish")
PROJECT_SUBJECT = "ПРОЕКТ opening a subject before a colon is not read as a draft"
SIXTH_ROUND: dict[tuple[str, str], str] = {
    ('euratom', 'EURA-SECRET||The working group met on 3 June to review progress on the logistics'):
        UNLISTED_LEVEL,
    ('euratom', 'EURA-RESTRICTED||The working group met on 3 June to review progress on the logis'):
        UNLISTED_LEVEL,
    ('fvey', 'TOP SECRET NZEO||The working group met on 3 June to review progress on the logis'):
        UNLISTED_LEVEL,
    ('jp', 'r6 docx 社内秘'): UNLISTED_LEVEL,
    ('tw', '一般公務機密||主旨：檢送本署業務檢討報告一份，請查照。'): UNLISTED_LEVEL,
    ('asean', '|TERHAD: Laporan kemajuan projek|Bersama-sama ini dikemukakan laporan kemajuan.'):
        UNLISTED_LEVEL,
    ('corp', 'CONFIDENTIAL TREATMENT REQUESTED BY ACME CORP.||The working group met on 3 June '):
        TREATMENT_LEGEND,
    ('tag', 'r6 mail (C) Visit of the delegation'): PORTION_MARK,
    ('portion', '||(S) The battalion will move to the assembly area on 12 June.'): PORTION_MARK,
    ('draft-en', '||Internet-Draft                                    Example WG'): INTERNET_DRAFT,
    ('draft-en', 'Version 0.2 – for comment||Consultation paper – for comment'): FOR_COMMENT,
    ('draft-te', 'ముసాయిదా||ప్రాజెక్టు పురోగతి నివేదిక జతచేయబడింది.'): UNLISTED_DRAFT,
    ('draft-ml', 'കരട്||പദ്ധതിയുടെ പുരോഗതി റിപ്പോർട്ട് ഇതോടൊപ്പം ചേർക്കുന്നു.'): UNLISTED_DRAFT,
    ('draft-kn', 'ಕರಡು||ಯೋಜನೆಯ ಪ್ರಗತಿ ವರದಿಯನ್ನು ಲಗತ್ತಿಸಲಾಗಿದೆ.'): UNLISTED_DRAFT,
    ('draft-gu', 'મુસદ્દો||યોજનાની પ્રગતિનો અહેવાલ સામેલ છે.'): UNLISTED_DRAFT,
    ('draft-si', 'කෙටුම්පත||ව්\u200dයාපෘතියේ ප්\u200dරගති වාර්තාව අමුණා ඇත.'): UNLISTED_DRAFT,
    ('draft-lo', 'ຮ່າງ||ຂໍສົ່ງບົດລາຍງານຄວາມຄືບໜ້າຂອງວຽກງານ.'): UNLISTED_DRAFT,
    ('draft-my', 'မူကြမ်း||လုပ်ငန်းတိုးတက်မှု အစီရင်ခံစာကို ပူးတွဲပေးပို့ပါသည်။'): UNLISTED_DRAFT,
    ('draft-km', 'សេចក្តីព្រាង||សូមភ្ជាប់មកជាមួយនូវរបាយការណ៍ការងារ។'): UNLISTED_DRAFT,
    ('draft-be', 'ПРАЕКТ||Дасылаем справаздачу пра ход работ.'): UNLISTED_DRAFT,
    ('draft-ky', 'ДОЛБООР||Иштин жүрүшү боюнча отчет тиркелет.'): UNLISTED_DRAFT,
    ('draft-tg', 'ЛОИҲА||Ҳисобот дар бораи пешрафти кор замима мегардад.'): UNLISTED_DRAFT,
    ('draft-lb', 'ENTWORF||Mir schécken Iech de Rapport iwwer de Fortschrëtt vum Projet.'): UNLISTED_DRAFT,
    ('draft-ru', '|ПРОЕКТ: положение о закупках|Направляем информацию о ходе модернизации системы.'):
        PROJECT_SUBJECT,
}

# Cases Redline still misses, keyed by system and first lines (_key), each with why.
KNOWN_MISSES: dict[tuple[str, str], str] = {
    ("draft-kr", "||하반기 사업계획 검토안"): TITLE_SUFFIX,
    **THIRD_ROUND,
    **FOURTH_ROUND,
    **FIFTH_ROUND,
    **SIXTH_ROUND,
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
