# Hello Minikube
# https://kubernetes.io/docs/tutorials/hello-minikube/ (the version with k8s.gcr.io/echoserver:1.4)
minikube start
minikube dashboard
kubectl create deployment hello-node --image=k8s.gcr.io/echoserver:1.4
# SIM: time: the page's samples were taken a minute after the Deployment was made.
sleep 60
kubectl get deployments
#> NAME         READY   UP-TO-DATE   AVAILABLE   AGE
#> hello-node   1/1     1            1           1m
kubectl get pods
#> NAME                          READY     STATUS    RESTARTS   AGE
#> hello-node-5f76cf6ccf-br9b5   1/1       Running   0          1m
kubectl get events
kubectl config view
kubectl expose deployment hello-node --type=LoadBalancer --port=8080
# SIM: the sandbox's cluster gives a LoadBalancer an address at once, as kind with
# cloud-provider-kind does; minikube leaves it <pending> until `minikube tunnel` runs.
kubectl get services
#> NAME         TYPE           CLUSTER-IP      EXTERNAL-IP   PORT(S)          AGE
#> hello-node   LoadBalancer   10.108.144.78   <pending>     8080:30369/TCP   21s
#> kubernetes   ClusterIP      10.96.0.1       <none>        443/TCP          23m
minikube service hello-node
# SIM: the sandbox has no minikube addons (its metrics are simulated and always on: kubectl top).
minikube addons list
#> addon-manager: enabled
#> dashboard: enabled
#> default-storageclass: enabled
#> efk: disabled
#> freshpod: disabled
#> gvisor: disabled
#> helm-tiller: disabled
#> ingress: disabled
#> ingress-dns: disabled
#> logviewer: disabled
#> metrics-server: disabled
#> nvidia-driver-installer: disabled
#> nvidia-gpu-device-plugin: disabled
#> registry: disabled
#> registry-creds: disabled
#> storage-provisioner: enabled
#> storage-provisioner-gluster: disabled
# SIM: no addons (see above).
minikube addons enable metrics-server
#> metrics-server was successfully enabled
# SIM: the page's cluster is minikube with the metrics-server, influxdb and grafana addons; the
# sandbox's is kubeadm's (three workers, CoreDNS with its metrics port, no addons).
kubectl get pod,svc -n kube-system
#> NAME                                        READY     STATUS    RESTARTS   AGE
#> pod/coredns-5644d7b6d9-mh9ll                1/1       Running   0          34m
#> pod/coredns-5644d7b6d9-pqd2t                1/1       Running   0          34m
#> pod/metrics-server-67fb648c5                1/1       Running   0          26s
#> pod/etcd-minikube                           1/1       Running   0          34m
#> pod/influxdb-grafana-b29w8                  2/2       Running   0          26s
#> pod/kube-addon-manager-minikube             1/1       Running   0          34m
#> pod/kube-apiserver-minikube                 1/1       Running   0          34m
#> pod/kube-controller-manager-minikube        1/1       Running   0          34m
#> pod/kube-proxy-rnlps                        1/1       Running   0          34m
#> pod/kube-scheduler-minikube                 1/1       Running   0          34m
#> pod/storage-provisioner                     1/1       Running   0          34m
#>
#> NAME                           TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)             AGE
#> service/metrics-server         ClusterIP   10.96.241.45    <none>        80/TCP              26s
#> service/kube-dns               ClusterIP   10.96.0.10      <none>        53/UDP,53/TCP       34m
#> service/monitoring-grafana     NodePort    10.99.24.54     <none>        80:30002/TCP        26s
#> service/monitoring-influxdb    ClusterIP   10.111.169.94   <none>        8083/TCP,8086/TCP   26s
# SIM: no addons (see above).
minikube addons disable metrics-server
#> metrics-server was successfully disabled
kubectl delete service hello-node
kubectl delete deployment hello-node
minikube stop
minikube delete
