"""Text helpers every service compares words with."""

from __future__ import annotations

_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def fold(text: str) -> str:
    """Case folded, umlauts and ß spelled out: how the model, keywords, rules and monitoring compare words."""
    return text.casefold().translate(_FOLD)
