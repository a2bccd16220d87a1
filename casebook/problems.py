"""Problems found in records, reported as ``path:line: message``."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TextIO

_ONE_LINE = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)] if c != 0x09}
_ONE_LINE.update({0x0A: "↵", 0x0D: "↵", 0x2028: "↵", 0x2029: "↵"})


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file, at one line (1-based; 0 when the whole file is concerned)."""

    path: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        # One line per problem: a line break (or a terminal control code) taken from a record's
        # value or a file name must not start a forged ``path:line:`` line of its own.
        text = f"{self.path}:{self.line}: {'提示：' if self.warning else ''}{self.message}"
        return text.translate(_ONE_LINE)

    def annotation(self) -> str:
        """The problem as a GitHub Actions workflow command (an inline annotation on the PR)."""
        msg = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = self.path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = path.replace(",", "%2C").replace(":", "%3A")
        kind = "warning" if self.warning else "error"
        return f"::{kind} file={path},line={max(self.line, 1)}::{msg}"


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that stop a check or a build (warnings do not)."""
    return [p for p in problems if not p.warning]


class ProblemsFound(Exception):
    """Raised by the build when the checker found problems; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(summary(self.problems))


def summary(problems: list[Problem], checked: int | None = None) -> str:
    """The closing line of a check run, in Chinese."""
    warned = len(problems) - len(errors(problems))
    tip = f"另有 {warned} 条提示（不影响通过，建议看一看）。" if warned else ""
    problems = errors(problems)
    if not problems:
        n = f"{checked} 个" if checked is not None else "全部"
        return f"检查通过：{n}案例记录没有发现问题。" + tip
    files = len({p.path for p in problems})
    return f"发现 {len(problems)} 个问题，涉及 {files} 个文件。请按上面的行号逐条修改后再运行 casebook check。" + tip


def report(problems: list[Problem], file: TextIO | None = None) -> None:
    """Every problem as ``path:line: message``, then the summary line (to standard error by default)."""
    file = file or sys.stderr
    for p in problems:
        print(p, file=file)
    print(summary(problems), file=file)
