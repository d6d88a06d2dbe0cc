#!/bin/sh
# Rewrites the kustomize golden files (tests/golden/kubectl/kustomize-*.txt) from the real
# kubectl on the PATH, which builds kustomizations offline. Run from the crate root. The
# directories they build are here, one per case. Standard error (kustomize's deprecation
# warnings, which a terminal shows first) is written after standard output, the order in which
# the sandbox's transcripts put them.
set -u
err=$(mktemp)
for f in tests/golden/kubectl/kustomize-*.txt; do
  cmd=$(head -n 1 "$f" | sed 's/^\$ //')
  rest=$(printf '%s' "$cmd" | sed 's/^kubectl //')
  { printf '$ %s\n' "$cmd"; eval "kubectl --kubeconfig=/dev/null -s http://127.0.0.1:9 $rest" 2>"$err"; cat "$err"; } > "$f.new"
  mv "$f.new" "$f"
done
rm -f "$err"
