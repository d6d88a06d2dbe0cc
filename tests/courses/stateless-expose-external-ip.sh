# Exposing an External IP Address to Access an Application in a Cluster
# https://kubernetes.io/docs/tutorials/stateless-application/expose-external-ip-address/
kubectl apply -f https://k8s.io/examples/service/load-balancer-example.yaml
kubectl get deployments hello-world
kubectl describe deployments hello-world
kubectl get replicasets
kubectl describe replicasets
kubectl expose deployment hello-world --type=LoadBalancer --name=my-service
# SIM: the page's sample is from an old GKE cluster whose PORT(S) left out the NodePort a
# LoadBalancer Service gets; kubectl 1.32 prints 8080:NODEPORT/TCP.
kubectl get services my-service
#> NAME         TYPE           CLUSTER-IP     EXTERNAL-IP      PORT(S)    AGE
#> my-service   LoadBalancer   10.3.245.137   104.198.205.71   8080/TCP   54s
# SIM: the page's sample is from an old kubectl: 1.32 also prints IP Family Policy, IP Families,
# IPs, TargetPort, the traffic policies, the LoadBalancer IP's mode (VIP) and the
# service-controller's events, and pads the values wider.
kubectl describe services my-service
#> Name:           my-service
#> Namespace:      default
#> Labels:         app.kubernetes.io/name=load-balancer-example
#> Annotations:    <none>
#> Selector:       app.kubernetes.io/name=load-balancer-example
#> Type:           LoadBalancer
#> IP:             10.3.245.137
#> LoadBalancer Ingress:   104.198.205.71
#> Port:           <unset> 8080/TCP
#> NodePort:       <unset> 32377/TCP
#> Endpoints:      10.0.0.6:8080,10.0.1.6:8080,10.0.1.7:8080 + 2 more...
#> Session Affinity:   None
#> Events:         <none>
# SIM: the page's sample elides the middle columns (`...`) and has GKE's node names.
kubectl get pods --output=wide
#> NAME                         ...  IP         NODE
#> hello-world-2895499144-1jaz9 ...  10.0.1.6   gke-cluster-1-default-pool-e0b8d269-1afc
#> hello-world-2895499144-2e5uh ...  10.0.1.8   gke-cluster-1-default-pool-e0b8d269-1afc
#> hello-world-2895499144-9m4h1 ...  10.0.0.6   gke-cluster-1-default-pool-e0b8d269-5v7a
#> hello-world-2895499144-o4z13 ...  10.0.1.7   gke-cluster-1-default-pool-e0b8d269-1afc
#> hello-world-2895499144-segjf ...  10.0.2.5   gke-cluster-1-default-pool-e0b8d269-cpuc
EXTERNAL_IP=$(kubectl get service my-service -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
# SIM: the page's sample is not what gcr.io/google-samples/hello-app:2.0 answers: the app prints
# "Hello, world!", its version and the pod's name.
curl http://$EXTERNAL_IP:8080
#> Hello Kubernetes!
kubectl delete services my-service
kubectl delete deployment hello-world
