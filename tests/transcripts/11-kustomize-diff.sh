# Kustomize as kubernetes.io's "Declarative Management of Kubernetes Objects Using Kustomize"
# walks it: a generated ConfigMap with its content hash, a base and an overlay, then diff
# before apply, and delete -k.
mkdir -p app/base app/prod
cat > app/base/deployment.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-nginx
spec:
  selector:
    matchLabels:
      run: my-nginx
  replicas: 2
  template:
    metadata:
      labels:
        run: my-nginx
    spec:
      containers:
      - name: my-nginx
        image: nginx
        envFrom:
        - configMapRef:
            name: example-configmap-1
EOF
cat > app/base/kustomization.yaml <<'EOF'
resources:
- deployment.yaml
configMapGenerator:
- name: example-configmap-1
  literals:
  - FOO=Bar
EOF
kubectl kustomize app/base
cat > app/prod/kustomization.yaml <<'EOF'
resources:
- ../base
namePrefix: prod-
labels:
- pairs:
    env: prod
  includeSelectors: true
images:
- name: nginx
  newTag: "1.27"
EOF
kubectl apply -k app/prod
kubectl get -k app/prod
sed -i 's/1.27/1.28/' app/prod/kustomization.yaml
kubectl diff -k app/prod | grep '^[-+] '
kubectl apply -k app/prod
kubectl diff -k app/prod; echo "diff exit: $?"
kubectl delete -k app/prod
