# syntax=docker/dockerfile:1
# One image for every Webcare service: `webcare serve <service>`, `webcare migrate`, `webcare run`.
#   docker build -t webcare:local .
# Pin the base by digest in your registry (PYTHON_IMAGE=python:3.11-slim-bookworm@sha256:...).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# Build stage: install the package and its dependencies (wheels only) into a virtualenv, and build
# the classify model into it.
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/webcare
WORKDIR /src
COPY pyproject.toml README.md ./
COPY gen ./gen
COPY services ./services
RUN /opt/webcare/bin/pip install --only-binary=:all: --no-binary=webcare . \
 && /opt/webcare/bin/pip uninstall --yes pip setuptools wheel \
 && /opt/webcare/bin/python -m compileall -q /opt/webcare/lib
# The classify model, trained from the labeled corpus into the virtualenv: nothing is downloaded or
# trained when a container starts.
COPY data/classify/corpus.jsonl ./data/classify/
RUN /opt/webcare/bin/webcare model build --corpus data/classify/corpus.jsonl --model-dir /opt/webcare/models

# Runtime stage: the same Python, the virtualenv, a numeric non-root user; nothing to build with.
FROM ${PYTHON_IMAGE} AS runtime
ARG UID=10001
RUN groupadd --system --gid ${UID} webcare \
 && useradd --system --uid ${UID} --gid ${UID} --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin webcare
COPY --from=build /opt/webcare /opt/webcare
ENV PATH=/opt/webcare/bin:${PATH} \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    WEBCARE_ENVIRONMENT=production \
    WEBCARE_HOST=0.0.0.0 \
    WEBCARE_PORT=8000 \
    WEBCARE_MODEL_DIR=/opt/webcare/models
# The root filesystem may be read-only: the process writes only temporary files to /tmp.
WORKDIR /tmp
USER 10001:10001
EXPOSE 8000
ENTRYPOINT ["webcare"]
CMD ["serve", "ingest"]
