"""IPTC / C2PA digital source types grouped by what they say about AI generation.

Source: C2PA Asset Rubrics 1.0 and the IPTC NewsCodes vocabulary `digitalsourcetype`
(requirements.md §4). `markcheck.sourcetype` classifies a value against these sets.
"""

from __future__ import annotations

IPTC_PREFIX = "http://cv.iptc.org/newscodes/digitalsourcetype/"
C2PA_PREFIX = "http://c2pa.org/digitalsourcetype/"

GENAI = frozenset(
    {
        "trainedAlgorithmicMedia",
        "compositeWithTrainedAlgorithmicMedia",
        "compositeSynthetic",
        "trainedAlgorithmicData",  # C2PA's own vocabulary
    }
)
POSSIBLY_GENAI = frozenset({"digitalArt", "composite"})
NOT_GENAI = frozenset(
    {
        "algorithmicMedia",
        "digitalCapture",
        "negativeFilm",
        "positiveFilm",
        "print",
        "minorHumanEdits",
        "humanEdits",
        "dataDrivenMedia",
        "screenCapture",
        "virtualRecording",
        "computationalCapture",
    }
)
