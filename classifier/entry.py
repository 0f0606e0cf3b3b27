"""The `score` console script's entry: Ctrl-C while the libraries load (about two seconds) ends it
quietly with status 130, as Ctrl-C does once scoring has begun (`cli.main`), not with a traceback."""

from __future__ import annotations


def score() -> int:
    try:
        from .cli import main
    except KeyboardInterrupt:
        return 130
    return main()
