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
kubectl apply -f https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/pods/config/redis-pod.yaml
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
kubectl apply -f https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/pods/config/redis-pod.yaml
kubectl exec -it redis -- redis-cli CONFIG GET maxmemory
#> 1) "maxmemory"
#> 2) "2097152"
kubectl exec -it redis -- redis-cli CONFIG GET maxmemory-policy
#> 1) "maxmemory-policy"
#> 2) "allkeys-lru"
kubectl delete pod/redis configmap/example-redis-config
