# The admission webhook ingress-nginx installs: an Ingress created before the controller is up
# is refused (the webhook's Service has no endpoint yet); once it runs, the webhook allows it,
# and refuses a second Ingress for a host and path already taken, in any namespace, unless one
# of the two is a canary. A webhook whose Service is gone fails the same way until its
# configuration is deleted.
kubectl apply -f https://raw.githubusercontent.com/kubernetes/ingress-nginx/controller-v1.14.0/deploy/static/provider/cloud/deploy.yaml > /dev/null
kubectl create deployment web --image=nginx:1.27
kubectl expose deployment web --port=80
kubectl create ingress web --class=nginx --rule="demo.example/=web:80"
kubectl get validatingwebhookconfigurations
kubectl wait --namespace ingress-nginx --for=condition=ready pod --selector=app.kubernetes.io/component=controller --timeout=120s
kubectl create ingress web --class=nginx --rule="demo.example/=web:80"
kubectl create namespace team-b
kubectl create ingress web -n team-b --class=nginx --rule="demo.example/=web:80"
kubectl create ingress web -n team-b --class=nginx --rule="demo.example/b=web:80"
kubectl create ingress canary --class=nginx --rule="demo.example/=web:80" --annotation=nginx.ingress.kubernetes.io/canary=true
kubectl create ingress other --class=other --rule="demo.example/=web:80"
kubectl create ingress catch-all --class=nginx --rule="/=web:80"
kubectl apply -f - <<YAML
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: dup
spec:
  ingressClassName: nginx
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
YAML
kubectl get ingress -A
kubectl delete svc ingress-nginx-controller-admission -n ingress-nginx
kubectl create ingress late --class=nginx --rule="late.example/=web:80"
kubectl delete validatingwebhookconfiguration ingress-nginx-admission
kubectl create ingress late --class=nginx --rule="late.example/=web:80"
