"""Generator traces: metadata that names an AI generator or carries its settings."""

from __future__ import annotations

import re

from markcheck.model import GeneratorHint

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
# Names of AI generators as they appear in Software / CreatorTool / encoder fields.
GENERATOR_NAMES = (
    "Stable Diffusion", "StableDiffusion", "SDXL", "Midjourney", "DALL-E", "DALL·E", "DALLE",
    "Adobe Firefly", "Firefly", "Imagen", "Gemini", "ComfyUI", "NovelAI", "FLUX", "Ideogram",
    "Leonardo.Ai", "Runway", "Sora", "Kling", "Hailuo", "Pika", "Jimeng", "即梦", "通义万相",
    "Tongyi Wanxiang", "文心一格", "Doubao", "豆包", "Seedream", "Seedance", "Veo", "InvokeAI",
    "Automatic1111", "Fooocus", "Grok", "Recraft", "Kolors", "可灵", "海螺",
)  # fmt: skip
_NAMES = re.compile("|".join(re.escape(n) for n in GENERATOR_NAMES), re.IGNORECASE)
GOOGLE_AI_CREDIT = "Made with Google AI"
_MAX_HINT = 200


def _short(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= _MAX_HINT else value[: _MAX_HINT - 1] + "…"


def from_keyword(carrier: str, key: str, value: str) -> GeneratorHint | None:
    what = GENERATOR_KEYWORDS.get(key.lower())
    if what and value.strip():
        return GeneratorHint(f"{carrier}:{key}", f"{what}: {_short(value)}")
    return None


def from_tool_name(source: str, value: str) -> GeneratorHint | None:
    """Software / CreatorTool / encoder values that name a known AI generator."""
    match = _NAMES.search(value)
    if match:
        return GeneratorHint(source, _short(value))
    return None


def from_credit(source: str, value: str) -> GeneratorHint | None:
    if GOOGLE_AI_CREDIT.lower() in value.lower():
        return GeneratorHint(source, _short(value))
    return None
