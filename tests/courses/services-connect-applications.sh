# Connecting Applications with Services
# https://kubernetes.io/docs/tutorials/services/connect-applications-service/
# SIM: no internet: the page's manifests (run-my-nginx.yaml, nginx-secure-app.yaml, curlpod.yaml)
# are written by the course first, as a learner who downloaded them.
cat > run-my-nginx.yaml <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-nginx
spec:
  selector:
    matchLabels:
      run: my-nginx
  replicas: 2
  template:
    metadata:
      labels:
        run: my-nginx
    spec:
      containers:
      - name: my-nginx
        image: nginx
        ports:
        - containerPort: 80
EOF
kubectl apply -f ./run-my-nginx.yaml
# SIM: time: the page's sample was taken 13 s after the apply.
sleep 10
# SIM: the page's sample is from an old kubectl (no NOMINATED NODE and READINESS GATES columns)
# on nodes named kubernetes-minion-…; the sandbox's nodes are node-1…3.
kubectl get pods -l run=my-nginx -o wide
#> NAME                        READY     STATUS    RESTARTS   AGE       IP            NODE
#> my-nginx-3800858182-jr4a2   1/1       Running   0          13s       10.244.3.4    kubernetes-minion-905m
#> my-nginx-3800858182-kna2y   1/1       Running   0          13s       10.244.2.5    kubernetes-minion-ljyd
kubectl get pods -l run=my-nginx -o custom-columns=POD_IP:.status.podIPs
#> POD_IP
#> [map[ip:10.244.3.4]]
#> [map[ip:10.244.2.5]]
kubectl expose deployment/my-nginx
#> service/my-nginx exposed
kubectl get svc my-nginx
#> NAME       TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE
#> my-nginx   ClusterIP   10.0.162.149   <none>        80/TCP    21s
# SIM: kubectl 1.32 prints Internal Traffic Policy (so the column is wider), and expose copies the
# Deployment's own labels (none here); the page's sample has the labels of nginx-svc.yaml.
kubectl describe svc my-nginx
#> Name:                my-nginx
#> Namespace:           default
#> Labels:              run=my-nginx
#> Annotations:         <none>
#> Selector:            run=my-nginx
#> Type:                ClusterIP
#> IP Family Policy:    SingleStack
#> IP Families:         IPv4
#> IP:                  10.0.162.149
#> IPs:                 10.0.162.149
#> Port:                <unset> 80/TCP
#> TargetPort:          80/TCP
#> Endpoints:           10.244.2.5:80,10.244.3.4:80
#> Session Affinity:    None
#> Events:              <none>
kubectl get endpointslices -l kubernetes.io/service-name=my-nginx
#> NAME             ADDRESSTYPE   PORTS   ENDPOINTS               AGE
#> my-nginx-7vzhx   IPv4          80      10.244.2.5,10.244.3.4   21s
# The page names its own pod (my-nginx-3800858182-jr4a2); a learner types theirs.
export POD_NAME="$(kubectl get pods -l run=my-nginx -o jsonpath='{.items[0].metadata.name}')"
kubectl exec $POD_NAME -- printenv | grep SERVICE
#> KUBERNETES_SERVICE_HOST=10.0.0.1
#> KUBERNETES_SERVICE_PORT=443
#> KUBERNETES_SERVICE_PORT_HTTPS=443
kubectl scale deployment my-nginx --replicas=0; kubectl scale deployment my-nginx --replicas=2;
# SIM: time: the page's sample was taken 5 s after the scale.
sleep 3
# SIM: the two scales on one line run with no time between them, so the controllers see only
# the second and keep the old pods; on the page's cluster the first had already removed them.
kubectl get pods -l run=my-nginx -o wide
#> NAME                        READY     STATUS    RESTARTS   AGE     IP            NODE
#> my-nginx-3800858182-e9ihh   1/1       Running   0          5s      10.244.2.7    kubernetes-minion-ljyd
#> my-nginx-3800858182-j4rm4   1/1       Running   0          5s      10.244.3.8    kubernetes-minion-905m
export POD_NAME="$(kubectl get pods -l run=my-nginx -o jsonpath='{.items[0].metadata.name}')"
# SIM: the old pods stay (see above), so they have no MY_NGINX_ variables; the page's sample also
# shows its own order of the variables.
kubectl exec $POD_NAME -- printenv | grep SERVICE
#> KUBERNETES_SERVICE_PORT=443
#> MY_NGINX_SERVICE_HOST=10.0.162.149
#> KUBERNETES_SERVICE_HOST=10.0.0.1
#> MY_NGINX_SERVICE_PORT=80
#> KUBERNETES_SERVICE_PORT_HTTPS=443
# SIM: the page's cluster runs an older DNS addon (53/UDP,53/TCP); kubeadm's CoreDNS also serves
# metrics on 9153/TCP.
kubectl get services kube-dns --namespace=kube-system
#> NAME       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)         AGE
#> kube-dns   ClusterIP   10.0.0.10    <none>        53/UDP,53/TCP   8m
# SIM: kubectl 1.32 says "If you don't see a command prompt, try pressing enter."; the page's
# sample is from an old kubectl that waited in its own words.
kubectl run curl --image=radial/busyboxplus:curl -i --tty --rm
#> Waiting for pod default/curl-131556218-9fnch to be running, status is Pending, pod ready: false
#> Hit enter for command prompt
# SIM: CoreDNS answers the reverse lookups (kube-dns.kube-system…, my-nginx.default…); the
# page's cluster DNS gave no names.
nslookup my-nginx
#> Server:    10.0.0.10
#> Address 1: 10.0.0.10
#>
#> Name:      my-nginx
#> Address 1: 10.0.162.149
exit
# Securing the Service: the page makes keys with make or openssl, which the sandbox's terminal
# does not have; the Secret is made from the page's manifest instead (below).
kubectl create configmap nginxconfigmap --from-literal=default.conf='server { listen 80; }'
#> configmap/nginxconfigmap created
# SIM: every namespace has kube-root-ca.crt (since 1.20); the page's sample leaves it out.
kubectl get configmaps
#> NAME             DATA   AGE
#> nginxconfigmap   1      114s
kubectl delete deployments,svc my-nginx
