# The StatefulSet Basics tutorial: ordered pods and claims, a staged update behind a partition,
# a canary, a phased roll-out, history and undo, then orphaning and re-adopting the pods.
cat > web.yaml <<EOF
apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  ports:
  - port: 80
    name: web
  clusterIP: None
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: "nginx"
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
          name: web
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
      labels:
        tier: storage
    spec:
      accessModes: [ "ReadWriteOnce" ]
      resources:
        requests:
          storage: 1Gi
EOF
kubectl apply -f web.yaml
kubectl rollout status sts/web
kubectl scale sts web --replicas=3
kubectl rollout status sts/web
kubectl get pods -l app=nginx
kubectl get pvc -l app=nginx --show-labels
kubectl delete pod -l app=nginx
kubectl get pods -l app=nginx
# Staging an update: partition 3 keeps every pod at the current revision, even a deleted one.
kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":3}}}}'
kubectl patch statefulset web --type='json' -p='[{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value":"nginx:1.28"}]'
kubectl delete pod web-2
kubectl wait --for=condition=Ready pod/web-2
kubectl get pod web-2 -o jsonpath='{.spec.containers[0].image}'; echo
# The canary: partition 2 updates web-2 only; a deleted web-1 comes back at the current revision.
kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}}}}'
kubectl rollout status sts/web
kubectl get pod web-2 -o jsonpath='{.spec.containers[0].image}'; echo
kubectl delete pod web-1
kubectl wait --for=condition=Ready pod/web-1
kubectl get pod web-1 -o jsonpath='{.spec.containers[0].image}'; echo
# The phased roll-out: partition 0 updates the rest.
kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":0}}}}'
kubectl rollout status sts/web
kubectl get pods -l app=nginx -o jsonpath='{range .items[*]}{.metadata.name} {.spec.containers[0].image}{"\n"}{end}'
kubectl get controllerrevision
kubectl rollout history sts/web
kubectl rollout undo sts/web
kubectl rollout status sts/web
kubectl rollout history sts/web
# Orphaning: the pods outlive their set, and a new set adopts them.
kubectl delete statefulset web --cascade=orphan
kubectl get pods -l app=nginx
kubectl delete pod web-0
kubectl get pods -l app=nginx
kubectl apply -f web.yaml
sleep 20
kubectl get pods -l app=nginx
# A cascading delete takes the adopted pods too.
kubectl delete statefulset web
sleep 40
kubectl get pods -l app=nginx
