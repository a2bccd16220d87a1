"""Fuzz the loader and checker: `python scripts/fuzz_check.py [N]` (default 10,000 examples).

Each example (hostile YAML-ish text or raw bytes, from tests/test_fuzz.py) goes through
`casebook check`'s entry on a file in a temporary cases/ folder, through the loader as a loosely
decoded string, and through the nesting-depth bound. Prints how many examples ran and how long;
exits 1 with the smallest failing example if any problem escapes or is not one `path:line: message`.
"""

import sys
import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.test_fuzz import FUZZ, check_bytes, check_loose, depth_within_bound, hostile  # noqa: E402

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
ran = 0
problems = 0


@settings(FUZZ, max_examples=n, print_blob=True)
@given(st.one_of(hostile, st.binary(max_size=2000)))
def fuzz(raw: bytes) -> None:
    global ran, problems
    ran += 1
    problems += len(check_bytes(raw))
    check_loose(raw)
    depth_within_bound(raw.decode("utf-8", "surrogateescape"))


start = time.perf_counter()
try:
    fuzz()
except Exception as exc:  # hypothesis has printed the falsifying example
    print(f"FAILED after {ran} examples: {type(exc).__name__}: {exc}", file=sys.stderr)
    sys.exit(1)
took = time.perf_counter() - start
print(f"{ran} examples in {took:.0f} s: no exception escaped; {problems} problems, each one `path:line: message` line")
