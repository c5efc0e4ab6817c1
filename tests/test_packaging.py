import tomllib
from pathlib import Path

from setuptools import find_namespace_packages

ROOT = Path(__file__).resolve().parents[1]


def shipped_packages():
    """The packages `pip install .` puts in the wheel, as pyproject.toml selects them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    find = config["tool"]["setuptools"]["packages"]["find"]
    return find_namespace_packages(
        where=str(ROOT), include=find.get("include", ("*",)), exclude=find.get("exclude", ())
    )


def test_the_engine_package_ships_and_the_benchmarks_do_not():
    packages = shipped_packages()

    assert "matching.engine" in packages
    assert not [name for name in packages if name.split(".")[0] == "benchmarks"]
