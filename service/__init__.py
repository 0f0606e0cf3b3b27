"""The lurid scoring service: a Flask app over the scoring core.

`create_app(config=None)` (in app.py) builds it; `python -m service` (or
`make serve`) runs it under gunicorn. See the README for the endpoints and the
`LURID_*` settings.
"""

__all__ = ["create_app"]


def __getattr__(name: str):
    """Import `create_app` on first use (PEP 562).

    `python -m service` imports this package before handing over to gunicorn,
    which imports the app itself; importing Flask and scikit-learn here too
    would add a second ~1 s of imports to every cold start.
    """
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module 'service' has no attribute {name!r}")
