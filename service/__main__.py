"""`python -m service`: run the service under gunicorn, as `make serve` does.

The settings come from `LURID_*` variables (see service/gunicorn.conf.py and
the README); a bad value is reported here, before gunicorn starts.
"""

import os
import sys
from pathlib import Path

from .config import ConfigError, ServiceConfig

GUNICORN_CONFIG = Path(__file__).with_name("gunicorn.conf.py")


def main() -> int:
    try:
        ServiceConfig.from_env(os.environ)
    except ConfigError as error:
        print(f"lurid service: {error}", file=sys.stderr)
        return 2
    # exec, not a child process: gunicorn gets the signals (SIGTERM for a graceful stop) directly
    os.execv(sys.executable, [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG)])


if __name__ == "__main__":
    sys.exit(main())
