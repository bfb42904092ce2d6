"""Kafka Connect single message transform (SMT) chains as data, turned into connector properties.

A chain is an ordered tuple of :class:`Smt` plus the :class:`Predicate` objects they refer to.
:meth:`SmtChain.properties` gives the ``transforms``/``transforms.<name>.*`` and
``predicates``/``predicates.<name>.*`` properties; :meth:`SmtChain.then` appends one chain to
another (names must stay unique, so compilers prefix their names).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Predicate", "Smt", "SmtChain"]


@dataclass(frozen=True)
class Predicate:
    name: str
    type: str
    config: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Smt:
    name: str
    type: str
    config: dict[str, str] = field(default_factory=dict)
    predicate: str | None = None  # name of a Predicate in the same chain
    negate: bool = False
    note: str = ""  # why this step exists (for reports; not a property)


@dataclass(frozen=True)
class SmtChain:
    transforms: tuple[Smt, ...] = ()
    predicates: tuple[Predicate, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.transforms)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.transforms)

    def then(self, other: SmtChain) -> SmtChain:
        """This chain followed by ``other``; raises ValueError on a name clash (a compiler bug, not user input)."""
        names = set(self.names)
        clash = names & set(other.names)
        predicate_clash = {p.name for p in self.predicates} & {p.name for p in other.predicates}
        if clash or predicate_clash:
            raise ValueError(f"SMT name clash: {sorted(clash | predicate_clash)}")
        return SmtChain(self.transforms + other.transforms, self.predicates + other.predicates)

    def properties(self) -> dict[str, str]:
        """Connector properties for this chain (empty when the chain is empty)."""
        props: dict[str, str] = {}
        if not self.transforms:
            return props
        props["transforms"] = ",".join(self.names)
        for smt in self.transforms:
            props[f"transforms.{smt.name}.type"] = smt.type
            for key, value in smt.config.items():
                props[f"transforms.{smt.name}.{key}"] = value
            if smt.predicate:
                props[f"transforms.{smt.name}.predicate"] = smt.predicate
                if smt.negate:
                    props[f"transforms.{smt.name}.negate"] = "true"
        used = {smt.predicate for smt in self.transforms if smt.predicate}
        predicates = [p for p in self.predicates if p.name in used]
        if predicates:
            props["predicates"] = ",".join(p.name for p in predicates)
            for predicate in predicates:
                props[f"predicates.{predicate.name}.type"] = predicate.type
                for key, value in predicate.config.items():
                    props[f"predicates.{predicate.name}.{key}"] = value
        return props
