"""Skeleton of a new pack distribution (``segur-plan packs new NAME``).

The skeleton is an ordinary Python distribution registered through the ``segur_plan.packs``
entry point (see :mod:`.hookspecs`): it installs with pip, passes :func:`check_pack` as written,
and holds one placeholder exigence (``EXEMPLE.01``) that its author replaces with real content.
Templates are plain strings (``string.Template``: ``$name``), so no package data is needed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from string import Template

from .errors import PackError
from .models.common import slugify
from .storage import write_file

DIST_PREFIX = "segur-plan-pack-"
MODULE_PREFIX = "segur_plan_pack_"
EXAMPLE_EXIGENCE = "EXEMPLE.01"
_PACK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class ScaffoldError(PackError):
    """The skeleton cannot be written: unusable name or pack id, folder already there."""

    def __init__(self, message: str, *, name: str, path: Path | None = None) -> None:
        super().__init__(message, path=path)
        self.name = name


@dataclass(frozen=True)
class PackNames:
    """The names derived from NAME: ``Mon DSR`` → ``mon-dsr``, ``segur-plan-pack-mon-dsr``…"""

    slug: str
    dist: str
    module: str
    pack_id: str


def pack_names(name: str, pack_id: str | None = None) -> PackNames:
    """Derive the distribution, module and pack names; :class:`ScaffoldError` when unusable."""
    slug = slugify(name).removeprefix(DIST_PREFIX)
    if any(c in name for c in "/\\") or not slug or len(slug) > 40 or not slug[0].isalpha():
        raise ScaffoldError(
            f"Nom de pack inutilisable « {name} » : donnez un nom court commençant par une lettre, "
            "fait de lettres, de chiffres et de tirets (ex. « mon-dsr »).", name=name)
    chosen = slug.upper() if pack_id is None else pack_id.strip()
    if not _PACK_ID.match(chosen):
        raise ScaffoldError(
            f"Identifiant de pack inutilisable « {pack_id} » : lettres, chiffres, « . », « _ » "
            "et « - » seulement (ex. « MON-DSR »).", name=name)
    return PackNames(slug, DIST_PREFIX + slug, MODULE_PREFIX + slug.replace("-", "_"), chosen)


def scaffold_pack(name: str, target_dir: Path, *, pack_id: str | None = None, today: dt.date,
                  uses_socle: bool = True, taken_ids: Iterable[str] = ()) -> list[Path]:
    """Write the skeleton distribution in ``target_dir / <dist-name>``; return its files, sorted.

    ``taken_ids``: pack ids already installed (a duplicate id would make both packs unusable).
    Nothing is written when the folder exists or a name is refused.
    """
    names = pack_names(name, pack_id)
    if names.pack_id.casefold() in {t.casefold() for t in taken_ids}:
        raise ScaffoldError(f"Le pack « {names.pack_id} » est déjà installé : choisissez un autre "
                            "nom ou un autre identifiant de pack.", name=name)
    root = Path(target_dir) / names.dist
    try:
        root.mkdir(parents=True)
    except FileExistsError:
        raise ScaffoldError(f"Le dossier {root} existe déjà : rien n'a été écrit.", name=name,
                            path=root) from None
    values = {"dist": names.dist, "module": names.module, "id": names.pack_id, "slug": names.slug,
              "today": today.isoformat(), "example": EXAMPLE_EXIGENCE,
              "uses": 'uses = ["socle-segur"]' if uses_socle else "uses = []  # aucun socle"}
    files = {
        root / "pyproject.toml": PYPROJECT, root / "README.md": README,
        root / names.module / "__init__.py": INIT, root / names.module / "pack.toml": PACK,
        root / "tests" / "test_pack.py": TEST,
    }
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, Template(template).substitute(values).encode("utf-8"))
    return sorted(files)


PYPROJECT = """\
[build-system]
requires = ["setuptools>=68", "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "$dist"
version = "0.1.0"
description = "Pack segur-plan $id (squelette à compléter)"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["segur-plan"]

[project.optional-dependencies]
test = ["pytest>=8"]

# Le point d'entrée par lequel segur-plan découvre le pack.
[project.entry-points."segur_plan.packs"]
$slug = "$module"

[tool.setuptools]
packages = ["$module"]

[tool.setuptools.package-data]
$module = ["*.toml"]

[tool.pytest.ini_options]
testpaths = ["tests"]
"""

INIT = '''\
"""Pack $id pour segur-plan, enregistré par le point d'entrée « segur_plan.packs »."""

from segur_plan.engine.hookspecs import packs_beside

segur_plan_packs = packs_beside(__file__)
'''

PACK = '''\
# Pack $id : squelette écrit par « segur-plan packs new » le $today. Remplacez chaque
# « À RENSEIGNER » et l'exigence d'exemple $example par le contenu du référentiel publié ; chaque
# élément porte une source et une date de revue (reviewed). N'inventez jamais un identifiant.
# Les listes longues peuvent aller dans d'autres fichiers : include = ["exigences.toml"].
schema_version = 1
id = "$id"
kind = "dsr"
title = "$id (titre du référentiel À RENSEIGNER)"
# couloir = "Hôpital"
# dsr = "$id"
# vague = "2"
version = "0.1.0"
released = $today
status = "draft"
reviewed = $today
$uses
coverage = """Squelette généré par segur-plan packs new : un profil général et une exigence \\
d'exemple ($example) à remplacer ; aucun contenu réglementaire. Décrivez ici ce que vos sources \\
contiennent et ce qu'elles ne contiennent pas."""

# Date de l'arrêté (T0) et calendrier publié, quand une source les donne :
# [calendar]
# t0 = 2025-01-01
# t0_source = { ref = "a-renseigner", section = "À RENSEIGNER" }

[sources.a-renseigner]
title = "À RENSEIGNER : titre du document source (REM, DSR, guide ANS…)"
kind = "draft"
note = "Renseignez url et published ; kind = official quand le document est publié."

[[profils]]
id = "general"
label = "Général"
general = true
note = "Toujours applicable."
source = { ref = "a-renseigner", section = "À RENSEIGNER" }
reviewed = $today

[[exigences]]
id = "$example"
label = "EXEMPLE — exigence fictive à remplacer par une exigence du REM publié"
nature = "exigence"
perimetre = "vague-2"
note = "Exemple à supprimer : il ne correspond à aucune exigence réelle."
source = { ref = "a-renseigner", section = "À RENSEIGNER" }
reviewed = $today

# Une règle se lit comme la source (guide des auteurs de packs de segur-plan, docs/packs.md) :
# [[rules]]
# id = "exemple-client-lourd"
# label = "Un client lourd active aussi le profil …"
# when = { fact = "profil", profil = "client-lourd" }
# then = [{ action = "activate_profil", profil = "…" }]
# source = { ref = "a-renseigner", section = "À RENSEIGNER" }
# reviewed = $today
#
# Un paramètre du socle (segur-plan packs show socle-segur) se change à partir d'une date :
# [[parameters]]
# id = "pilots-required"
# label = "Nombre de déploiements pilotes conformes exigés avant la demande de solde"
# unit = "count"
# [parameters.values."2026-01-01"]
# value = 2
# source = { ref = "a-renseigner", section = "À RENSEIGNER" }
# reviewed = $today
'''

TEST = '''\
"""Le pack $id est découvert par segur-plan, sans pack inutilisable, et produit un plan."""

import datetime as dt

from segur_plan.engine.api import Engine
from segur_plan.engine.registry import PackRegistry

PACK_ID = "$id"


def test_pack_is_discovered_without_broken_packs():
    registry = PackRegistry.discover()
    assert registry.broken == []
    assert PACK_ID in registry.ids()


def test_a_plan_can_be_built():
    profile = {"solution": {"name": "Solution de test"}, "referencement": {"pack": PACK_ID}}
    plan = Engine().plan(profile, today=dt.date.fromisoformat("$today"))
    assert PACK_ID in [p.id for p in plan.packs]
    assert plan.requirements
'''

README = """\
# $dist

Pack **$id** pour segur-plan : un référentiel Ségur (DSR, REM, calendrier) décrit en TOML
et installé comme une extension.

> Squelette généré le $today : il ne contient qu'un profil général et une exigence d'exemple
> (`$example`) à remplacer. Il n'a encore aucun contenu réglementaire.

## Installer

Dans l'environnement Python (3.11 ou plus) où segur-plan est installé :

```bash
pip install .               # ou pip install -e . pendant la rédaction
```

## Vérifier

```bash
segur-plan packs validate $module/pack.toml   # schéma, sources, profils, socle
segur-plan packs list                          # $id apparaît, sans ligne « INUTILISABLE »
segur-plan packs show $id
pip install -e '.[test]' && pytest             # le pack est découvert et produit un plan
```

## Rédiger le pack

Tout est dans `$module/pack.toml` : `[sources.…]` (les documents), `[[profils]]` (au moins
un profil général), `[[exigences]]` (remplacez `$example` ; une exigence du socle `SC.*`
se référence par son seul `id` et ses `profils`), `[[rules]]`, `[[parameters]]` (valeurs datées,
qui peuvent remplacer celles du socle à partir d'une date), `[calendar]`, `coverage` (ce que
vos sources contiennent et ce qu'elles ne contiennent pas). `segur-plan packs show HOP-DPI`
montre un pack complet ; le guide des auteurs de packs de segur-plan (`docs/packs.md`) décrit
chaque champ, chaque fait et chaque action, et `segur-plan schema pack` donne le schéma.

- Chaque élément porte une `source` (clé de `[sources]` et section du document) et une date de
  revue `reviewed`.
- N'inventez jamais un identifiant : recopiez ceux du document publié ; un manque reste visible
  dans `coverage`.
- Changez `version` à chaque publication ; `status = "published"` quand le contenu suit un REM
  publié.
"""
