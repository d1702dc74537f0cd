"""Shared vocabulary: wording classes, GenAI source types, generator names.

Used by readers, detectors and rules alike; imports nothing of theirs.
"""
