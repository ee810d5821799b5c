"""JSON files for management commands: read with a clear message, write all or nothing.

The interchange commands (`atlas solve`, `schedule solve|evaluate`) share these so that a
missing file, a file that is not UTF-8 or not JSON stops every command the same way (exit
code 2, the line and column of the JSON error), and an answer file is never left half written.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

UNUSABLE = 2


def read_json(path: str) -> Any:
    """The parsed file (`-` reads standard input), or CommandError with exit code 2."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CommandError(f"No such file: {path}", returncode=UNUSABLE) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"Cannot read {path}: {exc}", returncode=UNUSABLE) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
            returncode=UNUSABLE,
        ) from exc


def write_json(path: str, data: Any) -> None:
    """Write the whole file or nothing: a temporary file beside it, then a rename."""
    target = Path(path)
    directory = target.resolve().parent
    if not directory.is_dir():
        raise CommandError(f"No such folder: {directory}", returncode=UNUSABLE)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
            out.write("\n")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
