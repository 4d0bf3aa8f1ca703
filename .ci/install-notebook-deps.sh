#!/usr/bin/env bash
# Installs what the notebook tests (mvn -Pnotebook-tests test) need:
#   Debian's Jupyter (classic notebook server, nbconvert, nbclient, jupyter_kernel_test) and Chromium from apt,
#   puppeteer-core from npm into .ci/browser/node_modules (project-local).
# Idempotent; run as root (or with sudo available).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
missing=0
pkgs="jupyter-notebook jupyter-nbconvert python3-nbclient python3-jupyter-kernel-test chromium fonts-dejavu-core"
# Node may come from elsewhere (e.g. NodeSource, whose nodejs conflicts with Debian's npm): only add
# Debian's when there is none.
command -v npm >/dev/null 2>&1 || pkgs="$pkgs nodejs npm"
for p in $pkgs; do
  dpkg -s "$p" >/dev/null 2>&1 || missing=1
done
if [ "$missing" = 1 ]; then
  $sudo apt-get update -q
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $pkgs
fi
if [ ! -d "$root/.ci/browser/node_modules/puppeteer-core" ]; then
  (cd "$root/.ci/browser" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund)
fi
/usr/bin/python3 -c "import nbconvert, nbclient, jupyter_client, jupyter_kernel_test"
echo "notebook test dependencies ready"
