"""The house's size rule: no module in app/ over 400 lines, no function over 60 (as ruff format writes
them). Prints each place that breaks it and exits 1; run by scripts/test."""

from __future__ import annotations

import ast
import pathlib
import sys

MAX_MODULE, MAX_FUNCTION = 400, 60


def main(root: str = "app") -> int:
    broken = []
    for path in sorted(pathlib.Path(root).rglob("*.py")):
        text = path.read_text()
        lines = text.count("\n")
        if lines > MAX_MODULE:
            broken.append(f"{path}: {lines} lines (at most {MAX_MODULE})")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION:
                    broken.append(f"{path}:{node.lineno} {node.name}: {length} lines (at most {MAX_FUNCTION})")
    for line in broken:
        print(line)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
