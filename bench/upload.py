"""Time to process one 12-megapixel phone photo (decode, turn upright, strip, 3 WebP widths).

.venv/bin/python bench/upload.py [--runs 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core import images
from tests.catalog.test_photos import phone_photo


def smooth_photo() -> bytes:
    """A 12 MP JPEG with photo-like smooth areas (noise is the worst case for WebP)."""
    import io

    from PIL import Image

    blobs = Image.effect_noise((200, 150), 90).resize((4000, 3000), Image.Resampling.BICUBIC)
    grain = Image.effect_noise((4000, 3000), 8)
    img = Image.merge("RGB", (blobs, Image.blend(blobs, grain, 0.3), grain.point(lambda v: v // 2 + 60)))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6
    img.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    for label, raw in (("noisy (worst case)", phone_photo()), ("smooth, photo-like", smooth_photo())):
        measure(label, raw, args.runs)


def measure(label: str, raw: bytes, runs: int) -> None:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = images.process(raw, widths=(320, 640, 1280), max_bytes=12 * 1024 * 1024, max_pixels=50_000_000)
        times.append(time.perf_counter() - started)
    sizes = ", ".join(f"{v.width}x{v.height} {len(v.data) // 1024} KiB" for v in result.variants)
    print(f"{label}: 4000x3000 JPEG, {len(raw) / 1e6:.1f} MB, EXIF orientation 6")
    print(f"  output: {sizes}")
    print(
        f"  process time over {runs} runs: median {statistics.median(times) * 1000:.0f} ms, "
        f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
