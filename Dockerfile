# The lurid scoring service. Build: docker build -t lurid .   Run: docker run -p 8000:8000 lurid
# The install steps are the ones `make install` runs (venv, upgrade pip, editable install), without the
# test extra, and with the audited versions of requirements.lock as constraints. The model is package data
# (classifier/models/), so it is baked into the image.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LURID_HOST=0.0.0.0 \
    LURID_PORT=8000

RUN useradd --create-home --uid 10001 lurid
WORKDIR /app

COPY pyproject.toml requirements.lock README.md LICENSE ./
COPY classifier ./classifier
COPY service ./service
RUN python3 -m venv .venv \
    && .venv/bin/python -m pip install --quiet --upgrade pip \
    && .venv/bin/python -m pip install --quiet --no-cache-dir --constraint requirements.lock -e . \
    && .venv/bin/python -c "from classifier.model import load_model; load_model()"

USER lurid
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/app/.venv/bin/python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('LURID_PORT', '8000'), timeout=4)"]
# LURID_WORKERS defaults to the CPUs this container may run on; set it when a CPU quota is lower.
# python -m service checks the LURID_* settings first (a bad one: a clear message, exit 2), then execs gunicorn.
# Stop with `docker stop --time 30` to give requests in flight the full graceful timeout.
ENTRYPOINT ["/app/.venv/bin/python", "-m", "service"]
