"""Hostile payloads for the adapters' property tests: random JSON, and valid payloads with one value
anywhere replaced by one that has broken parsers before."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

JSON: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path below the root of a JSON document."""
    children = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else []
    found = [prefix] if prefix else []
    for key, value in children:
        found += paths(value, (*prefix, key))
    return found


def replaced(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A copy of the document with the value at `path` replaced."""
    doc = copy.deepcopy(doc)
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


def mutations(docs: list[Any], nasty: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A valid payload with one value anywhere in it replaced by a nasty one or random JSON."""
    return st.sampled_from(docs).flatmap(
        lambda doc: st.builds(replaced, st.just(doc), st.sampled_from(paths(doc)), nasty | JSON)
    )


def bodies(
    valid: st.SearchStrategy[Any], examples: list[Any], nasty: st.SearchStrategy[Any], *, count: int = 50
) -> list[bytes]:
    """Request bodies to throw at an adapter: valid payloads, examples with one value made nasty,
    random JSON and random bytes."""
    drawn: list[bytes] = []

    @settings(max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(
        st.one_of(
            valid.map(lambda d: json.dumps(d).encode()),
            mutations(examples, nasty).map(lambda d: json.dumps(d).encode()),
            JSON.map(lambda d: json.dumps(d).encode()),
            st.binary(),
        )
    )
    def collect(body: bytes) -> None:
        drawn.append(body)

    collect()
    return drawn
