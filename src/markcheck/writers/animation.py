"""What every animated picture's visible label shares (GIF, animated WebP, APNG): its frames
as shown, within bounds, and the backing that keeps a label readable over moving frames."""

from __future__ import annotations

from PIL import Image

from markcheck.writers import WriterError

# An animation's label gets a backing at least this opaque, as on video: what moves under it
# must not make it unreadable on any frame.
ANIMATION_MIN_BACKING = 0.7
MAX_FRAMES = 2000
_MAX_FRAME_PIXELS = 400_000_000  # all frames together, decoded


def frames_of(image: Image.Image, fmt: str) -> tuple[list[Image.Image], list[int]]:
    """Every frame of an animation as shown (RGBA), and each one's duration in ms."""
    count = getattr(image, "n_frames", 1)
    if count > MAX_FRAMES:
        raise WriterError(f"{fmt}: {count} frames is over the {MAX_FRAMES}-frame limit")
    if count * image.width * image.height > _MAX_FRAME_PIXELS:
        raise WriterError(f"{fmt}: the frames together are over the pixel limit")
    frames, durations = [], []
    for index in range(count):
        image.seek(index)
        frames.append(image.convert("RGBA"))  # the frame as shown (Pillow composes it)
        durations.append(int(image.info.get("duration", 0)))
    return frames, durations
