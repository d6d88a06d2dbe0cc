# Breaking the control plane as an administrator does, over ssh: the static pod manifests in
# /etc/kubernetes/manifests, the scheduler's moved away (new pods stay Pending) and back (they
# are scheduled), the containers crictl lists, the kubelet's unit.
ssh control-plane ls /etc/kubernetes/manifests
ssh control-plane "grep -n -- --service-cluster-ip-range /etc/kubernetes/manifests/kube-apiserver.yaml"
ssh control-plane sudo mv /etc/kubernetes/manifests/kube-scheduler.yaml /tmp/
ssh control-plane ls /etc/kubernetes/manifests /tmp
kubectl get pods -n kube-system
kubectl run late --image=nginx:1.27
sleep 5
kubectl get pod late
kubectl get events --field-selector involvedObject.name=late
ssh control-plane sudo mv /tmp/kube-scheduler.yaml /etc/kubernetes/manifests/
sleep 10
kubectl get pod late -o wide
ssh node-1 crictl ps
ssh control-plane systemctl is-active kubelet
ssh node-9 ls
ssh control-plane mv /etc/kubernetes/manifests/kube-proxy.yaml /tmp
