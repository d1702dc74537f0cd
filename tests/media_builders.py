"""Build real media files carrying metadata labels, with real encoders.

Pillow writes pixels and the carriers it supports natively (JPEG/WebP/AVIF XMP and EXIF, PNG
text chunks, TIFF tag 700); PyAV writes MP4 with ffmpeg's `use_metadata_tags`; exiftool embeds
XMP where Pillow cannot (GIF, MP4 `uuid`, JPEG extended XMP). Used by the tests and by
`samples/make_samples.py`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from fractions import Fraction
from html import escape
from pathlib import Path

import numpy as np
from PIL import Image, PngImagePlugin

TC260_NS = "http://www.tc260.org.cn/ns/AIGC/1.0/"


def tc260_label(produce_id: str) -> str:
    """A valid TC260 implicit label (a producer whose credit code has a valid check char)."""
    return json.dumps(
        {
            "Label": "1",
            "ContentProducer": "001191110102MACQD9K64010000",
            "ProduceID": produce_id,
            "ContentPropagator": "",
            "PropagateID": "",
        }
    )


IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
DST = "http://cv.iptc.org/newscodes/digitalsourcetype/"


def xmp_packet(
    label: str | None = None,
    *,
    form: str = "element",
    prefix: str = "TC260",
    namespace: str = TC260_NS,
    source_type: str | None = None,
    properties: str = "",
    padding: int = 0,
) -> bytes:
    """An XMP packet with a TC260 label in element, attribute or CDATA form."""
    attrs = [
        f'xmlns:{prefix}="{namespace}"',
        f'xmlns:Iptc4xmpExt="{IPTC_EXT}"',
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"',
    ]
    body = properties
    if label is not None and form == "attribute":
        attrs.append(f'{prefix}:AIGC="{escape(label, quote=True)}"')
    elif label is not None and form == "cdata":
        body += f"<{prefix}:AIGC><![CDATA[{label}]]></{prefix}:AIGC>"
    elif label is not None:
        body += f"<{prefix}:AIGC>{escape(label, quote=True)}</{prefix}:AIGC>"
    if source_type:
        body += f'<Iptc4xmpExt:DigitalSourceType rdf:resource="{source_type}"/>'
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" {" ".join(attrs)}>{body}</rdf:Description>'
        f'</rdf:RDF></x:xmpmeta>{" " * padding}<?xpacket end="w"?>'
    )
    return packet.encode("utf-8")


def picture(size=(96, 64)) -> Image.Image:
    """A small gradient picture (real pixels, compressible but not flat)."""
    width, height = size
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    return Image.merge(
        "RGB", (image.getchannel(0), image.getchannel(0).transpose(0), Image.new("L", size, 128))
    )


def jpeg(path: Path, xmp: bytes | None = None, exif: Image.Exif | None = None) -> Path:
    kwargs = {"xmp": xmp} if xmp else {}
    if exif is not None:
        kwargs["exif"] = exif
    picture().save(path, format="JPEG", quality=85, **kwargs)
    return path


def user_comment_exif(text: str, *, software: str | None = None) -> Image.Exif:
    """EXIF with UserComment (UNICODE, UTF-16LE as Pillow writes) and optional Software."""
    exif = Image.Exif()
    if software:
        exif[305] = software
    exif.get_ifd(0x8769)[0x9286] = b"UNICODE\x00" + text.encode("utf-16-le")
    return exif


def png(
    path: Path,
    text: dict[str, str] | None = None,
    *,
    xmp: bytes | None = None,
    compressed: set[str] | None = None,
) -> Path:
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        if key in (compressed or set()):
            info.add_text(key, value, zip=True)
        elif value.isascii():
            info.add_text(key, value)
        else:
            info.add_itxt(key, value)
    if xmp:
        info.add_itxt("XML:com.adobe.xmp", xmp.decode("utf-8"), zip=False)
    picture().save(path, format="PNG", pnginfo=info)
    return path


def webp(path: Path, xmp: bytes | None = None, exif: Image.Exif | None = None) -> Path:
    kwargs = {"xmp": xmp} if xmp else {}
    if exif is not None:
        kwargs["exif"] = exif
    picture().save(path, format="WEBP", quality=80, **kwargs)
    return path


def tiff(path: Path, xmp: bytes) -> Path:
    picture().save(path, format="TIFF", tiffinfo={700: xmp}, compression="tiff_lzw")
    return path


def avif(path: Path, xmp: bytes | None = None, exif: Image.Exif | None = None) -> Path:
    kwargs = {"xmp": xmp} if xmp else {}
    if exif is not None:
        kwargs["exif"] = exif
    picture().save(path, format="AVIF", quality=60, **kwargs)
    return path


def gif(path: Path, xmp: bytes | None = None) -> Path:
    picture().convert("P").save(path, format="GIF")
    if xmp:
        embed_xmp(path, xmp)
    return path


def mp4(path: Path, metadata: dict[str, str] | None = None, *, frames: int = 6) -> Path:
    """An H.264 MP4 written by PyAV; metadata keys land in moov/udta/meta keys+ilst."""
    import av
    import numpy as np

    with av.open(str(path), "w", format="mp4", options={"movflags": "use_metadata_tags"}) as out:
        for key, value in (metadata or {}).items():
            out.metadata[key] = value
        stream = out.add_stream("libx264", rate=Fraction(10))
        stream.width, stream.height, stream.pix_fmt = 96, 64, "yuv420p"
        pixels = np.asarray(picture())
        for _ in range(frames):
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def matroska(path: Path, metadata: dict[str, str] | None = None, *, frames: int = 6) -> Path:
    """A Matroska file written by PyAV (FFmpeg's muxer): H.264 in .mkv, VP9 in .webm. Global
    metadata lands in Tags before the clusters, which FFmpeg guards with CRC-32 elements."""
    import av
    import numpy as np

    webm = path.suffix == ".webm"
    with av.open(str(path), "w", format="webm" if webm else "matroska") as out:
        for key, value in (metadata or {}).items():
            out.metadata[key] = value
        stream = out.add_stream("libvpx-vp9" if webm else "libx264", rate=Fraction(10))
        stream.width, stream.height, stream.pix_fmt = 96, 64, "yuv420p"
        base = np.asarray(picture())
        for index in range(frames):
            frame = np.roll(base, 5 * index, axis=1)
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


TC260_CONFIG = Path(__file__).parent / "data" / "exiftool-tc260.config"


def _exiftool(*args: str) -> None:
    exiftool = shutil.which("exiftool")
    if not exiftool:
        raise RuntimeError("exiftool is needed (Debian: libimage-exiftool-perl)")
    subprocess.run(
        [exiftool, "-config", str(TC260_CONFIG), "-q", "-m", "-overwrite_original", *args],
        check=True,
        capture_output=True,
    )


def embed_xmp(path: Path, xmp: bytes) -> Path:
    """Write the XMP block verbatim with exiftool (GIF app extension, MP4 uuid, ...)."""
    sidecar = path.with_name(path.name + ".xmp")
    sidecar.write_bytes(xmp)
    _exiftool(f"-xmp<={sidecar}", str(path))
    sidecar.unlink()
    return path


def copy_xmp_tags(path: Path, xmp: bytes) -> Path:
    """Let exiftool rewrite the XMP tag by tag: in JPEG, a packet over 64 KB becomes
    standard + extended XMP (the largest properties moved to the extension)."""
    sidecar = path.with_name(path.name + ".xmp")
    sidecar.write_bytes(xmp)
    _exiftool("-tagsfromfile", str(sidecar), "-xmp:all", str(path))
    sidecar.unlink()
    return path


def embed_user_comment(path: Path, text: str) -> Path:
    """EXIF UserComment written by exiftool (for containers Pillow writes no EXIF into)."""
    _exiftool(f"-UserComment={text}", str(path))
    return path


def grey16_png(path: Path, grey: np.ndarray) -> Path:
    """`grey` (8-bit) as a 16-bit greyscale PNG written by OpenCV (its encoder keeps all 16
    bits), each value x 257: its 16-bit value / 257 is the 8-bit one. Pillow opens it as a
    16-bit mode (I;16), not as "L"."""
    import cv2

    assert cv2.imwrite(str(path), grey.astype(np.uint16) * 257)
    with Image.open(path) as stored:
        assert stored.mode.startswith("I"), stored.mode
    return path
