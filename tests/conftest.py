"""Helpers to load the project's plain-Python parts without Odoo."""

import importlib
import importlib.machinery
import importlib.util
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The marketplace simulator is product code that `./o2o run` starts, in tools/.
if str(ROOT / "tools") not in sys.path:
    sys.path.insert(0, str(ROOT / "tools"))


def load_pure(addon, module):
    """Import ``addons/<addon>/<module>.py`` without running the addon's __init__ (the ORM)."""
    package = f"_pure_{addon}"
    if package not in sys.modules:
        pkg = types.ModuleType(package)
        pkg.__path__ = [str(ROOT / "addons" / addon)]
        sys.modules[package] = pkg
    return importlib.import_module(f"{package}.{module}")


@pytest.fixture(scope="session")
def cli():
    """The workspace commands' module (tools/o2o_cli.py, which ./o2o runs)."""
    import o2o_cli

    return o2o_cli


@pytest.fixture
def sim():
    """A running marketplace simulator on 127.0.0.1 (random port), stopped after the test."""
    from marketplace_sim import make_simulator

    simulator = make_simulator().start()
    yield simulator
    simulator.stop()
