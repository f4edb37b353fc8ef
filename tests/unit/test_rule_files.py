"""Rule files that are wrong stop the load with an error naming the file and the rule."""

import pytest

from filters.errors import RuleError
from filters.rules import load_rules

GOOD = '''
[[rule]]
id = "org.project_x"
category = "custom"
severity = "high"
description = "Project X code name"
triggers = ["BLUEFIN"]
pattern = "\\\\bBLUEFIN\\\\b"
'''


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_organisation_rule_file_adds_a_marking(tmp_path):
    rules = load_rules([write(tmp_path, "org.toml", GOOD)])
    assert "org.project_x" in rules.marking_rules


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace('"\\\\bBLUEFIN\\\\b"', '"(unclosed"'), "pattern does not compile"),
        (GOOD.replace('severity = "high"', 'severity = "huge"'), "severity must be one of"),
        (GOOD + 'colour = "red"\n', "unknown key 'colour'"),
        (GOOD.replace('triggers = ["BLUEFIN"]', "triggers = []"), "triggers must be"),
        (GOOD + GOOD, "duplicate rule id"),
        ("[[rule]\n", "not valid TOML"),
        (GOOD.replace('id = "org.project_x"', 'id = "Bad Id"'), "id must be"),
    ],
)
def test_bad_marking_rule_is_refused_with_a_clear_error(tmp_path, text, message):
    path = write(tmp_path, "org.toml", text)
    with pytest.raises(RuleError, match=message) as info:
        load_rules([path])
    assert "org.toml" in str(info.value)


def test_yara_file_that_does_not_compile_is_refused(tmp_path):
    path = write(tmp_path, "broken.yar", "rule x { strings: $a = \"x\" condition: $b }")
    with pytest.raises(RuleError, match=r"broken\.yar does not compile"):
        load_rules([path])


def test_yara_meta_is_validated(tmp_path):
    path = write(tmp_path, "meta.yar",
                 'rule y { meta: severity = "urgent" strings: $a = "x" condition: $a }')
    with pytest.raises(RuleError, match="meta severity"):
        load_rules([path])


def test_missing_rule_path_is_an_error(tmp_path):
    with pytest.raises(RuleError, match="does not exist"):
        load_rules([tmp_path / "nope"])


def test_config_adds_inline_rules_and_disclaimers():
    from filters.build import FiltersConfig, build_pipeline
    from filters.types import Part

    config = FiltersConfig.from_mapping({"rules": {
        "custom": [{"id": "org.caveat.eyes_only", "category": "classification", "severity": "high",
                    "description": "The EYES ONLY caveat used by this organisation.",
                    "triggers": ["EYES ONLY"], "pattern": r"\bEYES ONLY\b"}],
        "disclaimers": ["CONFIDENTIAL\nThis message is intended only for the named recipient."],
    }})
    pipeline = build_pipeline(config)
    custom = pipeline.scan(Part(origin="m.txt", data=b"Minister EYES ONLY\nbrief"))
    assert [h.rule for h in custom.hits] == ["org.caveat.eyes_only"]
    footer = b"Regards,\nAna\n\nCONFIDENTIAL\nThis message is intended only for the\nnamed recipient.\n"
    assert pipeline.scan(Part(origin="m.txt", data=footer)).action == "pass"
    # Without the disclaimer configured, the same banner-like line is held.
    assert build_pipeline().scan(Part(origin="m.txt", data=footer)).action == "quarantine"
    # A marking outside the disclaimer still counts.
    marked = footer.replace(b"Regards", b"SECRET\nRegards")
    assert pipeline.scan(Part(origin="m.txt", data=marked)).action == "quarantine"


def test_bad_inline_rule_names_the_config():
    from filters.build import FiltersConfig, build_pipeline

    config = FiltersConfig.from_mapping({"rules": {"custom": [{"id": "x"}]}})
    with pytest.raises(RuleError, match=r"config \[\[rules.custom\]\] #1"):
        build_pipeline(config)
