"""The marking vocabulary: entries compile into position-aware rules; position, not case, decides."""

import pytest

from filters.engines.markings import MarkingEngine
from filters.errors import RuleError
from filters.rule_examples import problems
from filters.rules import load_rules
from filters.types import Part
from tests.fixtures.shipped_rules import shipped_rules

RULES = shipped_rules()
ENGINE = MarkingEngine(RULES)


def hits(text: str, role: str = "body", name: str = "") -> list:
    return list(ENGINE.scan(Part(origin="t", text=text, role=role, name=name)))


def test_every_entry_and_rule_matches_its_examples_and_not_its_counter_examples():
    assert problems(RULES) == []


def test_the_vocabulary_is_organised_by_marking_system():
    systems = {rule.system for rule in RULES.marking_rules.values() if rule.entry}
    for word in ("United States", "United Kingdom", "NATO", "European Union", "China", "Taiwan",
                 "Spain", "Corporate", "Legal privilege", "Draft"):
        assert any(word in s for s in systems), word


@pytest.mark.parametrize("role", ["header", "footer", "title", "subject", "cell"])
def test_a_title_case_level_is_a_marking_where_it_stands_alone(role):
    assert {h.category for h in hits("Top Secret", role)} == {"classification"}
    assert {h.severity for h in hits("Top Secret", role)} == {"critical"}


def test_a_title_case_level_in_prose_is_not_a_marking():
    text = "Minutes\nThe board met.\nSecret\nThe plan was approved.\nNext meeting in May."
    assert hits(text) == []  # alone on a line, but neither first nor last: prose layout
    assert {h.category for h in hits("Secret\nThe board met.")} == {"classification"}
    assert {h.category for h in hits("The board met.\nConfidential")} == {"classification"}


def test_a_level_alone_in_a_table_cell_is_a_marking_but_not_a_booking_status():
    assert hits("Reference\tQR-14\nMarking\tTop Secret\t") != []
    assert hits("Mesa 4\tReservado\t\nMesa 5\tLibre\t", "cell") == []


def test_top_levels_of_every_system_are_critical():
    for text in ("TOP SECRET//SI//NOFORN", "COSMIC TOP SECRET ATOMAL", "TRES SECRET UE/EU TOP SECRET",
                 "ALTO SECRETO", "绝密★长期", "絕對機密"):
        assert "critical" in {h.severity for h in hits(text)}, text


def test_internal_and_official_are_reported_but_do_not_hold():
    for text, role in (("Internal Use Only", "footer"), ("OFFICIAL", "header"),
                       ("NATO UNCLASSIFIED", "body")):
        found = hits(text, role)
        assert found and {h.severity for h in found} <= {"info", "low"}, text


def test_one_hit_per_marking_unless_the_vocabulary_reads_it_as_more_severe():
    assert len([h for h in hits("机密★5年") if h.category == "classification"]) == 1
    top = hits("TOP SECRET")
    assert "critical" in {h.severity for h in top}


def test_subject_levels_in_every_charset_form():
    for subject in ("机密 工作通知", "绝密 关于调整部署的通知", "【机密】季度经营分析", "機密 會議通知",
                    "RE: [EXTERNAL] SECRET UK EYES ONLY"):
        assert hits(subject, "subject"), subject
    for subject in ("这个秘密花园开放了", "Secret Santa gift ideas", "Confidential: salary review",
                    "Top secret recipe: grandma's apple pie"):
        assert hits(subject, "subject") == [], subject


def test_draft_words_in_file_names_with_context():
    for name in ("BORRADOR_presupuesto.xlsx", "plan-DRAFT-v2.docx", "方案_征求意见稿.docx",
                 "contrato_borrador_v2.docx", "計畫草稿.docx", "report.draft.docx"):
        assert {h.category for h in hits(name, "filename")} == {"draft"}, name
    for name in ("draft_beers_menu.xlsx", "nba_draft_picks_2026.xlsx", "borradores_pizarra_pedido.xlsx",
                 "成功的秘密-读书笔记.docx", "草稿纸采购.xlsx"):
        assert hits(name, "filename") == [], name


def test_public_consultation_notices_pass():
    assert hits("关于公开征求《城市绿化管理办法（征求意见稿）》意见的通知：现将全文公布，"
                "广泛征求社会各界意见。") == []


def test_disclaimer_headed_by_a_level_is_not_a_notice_but_a_handling_notice_is():
    assert hits("Thanks.\nConfidential - This communication may contain privileged information. "
                "If you are not the intended recipient, delete it.") == []
    assert hits("Figures attached.\nConfidential - for the board only") != []


def _vocab(tmp_path, text):
    path = tmp_path / "org.toml"
    path.write_text(text, encoding="utf-8")
    return [path]


def test_an_organisation_adds_a_level_with_one_entry(tmp_path):
    rules = load_rules(_vocab(tmp_path, '''
system = "Example Ministry"
[[marking]]
id = "classification.org.amber"
category = "classification"
severity = "high"
description = "The ministry's AMBER level."
forms = ["MINISTRY AMBER"]
positions = ["banner", "stamp", "subject"]
'''))
    engine = MarkingEngine(rules)
    found = engine.scan(Part(origin="t", text="Ministry Amber", role="header"))
    assert [h.rule for h in found] == ["classification.org.amber.stamp"]


@pytest.mark.parametrize(("text", "message"), [
    ('[[marking]]\nid="x.y"\ncategory="c"\nseverity="high"\ndescription="d"\nforms=["A"]\npositions=["nowhere"]\n',
     "unknown position 'nowhere'"),
    ('[[marking]]\nid="x.y"\ncategory="c"\nseverity="huge"\ndescription="d"\nforms=["A"]\npositions=["banner"]\n',
     "severity must be one of"),
    ('[[marking]]\nid="x.y"\ncategory="c"\nseverity="high"\ndescription="d"\nforms=[]\npositions=["banner"]\n',
     "forms must be"),
    ('[[tail]]\ncategory="classification"\npattern="(unclosed"\n', "pattern does not compile"),
    ('[[marking]]\nid="x.y"\ncategory="c"\nseverity="high"\ndescription="d"\nforms=["A"]\npositions=["banner"]\n'
     'colour="red"\n', "unknown key 'colour'"),
])
def test_bad_vocabulary_is_refused_with_a_clear_error(tmp_path, text, message):
    with pytest.raises(RuleError, match=message) as info:
        load_rules(_vocab(tmp_path, text))
    assert "org.toml" in str(info.value)


@pytest.mark.parametrize(("text", "role"), [
    ("H I G H L Y  C O N F I D E N T I A L", "header"),  # letter spacing
    ("NАTO SECRET", "body"),  # Cyrillic А
    ("ＲＥＳＴＲＥＩＮＴ ＵＥ", "footer"),  # full-width letters
    ("工作\u200b秘密 注意保管", "body"),  # zero-width space
    ("Highly\u00adConfidential", "header"),  # soft hyphen
    ("> RESTREINT UE/EU RESTRICTED", "body"),  # quoted in a reply
    ("絕對機密", "body"),  # traditional characters
    ("Top-Secret", "title"),  # joined by a hyphen
    ("[ Company Confidential ]", "subject"),
    ("S.E.C.R.E.T//NOFORN", "body"),  # letters joined by dots
    ("C-O-N-F-I-D-E-N-T-I-A-L", "header"),  # or by hyphens
])
def test_evasions_of_vocabulary_forms_are_caught(text, role):
    assert {h.category for h in hits(text, role)} == {"classification"}, text


def test_rules_test_names_the_entry_of_a_near_miss(tmp_path):
    import subprocess
    import sys

    doc = tmp_path / "note.txt"
    doc.write_text("Minutes\nThe secret to good bread is time.\nEnd of minutes\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "gateway.cli", "rules", "test", str(doc)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "NEAR  classification.us.secret (a marking in these positions: banner" in result.stdout
    assert result.stdout.count("NEAR  classification.us.secret ") == 1


@pytest.mark.parametrize("line", ["[SECRET] plans for the depot", "see the annex [Secret] below",
                                  "【公司秘密】项目计划", "项目计划【公司秘密】", "【公司秘密】 项目计划",
                                  "（公司机密）项目进度报告", "（机密）关于项目进度的通报",
                                  "关于项目调整的报告（秘密★5年）", "the annex (SECRET) follows"])
def test_a_bracketed_level_is_a_marking_at_a_line_start_and_inside_chinese_text(line):
    assert any(h.category == "classification" for h in hits(line))


@pytest.mark.parametrize("line", ["gpg: Allow deletion of subkeys with --delete-[secret-]key.",
                                  "the option --[no-]secret-keys lists them",
                                  "call get(secret) to read it", "PARSE(SECRET)KEY"])
def test_a_bracketed_word_inside_an_option_name_is_no_marking(line):
    assert not [h for h in hits(line) if h.category == "classification"]


@pytest.mark.parametrize("line", ["Staff of the U.S.A. embassy met on Friday.",
                                  "S.E.C.R.E.T.A.R.Y of the board", "well-to-do readers"])
def test_abbreviations_and_joined_words_are_no_marking(line):
    assert not [h for h in hits(line) if h.category == "classification"]


def test_a_caveat_hit_highlights_the_whole_control_marking():
    [hit] = [h for h in hits("see the SECRET//NOFORN annex") if h.rule == "classification.en.caveat"]
    start, end = hit.span
    assert hit.excerpt[start:end] == "SECRET//NOFORN"


def _one_entry(tmp_path, forms: str, positions: str, extra: str = "") -> MarkingEngine:
    return MarkingEngine(load_rules(_vocab(tmp_path, f'''
system = "Example"
[[marking]]
id = "classification.org.level"
category = "classification"
severity = "high"
description = "A level."
forms = {forms}
positions = {positions}
{extra}
''')))


@pytest.mark.parametrize("text", ["Для служебного пользования", "ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ",
                                  "для служебного пользования"])
def test_a_cyrillic_form_matches_in_every_letter_case(tmp_path, text):
    # Normalisation folds look-alike letters unevenly ('б' -> '6', 'Б' stays): one form
    # written in one case must still find the others.
    engine = _one_entry(tmp_path, '["ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ"]', '["stamp"]')
    assert [h.rule for h in engine.scan(Part(origin="t", text=text, role="header"))] == \
        ["classification.org.level.stamp"]


def test_a_form_with_accents_is_found_when_typed_without_them(tmp_path):
    engine = _one_entry(tmp_path, '["DŮVĚRNÉ"]', '["stamp"]')
    for text in ("Duverne", "DŮVĚRNÉ", "DUVERNE", "Důvěrné"):
        assert engine.scan(Part(origin="t", text=text, role="footer")), text


def test_an_entry_with_han_and_hangul_forms_reads_both_in_round_brackets(tmp_path):
    engine = _one_entry(tmp_path, '["案", "안"]', '["bracketed"]')
    for text in ("2025年度事業計画（案）", "2025년 사업계획(안)"):
        assert engine.scan(Part(origin="t", text=text, role="body")), text
    assert not engine.scan(Part(origin="t", text="提案書と案内", role="body"))


def test_a_running_stamp_is_read_in_page_headers_and_footers_only(tmp_path):
    engine = _one_entry(tmp_path, '["CONCEPT"]', '["running"]')
    assert engine.scan(Part(origin="t", text="Concept", role="header"))
    assert engine.scan(Part(origin="t", text="CONCEPT", role="footer"))
    for role in ("title", "body", "cell", "subject"):
        assert not engine.scan(Part(origin="t", text="Concept", role=role)), role
    assert not engine.scan(Part(origin="t", text="Concept store Amsterdam", role="header"))


def test_unless_words_in_cyrillic_are_read_as_the_text_is_normalised(tmp_path):
    engine = _one_entry(tmp_path, '["ДСП"]', '["banner"]', "unless = '''(?i)мм|ламин'''")
    assert engine.scan(Part(origin="t", text="ДСП", role="body"))
    assert not engine.scan(Part(origin="t", text="ДСП 16 мм", role="body"))


@pytest.mark.parametrize(("text", "role", "severity"), [
    ("SEGRETISSIMO", "body", "critical"), ("@header Riservato", "header", "high"),
    ("Stg. Geheim", "header", "high"), ("STRENGT HEMMELIG", "body", "critical"),
    ("ŚCIŚLE TAJNE", "body", "critical"), ("СОВЕРШЕННО СЕКРЕТНО", "body", "critical"),
    ("Секретно", "header", "high"), ("社外秘", "body", "high"), ("Ⅰ급비밀", "body", "critical"),
    ("대외비", "header", "high"), ("ÇOK GİZLİ", "body", "critical"), ("سري للغاية", "body", "critical"),
    ("ULTRASSECRETO", "body", "critical"), ("ESTRICTAMENTE SECRETO Y CONFIDENCIAL", "body", "critical"),
])
def test_levels_of_more_marking_systems_carry_their_severity(text, role, severity):
    text = text.removeprefix(f"@{role} ")
    assert severity in {h.severity for h in hits(text, role)}, text


def test_a_longer_form_wins_over_a_shorter_one_whose_regex_is_longer(tmp_path):
    # 'KONFIDENCIĀLI' writes '[AĀ]' and so has the longer regex; tried first, it matched
    # the start of 'KONFIDENCIALIAI' and left 'AI' as a tail the grammar refused.
    engine = _one_entry(tmp_path, '["KONFIDENCIALIAI", "KONFIDENCIĀLI"]', '["banner", "stamp"]')
    for text, role in (("KONFIDENCIALIAI", "body"), ("Konfidencialiai", "header"),
                       ("KONFIDENCIĀLI", "body"), ("KONFIDENCIALI", "body")):
        assert engine.scan(Part(origin="t", text=text, role=role)), text


def test_an_arabic_script_form_is_found_as_either_keyboard_writes_it(tmp_path):
    # Persian keyboards write yeh and kaf as U+06CC and U+06A9, Arabic ones as U+064A and
    # U+0643: one spelling in a vocabulary file finds both.
    engine = _one_entry(tmp_path, '["بکلی سری"]', '["banner", "stamp"]')
    for text in ("بکلی سری", "بكلي سري"):
        assert engine.scan(Part(origin="t", text=text, role="header")), text
    assert not engine.scan(Part(origin="t", text="یک سری کتاب", role="body"))


@pytest.mark.parametrize(("text", "role", "severity"), [
    ("VISIŠKAI SLAPTAI", "body", "critical"), ("Sevišķi slepeni", "header", "critical"),
    ("SALAJANE", "body", "high"), ("DIENESTA VAJADZĪBĀM", "body", "medium"),
    ("VRLO TAJNO", "body", "critical"), ("Povjerljivo", "header", "high"),
    ("ДРЖАВНА ТАЈНА", "body", "critical"), ("ИНТЕРНО", "body", "medium"),
    ("TUYỆT MẬT", "body", "critical"), ("MẬT", "body", "high"), ("Mật", "footer", "high"),
    ("RAHASIA", "body", "high"), ("SULIT", "body", "high"), ("ลับที่สุด", "body", "critical"),
    ("TITKOS", "body", "high"), ("ÖZEL", "body", "high"), ("خیلی محرمانه", "header", "high"),
    ("密", "header", "medium"), ("国家秘密 严禁外传", "body", "high"), ("内部传阅", "body", "medium"),
    ("C O N F I D E N T I A L SECTION 01 OF 02 STATE 041187", "body", "high"),
])
def test_levels_of_systems_found_missing_by_the_held_out_corpus(text, role, severity):
    assert {h.severity for h in hits(text, role) if h.category == "classification"} == {severity}


@pytest.mark.parametrize(("text", "role"), [
    ("Sastanak je održan tajno, bez prisustva novinara.", "body"),
    ("Mật ong rừng nguyên chất.", "body"), ("Soal ini sulit sekali.", "body"),
    ("เดินทางกลับบ้าน", "body"), ("Özel Kalem Müdürlüğü", "header"), ("Özel", "header"),
    ("密碼變更通知", "header"), ("密", "title"), ("保守国家秘密是每个公民的义务。", "body"),
    ("یک سری از کتاب‌های جدید", "body"), ("Proiect finanțat din Fondul Social European", "footer"),
    ("关于征求《停车管理条例（征求意见稿）》意见的公告", "body"),
])
def test_the_same_words_as_ordinary_text_pass(text, role):
    assert not [h for h in hits(text, role) if h.severity not in ("info", "low")]


@pytest.mark.parametrize(("line", "category"), [
    ("\t* mpn/x86_64/x86_64-defs.m4 (PROTECT): Emit '.hidden' instead of", "classification"),
    ("\t* src/keys.c, src/keys.h (SECRET, RESTRICTED): Rename the flags.", "classification"),
    ("2019/04/01: update Unicode version to 12.1.0 (draft)", "draft"),
    ("      * The complete SPARQL 1.1 (draft) built-in function and operator", "draft"),
    ("# VS-NfD.prf - Configure options for the VS-NfD mode", "classification"),  # a file name
    ("\t* main.c [restricted_]: New message \"Directory access restricted\".", "classification"),
    ("the regular expression facilities described in Posix\ndraft 11.2 are now supported", "draft"),
    ("Added JSON output based on the Serializing SPARQL Query Results in JSON\n   draft\n"
     "   Added query writer so you can use rasqal", "draft"),
    # Kubernetes objects listed by name and kind (a Secret holds a password or a token).
    ("db-password\tSecret\t90 days", "classification"),
    ("Secret\tregistry-credentials\tprod", "classification"),
])
def test_code_and_public_standards_are_the_context_of_no_marking(line, category):
    assert not [h for h in hits(line) if h.category == category]


@pytest.mark.parametrize(("line", "category"), [
    ("* plan.docx (SECRET): the deployment plan", "classification"),  # a marked attachment
    ("\t* src/keys.c (fix): [SECRET] notes follow", "classification"),  # outside the brackets
    ("Attachment A (SECRET): convoy routes", "classification"),
    ("@header VS-NfD. Nur für den Dienstgebrauch", "classification"),
    ("@header Confidential. For the board only", "classification"),
    ("Budget 2.1 (draft)", "draft"),
    ("Budget\ndraft 2.1 attached", "draft"),
    ("* notes.docx [SECRET]: summary", "classification"),
    ("Version 0.3 (draft) - 30 March 2026", "draft"),
    ("Payments API 1.1 (draft)", "draft"),
    ("Draft", "draft"),
    ("   DRAFT", "draft"),
    ("Document status\tdraft\t", "draft"),
    # A level beside a document's title, in capitals, or beside a file name, is a marking.
    ("Convoy plan\tSecret\t14 March", "classification"),
    ("db-password\tSECRET\t90 days", "classification"),
    ("convoy-plan.docx\tSecret", "classification"),
    ("Classification\tSecret", "classification"),
])
def test_the_same_words_outside_those_contexts_are_still_markings(line, category):
    role, text = (line[1:].split(" ", 1) if line.startswith("@") else ("body", line))
    assert [h for h in hits(text, role) if h.category == category], line


def test_a_context_with_an_unknown_key_is_refused(tmp_path):
    (tmp_path / "mine.toml").write_text('[[context]]\ndescription = "x"\npattern = "y"\nunless = "z"\n')
    with pytest.raises(RuleError, match="context #1: unknown key 'unless'"):
        load_rules([tmp_path])


@pytest.mark.parametrize("line", ["OFFICIAL-SENSITIVE [LOCSEN]", "OFFICIAL-SENSITIVE (PERSONAL)",
                                  "SECRET [NOFORN]"])
def test_a_known_caveat_in_brackets_is_part_of_the_marking(line):
    assert {h.category for h in hits(line, "header")} == {"classification"}


@pytest.mark.parametrize("line", ["SECRET [RECIPES]", "OFFICIAL-SENSITIVE (ASK ME)"])
def test_an_unknown_word_in_brackets_after_a_level_is_no_tail(line):
    # In a body's middle line, where only a whole-line marking is read.
    assert hits(f"The board met.\n{line}\nThe plan was approved.") == []


def test_a_named_level_is_read_in_one_tab_stop_segment_of_a_page_header():
    assert {h.category for h in hits("Protocol B7471027\tPFIZER CONFIDENTIAL\tPage 1", "header")} == {
        "classification"}
    assert hits("Chapter 3\tKeeping Data Confidential\tPage 4", "header") == []
    # A page header's segments only: a body's table row is read by the cell positions.
    assert [h for h in hits("Protocol B7471027\tPFIZER CONFIDENTIAL\tPage 1", "body")
            if h.rule == "classification.corp.named_level"] == []
