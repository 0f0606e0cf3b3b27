"""`python -m service`: run the service under gunicorn, as `make serve` does.

The settings come from `LURID_*` variables (see service/gunicorn.conf.py and
the README); a bad value is reported here, before gunicorn starts.
"""

import argparse
import os
import sys
from pathlib import Path

from .config import ConfigError, ServiceConfig

GUNICORN_CONFIG = Path(__file__).with_name("gunicorn.conf.py")
SETTINGS = ("LURID_HOST", "LURID_PORT", "LURID_WORKERS", "LURID_MODEL", "LURID_API_KEYS", "LURID_ALLOWED_ORIGINS",
            "LURID_RATE_LIMIT", "LURID_RATE_LIMIT_STORAGE", "LURID_MAX_BODY_BYTES", "LURID_MAX_DOCUMENTS",
            "LURID_MAX_DOCUMENT_CHARS", "LURID_MAX_PARAGRAPHS", "LURID_MAX_FEED_ITEMS", "LURID_TIME_BUDGET",
            "LURID_LOG_REQUESTS")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """No options but --help: every setting is an environment variable, so that the same settings reach
    gunicorn's workers, the Docker image and `make serve` alike."""
    parser = argparse.ArgumentParser(
        prog="python -m service", description="Run the lurid HTTP service under gunicorn (as `make serve` does).",
        epilog="Settings come from environment variables (unset or empty means the default; the README's "
               "'Settings' section says what each does): " + ", ".join(SETTINGS)
               + ". For example: LURID_PORT=9000 LURID_WORKERS=2 python -m service")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    parse_args(argv)  # --help prints the settings and exits 0; any other argument is a usage error (exit 2)
    try:
        ServiceConfig.from_env(os.environ)
    except ConfigError as error:
        print(f"lurid service: {error}", file=sys.stderr)
        return 2
    # exec, not a child process: gunicorn gets the signals (SIGTERM for a graceful stop) directly
    os.execv(sys.executable, [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG)])


if __name__ == "__main__":
    sys.exit(main())
