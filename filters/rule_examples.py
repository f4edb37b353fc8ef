"""Every marking rule and vocabulary entry against its own examples and counter-examples.

``redline rules check`` and the test suite run this, so a rule file whose examples no
longer match (or whose counter-examples do) is caught before it is deployed. An example
may name the role it is read in: ``"@header Confidential"``, ``"@filename plan-DRAFT.docx"``.
Without a role, a rule's example is read in the rule's first role (``body`` for rules
that read every role); an entry's example may match in any role and its counter-examples
must match in none of body, subject and title.
"""

from __future__ import annotations

from filters.engines.markings import MarkingEngine
from filters.rules import RuleSet
from filters.types import ROLES

PROSE_ROLES = ("body", "subject", "title")
ANY_ROLES = ("body", "header", "footer", "title", "subject", "cell", "property", "filename")


def split_role(example: str) -> tuple[str | None, str]:
    """(role, text) of an example written ``@role text``; (None, text) without one."""
    if example.startswith("@"):
        role, _, text = example[1:].partition(" ")
        if role in ROLES:
            return role, text
    return None, example


def problems(rules: RuleSet) -> list[str]:
    """What is wrong: examples that do not match, counter-examples that do."""
    engine = MarkingEngine(rules)
    out: list[str] = []

    def ids(text: str, role: str) -> set[str]:
        return {m.rule.id for m in engine.matches(text, role)}

    for rule in rules.marking_rules.values():
        if rule.entry:
            continue
        default = sorted(rule.roles)[0] if rule.roles else "body"
        name = sorted(rule.names)[0] if rule.names else ""
        for example in rule.examples:
            role, text = split_role(example)
            if rule.id not in {m.rule.id for m in engine.matches(text, role or default, name)}:
                out.append(f"{rule.source}: example {example!r} does not match")
        for example in rule.counter_examples:
            role, text = split_role(example)
            if rule.id in {m.rule.id for m in engine.matches(text, role or default, name)}:
                out.append(f"{rule.source}: counter-example {example!r} matches")
    generated: dict[str, set[str]] = {}
    for rule in rules.marking_rules.values():
        if rule.entry:
            generated.setdefault(rule.entry, set()).add(rule.id)
    for entry in rules.entries:
        mine = generated.get(entry.id, set())
        for example in entry.examples:
            role, text = split_role(example)
            if not any(ids(text, r) & mine for r in ((role,) if role else ANY_ROLES)):
                out.append(f"{entry.source}: example {example!r} does not match")
        for example in entry.counter_examples:
            role, text = split_role(example)
            for r in (role,) if role else PROSE_ROLES:
                found = ids(text, r) & mine
                if found:
                    out.append(f"{entry.source}: counter-example {example!r} matches "
                               f"({', '.join(sorted(found))} in {r})")
    # A context's examples are lines it covers: no rule of its category may match them.
    for context in rules.contexts:
        for example in context.examples:
            role, text = split_role(example)
            found = {m.rule.id for m in engine.matches(text, role or "body")
                     if not context.category or m.rule.category == context.category}
            if found:
                out.append(f"context {context.description[:40]!r}: example {example!r} matches "
                           f"({', '.join(sorted(found))})")
    return out
