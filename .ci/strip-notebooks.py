#!/usr/bin/env python3
"""Strips notebooks for committing: no outputs, no execution counts, no execution timing metadata.

    .ci/strip-notebooks.py notebooks/*.ipynb      # rewrites in place; standard library only
    .ci/strip-notebooks.py --check notebooks/*.ipynb   # exit 1 listing notebooks that need stripping
See notebooks/README.md ("Committed notebooks are stripped").
"""
import json
import sys


def strip(nb):
    for cell in nb.get("cells", []):
        cell.get("metadata", {}).pop("execution", None)
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def main(argv):
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    dirty = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        out = json.dumps(strip(json.loads(text)), indent=1, ensure_ascii=False) + "\n"
        if out != text:
            dirty.append(path)
            if not check:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(out)
    if check and dirty:
        print("not stripped: " + ", ".join(dirty) + " (run .ci/strip-notebooks.py on them)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
