"""The Dockerfile, read statically (no Docker engine here): multi-stage, the final stage installs
nothing and builds nothing, runs as a numeric non-root user the chart and compose agree on, carries
the classify model built from the corpus, and starts `webcare`; .dockerignore lets in exactly what
the build copies."""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass, field

import pytest
import yaml

from services.kit.config import SERVICES
from tests.integration.deploy.chart import CHART_DIR, ROOT

BUILD_TOOLS = re.compile(r"\b(gcc|g\+\+|cc|clang|make|build-essential|cargo|rustc|apt-get|apk|dnf|yum|pip)\b")


@dataclass
class Stage:
    """One FROM ... stage: its base, name and instructions (keyword, argument)."""

    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def args(self, keyword: str) -> list[str]:
        """The arguments of every instruction with this keyword."""
        return [arg for key, arg in self.instructions if key == keyword]


def _stages() -> list[Stage]:
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    stages: list[Stage] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, argument = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            match = re.fullmatch(r"(\S+)(?:\s+AS\s+(\S+))?", argument.strip(), re.IGNORECASE)
            assert match, line
            stages.append(Stage(base=match.group(1), name=match.group(2)))
        elif stages:
            stages[-1].instructions.append((keyword, argument.strip()))
    return stages


@pytest.fixture(scope="module")
def final() -> Stage:
    """The stage the image is made of."""
    return _stages()[-1]


def test_the_build_has_a_build_stage_and_a_runtime_stage_on_the_same_base() -> None:
    stages = _stages()
    assert len(stages) >= 2
    assert stages[-1].base == stages[0].base
    assert any("pip install" in run for run in stages[0].args("RUN"))


def test_the_final_stage_only_copies_the_built_virtualenv(final: Stage) -> None:
    copies = final.args("COPY")
    assert copies and all(c.startswith("--from=") for c in copies)
    for run in final.args("RUN"):
        assert not BUILD_TOOLS.search(run), run


def test_the_image_runs_as_the_numeric_non_root_user_chart_and_compose_use(final: Stage) -> None:
    (user,) = final.args("USER")
    uid, _, gid = user.partition(":")
    assert uid.isdigit() and int(uid) > 0 and (not gid or int(gid) > 0)
    values = yaml.safe_load((CHART_DIR / "values.yaml").read_text())
    assert values["podSecurityContext"]["runAsUser"] == int(uid)
    compose = yaml.safe_load((ROOT / "deploy" / "compose" / "compose.yaml").read_text())
    assert compose["services"]["ingest"]["user"] == user


def test_the_image_starts_webcare_and_serves_a_service_by_default(final: Stage) -> None:
    (entrypoint,) = final.args("ENTRYPOINT")
    assert json.loads(entrypoint) == ["webcare"]
    (cmd,) = final.args("CMD")
    command = json.loads(cmd)
    assert command[0] == "serve" and command[1] in SERVICES
    assert "8000" in final.args("EXPOSE")


def test_the_image_carries_the_classify_model_built_in_the_build_stage(final: Stage) -> None:
    build = _stages()[0]
    assert any(copy.split()[0] == "data/classify/corpus.jsonl" for copy in build.args("COPY"))
    (command,) = [run for run in build.args("RUN") if "webcare model build" in run]
    corpus = re.search(r"--corpus\s+(\S+)", command)
    model_dir = re.search(r"--model-dir\s+(\S+)", command)
    assert corpus and corpus.group(1).endswith("data/classify/corpus.jsonl"), command
    assert model_dir, command
    copied = [c.split()[1] for c in final.args("COPY") if c.startswith("--from=build")]
    assert any(model_dir.group(1).startswith(path.rstrip("/") + "/") for path in copied), copied
    env = " ".join(final.args("ENV"))
    assert f"WEBCARE_MODEL_DIR={model_dir.group(1)}" in env.split(), env


def _ignored(path: str, patterns: list[str]) -> bool:
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        glob = pattern.lstrip("!").rstrip("/")
        if fnmatch.fnmatch(path, glob) or path.startswith(glob + "/"):
            ignored = not negate
    return ignored


def test_dockerignore_lets_in_what_the_build_copies_and_nothing_else() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    copied = [src for copy in _stages()[0].args("COPY") for src in copy.split()[:-1]]
    assert copied
    for source in copied:
        assert not _ignored(source.rstrip("/"), patterns), source
        assert (ROOT / source).exists(), source
    for private in (".git", ".venv", ".cache", ".webcare", "tests", "deploy", ".env"):
        assert _ignored(private, patterns), private
