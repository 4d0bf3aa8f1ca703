#!/usr/bin/env python3
"""Checks every GitHub URL of models/models.json against local snapshots of the real repositories.

For each GitHub-hosted file of the manifest (``https://github.com/OWNER/REPO/raw/REF/PATH`` or
``https://raw.githubusercontent.com/OWNER/REPO/REF/PATH``), and each metadata URL of a derived file, it reads the
blob at REF:PATH from a snapshot of OWNER/REPO and, where the manifest gives a sha256 for that URL, hashes it.
A ref must be a 40-hex commit that the snapshot has; a ``tree`` URL must name a folder at that commit.

Snapshots are git directories (bare or not) under SNAPSHOTS (default ``/work/.mirror``), one per repository, named
``OWNER+REPO/repo`` (or ``OWNER+REPO/repo/.git``), as the project's ``fetch`` tool lays them out. A repository
without a snapshot is reported as skipped.

Prints one line per repository, then a total; exits 1 when any check failed, else 0.

    python3 models/verify-github-urls.py [--manifest models/models.json] [--snapshots DIR] [--verbose]
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
from collections import OrderedDict

URL = re.compile(r"^https://(?:github\.com/(?P<o1>[^/]+)/(?P<r1>[^/]+)/(?P<kind>raw|blob|tree)/(?P<ref1>[^/]+)/(?P<p1>.+)"
                 r"|raw\.githubusercontent\.com/(?P<o2>[^/]+)/(?P<r2>[^/]+)/(?P<ref2>[^/]+)/(?P<p2>.+))$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")


def parse(url):
    m = URL.match(url)
    if not m:
        return None
    if m.group("o1"):
        return m.group("o1"), m.group("r1"), m.group("ref1"), m.group("p1"), m.group("kind")
    return m.group("o2"), m.group("r2"), m.group("ref2"), m.group("p2"), "raw"


def snapshot(root, owner, repo):
    base = os.path.join(root, owner + "+" + repo, "repo")
    for d in (os.path.join(base, ".git"), base):
        if os.path.isdir(d) and os.path.exists(os.path.join(d, "HEAD")):
            return d
    return None


def git(gitdir, *args):
    return subprocess.run(["git", "--git-dir=" + gitdir, *args], capture_output=True)


def checks(manifest):
    """(url, sha256 or None, manifest path) for every GitHub URL the manifest names."""
    out = []
    for f in manifest["files"]:
        if f.get("url") and parse(f["url"]):
            out.append((f["url"], f.get("sha256") if f.get("direct") else None, f["path"]))
        derive = f.get("derive") or {}
        for url in (derive.get("urls") or {}).values():
            if parse(url):
                out.append((url, None, f["path"] + " (metadata)"))
        if derive.get("url") and parse(derive["url"]):
            out.append((derive["url"], None, f["path"] + " (archive)"))
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--manifest", default=os.path.join(here, "models.json"))
    ap.add_argument("--snapshots", default=os.environ.get("SNAPSHOTS", "/work/.mirror"))
    ap.add_argument("--verbose", action="store_true", help="print every failing file")
    a = ap.parse_args()
    with open(a.manifest, encoding="utf-8") as fh:
        manifest = json.load(fh)
    by_repo = OrderedDict()
    for url, sha, path in checks(manifest):
        owner, repo, ref, p, kind = parse(url)
        by_repo.setdefault((owner, repo), []).append((url, sha, path, ref, p, kind))
    failed = 0
    total = {"ok": 0, "bad": 0, "skipped": 0}
    for (owner, repo), items in by_repo.items():
        name = owner + "/" + repo
        refs = sorted({i[3] for i in items})
        gitdir = snapshot(a.snapshots, owner, repo)
        bad_refs = [r for r in refs if not COMMIT.match(r)]
        if gitdir is None:
            total["skipped"] += len(items)
            note = "; refs not pinned to a commit: " + ", ".join(bad_refs) if bad_refs else ""
            print(f"{name}: skipped, no snapshot under {a.snapshots} ({len(items)} URLs at {', '.join(refs)}){note}")
            failed += len(bad_refs)
            continue
        problems = []
        for r in refs:
            if not COMMIT.match(r):
                problems.append(f"ref '{r}' is not a 40-hex commit")
            elif git(gitdir, "cat-file", "-t", r).stdout.decode().strip() != "commit":
                problems.append(f"commit {r} is not in the repository")
        ok = 0
        verified = 0
        for url, sha, path, ref, p, kind in items:
            if not COMMIT.match(ref):
                problems.append(f"{path}: {url} is not pinned to a commit")
                continue
            if kind == "tree":
                t = git(gitdir, "cat-file", "-t", f"{ref}:{p}").stdout.decode().strip()
                if t == "tree":
                    ok += 1
                else:
                    problems.append(f"{path}: {url}: no folder {p} at {ref[:8]}")
                continue
            blob = git(gitdir, "cat-file", "blob", f"{ref}:{p}")
            if blob.returncode != 0:
                problems.append(f"{path}: {url}: no file {p} at {ref[:8]}")
                continue
            if blob.stdout.startswith(b"version https://git-lfs.github.com/spec/"):
                problems.append(f"{path}: {url}: the snapshot holds a Git LFS pointer, not the file; cannot hash it")
                continue
            if sha is not None:
                actual = hashlib.sha256(blob.stdout).hexdigest()
                if actual != sha:
                    problems.append(f"{path}: {url}: sha256 {actual}, manifest says {sha}")
                    continue
                verified += 1
            ok += 1
        total["ok"] += ok
        total["bad"] += len(items) - ok
        status = "ok" if not problems else "FAILED"
        print(f"{name}: {status}, {ok} of {len(items)} URLs resolve at {', '.join(r[:12] for r in refs)}"
              f" ({verified} hashed to the manifest's sha256)" + (f"; {len(problems)} problems" if problems else ""))
        for line in problems if a.verbose else problems[:5]:
            print("  " + line)
        if problems and not a.verbose and len(problems) > 5:
            print(f"  ... {len(problems) - 5} more (--verbose)")
        failed += len(problems)
    print(f"total: {total['ok']} ok, {total['bad']} failed, {total['skipped']} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
