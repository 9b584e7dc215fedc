"""Checking the files the import/export commands are given, before any work is done.

A missing, unreadable, locked or directory path is the user's mistake, not a
crash: the commands answer it with a Chinese message on stderr and exit status
2 (``EXIT_BAD_PATH``), never with a traceback.
"""

import errno
import fcntl
import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

EXIT_BAD_PATH = 2


class BadPath(CommandError):
    def __init__(self, message):
        super().__init__(message, returncode=EXIT_BAD_PATH)


class FileCommand(BaseCommand):
    """A command given file paths; its work is ``_handle(options)``.

    A ``BadPath`` ends it with the Chinese message on stderr and exit status 2,
    without Django's "CommandError:" prefix or a traceback.
    """

    def handle(self, *args, **options):
        try:
            self._handle(options)
        except BadPath as exc:
            self.stderr.write(str(exc))
            sys.exit(exc.returncode)

    def _handle(self, options):
        raise NotImplementedError


def check_readable(name):
    """Refuse (``BadPath``) a path that cannot be read as a file right now."""
    path = Path(name)
    if not path.exists():
        raise BadPath(f"文件“{name}”不存在，请检查路径是否正确")
    if path.is_dir():
        raise BadPath(f"“{name}”是一个文件夹，请指定要导入的文件")
    try:
        with path.open("rb") as handle:
            try:
                # Another program holding an exclusive lock (e.g. a sync tool or an
                # office suite writing the file) would leave us reading half a file.
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                raise BadPath(
                    f"文件“{name}”正被其他程序占用（已锁定），请关闭该程序后重试"
                ) from None
            except OSError:
                pass  # a file system without locks: nothing to wait for
            else:
                fcntl.flock(handle, fcntl.LOCK_UN)
            handle.read(1)
    except PermissionError:
        raise BadPath(f"没有读取文件“{name}”的权限，请检查文件权限") from None
    except BadPath:
        raise
    except OSError as exc:
        raise BadPath(describe_os_error(name, exc)) from None
    return path


def check_writable(name):
    """Refuse (``BadPath``) an output path that cannot be written."""
    path = Path(name)
    if path.is_dir():
        raise BadPath(f"“{name}”是一个文件夹，请指定输出文件名（.xlsx）")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise BadPath(f"输出文件夹“{parent}”不存在")
    if path.exists() and not os.access(path, os.W_OK):
        raise BadPath(f"没有写入文件“{name}”的权限，请检查文件权限")
    if not path.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise BadPath(f"没有在文件夹“{parent}”中新建文件的权限")
    return path


def describe_os_error(name, exc):
    """A Chinese sentence for an ``OSError`` met while reading or writing ``name``."""
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return f"没有访问文件“{name}”的权限，请检查文件权限"
    if isinstance(exc, FileNotFoundError):
        return f"文件“{name}”不存在，请检查路径是否正确"
    if isinstance(exc, IsADirectoryError):
        return f"“{name}”是一个文件夹，请指定文件"
    if exc.errno in (errno.EAGAIN, errno.EBUSY, errno.ETXTBSY):
        return f"文件“{name}”正被其他程序占用（已锁定），请关闭该程序后重试"
    return f"无法读写文件“{name}”：{exc.strerror or '系统错误'}"
