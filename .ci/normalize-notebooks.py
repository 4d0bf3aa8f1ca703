#!/usr/bin/env python3
"""Normalises executed notebooks for committing: keeps the outputs of the run, drops what changes from run to run
or machine to machine without changing what the notebook shows.

    .ci/normalize-notebooks.py notebooks/*.ipynb           # rewrites in place; standard library only
    .ci/normalize-notebooks.py --check notebooks/*.ipynb   # exit 1 listing notebooks that need it

Dropped: each cell's execution timing metadata (nbclient's "execution"), the kernel's language_info.version (the
JDK build of the machine that ran it). Kept: outputs and execution counts. .ci/execute-notebooks.sh runs the
notebooks and then this script; see notebooks/README.md ("Committed notebooks carry their outputs").
"""
import json
import sys


def normalize(nb):
    nb.get("metadata", {}).get("language_info", {}).pop("version", None)
    for cell in nb.get("cells", []):
        cell.get("metadata", {}).pop("execution", None)
    return nb


def main(argv):
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    dirty = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        out = json.dumps(normalize(json.loads(text)), indent=1, ensure_ascii=False) + "\n"
        if out != text:
            dirty.append(path)
            if not check:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(out)
    if check and dirty:
        print("not normalised: " + ", ".join(dirty) + " (run .ci/normalize-notebooks.py on them)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
