"""What the tests share, loaded as pytest plugins by tests/conftest.py: fixtures (the app on each backend),
outside (fake outside servers), browser (Chromium); and helpers the tests import (buying, wholesale,
factories)."""

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"  # tests/artifacts: screenshots and PDFs to look at
