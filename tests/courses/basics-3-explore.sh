# Learn Kubernetes Basics, module 3: "Viewing Pods and Nodes"
# https://kubernetes.io/docs/tutorials/kubernetes-basics/explore/explore-intro/
# The page shows no sample output; every step runs and its output is kept in the transcript.
# Setup: the Deployment of module 2.
kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1
# The pods take a few seconds to start (see basics-2).
sleep 10
kubectl get pods
kubectl describe pods
kubectl proxy &
export POD_NAME="$(kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}')"
echo Name of the Pod: $POD_NAME
curl http://localhost:8001/api/v1/namespaces/default/pods/$POD_NAME:8080/proxy/
kubectl logs "$POD_NAME"
kubectl exec "$POD_NAME" -- env
kubectl exec -ti $POD_NAME -- bash
cat server.js
curl http://localhost:8080
exit
