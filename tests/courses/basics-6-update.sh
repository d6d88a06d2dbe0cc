# Learn Kubernetes Basics, module 6: "Performing a Rolling Update"
# https://kubernetes.io/docs/tutorials/kubernetes-basics/update/update-intro/
# The page shows no sample output; every step runs and its output is kept in the transcript.
# Setup: the Deployment scaled to 4 (module 5) and its Service (module 4).
kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1 --replicas=4
kubectl expose deployment/kubernetes-bootcamp --type="NodePort" --port 8080
# The pods take a few seconds to start (see basics-2).
sleep 10
kubectl get deployments
kubectl get pods
kubectl describe pods
kubectl set image deployments/kubernetes-bootcamp kubernetes-bootcamp=docker.io/jocatalin/kubernetes-bootcamp:v2
kubectl get pods
export NODE_PORT="$(kubectl get services/kubernetes-bootcamp -o go-template='{{(index .spec.ports 0).nodePort}}')"
echo "NODE_PORT=$NODE_PORT"
kubectl rollout status deployments/kubernetes-bootcamp
curl http://"$(minikube ip):$NODE_PORT"
kubectl describe pods
kubectl set image deployments/kubernetes-bootcamp kubernetes-bootcamp=gcr.io/google-samples/kubernetes-bootcamp:v10
# The pods take a few seconds to start (see basics-2).
sleep 10
kubectl get deployments
kubectl get pods
export AFFECTED_POD="$(kubectl get pods --field-selector status.phase=Pending -o go-template --template '{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}')"
echo "AFFECTED POD=$AFFECTED_POD"
kubectl describe pod $AFFECTED_POD
kubectl rollout undo deployments/kubernetes-bootcamp
kubectl get pods
kubectl describe pods
kubectl delete deployments/kubernetes-bootcamp services/kubernetes-bootcamp
