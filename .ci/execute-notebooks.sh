#!/usr/bin/env bash
# Runs notebooks top to bottom on the toolkit's kernel and saves them with their outputs, as they are committed
# (figures visible on GitHub): one fresh kernel per notebook, then .ci/normalize-notebooks.py.
#   .ci/execute-notebooks.sh                       # every notebook under notebooks/
#   .ci/execute-notebooks.sh notebooks/04-tutorial.ipynb
# A notebook is replaced only when its whole run succeeded; a failing one is left as it was and the script exits 1
# with nbconvert's log. The kernelspec is installed into toolkit/cli/target/jupyter-execute (never your own Jupyter
# set-up), on rapaio-jupyter-kernel 3.0.1 (what CI runs). Set NEUROMASK_MIRROR to read models and data from a
# mirror instead of the cache/internet (models/README.md). Needs Debian's jupyter-nbconvert and python3-nbclient
# (.ci/install-notebook-deps.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python=/usr/bin/python3
if ! "$python" -c "import nbconvert, nbclient" 2>/dev/null; then
  echo "execute-notebooks: $python lacks nbconvert/nbclient; run .ci/install-notebook-deps.sh" >&2
  exit 1
fi
jupyter="$root/toolkit/cli/target/jupyter-execute"
mkdir -p "$jupyter"/{data,config,runtime,out}
export JUPYTER_PATH="$jupyter/data" JUPYTER_DATA_DIR="$jupyter/data" JUPYTER_CONFIG_DIR="$jupyter/config" \
  JUPYTER_RUNTIME_DIR="$jupyter/runtime" JUPYTER_PLATFORM_DIRS=1
./neuromask kernel install --data-dir "$jupyter/data" --kernel rapaio >/dev/null
if [ "$#" -eq 0 ]; then set -- notebooks/*.ipynb; fi
status=0
for nb in "$@"; do
  name="$(basename "$nb")"
  start=$(date +%s)
  if "$python" -m nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=neuromask-java \
      --ExecutePreprocessor.timeout=900 --ExecutePreprocessor.startup_timeout=120 \
      --output-dir "$jupyter/out" "$nb" > "$jupyter/out/$name.log" 2>&1; then
    "$python" .ci/normalize-notebooks.py "$jupyter/out/$name"
    cp "$jupyter/out/$name" "$nb"
    echo "$nb: executed in $(( $(date +%s) - start )) s, saved with its outputs"
  else
    echo "$nb: FAILED after $(( $(date +%s) - start )) s, left unchanged; log: $jupyter/out/$name.log" >&2
    tail -n 40 "$jupyter/out/$name.log" >&2
    status=1
  fi
done
exit $status
