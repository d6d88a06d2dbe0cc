# The NoExecute examples of "Taints and Tolerations": an intolerant pod is evicted at once, a
# pod tolerating the taint stays, one tolerating it for 3600 s goes after an hour.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: plain
spec:
  nodeName: node-1
  containers:
  - name: nginx
    image: nginx:1.27
---
apiVersion: v1
kind: Pod
metadata:
  name: forever
spec:
  nodeName: node-1
  tolerations:
  - key: "key1"
    operator: "Equal"
    value: "value1"
    effect: "NoExecute"
  containers:
  - name: nginx
    image: nginx:1.27
---
apiVersion: v1
kind: Pod
metadata:
  name: hour
spec:
  nodeName: node-1
  tolerations:
  - key: "key1"
    operator: "Equal"
    value: "value1"
    effect: "NoExecute"
    tolerationSeconds: 3600
  containers:
  - name: nginx
    image: nginx:1.27
EOF
kubectl wait --for=condition=Ready pod/plain pod/forever pod/hour
kubectl taint nodes node-1 key1=value1:NoExecute
sleep 40
kubectl get pods
kubectl get events --field-selector reason=TaintManagerEviction
sleep 3600
kubectl get pods
kubectl taint nodes node-1 key1=value1:NoExecute-
# A pod bound to a node that does not exist never starts; pod GC removes it after 40 s.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: lost
spec:
  nodeName: node-9
  containers:
  - name: nginx
    image: nginx:1.27
EOF
sleep 20
kubectl get pod lost
kubectl get events --field-selector involvedObject.name=lost
sleep 40
kubectl get pod lost
# stringData is merged into data on write.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Secret
metadata:
  name: pg
stringData:
  POSTGRES_PASSWORD: hunter2
EOF
kubectl get secret pg -o jsonpath='{.data.POSTGRES_PASSWORD}' | base64 -d; echo
