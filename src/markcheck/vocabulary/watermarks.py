"""Invisible watermark messages that open image generators embed, and where each is defined.

All of them use the `invisible-watermark` package's DWT-DCT method ("dwtDct": no key, the
message bits quantised into the Haar approximation of the U channel). What differs is the
message and the pixel array handed to the encoder: SD 1.x/2.x scripts pass 8-bit BGR, the
SDXL and FLUX pipelines pass float32 in 0..255, which shifts the U channel by 127.5 (OpenCV's
float chroma offset is 0.5, its 8-bit one 128) — a decoder must use the same array type.
"""

from __future__ import annotations

from dataclasses import dataclass

DWTDCT = "invisible-watermark/dwtDct"


def _bits_of_bytes(text: str) -> tuple[int, ...]:
    return tuple(int(bit) for byte in text.encode() for bit in f"{byte:08b}")


def _bits_of_int(value: int) -> tuple[int, ...]:
    # What the pipelines do: bin(x)[2:], so leading zeros are not embedded.
    return tuple(int(bit) for bit in bin(value)[2:])


@dataclass(frozen=True)
class WatermarkMessage:
    """One generator's fixed DWT-DCT message."""

    key: str  # short id used in reports: "sdxl"
    generator: str  # who embeds it
    message: str  # the message as its source writes it
    bits: tuple[int, ...]
    pixels: str  # "uint8" or "float32": the array type the pipeline gives the encoder
    source: str  # where the message and the call are defined
    scheme: str = DWTDCT
    # Channel order of the array the pipeline handed over as "BGR": "bgr" when it flipped
    # RGB first (as the encoder expects), "rgb" when it passed RGB as is.
    order: str = "bgr"

    @property
    def name(self) -> str:
        return f"{self.scheme}:{self.key}"


MESSAGES: tuple[WatermarkMessage, ...] = (
    WatermarkMessage(
        "sd1",
        "Stable Diffusion 1.x",
        "StableDiffusionV1",
        _bits_of_bytes("StableDiffusionV1"),
        "uint8",
        "CompVis/stable-diffusion scripts/txt2img.py: set_watermark('bytes', b'StableDiffusionV1')",
    ),
    WatermarkMessage(
        "sd2",
        "Stable Diffusion 2.x",
        "SDV2",
        _bits_of_bytes("SDV2"),
        "uint8",
        "Stability-AI/stablediffusion scripts/txt2img.py: set_watermark('bytes', b'SDV2')",
    ),
    WatermarkMessage(
        "sdxl",
        "Stable Diffusion XL",
        "0b101100111110110010010000011110111011000110011110",
        _bits_of_int(0b101100111110110010010000011110111011000110011110),
        "float32",
        "diffusers pipelines/stable_diffusion_xl/watermark.py (from Stability-AI/generative-models"
        " streamlit_helpers.py): set_watermark('bits', ...) on float32 BGR",
    ),
    WatermarkMessage(
        "sdxl-rgb",
        "Stable Diffusion XL",
        "0b101100111110110010010000011110111011000110011110",
        _bits_of_int(0b101100111110110010010000011110111011000110011110),
        "float32",
        "diffusers pipelines/stable_diffusion_xl/watermark.py before PR #7013 (2024-02): RGB"
        " passed to the BGR encoder (issue #6292), so the mark sits in (R - Y), not (B - Y)",
        order="rgb",
    ),
    WatermarkMessage(
        "flux",
        "FLUX (Black Forest Labs)",
        "0b001010101111111010000111100111001111010100101110",
        _bits_of_int(0b001010101111111010000111100111001111010100101110),
        "float32",
        "black-forest-labs/flux src/flux/util.py WatermarkEmbedder: bin() drops two leading"
        " zeros, 46 bits",
    ),
)

BY_KEY = {message.key: message for message in MESSAGES}
