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
kubectl get services
#> NAME         TYPE           CLUSTER-IP      EXTERNAL-IP   PORT(S)          AGE
#> hello-node   LoadBalancer   10.108.144.78   <pending>     8080:30369/TCP   21s
#> kubernetes   ClusterIP      10.96.0.1       <none>        443/TCP          23m
minikube service hello-node
minikube addons list
# SIM: the sandbox has no minikube addons (its metrics are simulated and always on: kubectl top).
minikube addons enable metrics-server
#> metrics-server was successfully enabled
kubectl delete service hello-node
kubectl delete deployment hello-node
minikube stop
minikube delete
