# Example: Deploying PHP Guestbook application with Redis
# https://kubernetes.io/docs/tutorials/stateless-application/guestbook/ (the samples as the page
# shows them; the same in its translations, e.g. /zh-cn/)
kubectl apply -f https://k8s.io/examples/application/guestbook/redis-leader-deployment.yaml
# SIM: time: the page's sample was taken 13 s after the apply.
sleep 11
kubectl get pods
#> NAME                           READY   STATUS    RESTARTS   AGE
#> redis-leader-fb76b4755-xjr2n   1/1     Running   0          13s
# The page follows the log (-f) until Ctrl+C; a script reads it once.
kubectl logs deployment/redis-leader
kubectl apply -f https://k8s.io/examples/application/guestbook/redis-leader-service.yaml
# SIM: the page's sample has a column run together (`10.103.78.24 <none>`), which kubectl never
# prints; the sandbox's cluster is also younger than the page's.
kubectl get service
#> NAME           TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)    AGE
#> kubernetes     ClusterIP   10.0.0.1     <none>        443/TCP    1m
#> redis-leader   ClusterIP   10.103.78.24 <none>        6379/TCP   16s
kubectl apply -f https://k8s.io/examples/application/guestbook/redis-follower-deployment.yaml
# SIM: time: the page's sample was taken 37 s after the apply, 11 minutes after the leader.
sleep 33
kubectl get pods
#> NAME                             READY   STATUS    RESTARTS   AGE
#> redis-follower-dddfbdcc9-82sfr   1/1     Running   0          37s
#> redis-follower-dddfbdcc9-qrt5k   1/1     Running   0          38s
#> redis-leader-fb76b4755-xjr2n     1/1     Running   0          11m
kubectl apply -f https://k8s.io/examples/application/guestbook/redis-follower-service.yaml
kubectl get service
#> NAME             TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)    AGE
#> kubernetes       ClusterIP   10.96.0.1       <none>        443/TCP    3d19h
#> redis-follower   ClusterIP   10.110.162.42   <none>        6379/TCP   9s
#> redis-leader     ClusterIP   10.103.78.24    <none>        6379/TCP   6m10s
kubectl apply -f https://k8s.io/examples/application/guestbook/frontend-deployment.yaml
# SIM: time: the page's sample was taken 47 s after the apply.
sleep 45
kubectl get pods -l app=guestbook -l tier=frontend
#> NAME                        READY   STATUS    RESTARTS   AGE
#> frontend-85595f5bf9-5tqhb   1/1     Running   0          47s
#> frontend-85595f5bf9-qbzwm   1/1     Running   0          47s
#> frontend-85595f5bf9-zchwc   1/1     Running   0          47s
kubectl apply -f https://k8s.io/examples/application/guestbook/frontend-service.yaml
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
