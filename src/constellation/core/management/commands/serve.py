"""`constellation serve`: the production web server (gunicorn, several workers).

Run it behind a reverse proxy that terminates TLS; static files are served by WhiteNoise
after `constellation collectstatic`.
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the production web server (gunicorn) with several workers."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "0")) or None)
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "2")))
        parser.add_argument("--timeout", type=int, default=60)

    def handle(self, *args, **options):
        import sys

        from gunicorn.app.wsgiapp import run

        workers = options["workers"] or (2 * (os.cpu_count() or 1) + 1)
        argv = [
            "gunicorn", "constellation.wsgi:application",
            "--bind", options["bind"],
            "--workers", str(workers),
            "--threads", str(options["threads"]),
            "--timeout", str(options["timeout"]),
            "--access-logfile", "-",
            "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        self.stdout.write(f"Serving on http://{options['bind']} with {workers} workers")
        sys.argv = argv
        run()
