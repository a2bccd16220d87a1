"""The release archive of a built site: ``casebook-site-<label>.tar.gz``, byte-for-byte reproducible.

For intranets that cannot reach the public site: unpack it anywhere under a static server (any base
path works, the site uses relative links) or open ``index.html`` from disk.

Reproducible means that one built site always gives the same bytes: entries in sorted order under one
top folder named like the archive, every time stamp set to ``SOURCE_DATE_EPOCH``, owner root (uid/gid 0,
no user or group names), modes normalised to 0644 for files and 0755 for folders, and a gzip header
with no file name and a zero time stamp.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import tarfile
import time
from pathlib import Path
from typing import BinaryIO

PREFIX = "casebook-site-"
_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class ArchiveError(Exception):
    """The site folder or the label cannot make an archive (message in Chinese, for the console)."""


def epoch_from_env(default: int | None = None) -> int:
    """``SOURCE_DATE_EPOCH`` as an int; ``default`` (or now) when it is not set."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw:
        try:
            return int(raw)
        except ValueError as exc:
            raise ArchiveError(f"SOURCE_DATE_EPOCH 不是整数：{raw!r}") from exc
    return int(time.time()) if default is None else default


def short_commit(root: Path) -> str | None:
    """The checkout's abbreviated commit, or None outside git."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=10", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return out or None


def default_label(epoch: int, commit: str | None) -> str:
    """``YYYY-MM-DD`` of the epoch (UTC), followed by ``-<commit>`` when the commit is known."""
    day = time.strftime("%Y-%m-%d", time.gmtime(epoch))
    return f"{day}-{commit}" if commit else day


def archive_name(label: str) -> str:
    if not _LABEL.fullmatch(label):
        raise ArchiveError(f"存档标签“{label}”只能用英文字母、数字、点、下划线和连字符")
    return f"{PREFIX}{label}.tar.gz"


def site_entries(site: Path) -> list[tuple[str, Path]]:
    """Every folder and file under ``site`` as (archive path relative to the site, real path), sorted."""
    out: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(site):
        base = Path(dirpath)
        for name in dirnames + filenames:
            path = base / name
            if path.is_symlink():
                raise ArchiveError(f"网站文件夹里有符号链接：{path}（存档只收普通文件）")
            out.append((path.relative_to(site).as_posix(), path))
    return sorted(out, key=lambda e: e[0])


def _info(name: str, *, is_dir: bool, size: int, epoch: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE if is_dir else tarfile.REGTYPE
    info.mode = 0o755 if is_dir else 0o644
    info.size = 0 if is_dir else size
    info.mtime = epoch
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def write_archive(site: Path, out: BinaryIO, top: str, epoch: int) -> None:
    """Write the archive of ``site``, every entry under the folder ``top``, to the binary stream ``out``."""
    site = Path(site)
    if not (site / "index.html").is_file():
        raise ArchiveError(f"{site} 不是构建好的网站（没有 index.html）：请先运行 casebook build")
    entries = site_entries(site)
    # filename="" and mtime=0: nothing of this run in the gzip header.
    with (
        gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        tar.addfile(_info(top, is_dir=True, size=0, epoch=epoch))
        for rel, path in entries:
            name = f"{top}/{rel}"
            if path.is_dir():
                tar.addfile(_info(name, is_dir=True, size=0, epoch=epoch))
            else:
                with path.open("rb") as f:
                    tar.addfile(_info(name, is_dir=False, size=os.fstat(f.fileno()).st_size, epoch=epoch), f)


def make_archive(site: Path, out_dir: Path, label: str, epoch: int) -> Path:
    """Write ``casebook-site-<label>.tar.gz`` of ``site`` into ``out_dir`` (atomically); return its path."""
    name = archive_name(label)
    if out_dir.resolve().is_relative_to(Path(site).resolve()):
        raise ArchiveError(f"存档不能写进网站文件夹本身：{out_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / name
    tmp = out_dir / f".{name}.part-{os.getpid()}"
    try:
        with tmp.open("wb") as f:
            write_archive(site, f, name.removesuffix(".tar.gz"), epoch)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
