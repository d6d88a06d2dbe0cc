# Set up Ingress on Minikube with the NGINX Ingress Controller
# https://kubernetes.io/docs/tasks/access-application-cluster/ingress-minikube/ (the Linux tabs)
minikube start
minikube addons enable ingress
# SIM: time: the page's sample was taken 11 minutes after the addon was enabled.
sleep 60
# SIM: the page's sample was edited by hand (RESTARTS is padded out of its column) and its
# admission-patch Job's pod failed once (it raced the controller); here it succeeds at once.
kubectl get pods -n ingress-nginx
#> NAME                                        READY   STATUS      RESTARTS    AGE
#> ingress-nginx-admission-create-g9g49        0/1     Completed   0          11m
#> ingress-nginx-admission-patch-rqp78         0/1     Completed   1          11m
#> ingress-nginx-controller-59b45fb494-26npt   1/1     Running     0          11m
kubectl create deployment web --image=gcr.io/google-samples/hello-app:1.0
#> deployment.apps/web created
kubectl get deployment web
#> NAME   READY   UP-TO-DATE   AVAILABLE   AGE
#> web    1/1     1            1           53s
kubectl expose deployment web --type=NodePort --port=8080
#> service/web exposed
kubectl get service web
#> NAME      TYPE       CLUSTER-IP       EXTERNAL-IP   PORT(S)          AGE
#> web       NodePort   10.104.133.249   <none>        8080:31637/TCP   12m
minikube service web --url
#> http://172.17.0.15:31637
# The learner types the address minikube printed.
curl $(minikube service web --url)
#> Hello, world!
#> Version: 1.0.0
#> Hostname: web-55b8c6998d-8k564
cat > example-ingress.yaml <<'YAML'
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
YAML
kubectl apply -f https://k8s.io/examples/service/networking/example-ingress.yaml
#> ingress.networking.k8s.io/example-ingress created
# SIM: time: the page notes the address can take a couple of minutes; the sample is 38 s old.
sleep 30
kubectl get ingress
#> NAME              CLASS   HOSTS                 ADDRESS        PORTS   AGE
#> example-ingress   nginx   hello-world.example   172.17.0.15    80      38s
# SIM: the command asks for the header fields (-i); the page shows only the body.
curl --resolve "hello-world.example:80:$( minikube ip )" -i http://hello-world.example
#> Hello, world!
#> Version: 1.0.0
#> Hostname: web-55b8c6998d-8k564
minikube ip
kubectl create deployment web2 --image=gcr.io/google-samples/hello-app:2.0
#> deployment.apps/web2 created
kubectl get deployment web2
#> NAME   READY   UP-TO-DATE   AVAILABLE   AGE
#> web2   1/1     1            1           16s
kubectl expose deployment web2 --port=8080 --type=NodePort
#> service/web2 exposed
cat >> example-ingress.yaml <<'YAML'
          - path: /v2
            pathType: Prefix
            backend:
              service:
                name: web2
                port:
                  number: 8080
YAML
# SIM: the page's sample has a typo: kubectl names the resource ingress.networking.k8s.io.
kubectl apply -f example-ingress.yaml
#> ingress.networking/example-ingress configured
# SIM: the command asks for the header fields (-i); the page shows only the body.
curl --resolve "hello-world.example:80:$( minikube ip )" -i http://hello-world.example
#> Hello, world!
#> Version: 1.0.0
#> Hostname: web-55b8c6998d-8k564
# SIM: the command asks for the header fields (-i); the page shows only the body.
curl --resolve "hello-world.example:80:$( minikube ip )" -i http://hello-world.example/v2
#> Hello, world!
#> Version: 2.0.0
#> Hostname: web2-75cd47646f-t8cjk
