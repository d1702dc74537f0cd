"""Evidence gating: metadata first, then only the costlier parts the rules need, and pixels
only where a rule could use them."""

from __future__ import annotations

from collections.abc import Callable

from markcheck.ai import assess
from markcheck.discover import Candidate
from markcheck.evidence.collect import collect_metadata, provide
from markcheck.evidence.held import release
from markcheck.model import Evidence
from markcheck.remote import local_file
from markcheck.scan_options import ScanOptions

# Parts that cost more than reading metadata, cheapest first.
COSTLY_PARTS = ("c2pa", "watermark", "explicit")
PIXEL_PARTS = {"explicit", "watermark"}
# Pixel parts searched in every file: they find AI output whose metadata was stripped (and
# run before "explicit", whose gate then sees what they found).
SEARCH_PARTS = {"watermark"}


def gather(
    candidate: Candidate,
    parts: set[str],
    options: ScanOptions,
    collect: Callable[[Candidate, ScanOptions], Evidence] = collect_metadata,
    supply: Callable[..., None] = provide,
) -> Evidence:
    """Metadata first, then only the costlier parts the rules need.

    Pixels are examined only where a rule could use them: when the file is AI output by its
    metadata, when --assume-ai says so, or for a platform, which must look for traces.
    `collect` and `supply` compute the metadata and each costly part (the evidence cache
    passes its own, which look in the cache first).
    Watermark decoding (cheap) runs on every file a rule needs it for: it finds AI output
    whose metadata was stripped.
    """
    release()  # only bytes this file's own metadata step reads are held (evidence.held)
    try:
        evidence = collect(candidate, options)
        fmt = candidate.format or ""
        with local_file(candidate, evidence) as path:  # a remote file is fetched only if opened
            for part in COSTLY_PARTS:
                if part not in parts:
                    continue
                if part in PIXEL_PARTS - SEARCH_PARTS and not (
                    options.assume_ai
                    or options.role == "platform"
                    or assess(evidence).verdict != "none"
                ):
                    evidence.unavailable[part] = "pixels not examined: no AI signal in the metadata"
                    continue
                supply(part, evidence, path, fmt, options)
    finally:
        release()  # the whole-file read collect_metadata held for the parts
    return evidence
