"""Bulk import of supplier lists: encodings, delimiters, XLSX, column mapping, rejects with their reason,
de-duplication by SIRET, all-or-nothing application, idempotent re-import, and a 100,000-line list."""

from __future__ import annotations

import csv
import random
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from relais.accounts.models import User
from relais.networks.models import Network
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation, OrganisationStructure
from relais.reference.models import Departement, Region
from relais.suppliers import imports
from relais.suppliers.enums import ImportStatus
from relais.suppliers.imports.reading import detect_encoding, guess_mapping
from relais.suppliers.models import SupplierContact, SupplierImport, SupplierProfile
from relais.suppliers.services import SupplierError, supplier_profile_update

from ..factories import NetworkFactory, OrganisationFactory, UserFactory, valid_siret

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "suppliers"
DEPARTEMENTS = {
    "22": "Côtes-d'Armor",
    "29": "Finistère",
    "35": "Ille-et-Vilaine",
    "56": "Morbihan",
    "44": "Loire-Atlantique",
    "49": "Maine-et-Loire",
    "72": "Sarthe",
}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def territory() -> None:
    region = Region.objects.create(code="53", name="Bretagne")
    for code, name in DEPARTEMENTS.items():
        Departement.objects.create(code=code, name=name, region=region)


@pytest.fixture
def animator() -> tuple[Network, User]:
    return NetworkFactory(), UserFactory()


def _upload(tmp_path: Path, name: str, animator: tuple[Network, User]) -> SupplierImport:
    path = tmp_path / name
    shutil.copy(DATA / name, path)
    return imports.supplier_import_create(network=animator[0], by=animator[1], path=path, filename=name)


def _run(tmp_path: Path, name: str, animator: tuple[Network, User]) -> SupplierImport:
    supplier_import = _upload(tmp_path, name, animator)
    supplier_import = imports.supplier_import_preview(
        supplier_import=supplier_import, mapping=supplier_import.column_mapping["fields"]
    )
    return imports.supplier_import_apply(supplier_import=supplier_import, by=animator[1])


def test_mapping_is_guessed_from_the_headers() -> None:
    headers = ["N° SIRET", "Dénomination", "Type", "Code postal", "Ville", "Courriel", "Tél."]
    assert guess_mapping(headers) == {
        "siret": 0, "name": 1, "structure_types": 2, "postcode": 3, "city": 4, "email": 5, "phone": 6,
    }  # fmt: skip


def test_preview_says_what_each_line_would_do_and_writes_nothing(
    territory: None, animator: tuple[Network, User], tmp_path: Path
) -> None:
    supplier_import = _upload(tmp_path, "siae-bretagne.csv", animator)
    assert supplier_import.counts["encoding"] == "utf-8-sig"
    assert supplier_import.counts["delimiter"] == ";"
    existing = OrganisationFactory(supplier=True, siret="79730911941704", name="BNI (déjà connue)")
    previewed = imports.supplier_import_preview(
        supplier_import=supplier_import, mapping=supplier_import.column_mapping["fields"]
    )
    assert previewed.counts["preview"] == {"create": 6, "update": 1, "reject": 4}
    reasons = dict(previewed.rows.filter(outcome="reject").values_list("line", "reason"))
    assert "clé de contrôle" in reasons[8]
    assert reasons[9] == "Type de structure inconnu : « Ressourcerie »."
    assert reasons[10] == "SIRET en double dans le fichier (déjà ligne 2)."
    assert reasons[11] == "Département inconnu « 99 »."
    assert Organisation.objects.filter(kind=OrganisationKind.SUPPLIER).count() == 1
    assert previewed.rows.get(line=3).outcome == "update"
    assert existing.name == "BNI (déjà connue)"


def test_apply_creates_completes_and_reimporting_changes_nothing(
    territory: None, animator: tuple[Network, User], tmp_path: Path
) -> None:
    known = OrganisationFactory(kind=OrganisationKind.COMPANY, buyer_category="", siret="79730911941704", name="BNI")
    supplier_profile_update(organisation=known, name="BNI", postcode="35400", address="Adresse saisie par la BNI")
    done = _run(tmp_path, "siae-bretagne.csv", animator)
    assert done.status == ImportStatus.APPLIED
    assert done.counts["applied"] == {"create": 6, "update": 1, "unchanged": 0, "reject": 4}
    jardins = Organisation.objects.get(siret="15881399886981")
    assert (jardins.name, jardins.city, jardins.departement.code if jardins.departement else "") == (
        "Jardins de l'Ille", "Rennes", "35",
    )  # fmt: skip
    assert jardins.website == "https://www.jardins-ille.example"
    assert SupplierContact.objects.get(organisation=jardins).email == "contact@jardins-ille.example"
    regie = Organisation.objects.get(siret="84697880793205")
    assert sorted(regie.structure_type_codes) == ["aci", "ei"]
    redon = Organisation.objects.get(siret="00297875734776")
    assert redon.departement is not None
    assert redon.departement.code == "35"
    known.refresh_from_db()
    assert known.kind == "supplier"
    assert known.name == "BNI"
    assert SupplierProfile.objects.get(organisation=known).address == "Adresse saisie par la BNI"
    assert done.rows.filter(organisation__isnull=False).count() == 7

    before = (Organisation.objects.count(), OrganisationStructure.objects.count(), SupplierContact.objects.count())
    again = _run(tmp_path, "siae-bretagne.csv", animator)
    assert again.counts["applied"] == {"create": 0, "update": 0, "unchanged": 7, "reject": 4}
    assert (
        Organisation.objects.count(),
        OrganisationStructure.objects.count(),
        SupplierContact.objects.count(),
    ) == before
    with pytest.raises(SupplierError, match=r"n'est pas prêt|déjà été appliqué"):
        imports.supplier_import_apply(supplier_import=again, by=animator[1])


def test_windows_1252_with_commas_is_read_with_its_accents(
    territory: None, animator: tuple[Network, User], tmp_path: Path
) -> None:
    assert detect_encoding(DATA / "siae-bretagne-cp1252.csv") == "cp1252"
    done = _run(tmp_path, "siae-bretagne-cp1252.csv", animator)
    assert done.counts["delimiter"] == ","
    assert Organisation.objects.filter(name="Intérim Solidaire Vannes").exists()
    assert Organisation.objects.filter(name="Entreprise adaptée Armor Services").get().structure_type_codes == ["ea"]


def test_latin1_bytes_that_windows_1252_cannot_decode_fall_back_to_latin1(tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_bytes(b"SIRET;Raison sociale\n" + b"1;Caf\xe9 \x81\n")
    assert detect_encoding(path) == "latin-1"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vide.csv", b"", "vide"),
        ("entetes.csv", b"SIRET;Raison sociale\n", "que la ligne des en-t"),
        ("blancs.csv", b"\n\n  \n", "vide"),
        ("utf16.csv", (DATA / "siae-bretagne-utf16.csv").read_bytes(), "UTF-16"),
        ("faux.xlsx", b"PK\x03\x04pas un classeur", "ni un CSV ni un classeur"),
    ],
)
def test_unreadable_files_are_refused(
    animator: tuple[Network, User], tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SupplierError, match=message):
        imports.supplier_import_create(network=animator[0], by=animator[1], path=path, filename=name)
    assert not SupplierImport.objects.exists()


def test_wrong_columns_need_a_mapping(animator: tuple[Network, User], tmp_path: Path) -> None:
    supplier_import = _upload(tmp_path, "wrong-columns.csv", animator)
    assert "siret" not in supplier_import.column_mapping["fields"]
    with pytest.raises(SupplierError, match="SIRET, Raison sociale"):
        imports.supplier_import_preview(supplier_import=supplier_import, mapping={})
    with pytest.raises(SupplierError, match="n'existe pas"):
        imports.supplier_import_preview(supplier_import=supplier_import, mapping={"siret": 0, "name": 9})
    with pytest.raises(SupplierError, match="choisie pour"):
        imports.supplier_import_preview(supplier_import=supplier_import, mapping={"siret": 0, "name": 0})
    # Mapped anyway, every line is rejected with its reason, none is written.
    previewed = imports.supplier_import_preview(supplier_import=supplier_import, mapping={"siret": 0, "name": 1})
    assert previewed.counts["preview"]["reject"] == 2
    assert set(previewed.rows.values_list("reason", flat=True)) == {
        "SIRET invalide « Mme Dupont » : il compte 14 chiffres.",
        "SIRET invalide « M. Martin » : il compte 14 chiffres.",
    }


def test_xlsx_with_numbers_as_cells(territory: None, animator: tuple[Network, User], tmp_path: Path) -> None:
    done = _run(tmp_path, "siae-pays-de-la-loire.xlsx", animator)
    assert done.counts["kind"] == "xlsx"
    assert done.counts["applied"] == {"create": 2, "update": 0, "unchanged": 0, "reject": 1}
    velo = Organisation.objects.get(siret="87680457617848")
    assert velo.departement is not None
    assert velo.departement.code == "44"
    assert SupplierProfile.objects.get(organisation=velo).postcode == "44000"
    assert done.rows.get(line=4).reason == "E-mail invalide « pas-un-email »."


def test_a_failure_while_applying_leaves_the_directory_untouched(
    territory: None, animator: tuple[Network, User], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    supplier_import = _upload(tmp_path, "siae-bretagne.csv", animator)
    supplier_import = imports.supplier_import_preview(
        supplier_import=supplier_import, mapping=supplier_import.column_mapping["fields"]
    )

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disque plein")

    # The contacts are written after the organisations and their structure types: fail there, half-way through.
    monkeypatch.setattr(imports.run, "_contacts", broken)
    with pytest.raises(SupplierError, match="rien n'a été écrit"):
        imports.supplier_import_apply(supplier_import=supplier_import, by=animator[1])
    supplier_import.refresh_from_db()
    assert supplier_import.status == ImportStatus.FAILED
    assert "disque plein" in supplier_import.error
    assert not Organisation.objects.filter(kind=OrganisationKind.SUPPLIER).exists()


def test_a_list_of_100_000_structures(territory: None, animator: tuple[Network, User], tmp_path: Path) -> None:
    rng = random.Random(5)
    path = tmp_path / "siae-france.csv"
    codes = list(DEPARTEMENTS)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["SIRET", "Raison sociale", "Type de structure", "Département", "Commune"])
        sirets: set[str] = set()
        while len(sirets) < 100_000:
            sirets.add(valid_siret(rng))
        for number, siret in enumerate(sorted(sirets)):
            kind = rng.choice(["EI", "ACI", "ESAT", "EA, ESUS"])
            writer.writerow([siret, f"Structure {number}", kind, codes[number % 7], "Ville"])
        writer.writerow(["123", "Mauvais SIRET", "EI", "35", "Rennes"])
    started = time.monotonic()
    supplier_import = imports.supplier_import_create(
        network=animator[0], by=animator[1], path=path, filename="siae-france.csv"
    )
    supplier_import = imports.supplier_import_preview(
        supplier_import=supplier_import, mapping=supplier_import.column_mapping["fields"]
    )
    previewed = time.monotonic()
    done = imports.supplier_import_apply(supplier_import=supplier_import, by=animator[1])
    finished = time.monotonic()
    assert done.counts["applied"] == {"create": 100_000, "update": 0, "unchanged": 0, "reject": 1}
    assert Organisation.objects.filter(kind=OrganisationKind.SUPPLIER).count() == 100_000
    assert SupplierProfile.objects.count() == 100_000
    # Loose bounds: the point is minutes, not hours, on a slow shared machine.
    assert previewed - started < 180, f"aperçu en {previewed - started:.0f} s"
    assert finished - previewed < 300, f"application en {finished - previewed:.0f} s"
    print(f"100 000 lignes : aperçu {previewed - started:.1f} s, application {finished - previewed:.1f} s")


def test_a_buyer_registered_between_preview_and_apply_is_left_alone(
    territory: None, animator: tuple[Network, User], tmp_path: Path
) -> None:
    supplier_import = _upload(tmp_path, "siae-bretagne.csv", animator)
    supplier_import = imports.supplier_import_preview(
        supplier_import=supplier_import, mapping=supplier_import.column_mapping["fields"]
    )
    buyer = OrganisationFactory(siret="15881399886981", name="Commune de l'Ille", city="")
    done = imports.supplier_import_apply(supplier_import=supplier_import, by=animator[1])
    assert done.counts["applied"]["reject"] == 5
    assert done.rows.get(line=2).outcome == "reject"
    buyer.refresh_from_db()
    assert (buyer.kind, buyer.city, buyer.structure_type_codes) == ("buyer", "", [])
