"""Marking rules: markings and drafts are caught in their forms, ordinary language passes."""

import pytest

from filters.build import build_pipeline
from filters.engines.markings import MarkingEngine
from filters.errors import RuleError
from filters.rules import load_rules
from filters.types import Part
from gateway.commands.rules import self_test
from tests.fixtures.shipped_rules import shipped_rules

RULES = shipped_rules()
ENGINE = MarkingEngine(RULES)
PIPELINE = build_pipeline(rules=RULES)


def rules_hit(text: str, role: str = "body", name: str = "") -> set[str]:
    part = Part(origin="t", text=text, role=role, name=name)
    return {hit.rule for hit in ENGINE.scan(part)}


def test_every_shipped_rule_matches_its_examples_and_not_its_counter_examples():
    assert self_test(RULES) == []


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("TOP SECRET//NOFORN", "classification"),
        ("Header\nSECRET//REL TO USA, FVEY\nBody text", "classification"),
        ("(TS//SI) The source reported movement.", "classification"),
        ("CUI//SP-PRVCY", "classification"),
        ("UNCLASSIFIED//FOUO", "classification"),
        ("OFFICIAL-SENSITIVE", "classification"),
        ("关于预算的通知\n机密★5年\n正文", "classification"),
        ("绝密★长期", "classification"),
        ("内部资料 注意保存", "classification"),
        ("SECRETO", "classification"),
        ("DIFUSIÓN LIMITADA", "classification"),
        ("DRAFT — NOT FOR DISTRIBUTION", "draft"),
        ("Pre-decisional draft", "draft"),
        ("Please see draft v0.3 of the plan", "draft"),
        ("关于加强管理的办法（征求意见稿）", "draft"),
        ("BORRADOR", "draft"),
        ("Informe anual (versión preliminar)", "draft"),
        # evasions
        ("S E C R E T", "classification"),
        ("SЕCRЕT", "classification"),
        ("ＴＯＰ ＳＥＣＲＥＴ", "classification"),
        ("SE\u200bCR\u00adET", "classification"),
        ("SeCrEt", "classification"),
        ("机 密 ★ 5 年", "classification"),
        ("D R A F T", "draft"),
    ],
)
def test_marking_is_caught(text, category):
    verdict = PIPELINE.scan(Part(origin="t.txt", data=text.encode()))
    assert verdict.action == "quarantine", verdict.hits
    assert category in {h.category for h in verdict.hits}


@pytest.mark.parametrize(
    "text",
    [
        "the secret to good bread is patience",
        "Victoria's Secret opens a new store",
        "We had a draft beer after work.",
        "The NFL draft starts on Thursday.",
        "Your overdraft limit has changed.",
        "La secretaría general informa.",
        "el secreto de la paella es el arroz",
        "成功的秘密在于坚持",
        "机密计算是一种保护使用中数据的技术",
        "The draft law was adopted last year.",
        "Secret Santa gift ideas",
        "This e-mail and any attachments are confidential and intended solely for the "
        "addressee. If you received it in error, please notify the sender.",
        "CONFIDENTIALITY NOTICE: This message is confidential and may be privileged.",
        "Este mensaje es confidencial y está dirigido exclusivamente a su destinatario.",
        "本邮件及其附件含有保密信息，仅限于发送给上面地址中列出的个人或群组。",
        "(C) 2026 Example Corp. All rights reserved.",
        "(U) This paragraph is unclassified.",
        "Keep the circuit breaker closed.",
    ],
)
def test_ordinary_language_passes(text):
    verdict = PIPELINE.scan(Part(origin="t.txt", data=text.encode()))
    assert verdict.action == "pass", verdict.hits


def test_excerpt_shows_original_text_and_span():
    text = "Intro line\nClassified: S\u200bE\u200bC\u200bR\u200bE\u200bT\nmore"
    hits = list(ENGINE.scan(Part(origin="doc", text=text)))
    hit = next(h for h in hits if h.rule == "classification.en.labelled")
    start, end = hit.span
    assert hit.excerpt[start:end].replace("\u200b", "").endswith("SECRET")
    assert "\u200b" in hit.excerpt  # the real text, not the normalised one
    assert hit.where == "doc"


def test_single_letter_portion_marks_need_two_paragraphs():
    assert "classification.en.portion_single" not in rules_hit("(C) Third option: do nothing.")
    two = "(S) The unit moved north.\n(C) Supplies arrived late."
    assert "classification.en.portion_single" in rules_hit(two)


PORTION_SINGLE = "classification.en.portion_single"


def test_one_single_letter_portion_mark_among_other_marked_paragraphs_is_a_mark():
    # ISOO's marking booklet: every paragraph marked, most '(U)', no banner.
    page = ("(U) The meeting reviewed the logistics plan for the spring exercise.\n\n"
            "(S) The convoy leaves the northern depot at 0400 on 14 March.\n\n"
            "(U) Delivery of the remaining pallets is booked for the week after.")
    assert PORTION_SINGLE in rules_hit(page)
    assert PORTION_SINGLE in rules_hit(page.replace("(S)", "(C)").replace("(U) Delivery", "(NR) Delivery"))
    # '(U)' paragraphs alone claim nothing; a report card's key labels words, not paragraphs.
    assert PORTION_SINGLE not in rules_hit(page.replace("(S)", "(U)"))
    key = ("(S) Satisfactory\n(N) Needs improvement\n(U) Unsatisfactory\n\n"
           "(U) Unsatisfactory marks are discussed with the parents in person.")
    assert PORTION_SINGLE not in rules_hit(key)
    # A copyright line beside portion-marked prose is no paragraph of its own.
    assert PORTION_SINGLE not in rules_hit(
        "(U) The meeting reviewed the logistics plan for the spring exercise.\n(C) 2025 Example Ltd.")


def test_companions_need_a_rule_that_asks_for_several_matches(tmp_path):
    path = tmp_path / "org.toml"
    path.write_text('[[rule]]\nid="x.y"\ncategory="c"\nseverity="high"\ndescription="d"\n'
                    'triggers=["(X)"]\npattern="^\\\\(X\\\\)"\ncompanions="^\\\\(Y\\\\)"\n', encoding="utf-8")
    with pytest.raises(RuleError, match="min_matches"):
        load_rules([path])


def test_a_lettered_list_repeating_its_c_line_is_no_portion_marking():
    # A manual's option list, its (C) line repeated further down: list labels.
    manual = (
        "Choose one of:\n(A) Keep the current settings.\n(B) Restore the defaults.\n"
        "(C) Enter new values by hand.\n(D) Cancel.\n\nIf unsure, see step (C):\n"
        "(A) Keep the current settings.\n(B) Restore the defaults.\n"
        "(C) Enter new values by hand.\n"
    )
    assert PORTION_SINGLE not in rules_hit(manual)
    # A developers' README: the list of sections, then the sections (valgrind's).
    readme = (
        "This file has three parts:\n(A) How to configure Valgrind to run under Valgrind,\n"
        "(B) How to run regression tests in an outer/inner setup,\n"
        "(C) How to run performance tests in a 'self-hosting' mode.\n\n"
        "(A) How to configure Valgrind to run under Valgrind:\nSteps.\n"
        "(B) Regression tests in an outer/inner setup:\nSteps.\n"
        "(C) Performance tests in an outer/inner setup:\nSteps.\n"
    )
    assert PORTION_SINGLE not in rules_hit(readme)
    # A list of nineteen items reaches (S) the same way.
    long_list = "".join(f"({chr(c)}) Item number {c - 64}.\n" for c in range(65, 65 + 20))
    assert PORTION_SINGLE not in rules_hit(long_list + long_list)


def test_portion_marks_beside_a_lettered_list_stay_marks():
    # Paragraphs carrying (U), (S) and (C): "(C) Quarterly figures" is a mark.
    marked = (
        "(U) Summary of the review.\n(S) Sources reported movement.\n(C) Quarterly figures were revised.\n"
    )
    assert PORTION_SINGLE in rules_hit(marked)
    # Lines labelled (A) and (B) put before the (C) paragraph do not hide the others.
    dressed = (
        "(A) Summary.\n(B) Scope.\n(C) Quarterly figures were revised.\n"
        "(S) Sources reported movement.\n(C) Supplies arrived late.\n"
    )
    assert PORTION_SINGLE in rules_hit(dressed)
    # A (C) that does not follow a (B) is no list item, even in a text holding a list.
    out_of_run = (
        "(A) Keep.\n(B) Restore.\n(D) Cancel.\n(C) Supplies arrived late.\n(C) The convoy left at dawn.\n"
    )
    assert PORTION_SINGLE in rules_hit(out_of_run)


def test_property_rules_read_property_values_only():
    assert "draft.property" in rules_hit("Draft", role="property", name="contentStatus")
    assert "draft.property" not in rules_hit("Draft", role="body")
    assert "draft.tracked_changes" in rules_hit(
        "3 insertions, 1 deletion", role="property", name="redline:tracked_changes"
    )


def test_filename_rules():
    assert "draft.filename" in rules_hit("budget_draft_v2.docx", role="filename")
    assert "draft.filename" not in rules_hit("draft_beer_menu.pdf", role="filename")
    assert "classification.filename" in rules_hit("SECRET_plan.docx", role="filename")


def test_explain_reports_near_misses():
    explained = ENGINE.explain("The secret to good bread")
    near = {r.entry or r.id: matched for r, _, matched in explained}
    # Every rule the word 'secret' opens says it nearly matched, once per vocabulary entry.
    assert {"classification.en.banner", "classification.us.secret"} <= set(near)
    assert not any(near.values())
    assert len(explained) == len(near)


def _opened(text: str, role: str = "body") -> set[str]:
    """The entries (or rule ids) whose windows the triggers in ``text`` open."""
    norm = ENGINE.normalise(text)
    return {rule.entry or rule.id for rule, *_ in ENGINE._windows(norm, role, "", ENGINE._yara(norm)[1])}


def test_a_trigger_word_where_no_form_puts_it_opens_no_window():
    # 'needs' is NEED with an S after it, 'Please let' PLEASE with no DO after it: no form
    # of NEED TO KNOW or PLEASE DO NOT CITE stands there.
    prose = "The rota needs to be confirmed. Please let me know by Friday."
    assert not _opened(prose) & {"classification.corp.highly_confidential", "draft.en.review_notice",
                                 "draft.en.working_paper"}
    assert "classification.corp.highly_confidential" in _opened("Need to know")
    assert "draft.en.review_notice" in _opened("Please do not cite")
    # Where the word stands as in a form, the rule reads it as before.
    need_to_know = rules_hit("NEED TO KNOW", "header")
    assert any(r.startswith("classification.corp.highly_confidential") for r in need_to_know)
    assert any(r.startswith("draft.en.review_notice") for r in rules_hit("Please do not cite", "header"))


def test_a_letter_spaced_window_opens_wherever_its_trigger_stands():
    # Three blanks between letters are undone by despace but not looked for by YARA: the
    # spaced form is found through the line's other trigger, as before.
    text = "N   E   E   D   T O   K N O W - it needs care"
    assert "classification.corp.highly_confidential" in _opened(text)
    # And a plain line with the same misplaced word opens nothing.
    assert "classification.corp.highly_confidential" not in _opened("it needs care")
    # A line longer than a window is read in windows cut from it: each is judged by its
    # own text, so the spaced form still opens the window of the misplaced word beside it.
    assert "classification.corp.highly_confidential" in _opened("word " * 100 + text)
    assert "classification.corp.highly_confidential" not in _opened("word " * 100 + "it needs care")
    # A window a word placed as in a form shares is read, whatever its edges cut.
    assert "classification.corp.highly_confidential" in _opened(
        "it needs care " + "word " * 30 + "NEED TO KNOW " + "word " * 100)


def test_a_misplaced_trigger_word_opens_no_window_in_text_that_is_not_ascii():
    # Accented names and typographic quotes are in most mail: the neighbours of a trigger
    # are looked at there too, in characters, not in YARA's bytes.
    prose = "Lucía wrote: the rota needs to be confirmed. « Please let me know by Friday. »"
    assert not _opened(prose) & {"classification.corp.highly_confidential", "draft.en.review_notice",
                                 "draft.en.working_paper"}
    assert "draft.en.review_notice" in _opened("Lucía – please do not cite")
    # Where the word stands as in a form, the rule reads it as in ASCII text.
    assert rules_hit("Réunion\nPLEASE DO NOT CITE") == {"draft.en.review_notice"}
    assert rules_hit("NEED TO KNOW – Réunion", "header") == {
        "classification.corp.highly_confidential.notice"}


def test_trigger_neighbours_come_from_every_form_with_the_word():
    from filters import vocabulary

    entry = next(e for e in RULES.entries if e.id == "classification.corp.highly_confidential")
    need = vocabulary.trigger_neighbours(entry)["NEED"]
    assert need.fit("need to know", 0, 4)
    assert need.fit("STRICTLY NEED-TO-KNOW", 9, 13)
    assert not need.fit("it needs care", 3, 7)
    assert not need.fit("we need a plan", 3, 7)
    # A word a form names alone asks nothing of its neighbours.
    confidential = vocabulary.trigger_neighbours(entry)["CONFIDENTIAL"]
    assert confidential.before is None and confidential.after is None


def test_short_texts_keep_their_yara_matches_only_for_the_rules_that_found_them(tmp_path):
    # A header's YARA matches are kept for the next mail with the same header; rules
    # loaded since (an organisation's rule changed) must match it afresh.
    def org_rules(word: str):
        folder = tmp_path / word
        folder.mkdir()
        (folder / "org.yar").write_text(
            f'rule fin {{ meta: category = "custom" severity = "high" strings: $a = "{word}" '
            "condition: $a }\n", encoding="utf-8")
        return load_rules([folder])

    engine = MarkingEngine(org_rules("BLUEFIN"))

    def hits(text: str) -> set[str]:
        return {hit.rule for hit in engine.scan(Part(origin="t", text=text, role="header"))}

    assert hits("BLUEFIN") == hits("BLUEFIN") == {"yara:org.fin"}
    assert hits("REDFIN") == set()
    engine.rules = org_rules("REDFIN")
    assert hits("BLUEFIN") == set()
    assert hits("REDFIN") == {"yara:org.fin"}
    # A long text is matched each time.
    assert hits("x " * 300 + "REDFIN") == {"yara:org.fin"}


def test_a_short_text_beyond_ascii_keeps_the_ascii_texts_matches():
    # ASCII texts and the rest are matched by different compiled rules; a Chinese subject
    # between two ASCII headers must not make the second header be matched again.
    engine = MarkingEngine(RULES)

    def found(text: str) -> list:
        return engine._yara(engine.normalise(text))[1]

    first = found("MIME-Version: 1.0")
    assert found("关于机密文件的通知")  # matched by the rules for text beyond ASCII
    assert found("MIME-Version: 1.0") is first  # the kept list, not a second match


def _share_mail(link_text: str) -> bytes:
    # A document shared from a drive: the only place its title stands is the link's text.
    html = (f"<div>Here is the document:</div><div><a href='https://drive.example/d/1aB2'>"
            f"<span>{link_text}</span></a></div><div><a href='https://drive.example/d/9'>Minutes</a></div>")
    return ("From: a@example.org\r\nTo: b@partner.test\r\nSubject: shared with you\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n").encode()


@pytest.mark.parametrize(("link_text", "held"), [
    ("Q3 pricing review - CONFIDENTIAL", True),
    ("Board pack | STRICTLY CONFIDENTIAL", True),
    ("Q3 pricing review", False),
    ("Kitchen – confidential tips", False),
    ("Travel guide - Secret beaches of Portugal", False),
])
def test_a_level_closing_a_linked_documents_title_is_held(link_text, held):
    verdict = PIPELINE.scan(Part(origin="m.eml", data=_share_mail(link_text)))
    assert (verdict.action == "quarantine") is held, verdict.hits


@pytest.mark.parametrize(("text", "held"), [
    ("Daimler Truck AG – Streng vertraulich", True),
    ("Deutsche Post DHL Group Confidential", True),
    ("Banco Bilbao Vizcaya Argentaria – Restricted", True),
    ("Mercedes-Benz Group AG – vertraulich behandelte Kundendaten werden gelöscht", False),
    ("Daimler Truck AG – Stuttgart", False),
    ("Managing Patient Information Confidential", False),
])
def test_a_company_of_three_or_four_words_before_its_level_in_a_footer(text, held):
    assert ("classification.corp.named_level" in rules_hit(text, role="footer")) is held


@pytest.mark.parametrize(("text", "held"), [
    ("ชั้นความลับ ลับมาก\nที่ มท 0123/456\nเรื่อง ขออนุมัติงบประมาณ", True),
    ("ชั้นความลับ  ลับที่สุด\nเรื่อง แผนงาน", True),
    ("ชั้นความลับ ลับมาก ของข้อมูลนี้ต้องพิจารณาใหม่\nเรื่อง การประชุม", False),
    ("การจัดชั้นความลับ ลับมาก\nเรื่อง การประชุม", False),
])
def test_a_thai_field_label_and_its_level_after_a_blank(text, held):
    verdict = PIPELINE.scan(Part(origin="t.txt", data=text.encode()))
    assert ("classification" in {h.category for h in verdict.hits}) is held, verdict.hits


def test_a_short_text_that_gave_no_hit_is_still_read_in_another_role():
    # Short texts without a hit are remembered by text, role and field name: the same
    # words as a subject or a file name are judged afresh.
    engine = MarkingEngine(RULES)

    def found(text: str, role: str, name: str) -> set[tuple[str, str]]:
        part = Part(origin=f"m/{name}", text=text, role=role, name=name)
        return {(hit.rule, hit.where) for hit in engine.scan(part)}

    for _ in range(2):
        assert found("Re: Fwd: CONFIDENCIAL: informe", "header", "X-Topic") == set()
        assert found("budget-2026_FOUO.xlsx", "subject", "Subject") == set()
    assert found("Re: Fwd: CONFIDENCIAL: informe", "subject", "Subject") == {
        ("classification.subject", "m/Subject")}
    assert found("budget-2026_FOUO.xlsx", "filename", "budget.xlsx") == {
        ("classification.filename", "m/budget.xlsx")}


def test_a_short_text_without_hit_is_read_afresh_by_rules_loaded_since(tmp_path):
    # An organisation's rule added since a header passed must read it the next time.
    engine = MarkingEngine(RULES)
    header = Part(origin="t", text="Project BLUEFIN notes", role="header", name="X-Project")
    assert list(engine.scan(header)) == []
    folder = tmp_path / "org"
    folder.mkdir()
    (folder / "org.yar").write_text(
        'rule fin { meta: category = "custom" severity = "high" strings: $a = "BLUEFIN" '
        "condition: $a }\n", encoding="utf-8")
    engine.rules = load_rules([folder])
    assert {hit.rule for hit in engine.scan(header)} == {"yara:org.fin"}
