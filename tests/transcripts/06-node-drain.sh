# Draining a node: its pods move elsewhere, it takes no new ones until uncordoned.
kubectl create deployment web --image=nginx:1.27 --replicas=3
kubectl rollout status deployment/web
kubectl get pods -o wide --sort-by=.spec.nodeName
kubectl drain node-1 --ignore-daemonsets
kubectl get nodes
kubectl get pods -o wide --field-selector spec.nodeName=node-1
kubectl uncordon node-1
kubectl get nodes
