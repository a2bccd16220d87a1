"""casebook.liveindex: requests while a run is going are folded into one more run; a failure is logged
and does not stop later runs."""

from __future__ import annotations

import logging
import threading

from casebook.liveindex import BackgroundIndexer


def test_requests_during_a_run_fold_into_one_more_run(caplog):
    started, release = threading.Event(), threading.Event()
    calls = []

    def index():
        calls.append(len(calls))
        started.set()
        release.wait(10)
        return f"run {len(calls)}"

    indexer = BackgroundIndexer(index, logging.getLogger("test.liveindex"))
    with caplog.at_level(logging.INFO, logger="test.liveindex"):
        indexer.request()
        assert started.wait(10)
        for _ in range(5):  # five rebuilds while the first run is still going
            indexer.request()
        assert not indexer.wait(timeout=0.2)
        release.set()
        assert indexer.wait(timeout=10)
    assert calls == [0, 1] and indexer.runs == 2
    assert "search index updated: run 2" in caplog.text


def test_a_failed_run_is_logged_and_the_next_request_runs_again(caplog):
    outcomes = iter([RuntimeError("node missing"), "ok"])

    def index():
        o = next(outcomes)
        if isinstance(o, Exception):
            raise o
        return o

    indexer = BackgroundIndexer(index, logging.getLogger("test.liveindex"))
    with caplog.at_level(logging.INFO, logger="test.liveindex"):
        indexer.request()
        assert indexer.wait(timeout=10)
        assert "search index failed: node missing" in caplog.text
        indexer.request()
        assert indexer.wait(timeout=10)
    assert indexer.runs == 2 and "search index updated: ok" in caplog.text
