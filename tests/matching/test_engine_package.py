import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

EVERY_ENGINE_MODULE = """
import importlib, pkgutil, sys
sys.path.insert(0, sys.argv[1])
import matching.engine
for module in pkgutil.iter_modules(matching.engine.__path__):
    importlib.import_module("matching.engine." + module.name)
print(matching.engine.__file__)
print("django" in sys.modules)
"""


def test_engine_imports_without_django():
    command = [sys.executable, "-I", "-c", EVERY_ENGINE_MODULE, str(ROOT)]

    found = subprocess.run(command, capture_output=True, text=True, check=True)

    engine_file, django_loaded = found.stdout.split()
    assert Path(engine_file).is_relative_to(ROOT / "matching" / "engine")
    assert django_loaded == "False"
