# Learn Kubernetes in a Month of Lunches, chapter 2: "Running containers in Kubernetes with Pods
# and Deployments", typed in the chapter's folder. The book shows its output as pictures, so no
# step has a sample to compare; the transcript records what the sandbox prints.
# CWD: kiamol
cd ch02
kubectl run hello-kiamol --image=kiamol/ch02-hello-kiamol
kubectl wait --for=condition=Ready pod hello-kiamol
kubectl get pods
kubectl describe pod hello-kiamol
kubectl get pod hello-kiamol
kubectl get pod hello-kiamol --output custom-columns=NAME:metadata.name,NODE_IP:status.hostIP,POD_IP:status.podIP
kubectl get pod hello-kiamol -o jsonpath='{.status.containerStatuses[0].containerID}'
kubectl exec hello-kiamol -- sh -c 'hostname -i'
kubectl exec hello-kiamol -- sh -c 'wget -O - http://localhost | head -n 4'
kubectl logs --tail=2 hello-kiamol
kubectl port-forward pod/hello-kiamol 8080:80
curl -s http://localhost:8080 | head -n 4
kubectl create deployment hello-kiamol-2 --image=kiamol/ch02-hello-kiamol
kubectl get pods
kubectl get deploy hello-kiamol-2 -o jsonpath='{.spec.template.metadata.labels}'
kubectl get pods -l app=hello-kiamol-2
kubectl get pods -o custom-columns=NAME:metadata.name,LABELS:metadata.labels
kubectl label pods -l app=hello-kiamol-2 --overwrite app=hello-kiamol-x
kubectl get pods -l app -o custom-columns=NAME:metadata.name,LABELS:metadata.labels
kubectl apply -f pod.yaml
kubectl get pods
kubectl apply -f deployment.yaml
kubectl get pods -l app=hello-kiamol-4
# SIM: time: applied a moment ago with no simulated time passing, the Deployment has no pod yet
# (issue 15, part B).
kubectl exec deploy/hello-kiamol-4 -- sh -c 'wget -O - http://localhost > /dev/null'
kubectl logs -l app=hello-kiamol-4
kubectl get pods
kubectl delete pods --all
kubectl get pods
kubectl get deploy
kubectl delete deploy --all
kubectl get pods
kubectl get all
