"""Trigger words: short Latin ones open a window only as whole words, and every
vocabulary form is still found in every position its entry names; in a window, a rule's
pattern is tried only where its matches can begin, with the same matches."""

import re

import pytest

from filters.engines.markings import MarkingEngine
from filters.normalise import despace, normalise
from filters.rules import WHOLE_WORD_LETTERS, match_starts
from filters.vocabulary import _is_cjk
from tests.fixtures.shipped_rules import shipped_rules

RULES = shipped_rules()
ENGINE = MarkingEngine(RULES)


def windows(text: str, role: str = "body") -> list:
    """The windows the engine's triggers open in ``text`` (one per rule and line)."""
    return ENGINE.explain(text, role)


def entries_found(text: str, role: str) -> set[str]:
    return {m.rule.entry or m.rule.id for m in ENGINE.matches(text, role)}


def test_short_triggers_inside_words_open_no_window():
    # 'les' (LES, law enforcement sensitive) in sales and files, 'cui' (CUI) in circuit,
    # 'lou' (LOU) in cloud, 'sbu' in Strasbourg, 'ouo' in duouo: thousands of lines of
    # them used to open a window each and run a pattern that could not match.
    lines = [
        "Sales files for the circuit board are in the cloud, see Strasbourg and Duouo notes",
        "FILES SALES CIRCUIT CLOUDS",
        "sales\tfiles\tcircuits",
    ]
    text = "\n".join(lines * 1500)
    assert windows(text) == []
    assert windows(text, "cell") == []
    assert ENGINE.matches(text) == []


def test_a_short_form_glued_to_letters_or_digits_is_no_marking_but_a_separator_keeps_it():
    for text in ("SALES", "LESNOFORN", "SBU2", "2SBU", "CUIX"):
        opened = {rule.entry or rule.id for rule, _, _ in windows(text)}
        assert not opened & {"classification.us.official_use_abbreviation", "classification.us.cui"}, text
    for text in ("LES-NF", "LES NOFORN", "SBU//NOFORN", "LES//NOFORN"):
        assert "classification.us.official_use_abbreviation" in entries_found(text, "body"), text


@pytest.mark.parametrize(
    "text, role, entry",
    [
        ("LES", "body", "classification.us.official_use_abbreviation"),
        ("(LES) Staffing plan", "body", "classification.us.official_use_abbreviation"),
        ("[SBU] Staffing plan", "body", "classification.us.official_use_abbreviation"),
        ("关于【SBU】的通知", "body", "classification.us.official_use_abbreviation"),
        ("项目说明\nLOU\n正文内容", "body", "classification.us.official_use_abbreviation"),
        ("Security classification:OUO", "body", "classification.us.official_use_abbreviation"),
        ("Annex\tLES\tPage 2", "body", "classification.us.official_use_abbreviation"),
        ("CUI//SP-PRVCY", "body", "classification.us.cui"),
        ("Intro\nCUI\nBody text", "body", "classification.us.cui"),
        ("RE: [CUI] contract", "subject", "classification.us.cui"),
        ("budget_CUI.xlsx", "filename", "classification.us.cui"),
        ("(CUI) The contract", "body", "classification.en.cui"),
        ("keywords; CUI", "property", "classification.property"),
        ("(S//NF) convoy timings\n(S//NF) escorts", "body", "classification.en.portion"),
        ("(U//FOUO) Staffing", "body", "classification.en.cui"),
    ],
)
def test_short_forms_bordered_by_punctuation_or_other_scripts_are_found(text, role, entry):
    assert entry in entries_found(text, role)


def test_only_short_latin_triggers_are_whole_words():
    # CJK, Cyrillic and Hangul triggers run on without spaces or are no ASCII letters:
    # '机密计算' must still open 机密's rules, 'ДСП' inside a Russian word too.
    assert windows("他们讨论了机密计算") != []
    assert any(
        len(t) <= WHOLE_WORD_LETTERS and not t.isascii()
        for rule in RULES.marking_rules.values()
        for t in rule.triggers
    )


def _surroundings(form: str, position: str) -> list[tuple[str, str]]:
    """Realistic (text, role) placements of ``form`` in ``position``: at a line start, in
    brackets, after '//' or a field label, in a banner, beside Chinese text."""
    upper = form if _is_cjk(form) else form.upper()
    if position == "banner":
        return [
            (t, "body")
            for t in (
                upper,
                f"{upper}//NOFORN",
                f"*** {upper} ***",
                f"Intro\n{upper}\nBody text here.",
                f"项目说明\n{upper}\n正文内容",
                f"Cover\t{upper}\tPage 2",
            )
        ]
    if position == "labelled":
        return [(f"Security classification: {form}", "body"), (f"Protective marking:{upper}", "body")]
    if position == "bracketed":
        return [
            (t, "body")
            for t in (
                f"[{form}] Staffing plan",
                f"({upper}) Staffing plan",
                f"关于【{form}】的通知",
                f"See the plan [{upper}] attached.",
                f"计划（{upper}）附件",
            )
        ]
    if position == "subject":
        return [
            (t, "subject")
            for t in (
                f"RE: [{form}] plans",
                f"{upper}: plans",
                f"RE: {upper}: plans",
                f"Fwd: {upper} - plans",
            )
        ]
    if position in ("stamp", "running"):
        return [(form, "header"), (f"{form}\n", "footer")]
    if position == "cell":
        return [(f"Marking\t{form}\t", "cell")]
    if position == "notice":
        return [(f"{form} - for the board only", "footer")]
    if position in ("filename", "filename-anycase"):
        return [
            (t, "filename")
            for t in (f"{upper}_plan.docx", f"plan-{upper}.pdf", f"({upper}) plan.xlsx", f"{upper}.txt")
        ]
    assert position == "property", position
    return [(form, "property")]


@pytest.mark.parametrize("entry", RULES.entries, ids=lambda e: e.id)
def test_every_vocabulary_form_is_found_in_every_position_of_its_entry(entry):
    missed = [
        (text, role)
        for form in entry.forms
        for position in entry.positions
        for text, role in _surroundings(form, position)
        if entry.id not in entries_found(text, role)
    ]
    assert missed == []


# -- where a rule's pattern is tried in a window ------------------------------------------


@pytest.mark.parametrize(
    "pattern, begins",
    [
        (r"^\s*(?:SECRET|CONFIDENTIAL)", (False, "")),  # the window's start alone
        (r"(?:^|(?<=\t))[\s*]*(?i:secret)|(?<![A-Za-z])[\[(]x", (True, "([")),
        (r"(?<=\t)x|^y(?=\t)", (True, "")),
        (r"\(S\)", (False, "(")),
    ],
)
def test_a_pattern_that_begins_at_known_places_is_read_so(pattern, begins):
    starts = match_starts(re.compile(pattern))
    assert starts is not None
    assert (starts.after_tab, "".join(sorted(starts.chars))) == begins


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?i)\bsecret",
        r"x|",
        r"(?:[ab]|)c",
        r"(?m)^x",
        r"(?i:ab)c",
        r"[^a]x",
        r"\w+",
        r"(?=a)|b",
    ],
)
def test_a_pattern_that_may_begin_anywhere_is_searched_everywhere(pattern):
    assert match_starts(re.compile(pattern)) is None


class CountingPattern:
    """A pattern that counts the places it is tried at."""

    def __init__(self, pattern: str) -> None:
        self.compiled = re.compile(pattern)
        self.pattern, self.flags, self.tried = pattern, self.compiled.flags, 0

    def match(self, text: str, at: int) -> re.Match[str] | None:
        self.tried += 1
        return self.compiled.match(text, at)


def test_a_line_anchored_rule_is_tried_at_the_line_start_tabs_and_brackets_only():
    rule = RULES.marking_rules["classification.us.official_use_abbreviation"]
    pattern = CountingPattern(rule.pattern.pattern)
    starts = match_starts(rule.pattern)
    window = "sales and files of the regional office " * 20 + "(SBU) staffing\tLES\t"
    found = starts.finditer(pattern, window)
    assert [m.group().strip("\t ()") for m in found] == ["SBU", "LES"]
    assert pattern.tried <= 4  # the start, the bracket, the tab, not 800 characters
    assert [m.span() for m in found] == [m.span() for m in rule.pattern.finditer(window)]


def test_rules_looking_for_the_same_places_share_them_in_a_window():
    # The engine finds a window's places once for every rule whose starts have one key.
    first = match_starts(RULES.marking_rules["classification.eu.agency"].pattern)
    second = match_starts(RULES.marking_rules["classification.us.secret"].pattern)
    assert first.key() == second.key()
    window = "notes (draft) on the [SECRET] plan\tlater (ECB CONFIDENTIAL)"
    places = first.starts(window)
    assert places == second.starts(window) and places[0] == 0
    for rule_id in ("classification.eu.agency", "classification.us.secret"):
        pattern = RULES.marking_rules[rule_id].pattern
        expected = [m.span() for m in pattern.finditer(window)]
        assert expected
        assert [m.span() for m in match_starts(pattern).finditer(pattern, window, places)] == expected


def test_an_empty_match_is_left_to_finditer():
    pattern = re.compile(r"(?:^|(?<=\t))x?")
    starts = match_starts(pattern)
    for text in ("a\tx\t", "x\t\tx", "\t"):
        expected = [m.span() for m in pattern.finditer(text)]
        assert [m.span() for m in starts.finditer(pattern, text)] == expected


def _placements(text: str) -> list[str]:
    line = text.split(" ", 1)[1] if text.startswith("@") and " " in text else text
    return [line, f"x\t{line}\t", f"[{line}] y", f"Note ({line})\tz", f"\t\t{line}", f"(S) {line}"]


def test_every_rule_finds_the_same_matches_where_it_is_tried_as_everywhere():
    engine = MarkingEngine(RULES)
    texts = {
        placed
        for rule in RULES.marking_rules.values()
        for text in (*rule.examples, *rule.counter_examples)
        for placed in _placements(text)
    }
    texts |= {
        placed
        for entry in RULES.entries
        for text in (*entry.examples, *entry.counter_examples)
        for placed in _placements(text)
    }
    for rule in RULES.marking_rules.values():
        trigger = rule.triggers[0].lower()
        for text in texts if rule.entry == "" else {t for t in texts if trigger in t.lower()}:
            window = despace(normalise(text).text)[0]
            # An alternative tried alone has only its own groups: the others' were None.
            assert [(m.span(), _groups(m)) for m in engine._found(rule, window)] == [
                (m.span(), _groups(m)) for m in rule.pattern.finditer(window)
            ], (rule.id, text)


def _groups(match: re.Match[str]) -> dict[str, str]:
    return {name: text for name, text in match.groupdict().items() if text is not None}


# -- alternatives a window lacks a needed character for -----------------------------------


def _needs(pattern: str) -> list[str | None] | None:
    starts = match_starts(re.compile(pattern))
    assert starts is not None
    return [arm.needs.pattern if arm.needs is not None else None for arm in starts.arms] or None


@pytest.mark.parametrize(
    "pattern, needs",
    [
        # A field label's colon after up to 40 characters; the level's letters are too common.
        (
            r"(?:^|(?<=\t))[\s*]*SECRET|(?:^|(?<=\t))(?P<f1>[^:\t\n]{1,40}?)\s*[:：]\s*(?i:secret)",
            [None, "[:：]"],
        ),
        # Either bracket of a nested alternation; the smallest class of a sequence.
        (r"(?:^|(?<=\t))x|(?<![A-Z])(?:\[\s*S\]|\(\s*S\))", [None, r"[\(\[]"]),
        (r"(?:^|(?<=\t))x|(?<=\t)[«»]y[«]", [None, "[«]"]),
        # A class beyond ASCII, in ranges; a letter without case counts under IGNORECASE.
        (r"(?:^|(?<=\t))x|(?i:^[\u0E00-\u0EFF]{1,4} ok)", [None, "[\u0e00-\u0eff]"]),
        # Nothing a match must hold but letters, blanks, a look-around's colon, an optional one.
        (r"(?:^|(?<=\t))x|(?<=:)\(y|^\(?z:?", [None, r"[\(]", None]),
    ],
)
def test_an_alternative_needs_a_character_read_from_its_pattern(pattern, needs):
    assert _needs(pattern) == needs


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?:^|(?<=\t))x|^y",  # no alternative needs a rare character
        r"(?:^|(?<=\t))(x)|^\1:",  # a back reference: its number means another group alone
        r"(?i)(?:^|(?<=\t))x|^y:",  # an inline global flag belongs to the first part only
        r"x:a|x:b",  # the parser took the common prefix out
        r"^(?i:é):",  # one alternative: the whole pattern
    ],
)
def test_a_pattern_not_cut_into_alternatives_is_tried_whole(pattern):
    assert _needs(pattern) is None


def test_a_bar_or_bracket_inside_a_class_does_not_cut_the_pattern():
    # '|' and ':' each alone make the second alternative's smallest class: the first counts.
    assert _needs(r"(?:^|(?<=\t))x|^[|]:|^[]|(]y") == [None, r"[\|]", r"[\(\]\|]"]


def _window(text: str) -> str:
    return despace(normalise(text).text)[0]


def test_a_labelled_level_is_found_when_the_window_holds_its_labels_colon():
    # A colon (or a quote mark opening the value) is what the field label's alternative
    # needs, and the one colon in this window: the pre-test is just met, and the
    # alternative finds the level.
    rule = RULES.marking_rules["classification.us.secret"]
    needs = [arm.needs for arm in match_starts(rule.pattern).arms if arm.needs is not None]
    labelled = [n for n in needs if n.fullmatch(":") and n.fullmatch("：")]
    assert labelled and not labelled[0].search("Classification Secret - plans, 2024")
    for text in ("Classification: Secret", "Classification：Secret", "\tGrading:  secret\t"):
        window = _window(text)
        found = [m.span() for m in ENGINE._found(rule, window)]
        assert found and found == [m.span() for m in rule.pattern.finditer(window)], text
    assert {m.rule.id for m in ENGINE.matches("Classification: Secret")} >= {"classification.us.secret"}


def test_a_window_without_a_colon_leaves_the_labelled_alternative_out_and_no_match_is_lost():
    # No colon: the field label's alternative cannot match and is not tried, and the
    # whole pattern (every alternative) finds nothing either.
    rule = RULES.marking_rules["classification.us.secret"]
    for text in ("Classification Secret", "Classification - Secret", "Classification; Secret"):
        window = _window(text)
        assert list(ENGINE._found(rule, window)) == []
        assert list(rule.pattern.finditer(window)) == []
    assert ENGINE.matches("Classification Secret") == []


def test_a_rule_whose_every_alternative_needs_a_character_is_not_tried_without_one():
    rule = RULES.marking_rules["classification.ca.french_levels"]
    assert {arm.needs.pattern for arm in match_starts(rule.pattern).arms} == {"[/]"}
    counted = CountingPattern(rule.pattern.pattern)
    starts = match_starts(rule.pattern)
    window = "CONFIDENTIAL CONFIDENTIEL plans"
    assert list(ENGINE._found(rule, window)) == []
    assert list(rule.pattern.finditer(window)) == []
    assert starts.finditer(counted, window, arms=[]) == [] and counted.tried == 0
    slashed = "CONFIDENTIAL / CONFIDENTIEL"
    found = [m.span() for m in ENGINE._found(rule, slashed)]
    assert found and found == [m.span() for m in rule.pattern.finditer(slashed)]
