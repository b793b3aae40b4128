"""Private data in customer text: IBANs, card numbers, phone numbers, e-mail and postal addresses,
dates of birth, and tenant-defined patterns (customer or contract numbers).

Checksums decide where the format allows (IBAN mod 97, card numbers by Luhn), so that order numbers
and tracking codes are not taken for bank data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from services.classify.patterns import SafePattern

# Lengths of the IBANs of the countries customers of a European contact center write from.
IBAN_LENGTHS = {
    "AT": 20, "BE": 16, "CH": 21, "CZ": 24, "DE": 22, "DK": 18, "ES": 24, "FI": 18, "FR": 27,
    "GB": 22, "IE": 22, "IT": 27, "LI": 21, "LU": 20, "NL": 18, "NO": 15, "PL": 28, "PT": 25,
    "SE": 24, "TR": 26,
}  # fmt: skip

_DIGIT = re.compile(r"\d")
_IBAN = re.compile(r"\b([A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?)\b", re.IGNORECASE)
_CARD = re.compile(r"(?<![\d-])(\d(?:[ -]?\d){12,18})(?![\d-])")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.IGNORECASE)
_PHONE = re.compile(
    r"(?<![\w+])((?:\+|00)\d{1,3}[ /.-]?)?(?:\(?0?\d{2,5}\)?[ /.-]?)\d{3,}(?:[ /.-]?\d{2,})*(?!\w)"
)
_STREET_DE = re.compile(
    r"\b[A-ZÄÖÜ][\wäöüß.-]*(?:stra(?:ß|ss)e|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee)"
    r"\s+\d{1,4}\s?[a-z]?\b(?:,?\s+\d{5}\s+[A-ZÄÖÜ][\wäöüß-]+)?",
)
_STREET_DE_SPLIT = re.compile(
    r"\b(?:[A-ZÄÖÜ][\wäöüß-]+\s)+(?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Ring|Damm)\s+\d{1,4}\s?[a-z]?\b"
)
_STREET_EN = re.compile(
    r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Drive|Dr\.?|"
    r"Close|Way|Court|Ct\.?)\b"
)
_POSTCODE_CITY = re.compile(r"\b\d{5}\s+[A-ZÄÖÜ][a-zäöüß]+(?:[ -][A-ZÄÖÜ][a-zäöüß]+)?\b")
_DOB = re.compile(
    r"(?:geb(?:oren)?\.?(?:\s+am)?|geburtsdatum|geburtstag|date of birth|dob|born(?:\s+on)?|birthday)"
    r"\s*:?\s*(\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2}|\d{1,2}\.\s?\w+\s(?:19|20)\d{2})",
    re.IGNORECASE,
)


# The kinds found without any configuration; a tenant's own kinds take other names.
BUILT_IN_KINDS = frozenset({"iban", "card_number", "email", "date_of_birth", "postal_address", "phone"})


@dataclass(frozen=True)
class Finding:
    """One piece of private data: what kind, and where in the text."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class TenantPattern:
    """A tenant's own kind of private data, such as a customer number (RE2, linear-time matching)."""

    kind: str
    pattern: SafePattern


def iban_valid(candidate: str) -> bool:
    """Whether a string is an IBAN: known country length and checksum mod 97 == 1."""
    iban = re.sub(r"\s", "", candidate).upper()
    if IBAN_LENGTHS.get(iban[:2]) != len(iban):
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def luhn_valid(candidate: str) -> bool:
    """Whether a number passes the Luhn check card numbers carry."""
    digits = [int(d) for d in candidate if d.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, digit in enumerate(reversed(digits)):
        if i % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def detect(text: str, extra: Sequence[TenantPattern] = ()) -> list[Finding]:
    """Every piece of private data in the text, without overlaps, in text order."""
    found: list[Finding] = []
    digits = _DIGIT.search(text) is not None  # every built-in kind but e-mail has digits
    if digits:
        found += _spans("iban", _IBAN, text, check=iban_valid)
        found += _spans("card_number", _CARD, text, check=luhn_valid)
    if "@" in text:
        found += _spans("email", _EMAIL, text)
    if digits:
        found += _spans("date_of_birth", _DOB, text, group=1)
        for pattern in (_STREET_DE, _STREET_DE_SPLIT, _STREET_EN, _POSTCODE_CITY):
            found += _spans("postal_address", pattern, text)
    for tenant_pattern in extra:
        found += [Finding(tenant_pattern.kind, m.start, m.end) for m in tenant_pattern.pattern.finditer(text)]
    if digits:
        found += _spans("phone", _PHONE, text, check=_phone_like)
    return _without_overlaps(found)


def redact(text: str, findings: Iterable[Finding]) -> str:
    """The text with each finding replaced by its kind in brackets."""
    out: list[str] = []
    position = 0
    for finding in sorted(findings, key=lambda f: f.start):
        out.append(text[position : finding.start])
        out.append(f"[{finding.kind.upper()}]")
        position = finding.end
    out.append(text[position:])
    return "".join(out)


def _phone_like(candidate: str) -> bool:
    digits = sum(ch.isdigit() for ch in candidate)
    international = candidate.startswith(("+", "00"))
    return (7 <= digits <= 15) and (international or candidate.startswith("0"))


def _spans(
    kind: str, pattern: re.Pattern[str], text: str, *, check: object = None, group: int = 0
) -> list[Finding]:
    result = []
    for match in pattern.finditer(text):
        value = match.group(group)
        if callable(check) and not check(value):
            continue
        result.append(Finding(kind, match.start(group), match.end(group)))
    return result


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    """Keep the first-found (most specific) finding where spans overlap."""
    kept: list[Finding] = []
    for finding in findings:
        if all(finding.end <= k.start or finding.start >= k.end for k in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)
