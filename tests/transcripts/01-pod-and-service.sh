# Run a pod, look at it, expose it, reach it from another pod.
kubectl run web --image=nginx:1.27 --port=80 --labels=app=web
kubectl get pods
sleep 10
kubectl get pods -o wide
kubectl expose pod web --port=8080 --target-port=80
kubectl get svc web
kubectl run client --image=busybox:1.36 --restart=Never -- sleep 3600
kubectl wait --for=condition=Ready pod/client
kubectl exec client -- wget -qO- http://web:8080 | grep '<title>'
kubectl exec client -- nslookup web
kubectl delete pod web client
kubectl get pods
