"""Keep a served site's search index current without holding up the page reload.

``mkdocs serve`` answers no request while it rebuilds, so indexing inside the rebuild would delay
the edited page by the whole index run. After the first build (indexed before serving starts)
the hook hands each rebuilt site to :class:`BackgroundIndexer`: one thread indexes the latest
request; requests that arrive while it runs are folded into one more run.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable


class BackgroundIndexer:
    def __init__(self, index: Callable[[], object], log: logging.Logger):
        self._index = index
        self._log = log
        self._cond = threading.Condition()
        self._pending = False
        self._running = False
        self._thread: threading.Thread | None = None
        self.runs = 0

    def request(self) -> None:
        """Index again soon (returns at once)."""
        with self._cond:
            self._pending = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="casebook-search-index", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no run is pending or running; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._pending and not self._running, timeout)

    def _loop(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending)
                self._pending, self._running = False, True
            t0 = time.perf_counter()
            try:
                summary = self._index()
                self._log.info("casebook: search index updated: %s (%.1fs)", summary, time.perf_counter() - t0)
            except Exception as exc:  # a failed run must not kill the thread; the next edit retries
                self._log.error("casebook: search index failed: %s", exc)
            finally:
                with self._cond:
                    self._running = False
                    self.runs += 1
                    self._cond.notify_all()
