# Example: Deploying PHP Guestbook application with Redis
# https://kubernetes.io/docs/tutorials/stateless-application/guestbook/ (the samples as the page
# shows them; the same in its translations, e.g. /zh-cn/)
# SIM: no internet: the page applies each manifest from https://k8s.io/examples/application/guestbook/;
# the course writes each file first, as a learner who downloaded them.
cat > redis-leader-deployment.yaml <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis-leader
  labels:
    app: redis
    role: leader
    tier: backend
spec:
  replicas: 1
  selector:
    matchLabels:
      app: redis
  template:
    metadata:
      labels:
        app: redis
        role: leader
        tier: backend
    spec:
      containers:
      - name: leader
        image: "docker.io/redis:6.0.5"
        resources:
          requests:
            cpu: 100m
            memory: 100Mi
        ports:
        - containerPort: 6379
EOF
kubectl apply -f redis-leader-deployment.yaml
# SIM: time: the page's sample was taken 13 s after the apply.
sleep 11
kubectl get pods
#> NAME                           READY   STATUS    RESTARTS   AGE
#> redis-leader-fb76b4755-xjr2n   1/1     Running   0          13s
# The page follows the log (-f) until Ctrl+C; a script reads it once.
kubectl logs deployment/redis-leader
cat > redis-leader-service.yaml <<EOF
apiVersion: v1
kind: Service
metadata:
  name: redis-leader
  labels:
    app: redis
    role: leader
    tier: backend
spec:
  ports:
  - port: 6379
    targetPort: 6379
  selector:
    app: redis
    role: leader
    tier: backend
EOF
kubectl apply -f redis-leader-service.yaml
# SIM: the page's sample has a column run together (`10.103.78.24 <none>`), which kubectl never
# prints; the sandbox's cluster is also younger than the page's.
kubectl get service
#> NAME           TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)    AGE
#> kubernetes     ClusterIP   10.0.0.1     <none>        443/TCP    1m
#> redis-leader   ClusterIP   10.103.78.24 <none>        6379/TCP   16s
cat > redis-follower-deployment.yaml <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis-follower
  labels:
    app: redis
    role: follower
    tier: backend
spec:
  replicas: 2
  selector:
    matchLabels:
      app: redis
  template:
    metadata:
      labels:
        app: redis
        role: follower
        tier: backend
    spec:
      containers:
      - name: follower
        image: us-docker.pkg.dev/google-samples/containers/gke/gb-redis-follower:v2
        resources:
          requests:
            cpu: 100m
            memory: 100Mi
        ports:
        - containerPort: 6379
EOF
kubectl apply -f redis-follower-deployment.yaml
# SIM: time: the page's sample was taken 37 s after the apply, 11 minutes after the leader.
sleep 33
kubectl get pods
#> NAME                             READY   STATUS    RESTARTS   AGE
#> redis-follower-dddfbdcc9-82sfr   1/1     Running   0          37s
#> redis-follower-dddfbdcc9-qrt5k   1/1     Running   0          38s
#> redis-leader-fb76b4755-xjr2n     1/1     Running   0          11m
cat > redis-follower-service.yaml <<EOF
apiVersion: v1
kind: Service
metadata:
  name: redis-follower
  labels:
    app: redis
    role: follower
    tier: backend
spec:
  ports:
  - port: 6379
  selector:
    app: redis
    role: follower
    tier: backend
EOF
kubectl apply -f redis-follower-service.yaml
kubectl get service
#> NAME             TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)    AGE
#> kubernetes       ClusterIP   10.96.0.1       <none>        443/TCP    3d19h
#> redis-follower   ClusterIP   10.110.162.42   <none>        6379/TCP   9s
#> redis-leader     ClusterIP   10.103.78.24    <none>        6379/TCP   6m10s
cat > frontend-deployment.yaml <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
spec:
  replicas: 3
  selector:
    matchLabels:
        app: guestbook
        tier: frontend
  template:
    metadata:
      labels:
        app: guestbook
        tier: frontend
    spec:
      containers:
      - name: php-redis
        image: us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5
        env:
        - name: GET_HOSTS_FROM
          value: "dns"
        resources:
          requests:
            cpu: 100m
            memory: 100Mi
        ports:
        - containerPort: 80
EOF
kubectl apply -f frontend-deployment.yaml
# SIM: time: the page's sample was taken 47 s after the apply.
sleep 45
kubectl get pods -l app=guestbook -l tier=frontend
#> NAME                        READY   STATUS    RESTARTS   AGE
#> frontend-85595f5bf9-5tqhb   1/1     Running   0          47s
#> frontend-85595f5bf9-qbzwm   1/1     Running   0          47s
#> frontend-85595f5bf9-zchwc   1/1     Running   0          47s
cat > frontend-service.yaml <<EOF
apiVersion: v1
kind: Service
metadata:
  name: frontend
  labels:
    app: guestbook
    tier: frontend
spec:
  # type: LoadBalancer
  ports:
  - port: 80
  selector:
    app: guestbook
    tier: frontend
EOF
kubectl apply -f frontend-service.yaml
kubectl get services
#> NAME             TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)    AGE
#> frontend         ClusterIP   10.97.28.230    <none>        80/TCP     19s
#> kubernetes       ClusterIP   10.96.0.1       <none>        443/TCP    3d19h
#> redis-follower   ClusterIP   10.110.162.42   <none>        6379/TCP   5m48s
#> redis-leader     ClusterIP   10.103.78.24    <none>        6379/TCP   11m
# The page keeps the forward running in its terminal; `&` lets the same terminal go on.
# SIM: the sandbox forwards IPv4 only (no [::1] line).
kubectl port-forward svc/frontend 8080:80 &
#> Forwarding from 127.0.0.1:8080 -> 80
#> Forwarding from [::1]:8080 -> 80
# The page loads http://localhost:8080 in a browser; curl reads the same page.
curl -s http://localhost:8080 | head -n 5
kubectl scale deployment frontend --replicas=5
# SIM: time: the page's sample was taken 83 s after the scale.
sleep 80
kubectl get pods
#> NAME                             READY   STATUS    RESTARTS   AGE
#> frontend-85595f5bf9-5df5m        1/1     Running   0          83s
#> frontend-85595f5bf9-7zmg5        1/1     Running   0          83s
#> frontend-85595f5bf9-cpskg        1/1     Running   0          15m
#> frontend-85595f5bf9-l2l54        1/1     Running   0          14m
#> frontend-85595f5bf9-l9c8z        1/1     Running   0          14m
#> redis-follower-dddfbdcc9-82sfr   1/1     Running   0          97m
#> redis-follower-dddfbdcc9-qrt5k   1/1     Running   0          97m
#> redis-leader-fb76b4755-xjr2n     1/1     Running   0          108m
kubectl scale deployment frontend --replicas=2
sleep 30
kubectl get pods
kubectl delete deployment -l app=redis
kubectl delete service -l app=redis
kubectl delete deployment frontend
kubectl delete service frontend
kubectl get pods
