"""The documented build: check, build into a temporary folder, index for search, then swap into place.

MkDocs empties ``site_dir`` before it knows whether a strict build will fail, so the site is never
built in place: a failed build (bad record, strict-mode warning, search indexing error) leaves the
previous ``site/`` exactly as it was.

What the build may touch (docs-notes/safety-build.md says it for editors):

- The site folder is replaced whole, so only a folder a previous build made is replaced: every build
  writes the mark ``.casebook-site`` (the same bytes every time) into it. A folder without the mark
  that is not empty, the project itself, a folder holding it or holding records is refused.
- Pages are generated into a private temporary copy of ``docs/``, never into ``docs/`` itself: a
  preview (``mkdocs serve``) that regenerates ``docs/`` for hours cannot mix into a build.
- Builds into the same site folder take turns: a lock file beside it (``.site.lock``) names the build
  holding it; the next one waits a bounded time, then stops.
- SIGTERM stops a build as Ctrl-C does: workers end, temporary folders are removed, the lock released.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from .paths import project_root
from .write import OWNED_DIRS, OWNED_FILES, is_within, project_like

SITE_MARK = ".casebook-site"
SITE_MARK_TEXT = "此文件夹由 casebook build 生成；下一次构建会把它整个替换。\n".encode()
DEFAULT_WAIT = 600.0  # seconds a build waits for another build into the same site folder


class Refused(Exception):
    """The site folder may not be replaced (the message says why, in Chinese)."""


class SiteBusy(Exception):
    """Another build holds the site folder's lock."""


class Stopped(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived: the build unwinds (and cleans up) as on Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def source_date_epoch(root: Path) -> str:
    """The last commit's time (for reproducible dates), or a fixed date outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True, text=True, check=True
        ).stdout.strip()
        if out:
            return out
    except (OSError, subprocess.CalledProcessError):
        pass
    return "1767225600"  # 2026-01-01


# --- stopping cleanly ---------------------------------------------------------------------------


class _Signals:
    pid = 0  # the process that installed the handler (forked workers inherit it)
    received: int | None = None
    held = 0
    pending = False


def _on_signal(signum: int, _frame) -> None:
    if os.getpid() != _Signals.pid:
        os._exit(128 + signum)  # a forked generation worker: its parent cleans up
    if _Signals.received is not None:
        return  # already stopping: the cleanup runs once, to the end
    _Signals.received = signum
    mp = sys.modules.get("multiprocessing")
    if mp is not None:
        for child in mp.active_children():  # generation workers may wait for work that never comes
            child.kill()
    if _Signals.held:
        _Signals.pending = True
        return
    raise Stopped(signum)


@contextlib.contextmanager
def stop_cleanly() -> Iterator[None]:
    """Turn SIGINT and SIGTERM into :class:`Stopped` (a KeyboardInterrupt) for the duration.

    The first signal also kills the generation workers; later ones are ignored while the build
    removes its temporary folders. Outside the main thread this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _Signals.pid, _Signals.received, _Signals.held, _Signals.pending = os.getpid(), None, 0, False
    before = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def _held() -> Iterator[None]:
    """A section a signal must not cut in two (a swap, the cleanup): the stop waits for its end."""
    _Signals.held += 1
    try:
        yield
    finally:
        _Signals.held -= 1
        if not _Signals.held and _Signals.pending:
            _Signals.pending = False
            raise Stopped(_Signals.received or signal.SIGTERM)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _remove(path: Path) -> None:
    """Remove a temporary file or folder this build made."""
    if path.is_dir() and not path.is_symlink():
        for _ in range(5):  # a child killed a moment ago may still be finishing a write in it
            shutil.rmtree(path, ignore_errors=True)
            if not path.exists():
                return
            time.sleep(0.1)
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


# --- the site folder: which one may be replaced, and one build at a time ------------------------


def is_site(folder: Path) -> bool:
    """Whether ``folder`` was made by ``casebook build`` (holds the mark)."""
    mark = folder / SITE_MARK
    return mark.is_file() and not mark.is_symlink()


def _replaceable(folder: Path) -> bool:
    if not folder.exists() and not folder.is_symlink():
        return True
    if not folder.is_dir():
        return False
    return is_site(folder) or not any(os.scandir(folder))


def shown_path(given: Path) -> str:
    """How to name a folder the user gave: as given when relative and plain, else absolute."""
    if not given.is_absolute() and given.parts and ".." not in given.parts:
        return str(given)
    return str(given.resolve())


def site_dir_problem(site: Path, root: Path, cases: Path, shown: str | None = None) -> str | None:
    """Why ``site`` may not be replaced by a build of the project at ``root`` (a message), or None."""
    s, r, c, home = site.resolve(), root.resolve(), cases.resolve(), Path.home().resolve()
    shown = shown or str(site)
    why = None
    if is_within(r, s):
        why = f"是项目文件夹 {r}（或它的上级）"
    elif is_within(home, s):
        why = "是主目录（或它的上级）"
    elif is_within(c, s) or is_within(s, c):
        why = f"和案例记录文件夹 {cases} 重叠"
    elif is_within(s, r / "docs"):
        why = "在 docs/ 里面"
    elif found := project_like(s):
        why = f"看起来是一个项目文件夹（{found}）"
    if why:
        return f"拒绝构建：--site-dir {shown} {why}；构建会把网站文件夹整个替换。请换一个文件夹，例如 --site-dir site。"
    if not _replaceable(s):
        return (
            f"拒绝构建：{shown} 不是 casebook build 生成的网站文件夹（里面没有 {SITE_MARK} 标记），"
            f"构建会把它整个替换，里面的东西都会丢失。如果其中的内容确实不要了，先删除它：\n"
            f"    rm -rf {shlex.quote(shown)}\n"
            "再重新构建；否则请换一个 --site-dir。"
        )
    return None


def swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames (the old copy is removed afterwards).

    Raises :class:`Refused` when ``target`` is not a site a previous build made (or an empty folder)."""
    if not _replaceable(target):
        raise Refused(f"拒绝替换：{target} 不是 casebook build 生成的网站文件夹（没有 {SITE_MARK} 标记）。")
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    moved = False
    try:
        if target.exists():
            target.rename(old)
            moved = True
        new.rename(target)
    except BaseException:
        if moved and not target.exists():
            old.rename(target)
        raise
    if moved:
        shutil.rmtree(old)


def lock_path(site: Path) -> Path:
    """The lock file of a site folder: beside it, since the folder itself is swapped."""
    return site.with_name(f".{site.name}.lock")


def _holder(fd: int) -> str:
    text = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
    return text or "一个刚开始的进程"


@contextlib.contextmanager
def site_lock(site: Path, wait: float = DEFAULT_WAIT, shown: str | None = None) -> Iterator[None]:
    """Hold ``site``'s lock: wait up to ``wait`` seconds for another holder, else raise :class:`SiteBusy`.

    The lock file holds the holder's pid and command, and is removed by its holder on release."""
    path = lock_path(site)
    shown = shown or str(site)
    deadline = time.monotonic() + wait
    told = False
    while True:
        with _held():
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _holder(fd)
                os.close(fd)
            else:
                try:
                    current = os.stat(path)
                    mine = os.fstat(fd)
                    if (current.st_dev, current.st_ino) == (mine.st_dev, mine.st_ino):
                        break  # locked, and still the file at that path (not one its last holder removed)
                except FileNotFoundError:
                    pass
                os.close(fd)
                continue
        if time.monotonic() >= deadline:
            raise SiteBusy(
                f"构建停止：{shown} 正被另一个构建占用（{holder}），等了 {wait:g} 秒仍未结束；{shown} 保持不变。"
                f"锁文件：{path}"
            )
        if not told:
            print(f"等待另一个构建结束（{holder}），最多 {wait:g} 秒……", file=sys.stderr, flush=True)
            told = True
        time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"进程 {os.getpid()}：{shlex.join(sys.orig_argv)}"[:1000].encode(), 0)
        yield
    finally:
        with _held():
            try:
                current, mine = os.stat(path), os.fstat(fd)
                if (current.st_dev, current.st_ino) == (mine.st_dev, mine.st_ino):
                    os.unlink(path)  # while still locked: a waiter that opened it sees it is gone and retries
            except FileNotFoundError:
                pass
            finally:
                os.close(fd)


# --- the build ------------------------------------------------------------------------------------


def run_mkdocs(config: Path, out_dir: Path, env: dict[str, str]) -> int:
    """``mkdocs build --strict`` into ``out_dir``; on an interrupt the child is killed and waited for."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(out_dir)]
    proc = None
    try:
        with _held():  # a stop during the start is raised here, once proc is known
            proc = subprocess.Popen(cmd, env=env)
        return proc.wait()
    except BaseException:
        if proc is not None:
            proc.kill()
            proc.wait()
        raise


def start_indexer(docs: Path, out: Path) -> subprocess.Popen:
    """Index the generated pages in ``docs`` into ``out`` in a child process (casebook.search), in a
    process group of its own, so that :func:`stop_indexer` also ends the index writer it runs."""
    cmd = [sys.executable, "-m", "casebook.search", "--docs", str(docs), str(out)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def stop_indexer(proc: subprocess.Popen) -> None:
    """End the indexing child and everything it started (the build is stopping)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def wait_indexer(proc: subprocess.Popen) -> str | None:
    """Wait for the indexing child; None when it succeeded, else what it said."""
    try:
        _out, err = proc.communicate()
    except BaseException:
        stop_indexer(proc)
        raise
    if proc.returncode == 0:
        return None
    text = err.decode("utf-8", "replace").strip()
    return text.removeprefix("搜索索引失败：") or f"exit {proc.returncode}"


def private_docs(docs: Path, dest: Path) -> None:
    """Copy the hand-written part of ``docs`` (everything the generator does not own) into ``dest``."""
    skip = set(OWNED_DIRS) | set(OWNED_FILES)
    with os.scandir(docs) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name in skip:
                continue
            if entry.is_dir():
                shutil.copytree(entry.path, dest / entry.name)
            else:
                shutil.copy2(entry.path, dest / entry.name)


def safe_build(site_dir: Path, config: Path, search: bool = True, wait: float = DEFAULT_WAIT) -> int:
    """Build the whole site into ``site_dir``; return a process exit code."""
    config = config.resolve()
    root = config.parent
    cases = Path(os.environ.get("CASEBOOK_CASES", root / "cases"))
    shown = shown_path(site_dir)
    site_dir = site_dir.resolve()
    problem = site_dir_problem(site_dir, root, cases, shown)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    try:
        with site_lock(site_dir, wait, shown):
            return _build_locked(site_dir, shown, config, cases, search)
    except SiteBusy as exc:
        print(exc, file=sys.stderr)
        return 1


def _build_locked(site_dir: Path, shown: str, config: Path, cases: Path, search: bool) -> int:
    from .problems import ProblemsFound, report
    from .site import generate, generation_options

    root = config.parent
    problem = site_dir_problem(site_dir, root, cases, shown)  # again: a build before ours may have left it so
    if problem:
        print(problem, file=sys.stderr)
        return 1
    temps: list[Path] = []
    t0 = time.perf_counter()
    try:
        with _held():
            docs = Path(tempfile.mkdtemp(prefix="casebook-docs-"))
            temps.append(docs)
        private_docs(root / "docs", docs)
        try:
            # Check and generate the pages here, once; MkDocs then trusts them (CASEBOOK_PREGENERATED).
            result = generate(cases, docs, generation_options())
        except ProblemsFound as exc:
            report(exc.problems)
            print(f"构建停止：{shown} 保持不变。", file=sys.stderr)
            return 1
        with _held():
            fd, name = tempfile.mkstemp(prefix=".casebook-build-", suffix=".yml", dir=root)
            os.close(fd)
            temps.append(Path(name))
        # Beside mkdocs.yml, so that every path in it (hooks, overrides) means the same.
        text = f"INHERIT: {json.dumps(config.name)}\ndocs_dir: {json.dumps(str(docs))}\n"  # JSON strings are YAML
        Path(name).write_text(text, encoding="utf-8")
        env = dict(os.environ)
        env.setdefault("SOURCE_DATE_EPOCH", source_date_epoch(project_root()))
        env["CASEBOOK_CASES"] = str(cases)
        env["CASEBOOK_PREGENERATED"] = "1"
        env.setdefault("NO_MKDOCS_2_WARNING", "1")
        with _held():
            tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))
            temps.append(tmp)
        tmp.chmod(0o777 & ~_umask())  # mkdtemp makes it private (0700); the site is for a web server to read
        t1 = time.perf_counter()
        indexer = None
        try:
            if search:
                # The search index is made from the generated pages, in a process of its own, while
                # MkDocs (one process, one core) builds: it adds little to the build's time.
                with _held():
                    staged = Path(tempfile.mkdtemp(prefix="casebook-index-"))
                    temps.append(staged)
                    indexer = start_indexer(docs, staged)
            built = run_mkdocs(Path(name), tmp, env) == 0
            indexed = wait_indexer(indexer) if indexer is not None else None
        except BaseException:
            if indexer is not None:
                stop_indexer(indexer)  # and all it started; a no-op once it has ended
            raise
        t2 = time.perf_counter()
        if built and indexed is not None:
            print(f"搜索索引失败：{indexed}；{shown} 保持不变。", file=sys.stderr)
            return 1
        if not built:
            print(f"MkDocs 构建失败：{shown} 保持不变。", file=sys.stderr)
            return 1
        (tmp / SITE_MARK).write_bytes(SITE_MARK_TEXT)
        if indexer is not None:
            from .search import SearchIndexError, install

            try:
                install(staged, tmp)
            except SearchIndexError as exc:
                print(f"搜索索引失败：{exc}；{shown} 保持不变。", file=sys.stderr)
                return 1
        t3 = time.perf_counter()
        with _held():
            swap_in(tmp, site_dir)
    except Refused as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        with _held():
            for path in reversed(temps):
                _remove(path)
    print(
        f"网站已构建：{site_dir}（{len(result.catalog.all_records)} 个案例；检查与生成 {t1 - t0:.1f}s，"
        f"MkDocs 与搜索索引 {t2 - t1:.1f}s，装入索引 {t3 - t2:.1f}s）"
    )
    return 0
