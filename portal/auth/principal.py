"""Who is asking: anonymous visitors, analysts holding grants, catalogue administrators."""
from __future__ import annotations

from dataclasses import dataclass, field

# Governance categories (codes from indexer/codelists) that are sensitive.
SENSITIVE_CATEGORIES = frozenset({"internal", "personal", "secret", "security"})


@dataclass(frozen=True)
class Grant:
    """What one grant lets an analyst discover.

    ``organizations`` is ``None`` for "all organizations", otherwise organization slugs.
    ``max_level`` is the highest classification level covered (1 open … 5 ลับที่สุด top secret).
    ``full`` adds the full tier (description, tags, contacts, resources) to the name tier.
    """

    categories: frozenset[str]
    max_level: int
    organizations: frozenset[str] | None = None
    full: bool = False


@dataclass(frozen=True)
class Principal:
    kind: str = "anonymous"  # "anonymous" | "analyst" | "admin"
    username: str | None = None
    grants: tuple[Grant, ...] = field(default_factory=tuple)

    @property
    def is_admin(self) -> bool:
        return self.kind == "admin"

    @property
    def is_anonymous(self) -> bool:
        return self.kind == "anonymous"


ANONYMOUS = Principal()
