"""The `constellation` command: Django's management commands, plus `serve`.

    constellation migrate
    constellation import organisations FILE --map name=Name ...
    constellation serve --workers 4
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "constellation.settings")
    argv = list(sys.argv if argv is None else argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["constellation", *argv[1:]])


if __name__ == "__main__":
    main()
