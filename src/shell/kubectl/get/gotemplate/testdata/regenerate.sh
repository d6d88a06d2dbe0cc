#!/bin/sh
# Rewrites expected.txt (and the objects) from the real kubectl on the PATH: each line of
# cases.txt is `OBJECT TEMPLATE`, run as `kubectl create … --dry-run=client -o go-template=…`
# (offline: no cluster is asked). Run from this directory.
set -u
k() { kubectl --kubeconfig=/dev/null -s http://127.0.0.1:9 "$@"; }
deploy() { k create deployment web --image=nginx:1.27 --replicas=3 --port=80 --dry-run=client "$@"; }
secret() { k create secret generic creds --from-literal=user=admin --from-literal=pass='s3cr=t!' --dry-run=client "$@"; }
deploy -o json > deploy.json
secret -o json > secret.json
: > expected.txt
while IFS= read -r line; do
  obj=${line%% *}
  tmpl=${line#* }
  {
    printf '=== %s\n' "$line"
    $obj -o go-template="$tmpl" 2>/tmp/gotemplate.err
    status=$?
    printf '\n--- stderr\n'
    cat /tmp/gotemplate.err
    printf -- '--- status %s\n' "$status"
  } >> expected.txt
done < cases.txt
