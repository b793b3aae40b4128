#!/usr/bin/env python3
"""Generate the Python code for proto/ into gen/python (or a given folder)."""

from __future__ import annotations

import argparse
import pathlib
import shutil

from grpc_tools import protoc

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROTO = ROOT / "proto"


def generate(out: pathlib.Path) -> None:
    """Write *_pb2.py and *_pb2.pyi for every .proto file, plus package __init__ files."""
    target = out / "webcare"
    if target.exists():
        shutil.rmtree(target)
    out.mkdir(parents=True, exist_ok=True)
    protos = sorted(str(p.relative_to(PROTO)) for p in PROTO.rglob("*.proto"))
    include = pathlib.Path(protoc.__file__).parent / "_proto"
    args = ["protoc", f"-I{PROTO}", f"-I{include}", f"--python_out={out}", f"--pyi_out={out}", *protos]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    for package in sorted({p.parent for p in target.rglob("*_pb2.py")} | {target}):
        (package / "__init__.py").write_text('"""Generated from proto/ by `make proto`. Do not edit."""\n')
        (package / "py.typed").write_text("")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "gen" / "python")
    generate(parser.parse_args().out)


if __name__ == "__main__":
    main()
