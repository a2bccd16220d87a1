"""Problems found in records, reported as ``path:line: message``."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file, at one line (1-based; 0 when the whole file is concerned)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def annotation(self) -> str:
        """The problem as a GitHub Actions workflow command (an inline annotation on the PR)."""
        msg = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = self.path.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
        return f"::error file={path},line={max(self.line, 1)}::{msg}"


class ProblemsFound(Exception):
    """Raised by the build when the checker found problems; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(summary(self.problems))


def summary(problems: list[Problem], checked: int | None = None) -> str:
    """The closing line of a check run, in Chinese."""
    if not problems:
        n = f"{checked} 个" if checked is not None else "全部"
        return f"检查通过：{n}案例记录没有发现问题。"
    files = len({p.path for p in problems})
    return f"发现 {len(problems)} 个问题，涉及 {files} 个文件。请按上面的行号逐条修改后再运行 casebook check。"


def report(problems: list[Problem], file: TextIO | None = None) -> None:
    """Every problem as ``path:line: message``, then the summary line (to standard error by default)."""
    file = file or sys.stderr
    for p in problems:
        print(p, file=file)
    print(summary(problems), file=file)
