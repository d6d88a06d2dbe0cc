# Using Source IP
# https://kubernetes.io/docs/tutorials/services/source-ip/ (the version with k8s.gcr.io/echoserver:1.4)
kubectl create deployment source-ip-app --image=k8s.gcr.io/echoserver:1.4
#> deployment.apps/source-ip-app created
# SIM: the page's cluster has three GKE nodes running v1.13 for 2h; the sandbox's is kubeadm's,
# with a control-plane node and three workers, just started.
kubectl get nodes
#> NAME                           STATUS     ROLES    AGE     VERSION
#> kubernetes-node-6jst   Ready      <none>   2h      v1.13.0
#> kubernetes-node-cx31   Ready      <none>   2h      v1.13.0
#> kubernetes-node-jj1t   Ready      <none>   2h      v1.13.0
kubectl expose deployment source-ip-app --name=clusterip --port=80 --target-port=8080
#> service/clusterip exposed
kubectl get svc clusterip
#> NAME         TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)   AGE
#> clusterip    ClusterIP   10.0.170.92   <none>        80/TCP    51s
# SIM: kubectl 1.32 no longer prints "Waiting for pod … to be running" (an old kubectl's words).
kubectl run busybox -it --image=busybox --restart=Never --rm
#> Waiting for pod default/busybox to be running, status is Pending, pod ready: false
#> If you don't see a command prompt, try pressing enter.
#>
# SIM: the sandbox's busybox has no `ip` applet.
ip addr
#> 1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue
#>     link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
#>     inet 127.0.0.1/8 scope host lo
#>        valid_lft forever preferred_lft forever
#>     inet6 ::1/128 scope host
#>        valid_lft forever preferred_lft forever
#> 3: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1460 qdisc noqueue
#>     link/ether 0a:58:0a:f4:03:08 brd ff:ff:ff:ff:ff:ff
#>     inet 10.244.3.8/24 scope global eth0
#>        valid_lft forever preferred_lft forever
#>     inet6 fe80::188a:84ff:feb0:26a5/64 scope link
#>        valid_lft forever preferred_lft forever
# SIM: the sandbox's echoserver answers in the form of echoserver 1.10 (Hostname, Request
# Information, …) whatever its tag; 1.4 printed CLIENT VALUES. The client_address is this pod's.
wget -qO - 10.96.130.29
#> CLIENT VALUES:
#> client_address=10.244.3.8
#> command=GET
#> ...
exit
kubectl expose deployment source-ip-app --name=nodeport --port=80 --target-port=8080 --type=NodePort
#> service/nodeport exposed
NODEPORT=$(kubectl get -o jsonpath="{.spec.ports[0].nodePort}" services nodeport)
NODES=$(kubectl get nodes -o jsonpath='{ $.items[*].status.addresses[?(@.type=="ExternalIP")].address }')
# SIM: the sandbox's nodes, as kind's and minikube's, have only InternalIP addresses, so NODES
# (ExternalIP) is empty and the loop prints nothing.
for node in $NODES; do curl -s $node:$NODEPORT | grep -i client_address; done
#> client_address=10.180.1.1
#> client_address=10.240.0.5
#> client_address=10.240.0.3
kubectl patch svc nodeport -p '{"spec":{"externalTrafficPolicy":"Local"}}'
#> service/nodeport patched
# SIM: as above, NODES is empty.
for node in $NODES; do curl --connect-timeout 1 -s $node:$NODEPORT | grep -i client_address; done
#> client_address=198.51.100.79
kubectl expose deployment source-ip-app --name=loadbalancer --port=80 --target-port=8080 --type=LoadBalancer
#> service/loadbalancer exposed
# SIM: the page's sample is from an old cluster that left the NodePort out of PORT(S), 5m old.
kubectl get svc loadbalancer
#> NAME           TYPE           CLUSTER-IP    EXTERNAL-IP       PORT(S)   AGE
#> loadbalancer   LoadBalancer   10.0.65.118   203.0.113.140     80/TCP    5m
# SIM: echoserver 1.10's form (see above); the address is the node's (the LoadBalancer's traffic
# is source-NATed).
curl 172.18.255.200
#> CLIENT VALUES:
#> client_address=10.240.0.5
#> ...
kubectl patch svc loadbalancer -p '{"spec":{"externalTrafficPolicy":"Local"}}'
# SIM: the sandbox's API server does not allocate a healthCheckNodePort when a LoadBalancer's
# externalTrafficPolicy becomes Local.
kubectl get svc loadbalancer -o yaml | grep -i healthCheckNodePort
#>   healthCheckNodePort: 32122
# SIM: the page's label run=source-ip-app is from the old `kubectl run` that made Deployments;
# `kubectl create deployment` labels the pods app=source-ip-app, so nothing matches (as on a
# real cluster).
kubectl get pod -o wide -l run=source-ip-app
#> NAME                            READY     STATUS    RESTARTS   AGE       IP             NODE
#> source-ip-app-826191075-qehz4   1/1       Running   0          20h       10.180.1.136   kubernetes-node-6jst
# SIM: echoserver 1.10's form; and the sandbox's load balancer still source-NATs with
# externalTrafficPolicy: Local (the page's GCE load balancer kept the client's address).
curl 172.18.255.200
#> CLIENT VALUES:
#> client_address=198.51.100.79
#> ...
kubectl delete svc -l run=source-ip-app
kubectl delete deployment source-ip-app
