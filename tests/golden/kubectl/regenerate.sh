#!/bin/sh
# Rewrites each golden file from the real kubectl on the PATH: the first line of a file is the
# command (after "$ "), the rest what kubectl printed. Run from the crate root. Generators with
# --dry-run=client need no cluster, but `create role|clusterrole` and `run` ask discovery first:
# set KUBE_API_PORT to a local stub answering /api, /apis and /api/v1, /apis/GROUP/v1 with
# static discovery JSON (discovery_stub.py here; no real cluster is involved). Files named
# sim-*.txt set the sandbox up first (their setup lines are the sandbox's own): they were assembled
# by hand from kubectl's output against the stub and are skipped here, as are kustomize-*.txt
# (../kustomize/regenerate.sh writes those).
set -u
port=${KUBE_API_PORT:-9}
for f in tests/golden/kubectl/*.txt; do
  case "$(basename "$f")" in sim-*|kustomize-*) continue ;; esac
  cmd=$(head -n 1 "$f" | sed 's/^\$ //')
  rest=$(printf '%s' "$cmd" | sed 's/^kubectl //')
  { printf '$ %s\n' "$cmd"; eval "kubectl --kubeconfig=/dev/null -s http://127.0.0.1:$port $rest" 2>&1; } > "$f.new"
  mv "$f.new" "$f"
done
