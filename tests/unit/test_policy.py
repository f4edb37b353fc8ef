"""Policy maps hits to pass / quarantine / reject as configured."""

import pytest

from filters.config import load_section
from filters.errors import ConfigError
from filters.policy import Policy, PolicyConfig
from filters.types import Hit


def hit(rule="r", category="classification", severity="high", action=None):
    return Hit(rule=rule, category=category, severity=severity, where="w", excerpt="e", action=action)


def test_no_hits_pass():
    assert Policy().decide([]) == "pass"


def test_default_is_quarantine_and_low_severity_is_only_reported():
    policy = Policy()
    assert policy.decide([hit()]) == "quarantine"
    assert policy.decide([hit(severity="low")]) == "pass"


def test_category_rule_and_meta_actions():
    config = load_section(PolicyConfig, {"category_actions": {"draft": "reject"},
                                         "rule_actions": {"limit.*": "reject"}}, "policy")
    policy = Policy(config)
    assert policy.decide([hit(category="draft")]) == "reject"
    assert policy.decide([hit(rule="limit.max_depth", category="policy")]) == "reject"
    assert policy.decide([hit(action="reject")]) == "reject"
    assert policy.decide([hit(severity="medium")]) == "quarantine"


def test_strongest_action_wins():
    policy = Policy(PolicyConfig(category_actions={"signup": "reject"}))
    assert policy.decide([hit(), hit(category="signup")]) == "reject"


def test_invalid_action_names_the_key():
    with pytest.raises(ConfigError, match=r"policy\.category_actions\.draft"):
        load_section(PolicyConfig, {"category_actions": {"draft": "hold"}}, "policy")


def test_invalid_severity_names_the_key():
    with pytest.raises(ConfigError, match=r"policy\.min_severity: expected one of"):
        load_section(PolicyConfig, {"min_severity": "urgent"}, "policy")
