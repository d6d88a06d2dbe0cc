# Learn Kubernetes Basics, module 4: "Using a Service to Expose Your App"
# https://kubernetes.io/docs/tutorials/kubernetes-basics/expose/expose-intro/
# Setup: the Deployment of module 2.
kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1
# The pods take a few seconds to start (see basics-2).
sleep 10
kubectl get pods
kubectl get services
kubectl expose deployment/kubernetes-bootcamp --type="NodePort" --port 8080
kubectl describe services/kubernetes-bootcamp
export NODE_PORT="$(kubectl get services/kubernetes-bootcamp -o go-template='{{(index .spec.ports 0).nodePort}}')"
echo "NODE_PORT=$NODE_PORT"
curl http://"$(minikube ip):$NODE_PORT"
# SIM: the page's sample is minikube's Docker driver on macOS, which needs a tunnel; the
# sandbox's node addresses are reachable from its terminal, so it prints the node's URL.
minikube service kubernetes-bootcamp --url
#> http://127.0.0.1:51082
#> !  Because you are using a Docker driver on darwin, the terminal needs to be open to run it.
kubectl describe deployment
kubectl get pods -l app=kubernetes-bootcamp
kubectl get services -l app=kubernetes-bootcamp
export POD_NAME="$(kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}')"
echo "Name of the Pod: $POD_NAME"
kubectl label pods "$POD_NAME" version=v1
kubectl describe pods "$POD_NAME"
kubectl get pods -l version=v1
kubectl delete service -l app=kubernetes-bootcamp
kubectl get services
curl http://"$(minikube ip):$NODE_PORT"
kubectl exec -ti $POD_NAME -- curl http://localhost:8080
