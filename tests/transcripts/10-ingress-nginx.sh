# Ingress as courses teach it: install ingress-nginx from its bare-metal manifest (the admission
# Jobs complete, the controller waits for their certificate, then runs behind a NodePort), two
# apps behind an Ingress with two hosts and two paths, reached from the terminal and from a pod,
# the controller's own 404, and 503 when a backend has no endpoints.
kubectl apply -f https://raw.githubusercontent.com/kubernetes/ingress-nginx/controller-v1.14.0/deploy/static/provider/baremetal/deploy.yaml
kubectl get pods -n ingress-nginx
kubectl wait --namespace ingress-nginx --for=condition=ready pod --selector=app.kubernetes.io/component=controller --timeout=120s
kubectl get pods -n ingress-nginx
kubectl get svc -n ingress-nginx
kubectl get ingressclass
kubectl create deployment web --image=gcr.io/google-samples/hello-app:1.0
kubectl expose deployment web --port=8080
kubectl create deployment web2 --image=gcr.io/google-samples/hello-app:2.0
kubectl expose deployment web2 --port=8080
kubectl rollout status deployment web2
kubectl apply -f - <<EOF
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: example-ingress
spec:
  ingressClassName: nginx
  rules:
  - host: hello-world.example
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 8080
      - path: /v2
        pathType: Prefix
        backend:
          service:
            name: web2
            port:
              number: 8080
  - host: api.example
    http:
      paths:
      - path: /status
        pathType: Exact
        backend:
          service:
            name: web2
            port:
              number: 8080
EOF
kubectl get ingress
sleep 5
kubectl get ingress
kubectl describe ingress example-ingress
NODEPORT=$(kubectl get svc ingress-nginx-controller -n ingress-nginx -o jsonpath='{.spec.ports[?(@.name=="http")].nodePort}')
NODE_IP=$(kubectl get nodes node-1 -o jsonpath='{.status.addresses[0].address}')
curl -H 'Host: hello-world.example' http://$NODE_IP:$NODEPORT/
curl --resolve "hello-world.example:$NODEPORT:$NODE_IP" http://hello-world.example:$NODEPORT/v2
curl --resolve "hello-world.example:$NODEPORT:$NODE_IP" http://hello-world.example:$NODEPORT/v2x
curl -H 'Host: api.example' http://$NODE_IP:$NODEPORT/status
curl -H 'Host: api.example' http://$NODE_IP:$NODEPORT/status/more
curl http://$NODE_IP:$NODEPORT/
kubectl run client --image=busybox:1.36 -- sleep 3600
kubectl wait --for=condition=ready pod/client
kubectl exec client -- wget -qO- --header 'Host: hello-world.example' http://ingress-nginx-controller.ingress-nginx/v2
kubectl scale deployment web2 --replicas=0
sleep 30
curl -f -H 'Host: api.example' http://$NODE_IP:$NODEPORT/status
curl -H 'Host: api.example' http://$NODE_IP:$NODEPORT/status
