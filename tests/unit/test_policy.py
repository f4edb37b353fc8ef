"""Policy maps hits to pass / monitor / quarantine / reject as configured."""

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


def test_monitor_mode_turns_quarantine_and_reject_into_monitor_but_passes_stay_passes():
    policy = Policy(load_section(PolicyConfig, {"mode": "monitor"}, "policy"))
    assert policy.decide([hit()]) == "monitor"
    assert policy.decide([hit(category="signup")]) == "monitor"
    assert policy.enforced([hit(category="signup")]) == "reject"
    assert policy.decide([hit(severity="low")]) == "pass"
    assert policy.decide([]) == "pass"


def test_a_category_or_rule_set_to_monitor_never_weakens_another_hit():
    config = load_section(PolicyConfig, {"category_actions": {"draft": "monitor",
                                                              "signup": "reject"},
                                         "rule_actions": {"org.codeword.*": "monitor"}},
                          "policy")
    policy = Policy(config)
    assert policy.decide([hit(category="draft")]) == "monitor"
    assert policy.decide([hit(rule="org.codeword.osprey", category="codeword")]) == "monitor"
    # A monitored draft beside a classification marking: the marking is still held.
    assert policy.decide([hit(category="draft"), hit()]) == "quarantine"
    assert policy.decide([hit(category="draft"), hit(category="signup")]) == "reject"


def test_invalid_mode_names_the_key():
    with pytest.raises(ConfigError, match=r"policy\.mode: expected one of enforce, monitor"):
        load_section(PolicyConfig, {"mode": "audit"}, "policy")
    with pytest.raises(ConfigError, match=r"policy\.monitor_keep_content: expected true or false"):
        load_section(PolicyConfig, {"monitor_keep_content": "yes"}, "policy")
