"""The image pipeline: the only module that opens images with Pillow.

An upload is checked by decoding it, turned upright by its EXIF orientation, stripped of every
metadata field (EXIF, GPS, XMP, ICC comments) by re-encoding only the pixels, and written as WebP
in a few widths for srcset.
"""

from __future__ import annotations

import io
import threading
import warnings
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont, ImageOps

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
ALLOWED_MEDIA_TYPES = ("image/jpeg", "image/png", "image/webp")
# A JPEG is decoded at reduced scale (draft), so its cost follows the widths we keep; PNG and WebP
# decode in full (4 bytes a pixel and more), so they get a lower cap: 16 MP is a 4000x4000 picture.
MAX_FULL_DECODE_PIXELS = 16_000_000
# At most this many images are decoded at once in one process: memory stays bounded under load.
_SLOTS = threading.BoundedSemaphore(2)


class ImageRejected(Exception):
    """The upload is not an image we accept; code says why (for messages and status codes)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code  # not_image | bad_type | too_large | too_many_pixels | truncated


def rejection_message(code: str) -> str:
    """What to tell the person whose upload was refused, in the page's language."""
    from flask import current_app
    from flask_babel import gettext as _

    messages = {
        "not_image": lambda: _("Berkas ini bukan gambar. Unggah foto JPEG, PNG atau WebP."),
        "bad_type": lambda: _("Jenis berkas ini tidak diterima. Unggah foto JPEG, PNG atau WebP."),
        "truncated": lambda: _("Gambar rusak atau tidak lengkap. Coba unggah lagi."),
        "too_many_pixels": lambda: _(
            "Gambar terlalu besar (terlalu banyak piksel). Unggah foto biasa dari ponsel atau tangkapan layar."
        ),
        "too_large": lambda: _(
            "Berkas terlalu besar: paling besar %(mb)s MB.", mb=current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024)
        ),
    }
    return messages[code]()


@dataclass
class Variant:
    width: int
    height: int
    data: bytes


@dataclass
class ProcessedImage:
    width: int  # of the largest variant
    height: int
    variants: list[Variant]  # smallest first


def process(raw: bytes, *, widths: tuple[int, ...], max_bytes: int, max_pixels: int) -> ProcessedImage:
    if len(raw) > max_bytes:
        raise ImageRejected("too_large")
    if not raw:
        raise ImageRejected("not_image")
    with _SLOTS:
        return _process(raw, widths, max_pixels)


@dataclass
class Inspected:
    format: str
    width: int  # upright (EXIF orientation applied)
    height: int
    suffix: str


def inspect(raw: bytes, *, max_bytes: int, max_pixels: int) -> Inspected:
    """The cheap check an upload gets before it is stored for a job to process: an allowed format, within
    the byte and pixel caps, read from the header only (the full decode happens in the job)."""
    if len(raw) > max_bytes:
        raise ImageRejected("too_large")
    if not raw:
        raise ImageRejected("not_image")
    img = _open(raw, max_pixels)
    try:
        turned = img.getexif().get(0x0112, 1) in (5, 6, 7, 8)  # orientation that swaps width and height
    except Exception:
        turned = False
    w, h = (img.height, img.width) if turned else (img.width, img.height)
    assert img.format is not None  # Image.open names the format it read (one of ALLOWED_FORMATS)
    return Inspected(img.format, w, h, {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}[img.format])


def _open(raw: bytes, max_pixels: int) -> Image.Image:
    """Open (the header only) an allowed format within the pixel caps; ImageRejected otherwise."""
    Image.MAX_IMAGE_PIXELS = max_pixels
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(raw), formats=list(ALLOWED_FORMATS))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRejected("too_many_pixels") from None
        except Exception:  # Pillow raises UnidentifiedImageError, SyntaxError, ValueError...
            raise ImageRejected(_sniff_other(raw)) from None
    cap = max_pixels if img.format == "JPEG" else min(max_pixels, MAX_FULL_DECODE_PIXELS)
    if img.width * img.height > cap:
        raise ImageRejected("too_many_pixels")
    return img


def _process(raw: bytes, widths: tuple[int, ...], max_pixels: int) -> ProcessedImage:
    img = _open(raw, max_pixels)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            largest = max(widths)
            if img.format == "JPEG":
                # Decode a big phone photo at a reduced scale: much faster, still >= largest width.
                img.draft("RGB", (largest, largest))
            img.load()
            img = ImageOps.exif_transpose(img)
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRejected("too_many_pixels") from None
        except Exception:  # OSError "image file is truncated" and friends
            raise ImageRejected("truncated") from None
    img = img.convert("RGBA" if _has_alpha(img) else "RGB")
    variants: list[Variant] = []
    for width in sorted(set(widths)):
        w = min(width, img.width)  # never upscale; a photo narrower than a width ends the list
        if variants and w <= variants[-1].width:
            break
        h = max(1, round(img.height * w / img.width))
        resized = img if w == img.width else img.resize((w, h), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        resized.save(out, "WEBP", quality=80, method=4)  # no exif=, icc_profile=: nothing carried over
        variants.append(Variant(w, h, out.getvalue()))
    return ProcessedImage(variants[-1].width, variants[-1].height, variants)


def _has_alpha(img: Image.Image) -> bool:
    return img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)


def _sniff_other(raw: bytes) -> str:
    head = raw[:512].lstrip().lower()
    if head.startswith(b"<svg") or head.startswith(b"<?xml") or b"<svg" in head:
        return "bad_type"
    for magic in (b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"%PDF"):
        if raw.startswith(magic):
            return "bad_type"
    for magic in (b"\xff\xd8\xff", b"\x89PNG", b"RIFF"):
        if raw.startswith(magic):
            return "truncated"
    return "not_image"


def placeholder_photo(title: str, colour: tuple[int, int, int], size: tuple[int, int] = (1200, 900)) -> bytes:
    """A generated JPEG for demo products: a coloured card with the product's name."""
    img = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(img)
    w, h = size
    light = tuple(min(255, c + 60) for c in colour)
    for i in range(6):
        r = 80 + i * 70
        draw.ellipse((w * 0.65 - r, h * 0.35 - r, w * 0.65 + r, h * 0.35 + r), outline=light, width=8)
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", 72)
    except OSError:
        font = ImageFont.load_default(size=72)
    y = h - 260
    for line in _wrap(title, 22)[:3]:
        draw.text((60, y), line, fill=(255, 255, 255), font=font)
        y += 86
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + ([line] if line else [])
