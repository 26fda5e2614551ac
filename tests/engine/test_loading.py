from pathlib import Path

import pytest
from segur_plan.engine.errors import ProfileError
from segur_plan.engine.loading import load_profile, parse_profile


def write(tmp_path: Path, text: str | bytes, name: str = "profil.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


VALID = """
schema_version = 1
[solution]
name = "DPI"
[referencement]
pack = "HOP-DPI"
t0 = 2024-08-31
[profils]
declared = ["Client lourd"]
"""


def test_valid_profile_loads_with_defaults(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, VALID))
    assert profile.referencement.t0.isoformat() == "2024-08-31"
    assert profile.referencement.parcours == "mono-editeur"
    assert profile.prerequisites.cnda_request_status == "none"


def problems(exc: pytest.ExceptionInfo[ProfileError]) -> dict[str, str]:
    return {p.loc: p.message for p in exc.value.problems}


def test_malformed_toml_names_file_and_position(tmp_path: Path) -> None:
    path = write(tmp_path, "[solution\nname = 1\n")
    with pytest.raises(ProfileError) as exc:
        load_profile(path)
    assert str(path) in exc.value.message and "(ligne 1, colonne" in exc.value.message
    assert exc.value.message.startswith("TOML mal formé")


@pytest.mark.parametrize(("text", "loc", "fragment"), [
    (VALID.replace('name = "DPI"', "name = 3"), "solution.name", "chaîne de caractères"),
    (VALID.replace("t0 = 2024-08-31", 't0 = "bientôt"'), "referencement.t0", "date"),
    (VALID + "[prerequisites]\ncnda_request_status = \"valide\"\n", "prerequisites.cnda_request_status", "pre-examen"),
    (VALID.replace("[profils]", "couleur = \"bleu\"\n[profils]"), "referencement.couleur", "champ inconnu"),
    (VALID.replace('declared = ["Client lourd"]', 'declared = "Client lourd"'), "profils.declared", "liste"),
    ("schema_version = 1\n[referencement]\npack = \"HOP-DPI\"\n", "", "décrivez la solution"),
    ("schema_version = 1\n[solution]\nname = \"x\"\n", "referencement", "obligatoire"),
    (VALID.replace("schema_version = 1", "schema_version = 2"), "schema_version", "non autorisée"),
])
def test_invalid_field_is_named_in_french(tmp_path: Path, text: str, loc: str, fragment: str) -> None:
    with pytest.raises(ProfileError) as exc:
        load_profile(write(tmp_path, text))
    found = problems(exc)
    assert loc in found, found
    assert fragment in found[loc]
    assert exc.value.path == str(tmp_path / "profil.toml")


def test_missing_file_directory_and_bad_encoding(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="Fichier introuvable"):
        load_profile(tmp_path / "absent.toml")
    with pytest.raises(ProfileError, match="dossier"):
        load_profile(tmp_path)
    with pytest.raises(ProfileError, match="UTF-8"):
        load_profile(write(tmp_path, VALID.encode("utf-8").replace(b"DPI", b"\xff\xfe")))


def test_blank_cnda_identifier_is_refused() -> None:
    with pytest.raises(ProfileError) as exc:
        parse_profile({"solution": {"name": "x"}, "referencement": {"pack": "HOP-DPI"},
                       "prerequisites": {"cnda_nie": "  "}})
    assert "cnda_nie est vide" in str(exc.value)


def test_special_files_oversized_files_and_nul_paths_are_refused(tmp_path: Path, monkeypatch) -> None:
    import os

    from segur_plan.engine import loading

    fifo = tmp_path / "tube.toml"
    os.mkfifo(fifo)  # reading it would block forever; it must not be opened
    with pytest.raises(ProfileError, match="tube nommé \\(FIFO\\), pas un fichier TOML"):
        load_profile(fifo)
    monkeypatch.setattr(loading, "MAX_DOCUMENT_BYTES", 10)
    with pytest.raises(ProfileError, match="dépasse 10 octets"):
        load_profile(write(tmp_path, VALID))
    with pytest.raises(ProfileError, match="Chemin de fichier invalide"):
        load_profile(tmp_path / "a\x00b.toml")
