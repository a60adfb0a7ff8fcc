"""The import contracts in pyproject.toml hold on this tree, and they catch an import across the layers."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "cogs", "db", "fakediscord")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    """The four packages and the contracts, copied so a test can break them."""
    for name in PACKAGES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_import(module: Path, line: str) -> None:
    text = module.read_text(encoding="utf-8")
    marker = "from __future__ import annotations\n"
    module.write_text(text.replace(marker, marker + line + "\n", 1), encoding="utf-8")


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is installed with the dev extras")
def test_contracts_hold_on_this_tree(tree_copy: Path) -> None:
    """Every contract is kept by the code as it is."""
    result = lint_imports(tree_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is installed with the dev extras")
@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("bot/feeds/service.py", "import discord", "bot.feeds is not allowed to import discord"),
        ("cogs/about/__init__.py", "from bot.bot import Marquee", "cogs is not allowed to import bot.bot"),
        ("cogs/feeds/_cog.py", "import db.feeds", "cogs is not allowed to import db"),
        ("db/countdown.py", "from bot.release import claims", "db is not allowed to import bot"),
        ("fakediscord/pytest_plugin.py", "from bot import transport", "fakediscord is not allowed to import bot"),
        ("bot/release/claims.py", "from bot.release import reader", "bot.release"),
    ],
)
def test_a_wrong_import_breaks_a_contract(tree_copy: Path, module: str, line: str, broken: str) -> None:
    """An import that skips or climbs a layer, reaches Discord from the domain, or makes a cycle fails CI."""
    add_import(tree_copy / module, line)
    result = lint_imports(tree_copy)
    assert result.returncode == 1, result.stdout
    assert broken in result.stdout
