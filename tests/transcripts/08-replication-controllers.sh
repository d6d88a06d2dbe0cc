# guestbook-go's ReplicationControllers: pods made and counted, scaled, described, deleted.
kubectl apply -f - <<EOF
{
   "kind":"ReplicationController",
   "apiVersion":"v1",
   "metadata":{
      "name":"redis-master",
      "labels":{ "app":"redis", "role":"master" }
   },
   "spec":{
      "replicas":1,
      "selector":{ "app":"redis", "role":"master" },
      "template":{
         "metadata":{ "labels":{ "app":"redis", "role":"master" } },
         "spec":{
            "containers":[
               {
                  "name":"redis-master",
                  "image":"redis:7",
                  "ports":[ { "name":"redis-server", "containerPort":6379 } ]
               }
            ]
         }
      }
   }
}
EOF
kubectl apply -f - <<EOF
apiVersion: v1
kind: ReplicationController
metadata:
  name: guestbook
spec:
  replicas: 3
  template:
    metadata:
      labels:
        app: guestbook
    spec:
      containers:
      - name: guestbook
        image: nginx:1.27
        ports:
        - name: http-server
          containerPort: 3000
EOF
sleep 10
kubectl get rc
kubectl get rc -o wide
kubectl get pods -l app=guestbook
kubectl scale rc guestbook --replicas=5
sleep 10
kubectl get rc guestbook
kubectl scale rc guestbook --replicas=2
sleep 40
kubectl describe rc guestbook
kubectl delete rc guestbook
kubectl get pods
