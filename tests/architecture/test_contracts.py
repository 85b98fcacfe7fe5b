"""The layer contracts (pyproject.toml [tool.importlinter], docs/lint.md) catch a broken layer.

Each test copies the project's source packages and pyproject.toml into a scratch folder,
adds one import that the design forbids, and runs lint-imports there: it must fail and name
the contract. The untouched copy must keep every contract. No database, no Django setup.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["portal", "clusters", "services", "events"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

LAYERS = "Layers: composition (portal) > feature apps > clusters > shared base (portal.base)"
CLUSTERS_ALONE = "clusters imports no other feature app"
BASE_ALONE = "portal.base imports no app"
SERVICES_APART = "services.counselling and services.rooms are independent of each other"
NO_DJANGO = "The pure cores import no Django"


def copy_project(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, dest / package, ignore=ignore)
    shutil.copy2(ROOT / "pyproject.toml", dest / "pyproject.toml")
    return dest


def lint_imports(cwd: Path) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "DJANGO_SETTINGS_MODULE"}}
    env["COLUMNS"] = "400"  # one contract per line in the report
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, " ".join((result.stdout + result.stderr).split())


def add_import(module: Path, statement: str) -> None:
    with module.open("a", encoding="utf-8") as f:
        f.write(f"\n{statement}  # noqa: F401, E402 (a forbidden import, on purpose)\n")


def test_the_project_keeps_every_contract(tmp_path):
    code, report = lint_imports(copy_project(tmp_path))
    assert code == 0, report
    assert "0 broken" in report


@pytest.mark.parametrize(
    ("module", "statement", "broken"),
    [
        # The domain base reaching up into a feature app.
        ("clusters/apps.py", "import events.models", [CLUSTERS_ALONE, LAYERS]),
        # The shared base reaching up into the domain base.
        ("portal/base/apps.py", "import clusters", [BASE_ALONE, LAYERS]),
        # The shared base reaching up into the composition layer.
        ("portal/base/apps.py", "import portal.urls", [BASE_ALONE]),
        # One service app using its sibling.
        ("services/counselling/apps.py", "import services.rooms.models", [SERVICES_APART]),
        # Rooms reaching up into events, which books rooms.
        ("services/rooms/apps.py", "import events.models", [LAYERS]),
        # Events using counselling (it may use rooms only).
        ("events/apps.py", "import services.counselling.models", [LAYERS]),
        # A pure core pulling in Django, directly and through an app module.
        ("events/scheduling/model.py", "import django.db", [NO_DJANGO]),
        ("clusters/matching/__init__.py", "import clusters.enums", [NO_DJANGO]),
    ],
)
def test_a_forbidden_import_breaks_its_contract(tmp_path, module, statement, broken):
    project = copy_project(tmp_path)
    add_import(project / module, statement)
    code, report = lint_imports(project)
    assert code != 0, report
    for name in broken:
        assert f"{name} BROKEN" in report, report


def test_rooms_using_the_catalogue_breaks_the_layers(tmp_path):
    project = copy_project(tmp_path)
    add_import(project / "services/rooms/apps.py", "import services.catalogue")
    code, report = lint_imports(project)
    assert code != 0, report
    assert f"{LAYERS} BROKEN" in report, report
