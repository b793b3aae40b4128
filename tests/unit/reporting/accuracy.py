"""The summary's medians and p90s come from logarithmic duration buckets: the exact figures within
rollups.ACCURACY (1%), and the rounding to milliseconds."""

from __future__ import annotations

from typing import Any

import pytest

from services.reporting.rollups import ACCURACY


def about(seconds: float) -> Any:
    """A median or p90 as the summary may give it for an exact `seconds`."""
    return pytest.approx(seconds, rel=ACCURACY, abs=0.001)


def durations(*, mean: float, median: float, p90: float) -> dict[str, Any]:
    """The summary's durations: the mean exact, the median and p90 within the buckets' accuracy."""
    return {"mean": mean, "median": about(median), "p90": about(p90)}
