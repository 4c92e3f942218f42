# syntax=docker/dockerfile:1
# One image for every Tandem process:
#   docker build -t tandem .
#   docker run -e SERVICE=profiles tandem api        # or: worker
#   docker run tandem python -m shared.provision     # topics + indexes, then exits
# Kubernetes probes check health (/healthz, /readyz), so there is no HEALTHCHECK.

ARG PYTHON_IMAGE=python:3.11-slim

# --- builder: resolve and install the pinned dependencies into a venv ---------
FROM ${PYTHON_IMAGE} AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_INPUT=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Dependencies first, from pyproject.toml alone, so this layer is rebuilt only
# when they change. Every one is pinned there and ships as a wheel: no
# compiler needed.
COPY pyproject.toml ./
RUN --mount=type=cache,target=/root/.cache/pip \
    python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
       > requirements.txt \
    && pip install -r requirements.txt
# Then the project itself, installed (not editable) so that the final stage
# needs nothing but the venv.
COPY shared ./shared
COPY services ./services
COPY tandem_cli ./tandem_cli
RUN pip install --no-deps .

# --- runtime: the venv, an unprivileged user, nothing else -------------------
FROM ${PYTHON_IMAGE}
# Numeric ids so Kubernetes' runAsNonRoot can verify them.
RUN groupadd --system --gid 10001 tandem \
    && useradd --system --uid 10001 --gid tandem --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin tandem
COPY --from=builder /opt/venv /opt/venv
# The entrypoint empties the Prometheus multiprocess directory (gunicorn's
# workers share it; files left by an earlier run of the container would skew
# counters), then runs `python -m services.$SERVICE api|worker`, or any other
# command given (e.g. `python -m shared.provision`) as is.
COPY --chmod=0755 <<'EOF_ENTRYPOINT' /usr/local/bin/tandem-entrypoint
#!/bin/sh
set -eu
mkdir -p "${PROMETHEUS_MULTIPROC_DIR:?}"
rm -f "$PROMETHEUS_MULTIPROC_DIR"/*.db
case "${1:-}" in
  api|worker)
    exec python -m "services.${SERVICE:?set SERVICE to profiles, matching, notifications or analytics}" "$@" ;;
  *)
    exec "$@" ;;
esac
EOF_ENTRYPOINT
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOST=0.0.0.0 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus
WORKDIR /app
USER 10001:10001
EXPOSE 8001 8002 8003 8004 9100
ENTRYPOINT ["tandem-entrypoint"]
CMD ["api"]
