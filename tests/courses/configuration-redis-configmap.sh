# Configuring Redis using a ConfigMap
# https://kubernetes.io/docs/tutorials/configuration/configure-redis-using-configmap/
cat <<EOF >./example-redis-config.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: example-redis-config
data:
  redis-config: ""
EOF
kubectl apply -f example-redis-config.yaml
# SIM: no internet: the page applies
# https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/pods/config/redis-pod.yaml;
# the course writes that manifest first, as a learner who downloaded it.
cat > redis-pod.yaml <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: redis
spec:
  containers:
  - name: redis
    image: redis:5
    env:
    - name: MASTER
      value: "true"
    ports:
    - containerPort: 6379
    resources:
      limits:
        cpu: "0.1"
    volumeMounts:
    - mountPath: /data
      name: data
    - mountPath: /usr/local/etc/redis
      name: config
    args:
    - /usr/local/etc/redis/redis.conf
  volumes:
    - name: data
      emptyDir: {}
    - name: config
      configMap:
        name: example-redis-config
        items:
        - key: redis-config
          path: redis.conf
EOF
kubectl apply -f redis-pod.yaml
# SIM: time: the page's sample was taken 8 s after the pod was made.
sleep 4
kubectl get pod/redis configmap/example-redis-config
#> NAME        READY   STATUS    RESTARTS   AGE
#> pod/redis   1/1     Running   0          8s
#>
#> NAME                             DATA   AGE
#> configmap/example-redis-config   1      14s
# SIM: the page's sample stops at the data; kubectl 1.32 goes on with BinaryData and Events.
kubectl describe configmap/example-redis-config
#> Name:         example-redis-config
#> Namespace:    default
#> Labels:       <none>
#> Annotations:  <none>
#>
#> Data
#> ====
#> redis-config:
# The page opens redis-cli (kubectl exec -it redis -- redis-cli) and types CONFIG GET at its
# prompt; the sandbox cannot open redis-cli's prompt, so each command is redis-cli's argument
# (at a terminal it answers in the same form).
kubectl exec -it redis -- redis-cli CONFIG GET maxmemory
#> 1) "maxmemory"
#> 2) "0"
kubectl exec -it redis -- redis-cli CONFIG GET maxmemory-policy
#> 1) "maxmemory-policy"
#> 2) "noeviction"
cat > example-redis-config.yaml <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: example-redis-config
data:
  redis-config: |
    maxmemory 2mb
    maxmemory-policy allkeys-lru    
EOF
kubectl apply -f example-redis-config.yaml
# SIM: the page's sample stops at the data; kubectl 1.32 goes on with BinaryData and Events.
kubectl describe configmap/example-redis-config
#> Name:         example-redis-config
#> Namespace:    default
#> Labels:       <none>
#> Annotations:  <none>
#>
#> Data
#> ====
#> redis-config:
#> ----
#> maxmemory 2mb
#> maxmemory-policy allkeys-lru
kubectl exec -it redis -- redis-cli CONFIG GET maxmemory
#> 1) "maxmemory"
#> 2) "0"
kubectl exec -it redis -- redis-cli CONFIG GET maxmemory-policy
#> 1) "maxmemory-policy"
#> 2) "noeviction"
kubectl delete pod redis
kubectl apply -f redis-pod.yaml
kubectl exec -it redis -- redis-cli CONFIG GET maxmemory
#> 1) "maxmemory"
#> 2) "2097152"
kubectl exec -it redis -- redis-cli CONFIG GET maxmemory-policy
#> 1) "maxmemory-policy"
#> 2) "allkeys-lru"
kubectl delete pod/redis configmap/example-redis-config
