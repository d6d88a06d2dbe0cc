# Learn Kubernetes Basics, module 5: "Running Multiple Instances of Your App"
# https://kubernetes.io/docs/tutorials/kubernetes-basics/scale/scale-intro/
# Setup: the Deployment of module 2 and the LoadBalancer Service the page asks for.
kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1
kubectl expose deployment/kubernetes-bootcamp --type="LoadBalancer" --port 8080
# SIM: time: the page's sample was taken 11 minutes after the Deployment was made.
sleep 660
kubectl get deployments
#> NAME                  READY   UP-TO-DATE   AVAILABLE   AGE
#> kubernetes-bootcamp   1/1     1            1           11m
kubectl get rs
kubectl scale deployments/kubernetes-bootcamp --replicas=4
# The pods take a few seconds to start (see basics-2).
sleep 10
kubectl get deployments
kubectl get pods -o wide
kubectl describe deployments/kubernetes-bootcamp
kubectl describe services/kubernetes-bootcamp
export NODE_PORT="$(kubectl get services/kubernetes-bootcamp -o go-template='{{(index .spec.ports 0).nodePort}}')"
echo NODE_PORT=$NODE_PORT
# The page runs curl five times and shows the five answers together.
for i in 1 2 3 4 5; do curl http://"$(minikube ip):$NODE_PORT"; done
#> Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-644c5687f4-wp67j | v=1
#> Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-644c5687f4-hs9dj | v=1
#> Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-644c5687f4-4hjvf | v=1
#> Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-644c5687f4-wp67j | v=1
#> Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-644c5687f4-4hjvf | v=1
kubectl scale deployments/kubernetes-bootcamp --replicas=2
kubectl get deployments
kubectl get pods -o wide
