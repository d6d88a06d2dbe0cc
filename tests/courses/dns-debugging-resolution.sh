# Debugging DNS Resolution
# https://kubernetes.io/docs/tasks/administer-cluster/dns-debugging-resolution/
kubectl apply -f https://k8s.io/examples/admin/dns/dnsutils.yaml
#> pod/dnsutils created
sleep 10
# SIM: the page's sample is from an old kubectl, whose columns were padded wider.
kubectl get pods dnsutils
#> NAME      READY     STATUS    RESTARTS   AGE
#> dnsutils   1/1       Running   0          <some-time>
# SIM: the page's sample is busybox's old nslookup on a cluster whose Services are in 10.0.0.0/24;
# agnhost ships BIND's nslookup, which prints the server as 10.96.0.10#53 and the full name.
kubectl exec -i -t dnsutils -- nslookup kubernetes.default
#> Server:    10.0.0.10
#> Address 1: 10.0.0.10
#>
#> Name:      kubernetes.default
#> Address 1: 10.0.0.1
# SIM: the page's sample adds a cloud provider's search domains (google.internal) and its DNS
# Service address.
kubectl exec -ti dnsutils -- cat /etc/resolv.conf
#> search default.svc.cluster.local svc.cluster.local cluster.local google.internal c.gce_project_id.internal
#> nameserver 10.0.0.10
#> options ndots:5
kubectl exec -ti dnsutils -- dig +search kubernetes.default
kubectl exec -ti dnsutils -- host kubernetes.default
# SIM: the page's sample is from an old kubectl (wider columns) taken 1h after the cluster started.
kubectl get pods --namespace=kube-system -l k8s-app=kube-dns
#> NAME                       READY     STATUS    RESTARTS   AGE
#> coredns-7b96bf9f76-5hsxb   1/1       Running   0           1h
#> coredns-7b96bf9f76-mvmmt   1/1       Running   0           1h
for p in $(kubectl get pods --namespace=kube-system -l k8s-app=kube-dns -o name); do kubectl logs --namespace=kube-system $p; done
# SIM: the page's sample has the old kube-dns Service (no 9153/TCP) in 10.0.0.0/24, 1h old, and
# elides the other Services.
kubectl get svc --namespace=kube-system
#> NAME         TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)             AGE
#> kube-dns     ClusterIP   10.0.0.10      <none>        53/UDP,53/TCP        1h
# SIM: the page's sample lists one address twice (53/UDP and 53/TCP of one pod); two CoreDNS pods
# serve three ports each here.
kubectl get ep kube-dns --namespace=kube-system
#> NAME       ENDPOINTS                       AGE
#> kube-dns   10.180.3.17:53,10.180.3.17:53    1h
kubectl -n kube-system get configmap coredns -o jsonpath='{.data.Corefile}'
# What the page's troubleshooting looks like when CoreDNS is gone: lookups time out.
kubectl -n kube-system scale deployment coredns --replicas=0
sleep 30
kubectl exec dnsutils -- dig kubernetes.default.svc.cluster.local
kubectl exec dnsutils -- nslookup kubernetes.default
kubectl -n kube-system scale deployment coredns --replicas=2
sleep 30
kubectl exec dnsutils -- dig +short kubernetes.default.svc.cluster.local
#> 10.96.0.1
