"""Names of AI generators and the metadata fields where naming one is a trace.

A name counts only as a whole word (so "Influx" is not FLUX and "Imagenomic" is not Imagen) and
only in fields a tool fills in about itself or its settings: software, creator tool, encoder,
generation parameters and prompts. Fields people fill in about people or cameras (Artist,
Copyright, Make, Model) are never searched: "Sora Tanaka" is a photographer, not a generator.
"""

from __future__ import annotations

import re

# Names of AI generators as they appear in Software / CreatorTool / encoder fields.
GENERATOR_NAMES = (
    "Stable Diffusion", "StableDiffusion", "SDXL", "Midjourney", "DALL-E", "DALL·E", "DALLE",
    "Adobe Firefly", "Firefly", "Imagen", "Gemini", "ComfyUI", "NovelAI", "FLUX", "Ideogram",
    "Leonardo.Ai", "Runway", "Sora", "Kling", "Hailuo", "Pika", "Jimeng", "即梦", "通义万相",
    "Tongyi Wanxiang", "文心一格", "Doubao", "豆包", "Seedream", "Seedance", "Veo", "InvokeAI",
    "Automatic1111", "Fooocus", "Grok", "Recraft", "Kolors", "可灵", "海螺",
)  # fmt: skip

# PNG/MP4 text keywords written by generation front-ends (the value is their settings).
GENERATOR_KEYWORDS = {
    "parameters": "Stable Diffusion WebUI parameters",
    "prompt": "ComfyUI prompt",
    "workflow": "ComfyUI workflow",
    "invokeai_metadata": "InvokeAI metadata",
    "invokeai_graph": "InvokeAI graph",
    "sd-metadata": "InvokeAI metadata",
    "dream": "InvokeAI dream",
    "novelai": "NovelAI",
}

# Text keys / tag names whose value names the tool that wrote the file (lower case).
TOOL_FIELDS = frozenset({"software", "©too", "©swr", "encoder", "creatortool", "encoded_by"})
# Text keys / tag names that hold a description or a prompt (lower case).
PROMPT_FIELDS = frozenset({"description", "comment", "imagedescription", "title", "©cmt"})
# Never searched for generator names: about people, rights and cameras.
PERSON_FIELDS = frozenset({"artist", "author", "copyright", "make", "model", "creator"})


def _word(name: str) -> str:
    # CJK names have no word boundaries in running text; Latin names need them.
    if all(ord(ch) < 0x2E80 for ch in name):
        return rf"(?<![\w.-]){re.escape(name)}(?![\w-])"
    return re.escape(name)


NAME_PATTERN = re.compile("|".join(_word(n) for n in GENERATOR_NAMES), re.IGNORECASE)

# Midjourney appends its parameters and the job id to the prompt it stores in Description:
# "... --ar 4:3 --v 5.2 Job ID: 7f2d0b4e-...". A version flag, or a job id, is the trace.
MIDJOURNEY_VERSION = re.compile(r"(?<!\S)--(?:v|version|niji)\s+\d+(?:\.\d+)?(?!\S)")
MIDJOURNEY_JOB = re.compile(
    r"\bJob ID:\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE
)
_MIDJOURNEY_FLAGS = re.compile(r"(?<!\S)--(?:ar|aspect|s|stylize|q|quality|c|chaos|style)\s+\S+")


def generator_name(value: str) -> str | None:
    """The first AI generator named, as a whole word, in a tool field's value."""
    match = NAME_PATTERN.search(value)
    return match.group(0) if match else None


def midjourney_prompt(value: str) -> str | None:
    """Why a description reads as a Midjourney prompt, or None.

    A job id is enough; a version flag needs one more Midjourney flag beside it, since
    "--v 2" alone could be anything.
    """
    if MIDJOURNEY_JOB.search(value):
        return "Midjourney job id"
    if MIDJOURNEY_VERSION.search(value) and _MIDJOURNEY_FLAGS.search(value):
        return "Midjourney prompt parameters"
    return None
