"""The marking vocabulary: markings as data, compiled into position-aware marking rules.

A vocabulary file (``yara-rules/markings/<system>.toml``) lists the markings of one
marking system as ``[[marking]]`` entries: the forms people write (``TOP SECRET``,
``RESTREINT UE``, ``机密``), the positions where those forms are a marking, a category and
severity, examples and counter-examples. ``[[tail]]`` entries name what may follow a
level on its line (caveats such as ``UK EYES ONLY`` or ``ATOMAL``, a Chinese period
``★5年``, a Taiwanese declassification condition, a draft's version number);
``[[field]]`` entries name the labels that introduce a level (``Classification:``,
``密级：``). The compiler here writes the regular expressions, one rule per position, so
a new level or caveat is one line of data and every position treats it alike.

Positions (what makes a form a marking rather than a word):

- ``banner``: a line (or table cell) that is only the marking, in upper case: any text.
- ``stamp``: a line that is only the marking, in any letter case, where only markings
  stand alone: page headers and footers, slide masters, watermarks, titles, subjects,
  properties, a spreadsheet row, and the first or last line of a page or body. Position,
  not case, decides.
- ``running``: a line that is only the marking, in any letter case, in a page header or
  footer (and the watermark Word keeps there): for words that also stand alone as slide
  titles or headings in another language (the Dutch ``Concept``, the Polish ``Projekt``).
- ``cell``: alone in a table cell (between tabs) in any letter case; left out for levels
  that are also everyday words in tables (``Reservado`` on a booking sheet).
- ``labelled``: after a field label at a line start (``Classification: Secret``); in a script
  without blanks between words also after a blank, the line being label and level alone
  (``ชั้นความลับ ลับมาก``).
- ``subject``: at the start of a subject or title, before a separator (``SECRET: plans``,
  ``机密 工作通知``), behind ``Re:``/``Fwd:`` prefixes and ``[EXTERNAL]`` tags.
- ``bracketed``: in brackets anywhere in a line (``【公司秘密】``, ``[RESTRICTED]``).
- ``notice``: at the start of a header, footer or edge line, followed by a separator and a
  handling text (``Confidential – uso exclusivo de …``).
- ``filename``: a separate token of a file name in upper case (``SECRET_plan.docx``,
  ``机密_名单.xlsx``); ``filename-anycase`` in any case and, for CJK forms, also glued to
  the word before (``contrato_borrador_v2.docx``, ``計畫草稿.docx``), for words whose
  other senses ``unless`` rules out (``draft_beers_menu.xlsx``).
- ``property``: the whole value of a document property.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from filters.errors import RuleError
from filters.normalise import normalise
from filters.types import ACTIONS, SEVERITIES

POSITIONS = ("banner", "stamp", "running", "cell", "labelled", "subject", "bracketed", "notice",
             "filename", "filename-anycase", "property")
# Roles where a marking standing alone is a stamp: text that is not running prose.
STAMP_ROLES = ("header", "footer", "title", "subject", "property", "cell", "sheet")
# Positions that read every role line by line: compiled into one rule named after the
# entry itself; the others get a rule each, named ENTRY.POSITION.
ANYWHERE = ("banner", "labelled", "bracketed")
# Roles of page headers and footers: where a word alone on a line is a running stamp.
RUNNING_ROLES = ("header", "footer")
# Roles where a marking opens a handling notice ('Confidential - for the board only').
NOTICE_ROLES = ("header", "footer", "cell")
# Roles read only at their first and last line for stamps (a page, a mail body).
EDGE_ROLES = ("body", "note", "comment")

PRE = r"[\s*#=_|\[(<«【〔（「~★-]*"
# No colon after a level: "CONFIDENTIAL:" on a line of its own heads a disclaimer.
POST = r"[\s*#=_|\])>»】〕）」』\"”’›.~-]*"
START = r"(?:^|(?<=\t))"
# A quote mark that may open a field's value ('Classification: "Confidential"').
OPEN_QUOTE = "[\"'«‹“„‘‚「『]?\\s*"
# A quote mark that opens a field's value after the label and a blank, with no colon: the
# Russian 'Гриф «Секретно»' (a label, then its level in guillemets) and 'Classification
# "Secret"'. The quote is what makes the blank part a label from its value: a blank
# alone runs a sentence on ('Classification secret …').
QUOTED = "[ \u00a0]+[\"«‹“„「『]\\s*"
# Letters of words written with spaces between them: a bracketed Latin marking stands apart
# from them ('--delete-[secret-]key' is an option), while Chinese runs on without spaces.
LATIN_WORD = r"A-Za-z0-9\u00C0-\u024F-"
# Scripts that leave no blank between words: Thai, Lao, Burmese, Khmer.
UNSPACED = r"\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF"
END = r"(?=\t|$)"
# Reply and forward prefixes (any case, as Gmail, Outlook, Apple Mail, Thunderbird, Bat!
# and Chinese clients write them) and the tags mail systems put in front.
SUBJECT_PREFIX = (r"(?:(?i:RE|FWD?|AW|WG|TR|RV|RIF|R|SV|VS|ANTW|REF|RES|ENC|EXT|EXTERNAL|EXTERNO)"
                  r"(?:\[\d{1,3}\])?\s*[:：]\s*|(?:答复|回复|回覆|转发|转寄|轉寄)\s*[:：]\s*"
                  r"|\[[^\[\]]{1,40}\]\s*)*")
# Scripts written without spaces between words: Han and kana (社外秘 and ドラフト read as 机密
# does). Korean spaces its words, so Hangul forms are read as Latin ones are.
# Compiled when rules are (a cache miss): re builds a class of wide BMP ranges point by
# point, 3.5 ms that a start reading the rules from the cache need not pay.
_CJK = "[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]"


@dataclass(frozen=True, slots=True)
class Tail:
    """What may follow a level on its line: a caveat, period or qualifier (a regex)."""

    category: str
    pattern: str


# German umlauts as written where a keyboard or a system lacks them ('VS-NUR FUER DEN
# DIENSTGEBRAUCH', telex and ASCII mail): the base letter and an e.
UMLAUTS = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "ä": "ae", "ö": "oe", "ü": "ue"}


def _letter(ch: str) -> str:
    """A letter; an accented one also matches without its accent ('Ó' -> '[OÓ]'), an
    umlaut also as its two-letter spelling ('Ü' -> 'UE')."""
    base = unicodedata.normalize("NFD", ch)[0]
    if base == ch or not base.isascii():
        return re.escape(ch)
    if ch in UMLAUTS:
        return f"(?:[{base}{ch}]|{UMLAUTS[ch]})"
    return f"[{base}{ch}]"


def form_regex(form: str) -> str:
    """A regex for one written form: blanks, hyphens and accents as people vary them."""
    text = normalise(form).text.strip()
    out: list[str] = []
    for ch in text:
        if ch in " -_":
            if not out or out[-1] != r"[\s_-]*":
                out.append(r"[\s_-]*")
        elif ch == "/":
            out.append(r"\s*/\s*")
        elif ch == "&":
            out.append(r"\s*&\s*")
        elif ch == "\\":
            out.append(r"\s*\\\s*")
        else:
            out.append(_letter(ch))
    return "".join(out)


# Arabic-script letters that Persian, Urdu and Arabic keyboards write differently for one
# letter: Persian yeh and keheh beside Arabic yeh and kaf, and the final alef maksura.
ARABIC_SCRIPT_VARIANTS = str.maketrans({"ی": "ي", "ي": "ی", "ک": "ك", "ك": "ک", "ى": "ی"})


# Egyptian and Sudanese writing puts a dotless alef maksura for yeh at a word's end
# ('سرى جدا' for 'سري جدا').
ARABIC_FINAL_YEH = re.compile(r"[يی](?=\s|$)")


def script_variants(forms: Iterable[str]) -> list[str]:
    """The forms, and each Arabic-script form as the other keyboards write it ('سری' finds
    'سري' too) and with a final yeh written as alef maksura ('سرى'), so that one spelling
    in a vocabulary file finds them all."""
    out: list[str] = []
    for form in forms:
        for variant in (form, form.translate(ARABIC_SCRIPT_VARIANTS), ARABIC_FINAL_YEH.sub("ى", form)):
            if variant not in out:
                out.append(variant)
    return out


def case_variants(forms: Iterable[str]) -> list[str]:
    """The forms, and their upper, lower and sentence-case spellings where normalisation
    reads those differently.

    Normalisation folds Cyrillic and Greek letters that look Latin into Latin ones, and
    not alike in both cases ('СЛУЖЕБНОГО' -> 'CЛYЖEБHOГO', 'служебного' -> 'cлyжe6horo'),
    so ignoring case no longer matches one spelling with the other; each spelling people
    write is then a form of its own. Latin forms gain nothing.
    """
    out: list[str] = []
    for form in forms:
        out.append(form)
        base = normalise(form).text.casefold()
        for variant in (form.upper(), form.lower(), form[:1].upper() + form[1:].lower()):
            if variant not in out and normalise(variant).text.casefold() != base:
                out.append(variant)
    return out


def _alternation(forms: Iterable[str]) -> str:
    # Longest form first, so 'TOP SECRET' wins over 'SECRET' inside one alternation:
    # measured in letters, not regex text ('KONFIDENCIĀLI' writes '[AĀ]' and would else go
    # before 'KONFIDENCIALIAI', match its start, and leave 'AI' as a tail that fails);
    # then in code-point order, so that every process writes the same pattern (a set's
    # order changes with the hash seed, and replay tells rule sets apart by patterns).
    lengths: dict[str, int] = {}
    for form in forms:
        regex = form_regex(form)
        lengths[regex] = max(lengths.get(regex, 0), len(normalise(form).text.strip()))
    unique = sorted(lengths, key=lambda r: (-lengths[r], -len(r), r))
    return "(?:" + "|".join(unique) + ")"


@dataclass(frozen=True, slots=True)
class Entry:
    """One ``[[marking]]`` entry, checked."""

    id: str
    category: str
    severity: str
    description: str
    forms: tuple[str, ...]
    positions: tuple[str, ...]
    prefixes: tuple[str, ...]
    unless: str
    action: str | None
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    source: str


ENTRY_KEYS = {"id", "category", "severity", "description", "forms", "positions", "prefixes",
              "unless", "action", "examples", "counter_examples"}


def parse_entry(raw: Mapping[str, Any], where: str) -> Entry:
    """Check one ``[[marking]]`` table; RuleError names the file, entry and key."""
    unknown = sorted(set(raw) - ENTRY_KEYS)
    if unknown:
        raise RuleError(f"{where}: unknown key {unknown[0]!r}; known keys: {', '.join(sorted(ENTRY_KEYS))}")
    for key in ("id", "category", "severity", "description"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise RuleError(f"{where}: key {key!r} must be a non-empty string")
    where = f"{where} (marking {raw['id']})"
    if raw["severity"] not in SEVERITIES:
        raise RuleError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    forms = raw.get("forms")
    if not isinstance(forms, list) or not forms or not all(isinstance(f, str) and f.strip() for f in forms):
        raise RuleError(f"{where}: forms must be a non-empty list of the marking as written")
    positions = raw.get("positions")
    if not isinstance(positions, list) or not positions:
        raise RuleError(f"{where}: positions must be a non-empty list of {', '.join(POSITIONS)}")
    bad = [p for p in positions if p not in POSITIONS]
    if bad:
        raise RuleError(f"{where}: unknown position {bad[0]!r}; positions are {', '.join(POSITIONS)}")
    unless = raw.get("unless", "")
    if unless and not unless.isascii():
        # Rules read normalised text, where Cyrillic and Greek letters that look Latin are
        # folded: the context words are folded alike (ASCII, the regex syntax, is kept).
        unless = normalise(unless).text
    if unless:
        try:
            re.compile(unless)
        except re.error as exc:
            raise RuleError(f"{where}: unless does not compile: {exc}") from None
    action = raw.get("action")
    if action is not None and action not in ACTIONS:
        raise RuleError(f"{where}: action must be one of {', '.join(ACTIONS)}")
    return Entry(
        id=raw["id"], category=raw["category"], severity=raw["severity"],
        description=raw["description"], forms=tuple(forms), positions=tuple(positions),
        prefixes=tuple(raw.get("prefixes", ())), unless=unless, action=action,
        examples=tuple(raw.get("examples", ())),
        counter_examples=tuple(raw.get("counter_examples", ())), source=where,
    )


def parse_tail(raw: Mapping[str, Any], where: str) -> Tail:
    """Check one ``[[tail]]`` table: a category and a regex (or literal forms)."""
    unknown = sorted(set(raw) - {"category", "pattern", "forms", "description"})
    if unknown:
        raise RuleError(f"{where}: unknown key {unknown[0]!r}; a tail has category, pattern or forms, "
                        "description")
    category = raw.get("category")
    if not isinstance(category, str) or not category:
        raise RuleError(f"{where}: key 'category' must name the category the tail follows")
    if "pattern" in raw:
        pattern = raw["pattern"]
    elif isinstance(raw.get("forms"), list) and raw["forms"]:
        pattern = _alternation(raw["forms"])
    else:
        raise RuleError(f"{where}: a tail needs a pattern or a list of forms")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise RuleError(f"{where}: pattern does not compile: {exc}") from None
    return Tail(category=category, pattern=pattern)


@dataclass(frozen=True, slots=True)
class Grammar:
    """What generated patterns capture and leave to be checked, compiled once per category:
    a level's tail (upper-case and any-case readings) and the field label before it."""

    tail: re.Pattern[str]
    tail_anycase: re.Pattern[str]
    field: re.Pattern[str]


def grammar_for(tails: Iterable[Tail], category: str, forms: Iterable[str],
                fields: Iterable[str]) -> Grammar:
    """The grammar of one category: a second form of the category after a slash, a bar
    or a blank (a bilingual marking: 'CONFIDENTIAL / CONFIDENTIEL', 'CONFIDENCIAL 機密'), a
    CAPCO-style '//' block, then caveats, periods or qualifiers, each optionally after a
    separator or in brackets; nothing at all is a tail too."""
    alt = "|".join(f"(?:{t.pattern})" for t in tails if t.category == category)
    forms = list(forms)
    # The second form may also stand in brackets ('대외비 (Confidential)', '機密 (SECRET)')
    second = _alternation(forms) if forms else ""
    # or after a dash ('VERSCHLUSSSACHE – NUR FÜR DEN DIENSTGEBRAUCH').
    grammar = rf"(?:(?:\s*[/|]\s*|\s+|\s+[-–]\s+){second}|\s*\(\s*{second}\s*\))*" if forms else ""
    grammar += r"(?:\s*//\s*[A-Za-z0-9][A-Za-z0-9 ,/&-]*)?"
    if alt:
        # A caveat or descriptor may stand in brackets: 'OFFICIAL-SENSITIVE [LOCSEN]'.
        grammar += rf"(?:\s*(?:[-/:,|;.]\s*)?(?:{alt}|[\[(]\s*(?:{alt})\s*[\])]))*"
    grammar += POST  # trailing decoration, when the tail runs to the line's end
    field_alt = _alternation(case_variants(fields)) if fields else "(?!)"
    return Grammar(re.compile(grammar), re.compile(grammar, re.IGNORECASE),
                   re.compile(rf"\s*{field_alt}\s*", re.IGNORECASE))


def tail_ok(match: re.Match[str], grammar: Grammar) -> bool:
    """Whether every tail and field label a generated pattern captured is a known one."""
    for name, text in match.groupdict().items():
        if not text:
            continue
        kind = name[0]
        pattern = grammar.tail if kind == "t" else grammar.tail_anycase if kind == "i" else grammar.field
        if not pattern.fullmatch(text):
            return False
    return True


@functools.cache
def _cjk() -> re.Pattern[str]:
    return re.compile(_CJK)


def _is_cjk(form: str) -> bool:
    return bool(_cjk().search(form))


@dataclass(frozen=True, slots=True)
class Compiled:
    """One generated rule: everything ``filters.rules.MarkingRule`` needs."""

    id: str
    pattern: str
    flags: int
    roles: tuple[str, ...] | None
    edges: tuple[str, ...] | None
    scope: str
    triggers: tuple[str, ...]
    needs: str = ""  # a character the window must hold for the pattern to be tried


def compile_entry(entry: Entry, tails: Iterable[Tail], fields: Iterable[str],
                  disclaimers: Iterable[str] = ()) -> list[Compiled]:
    """The rules of one entry: one per position, patterns generated from its forms."""
    forms = tuple(script_variants(entry.forms))
    prefixes = entry.prefixes
    latin = [f for f in forms if not _is_cjk(f)]
    cjk = [f for f in forms if _is_cjk(f)]
    # What follows a level on its line is captured in a named group and checked against
    # the category's tail grammar (``tail_grammar``), compiled once for all entries:
    # written into every pattern it made them too large to compile quickly.
    slots = iter(range(1, 1000))

    def tail(sensitive: bool = False, *, to_end: bool = True) -> str:
        # Greedy to the line's end (trailing decoration is part of the tail grammar), or
        # lazy up to the separator or bracket that closes a subject head.
        lazy = "" if to_end else "?"
        return rf"(?P<{'t' if sensitive else 'i'}{next(slots)}>[^\t\n]*{lazy})"

    prefix = ""
    if prefixes:
        prefix = r"(?:" + _alternation(prefixes) + r"[\s_-]+)?"

    def level(alt: str) -> str:
        # A second form after a slash ('RESTREINT UE/EU RESTRICTED') is part of the tail.
        return rf"{prefix}{alt}"

    upper = _alternation(f.upper() for f in latin) if latin else ""
    # Forms in scripts without letter case (대외비, סודי, سري), apart for the banner.
    cased = [f for f in latin if f.upper() != f.lower()]
    caseless = _alternation(f for f in latin if f.upper() == f.lower()) if len(cased) < len(latin) else ""
    anycase = _alternation(case_variants(forms))
    cjk_alt = _alternation(cjk) if cjk else ""
    triggers = tuple(dict.fromkeys(t for f in case_variants(forms) for t in _triggers_of(f)))
    out: list[Compiled] = []

    # Positions read in any role, line by line, share one rule (one regex alternation):
    # a trigger word then opens one rule for them, not three.
    anywhere: list[str] = []

    def add(position: str, pattern: str, *, flags: int = 0, roles=None, edges=None,
            scope: str = "line") -> None:
        if position in ANYWHERE:
            # A bracketed level goes first: the banner branch also matches '[SECRET] plans'
            # (with '] plans' as its tail), and when the tail check then refuses it, the
            # regex has already passed over the bracketed reading at that position.
            anywhere.insert(0 if position == "bracketed" else len(anywhere), f"(?:{pattern})")
            return
        needs = "\t" if position == "cell" else ""
        out.append(Compiled(f"{entry.id}.{position}", pattern, flags, roles, edges, scope, triggers,
                            needs))

    for position in entry.positions:
        if position == "banner":
            # Upper case decides for Latin forms; CJK forms have no case, nor need their
            # tails ('初稿 v0.3').
            heads = []
            if cased:
                heads.append(rf"{level(_alternation(f.upper() for f in cased))}{tail(True)}")
            if caseless:
                # Hangul, Arabic, Hebrew, Thai … have no upper case to ask of the level, nor
                # then of a second form after it ('대외비 (Confidential)').
                heads.append(rf"{level(caseless)}{tail()}")
            if cjk:
                heads.append(rf"{level(cjk_alt)}{tail()}")
            add("banner", rf"{START}{PRE}(?:{'|'.join(heads)}){POST}{END}")
        elif position == "stamp":
            body = rf"{PRE}(?i:{level(anycase)}){tail()}{POST}"
            add("stamp", rf"^{body}$", roles=STAMP_ROLES + EDGE_ROLES, edges=EDGE_ROLES)
        elif position == "running":
            add("running", rf"^{PRE}(?i:{level(anycase)}){tail()}{POST}$", roles=RUNNING_ROLES)
        elif position == "cell":
            # A cell of a table row: bounded by a tab on at least one side.
            def body() -> str:
                return rf"{PRE}(?i:{level(anycase)}){tail()}{POST}"
            add("cell", rf"(?<=\t){body()}(?=\t|$)|^{body()}(?=\t)", roles=("cell", *EDGE_ROLES))
        elif position == "labelled" and fields:
            # The field label is captured and checked against the [[field]] forms, compiled
            # once, as tails are. The value may stand in quotes: 'Гриф: «Секретно»'.
            # Markdown and plain-text mail put emphasis round the label, the value or both
            # ('**Status:** Draft', 'Status: *DRAFT*'), as Gmail's text part writes bold.
            add("labelled", rf"{START}[\s*_]*(?P<f{next(slots)}>[^:：\t\n]{{1,40}}?)[*_]*"
                            rf"(?:\s*[:：][\s*_]*{OPEN_QUOTE}|{QUOTED})(?i:{level(anycase)}){tail()}{POST}{END}")
            # A table row puts the label and the level in cells of their own ('Гриф' | 'Для
            # служебного пользования'): a tab parts them as a colon does. A rule of its own:
            # in the shared one, a row's first cell taken for a label that then fails its
            # check would hide a banner in the next cell.
            out.append(Compiled(
                f"{entry.id}.labelled_cell",
                rf"{START}[\s*_]*(?P<f{next(slots)}>[^:：\t\n]{{1,40}}?)[*_]*\t"
                rf"[\s*_]*{OPEN_QUOTE}(?i:{level(anycase)}){tail()}{POST}{END}",
                0, None, None, "line", triggers, "\t"))
            # Scripts written without blanks between words (Thai, Lao, Khmer, Burmese) part a
            # field from its value with a blank: 'ชั้นความลับ ลับมาก' is the label and its level.
            # There the label, a blank and the level are the whole line; in spaced scripts a
            # label and a word after a blank are a sentence's opening ('Classification secret …').
            add("labelled", rf"{START}[\s*_]*(?P<f{next(slots)}>[{UNSPACED}]{{1,40}})[ \u00a0]+"
                            rf"{OPEN_QUOTE}(?i:{level(anycase)}){tail()}{POST}{END}")
        elif position == "subject":
            heads = []
            if latin:
                heads.append(rf"{level(upper)}{tail(True, to_end=False)}\s*(?:[:|：]|\s-\s|$)")
                # A level of several words is a marking before a separator in any case
                # ('Top Secret: convoy'); one word needs upper case ('Confidential: salary
                # review' is ordinary writing).
                several = [f for f in latin if len(normalise(f).text.split()) > 1]
                if several:
                    heads.append(rf"(?i:{level(_alternation(case_variants(several)))}){tail(to_end=False)}"
                                 r"\s*(?:[:|：]|\s-\s)")
            if cjk:
                heads.append(rf"{level(cjk_alt)}{tail(to_end=False)}\s*(?:[\s:|：,，-]|$)")
            bracket = rf"[\[【(（]\s*(?i:{level(anycase)}){tail(to_end=False)}\s*[\]】)）]"
            # Or at the end, after a dash or a bar ('Quarterly figures - CONFIDENTIAL'), in the
            # same case as at the start: upper case, or any case for several words.
            ends = []
            if latin:
                ends.append(rf"{level(upper)}{tail(True)}")
                if several:
                    ends.append(rf"(?i:{level(_alternation(case_variants(several)))}){tail()}")
            trailing = rf"|\S\s+[-–—|]\s+(?:{'|'.join(ends)})$" if ends else ""
            add("subject", rf"^\s*{SUBJECT_PREFIX}(?:{bracket}|{'|'.join(heads)}){trailing}",
                roles=("subject", "title", "property"), scope="value")
        elif position == "bracketed":
            # A bracketed marking stands apart from the words around it: '--delete-[secret-]key'
            # (an option's optional part) is no marking.
            square = (rf"(?<![{LATIN_WORD}])[\[【〔]\s*(?i:{level(anycase)}){tail(to_end=False)}\s*"
                      rf"[\]】〕](?![{LATIN_WORD}])")
            # Round brackets: normalisation folds '（' to '(', so both read alike. A Latin
            # level in round brackets must be upper case ('(SECRET)', not '(secret)').
            # An entry with both kinds of form ('案' and '안') reads each in its own way.
            inner = [rf"{level(alt)}{tail(sensitive, to_end=False)}"
                     for alt, sensitive in ((cjk_alt, False), (upper, True)) if alt]
            round_ = (rf"(?<![{LATIN_WORD}])[(（]\s*(?:{'|'.join(inner)})"
                      rf"\s*[)）](?![{LATIN_WORD}])")
            add("bracketed", rf"{square}|{round_}")
        elif position == "notice":
            # The handling text after the level must not be a mail disclaimer ('Confidential
            # - This communication may contain privileged information …'): prose about
            # confidentiality is no marking.
            guard = "|".join(f"(?:{d})" for d in disclaimers)
            guard = rf"(?!.*(?i:{guard}))" if guard else ""
            # A full stop parts a level from its notice only before a blank: 'VS-NfD.prf'
            # and 'Confidential.docx' are file names.
            sep = rf"\s*(?:[-:,|/;]|\.(?=\s))\s*{guard}\S"
            if "running" in entry.positions and "stamp" not in entry.positions:
                # A word read alone in any case only in page headers and footers (ПРОЕКТ,
                # PROJEKT: in sentence case it heads a project sheet) opens a notice in any
                # case there, and at a body's edge in upper case only ('Проект: внедрение
                # CRM' is a project plan's heading).
                add("notice", rf"{START}{PRE}(?i:{level(anycase)}){sep}", roles=NOTICE_ROLES)
                heads = "|".join(alt for alt in (upper, cjk_alt) if alt)
                out.append(Compiled(f"{entry.id}.notice_edge", rf"{START}{PRE}{level(f'(?:{heads})')}{sep}",
                                    0, EDGE_ROLES, EDGE_ROLES, "line", triggers))
            else:
                add("notice", rf"{START}{PRE}(?i:{level(anycase)}){sep}",
                    roles=NOTICE_ROLES + EDGE_ROLES, edges=EDGE_ROLES)
        elif position in ("filename", "filename-anycase"):
            sep_before = r"(?:^|[\s_.(\[【（+-])"
            sep_after = r"(?=[\s_.)\]】）+-]|$)"
            # Latin forms as a token between separators, in upper case unless the position
            # says any case; CJK forms need a separator after them ('机密计算白皮书.pdf' is
            # about confidential computing).
            alts = []
            if latin:
                token = _alternation(f.upper() for f in latin).replace(r"[\s_-]*", r"[\s_.-]*")
                if position == "filename-anycase":
                    token = f"(?i:{token})"
                alts.append(rf"{sep_before}{token}{sep_after}")
            if cjk:
                # Bounded on both sides ('成功的秘密-读书笔记.docx' is a book's title), or
                # glued on the left for words with no other sense ('計畫草稿.docx').
                before = "" if position == "filename-anycase" else sep_before
                alts.append(rf"{before}{cjk_alt}{sep_after}")
            add(position, "|".join(alts), roles=("filename",), scope="value")
        elif position == "property":
            add("property", rf"^\s*(?i:{level(anycase)}){tail()}\s*$", roles=("property",), scope="value")
    if anywhere:
        out.insert(0, Compiled(entry.id, "|".join(anywhere), 0, None, None, "line", triggers))
    return out


# Words too common in prose to open a rule on their own: a form made only of these is
# looked for as its whole phrase ('FOR REVIEW ONLY'), not by its longest word.
COMMON_WORDS = frozenset("""
review comment comments discussion distribution circulation internal official general
public personal preliminary document documento information informacion version
provisional company only use for not do the and of de del la el para uso press release
agreement contract minutes report plan budget policy proposal memo memorandum letter
statement strategy terms term sheet agenda briefing response speech announcement notice
accounts financial statements prospectus new second third first revised updated working
discussion consultation rough staff exposure review trabajo revision revisión discusión
comentarios aprobacion aprobación pendiente sujeto cambios segundo primer tercer nuevo
exclusivo interno oficial mat mission
""".split())


def _triggers_of(form: str) -> list[str]:
    """The strings YARA looks for to open a form's rules (YARA folds their case).

    The form's longest distinctive word ('SECRET' for 'TOP SECRET'), so spacing and
    joining variants still open the rule; when every word is common, the whole phrase,
    joined by a blank, a hyphen or an underscore.
    """
    text = normalise(form).text.strip()
    if _is_cjk(text):
        return [text]
    words = [w for w in re.split(r"[\s/&\\_.-]+", text) if w]
    # Short words ('EN', 'A', 'UE') occur inside every other word.
    distinctive = [w for w in words if w.lower() not in COMMON_WORDS and len(w) >= 4]
    if distinctive or len(words) == 1:
        # An accent-free word finds both 'DIFUSIÓN LIMITADA' and 'DIFUSION LIMITADA'.
        word = max(distinctive or words, key=lambda w: (w.isascii(), len(w)))
        # A word with no accent-free choice is also looked for without its accents: people
        # type 'Gizli' for 'GİZLİ' and 'TAJNE' for 'TAJNÉ' (the pattern takes both).
        bare = "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))
        bare = unicodedata.normalize("NFC", bare)
        # Not when that is an everyday word ('VERSIÓN' would open on every 'version').
        out = [word] if bare == word or bare.lower() in COMMON_WORDS else [word, bare]
        spelt = "".join(UMLAUTS.get(ch, ch) for ch in word)
        return [*out, spelt] if spelt != word and spelt.lower() not in COMMON_WORDS else out
    return [joiner.join(words) for joiner in (" ", "-", "_")]


# What _triggers_of splits a form into words at.
_WORD_SEPARATORS = re.compile(r"[\s/&\\_.-]+")


@dataclass(frozen=True, slots=True)
class Neighbours:
    """Where the forms of an entry put one of its trigger words: the letter or digit just
    before it and just after it, past blanks, hyphens and punctuation (each a one-character
    pattern that ignores case), or None where some form has nothing on that side.

    A form's pattern allows only such characters between its words, and despace only
    drops them, so a trigger found with another letter beside it ('needs' for NEED TO KNOW,
    'Please let' for PLEASE DO NOT CITE) is no part of any form.
    """

    before: re.Pattern[str] | None  # the character itself
    after: re.Pattern[str] | None  # from the word's end: the gap, then the character

    def fit(self, text: str, start: int, end: int) -> bool:
        """Whether the word at text[start:end] has the neighbours some form gives it."""
        if self.after is not None and self.after.match(text, end) is None:
            return False
        if self.before is not None:
            at = start
            while at and not text[at - 1].isalnum():
                at -= 1
            if not at or self.before.match(text, at - 1) is None:
                return False
        return True


def trigger_neighbours(entry: Entry) -> dict[str, Neighbours]:
    """For each trigger word of ``entry`` (upper case) that is one word of its forms, the
    characters its forms put beside it (``Neighbours``). Phrase and CJK triggers are not
    in it."""
    forms = case_variants(script_variants(entry.forms))
    triggers = {t.upper() for f in forms for t in _triggers_of(f) if not _WORD_SEPARATORS.search(t)}
    sides: dict[str, tuple[set[str] | None, set[str] | None]] = {}
    for form in forms:
        text = normalise(form).text.strip()
        if _is_cjk(text):
            continue
        words = [w for w in _WORD_SEPARATORS.split(text) if w]
        for i, word in enumerate(words):
            bare = "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))
            for key in {word.upper(), unicodedata.normalize("NFC", bare).upper()} & triggers:
                before, after = sides.setdefault(key, (set(), set()))
                # The nearest letter or digit of the word beside it; none (a word of
                # symbols, or no word): nothing is asked of that side.
                near = [ch for ch in words[i - 1] if ch.isalnum()][-1:] if i else []
                after_near = [ch for ch in words[i + 1] if ch.isalnum()][:1] if i + 1 < len(words) else []
                sides[key] = (
                    before.union(near) if before is not None and near else None,
                    after.union(after_near) if after is not None and after_near else None,
                )

    def one_of(chars: set[str] | None, gap: str = "") -> re.Pattern[str] | None:
        if chars is None:
            return None
        return re.compile(gap + "(?i:" + "|".join(sorted({_letter(ch) for ch in chars})) + ")")

    # [\W_]: what is no letter or digit (str.isalnum), as fit skips before the word.
    return {key: Neighbours(one_of(before), one_of(after, r"[\W_]*"))
            for key, (before, after) in sides.items()}


def marking_words(forms: Iterable[str]) -> frozenset[str]:
    """The upper-case words of at least three letters that ``forms`` are written with
    (and each without its accents): the words a look-alike digit or a hyphenated line
    break is undone into (``normalise.fold_marking_evasions``). Ideographs are left out."""
    out: set[str] = set()
    for form in forms:
        for word in re.findall(r"[^\W\d_]{3,}", normalise(form).text):
            if _is_cjk(word):
                continue
            word = word.upper()
            out.add(word)
            bare = "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))
            out.add(unicodedata.normalize("NFC", bare))
    return frozenset(out)
