"""Language detection as classify does it (lingua's low-accuracy mode where it is sure, high accuracy
for the rest) against lingua's high-accuracy mode alone, over every corpus text.

Run with `make bench-languages` (no Kafka or PostgreSQL needed). The last line printed is JSON: CPU time
per text of each (µs, all threads), the share of texts where they agree, and each one's accuracy
against the corpus's language labels.
"""

from __future__ import annotations

import json
import sys
import time

from services.classify.classifier import LANGUAGE_SAMPLE_CHARS, Classifier
from services.classify.config import CORPUS


def main() -> None:
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [row["text"][:LANGUAGE_SAMPLE_CHARS] for row in rows]
    truth = [row["language"] for row in rows]
    classifier = Classifier()
    classifier.languages(texts[:50])  # warm up

    started = time.process_time()
    hybrid = classifier.languages(texts)
    hybrid_cpu = time.process_time() - started

    started = time.process_time()
    high = [
        language.iso_code_639_1.name.lower() if language is not None else "und"
        for language in classifier.detector.detect_languages_in_parallel_of(classifier.samples(texts))
    ]
    high_cpu = time.process_time() - started

    def share(pairs: list[tuple[str, str]]) -> float:
        return round(sum(a == b for a, b in pairs) / len(pairs), 4)

    figures = {
        "texts": len(texts),
        "hybrid_cpu_us": round(hybrid_cpu / len(texts) * 1e6, 1),
        "high_cpu_us": round(high_cpu / len(texts) * 1e6, 1),
        "cpu_ratio": round(hybrid_cpu / high_cpu, 3),
        "agreement": share(list(zip(hybrid, high, strict=True))),
        "hybrid_accuracy": share(list(zip(hybrid, truth, strict=True))),
        "high_accuracy": share(list(zip(high, truth, strict=True))),
    }
    print(f"bench-languages: {figures}", file=sys.stderr)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
