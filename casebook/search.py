"""Search index for the built site (Pagefind). Placeholder until the search stage lands."""

from __future__ import annotations

from pathlib import Path


def index_site(site: Path) -> None:
    """Index the built ``site`` in place."""
    return None
