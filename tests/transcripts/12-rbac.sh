# RBAC: who may do what, checked with auth can-i and from inside a pod (kubernetes.io "Using
# RBAC Authorization" and "Configure Service Accounts for Pods").
kubectl auth whoami
kubectl auth can-i create deployments
kubectl get clusterroles cluster-admin admin edit view
kubectl get clusterrolebinding kubeadm:cluster-admins -o wide
kubectl create serviceaccount reader
kubectl create role pod-reader --verb=get --verb=list --verb=watch --resource=pods,pods/log
kubectl create rolebinding read-pods --role=pod-reader --serviceaccount=default:reader
kubectl auth can-i list pods --as=system:serviceaccount:default:reader
kubectl auth can-i delete pods --as=system:serviceaccount:default:reader
kubectl auth can-i get pods --subresource=log --as=system:serviceaccount:default:reader
kubectl auth can-i list pods -n kube-system --as=system:serviceaccount:default:reader
kubectl auth can-i --list --as=system:serviceaccount:default:reader
kubectl get pods -n kube-system --as=system:serviceaccount:default:reader
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: kubectl
spec:
  serviceAccountName: reader
  containers:
  - name: kubectl
    image: bitnami/kubectl:1.32
    command: [sleep, infinity]
EOF
kubectl wait --for=condition=Ready pod/kubectl --timeout=60s
kubectl exec kubectl -- ls /var/run/secrets/kubernetes.io/serviceaccount
kubectl exec kubectl -- kubectl get pods
kubectl exec kubectl -- kubectl delete pod kubectl
kubectl exec kubectl -- kubectl get deployments
kubectl describe rolebinding read-pods
kubectl describe role pod-reader
kubectl describe clusterrole system:discovery
