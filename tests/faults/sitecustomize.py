"""Test hook: with BUDGET_FAULT="ERRNO:PATTERN" (e.g. "ENOSPC:*/data.json") every write to a
path matching PATTERN fails with that OSError, in this process and the ones it starts
(tests/test_faults.py puts this folder on PYTHONPATH)."""

import builtins
import errno
import fnmatch
import io
import os
import shutil

_spec = os.environ.get("BUDGET_FAULT", "")
if _spec:
    _name, _pattern = _spec.split(":", 1)
    _code = getattr(errno, _name)

    def _check(path):
        if isinstance(path, int):
            return
        path = os.path.abspath(os.fsdecode(path))
        if fnmatch.fnmatch(path, _pattern):
            raise OSError(_code, os.strerror(_code), path)

    def _writing(mode):
        return any(c in mode for c in "wax+")

    def _guard_open(real):
        def opened(file, mode="r", *args, **kwargs):
            if _writing(mode):
                _check(file)
            return real(file, mode, *args, **kwargs)
        return opened

    def _guard(real, *positions):
        def guarded(*args, **kwargs):
            for i in positions:
                if i < len(args):
                    _check(args[i])
            return real(*args, **kwargs)
        return guarded

    builtins.open = io.open = _guard_open(io.open)
    os.mkdir = _guard(os.mkdir, 0)
    os.symlink = _guard(os.symlink, 1)
    os.link = _guard(os.link, 1)  # an unchanged file, a hard link of the published one (relink.py)
    os.replace = _guard(os.replace, 1)
    os.rename = _guard(os.rename, 1)
    shutil.copyfile = _guard(shutil.copyfile, 1)
