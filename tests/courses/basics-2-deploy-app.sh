# Learn Kubernetes Basics, module 2: "Using kubectl to Create a Deployment"
# https://kubernetes.io/docs/tutorials/kubernetes-basics/deploy-app/deploy-intro/
# The page shows no sample output; every step runs and its output is kept in the transcript.
kubectl version
kubectl get nodes
kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1
# The pod takes a few seconds to start; the next modules say to wait a couple of seconds and
# list the pods again, so the course waits.
sleep 10
kubectl get deployments
# The page runs the proxy in a second terminal; here `&` lets the same terminal go on.
kubectl proxy &
curl http://localhost:8001/version
export POD_NAME=$(kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}')
echo Name of the Pod: $POD_NAME
curl http://localhost:8001/api/v1/namespaces/default/pods/$POD_NAME:8080/proxy/
