"""Policy (config section [policy]): turns hits into pass, quarantine or reject.

Listeners never look at hits themselves; they act on the Verdict this decides.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass

from filters.config import option
from filters.types import ACTIONS, SEVERITIES, Hit, severity_rank


@dataclass(frozen=True, slots=True)
class PolicyConfig:
    """Which hits count and what they lead to."""

    min_severity: str = option(
        "medium", "Hits below this severity are reported but do not change the verdict.",
        choices=SEVERITIES,
    )
    default_action: str = option(
        "quarantine", "Action for a counted hit when neither rule nor category names one.",
        choices=ACTIONS,
    )
    category_actions: dict[str, str] = option(
        {"signup": "reject"}, "Action per hit category, e.g. { draft = \"quarantine\" }."
    )
    rule_actions: dict[str, str] = option(
        {}, "Action per rule id or glob (\"limit.*\"); wins over rule meta and category."
    )

    def __post_init__(self) -> None:
        from filters.errors import ConfigError

        for table, actions in (("category_actions", self.category_actions),
                               ("rule_actions", self.rule_actions)):
            for key, action in actions.items():
                if action not in ACTIONS:
                    raise ConfigError(
                        f"config key policy.{table}.{key}: expected one of "
                        f"{', '.join(ACTIONS)}, got {action!r}"
                    )


class Policy:
    """Decides a Verdict action from hits according to a PolicyConfig."""

    def __init__(self, config: PolicyConfig | None = None) -> None:
        self.config = config or PolicyConfig()
        self._min_rank = severity_rank(self.config.min_severity)

    def counts(self, hit: Hit) -> bool:
        """True when ``hit`` is severe enough to influence the verdict."""
        return severity_rank(hit.severity) >= self._min_rank

    def action_for(self, hit: Hit) -> str:
        """The action one counted hit asks for."""
        for pattern, action in self.config.rule_actions.items():
            if hit.rule == pattern or fnmatch.fnmatchcase(hit.rule, pattern):
                return action
        if hit.action in ACTIONS:
            return hit.action  # type: ignore[return-value]
        return self.config.category_actions.get(hit.category, self.config.default_action)

    def decide(self, hits: Iterable[Hit]) -> str:
        """``pass``, ``quarantine`` or ``reject``: the strongest action any counted hit asks."""
        strongest = 0
        for hit in hits:
            if self.counts(hit):
                strongest = max(strongest, ACTIONS.index(self.action_for(hit)))
        return ACTIONS[strongest]
