"""One root exception, typed subclasses that keep the offending value.

Messages are French: they reach the editor's regulatory lead unchanged through the CLI and the
HTTP service. Each subclass keeps its context as attributes so that a portal can build its own
message or a machine-readable error without parsing text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class SegurPlanError(Exception):
    """Root of every error the engine raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class FieldProblem:
    """One problem at one place of an input document (``loc`` as dotted path).

    Its two serialisations, used everywhere a problem is shown: :meth:`text` for people,
    :meth:`as_dict` for JSON (CLI ``--json``, HTTP problem bodies, batch summaries).
    """

    loc: str
    message: str

    def text(self) -> str:
        """« loc : message » (just the message when the problem has no place)."""
        return f"{self.loc} : {self.message}" if self.loc else self.message

    def as_dict(self) -> dict[str, str]:
        return {"loc": self.loc, "message": self.message}


class InputError(SegurPlanError):
    """A user-supplied document (profile, pack, financing file) cannot be used."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        problems: Sequence[FieldProblem] = (),
    ) -> None:
        super().__init__(message)
        self.path = str(path) if path is not None else None
        self.problems = tuple(problems)

    def __str__(self) -> str:
        lines = [self.message]
        lines.extend(f"  - {p.text()}" for p in self.problems)
        return "\n".join(lines)


class ProfileError(InputError):
    """The solution profile is unreadable or invalid."""


class PackError(InputError):
    """A pack is unreadable, invalid or inconsistent."""

    def __init__(
        self,
        message: str,
        *,
        pack_id: str | None = None,
        path: Path | str | None = None,
        problems: Sequence[FieldProblem] = (),
    ) -> None:
        super().__init__(message, path=path, problems=problems)
        self.pack_id = pack_id


class UnknownPackError(SegurPlanError):
    """The profile names a pack that is not installed."""

    def __init__(self, pack_id: str, available: Sequence[str]) -> None:
        from .suggest import did_you_mean

        known = ", ".join(sorted(available)) or "aucun"
        super().__init__(f"Pack inconnu « {pack_id} » (referencement.pack).{did_you_mean(pack_id, available)} "
                         f"Packs installés : {known}.")
        self.pack_id = pack_id
        self.available = tuple(sorted(available))


class DuplicatePackError(SegurPlanError):
    """Two plugins contribute the same pack id."""

    def __init__(self, pack_id: str, origins: Sequence[str]) -> None:
        super().__init__(
            f"Le pack « {pack_id} » est fourni deux fois : {' et '.join(origins)}. "
            "Désinstallez l'un des deux."
        )
        self.pack_id = pack_id
        self.origins = tuple(origins)


class UnknownProfilError(ProfileError):
    """The profile declares a profil that the pack does not define."""

    def __init__(self, profil: str, pack_id: str, known: Sequence[str], path: str | None,
                 names: Sequence[str] = ()) -> None:
        from .suggest import did_you_mean

        super().__init__(
            f"Profil inconnu « {profil} » pour le pack {pack_id}.{did_you_mean(profil, names or known)}",
            path=path,
            problems=[
                FieldProblem(
                    "profils.declared",
                    f"« {profil} » n'existe pas ; profils possibles : {', '.join(known)}",
                )
            ],
        )
        self.profil = profil
        self.pack_id = pack_id
        self.known = tuple(known)


class UnknownExigenceError(SegurPlanError):
    """An exigence id asked for (e.g. by ``explain``) is in no installed pack."""

    def __init__(self, exigence_id: str, pack_id: str, known: Sequence[str] = ()) -> None:
        from .suggest import close_matches, did_you_mean

        super().__init__(self._text(exigence_id, pack_id) + did_you_mean(exigence_id, known))
        self.exigence_id = exigence_id
        self.pack_id = pack_id
        self.suggestions = tuple(close_matches(exigence_id, known))

    @staticmethod
    def _text(item_id: str, pack_id: str) -> str:
        return f"Exigence inconnue « {item_id} » dans le pack {pack_id}."


class UnknownItemError(UnknownExigenceError):
    """An id asked of ``explain`` is no exigence, deadline, action or prerequisite of the plan."""

    @staticmethod
    def _text(item_id: str, pack_id: str) -> str:
        return (f"Identifiant inconnu « {item_id} » : ni exigence du pack {pack_id}, ni échéance, action ou "
                "prérequis du plan.")


class RuleEvaluationError(SegurPlanError):
    """A rule consequence failed while the rules were evaluated."""

    def __init__(self, rule_id: str, detail: str) -> None:
        super().__init__(f"Échec de la règle « {rule_id} » : {detail}")
        self.rule_id = rule_id
        self.detail = detail


class BackendUnavailableError(SegurPlanError):
    """The rule backend asked for cannot be used on this interpreter."""

    def __init__(self, backend: str, reason: str) -> None:
        super().__init__(f"Moteur de règles « {backend} » indisponible : {reason}")
        self.backend = backend
        self.reason = reason


class OutputError(SegurPlanError):
    """An output path cannot be written safely (a device, a pipe, a folder…): nothing was written."""

    def __init__(self, message: str, *, path: Path | str) -> None:
        super().__init__(message)
        self.path = str(path)
