# ConfigMap and Secret into a pod's environment and files.
kubectl create configmap app-config --from-literal=COLOR=blue --from-literal=SIZE=large
kubectl create secret generic app-secret --from-literal=PASSWORD=s3cr3t
kubectl get configmap app-config -o yaml | grep -A2 '^data:'
kubectl get secret app-secret -o jsonpath='{.data.PASSWORD}' | base64 -d; echo
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [sleep, "3600"]
    envFrom:
    - configMapRef:
        name: app-config
    env:
    - name: PASSWORD
      valueFrom:
        secretKeyRef:
          name: app-secret
          key: PASSWORD
    volumeMounts:
    - name: config
      mountPath: /etc/app
  volumes:
  - name: config
    configMap:
      name: app-config
EOF
kubectl wait --for=condition=Ready pod/app
kubectl exec app -- printenv COLOR SIZE PASSWORD
kubectl exec app -- ls /etc/app
kubectl exec app -- cat /etc/app/COLOR; echo
