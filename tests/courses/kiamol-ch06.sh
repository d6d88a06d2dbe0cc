# Learn Kubernetes in a Month of Lunches, chapter 6: "Scaling applications across multiple Pods
# with controllers", typed in the chapter's folder. The book shows its output as pictures, so no
# step has a sample to compare; the transcript records what the sandbox prints.
# CWD: kiamol
cd ch06
kubectl apply -f whoami/
kubectl get replicaset whoami-web
kubectl get pods -l app=whoami-web
kubectl delete pods -l app=whoami-web
kubectl get pods -l app=whoami-web
kubectl describe rs whoami-web
kubectl apply -f whoami/update/whoami-replicas-3.yaml
kubectl get pods -l app=whoami-web
kubectl delete pods -l app=whoami-web
kubectl get pods -l app=whoami-web
# The book's `ingress[0].*` also prints the address's ipMode (`VIP`, set by the API server since
# Kubernetes 1.30), which breaks the URL it builds; a curl here reads `.ip` instead.
curl $(kubectl get svc whoami-web -o jsonpath='http://{.status.loadBalancer.ingress[0].ip}:8088')
curl $(kubectl get svc whoami-web -o jsonpath='http://{.status.loadBalancer.ingress[0].ip}:8088')
curl $(kubectl get svc whoami-web -o jsonpath='http://{.status.loadBalancer.ingress[0].ip}:8088')
kubectl apply -f sleep.yaml
# A `kubectl wait` on the label would also wait for the previous pod, which the update
# deletes (`was deleted while waiting`): the rollout is what the reader waits for.
kubectl rollout status deploy/sleep
kubectl get svc whoami-web
kubectl exec deploy/sleep -- sh -c 'nslookup whoami-web | grep "^[^*]"'
kubectl exec deploy/sleep -- sh -c 'for i in 1 2 3; do curl -w \\n -s http://whoami-web:8088; done;'
kubectl apply -f pi/web/
kubectl get rs -l app=pi-web
kubectl apply -f pi/web/update/web-replicas-3.yaml
kubectl get rs -l app=pi-web
kubectl apply -f pi/web/update/web-logging-level.yaml
kubectl get rs -l app=pi-web
kubectl scale --replicas=4 deploy/pi-web
kubectl get rs -l app=pi-web
kubectl rollout restart deploy/pi-web
kubectl get rs -l app=pi-web
kubectl apply -f pi/web/
kubectl get rs -l app=pi-web
kubectl apply -f pi/proxy/
kubectl wait --for=condition=Ready pod -l app=pi-proxy
kubectl get svc pi-proxy -o jsonpath='http://{.status.loadBalancer.ingress[0].*}:8080/?dp=10000'
curl -s "$(kubectl get svc pi-proxy -o jsonpath='http://{.status.loadBalancer.ingress[0].ip}:8080/?dp=10000')" | head -5
kubectl apply -f pi/proxy/update/nginx-hostPath.yaml
kubectl get pods -l app=pi-proxy
kubectl apply -f pi/proxy/daemonset/nginx-ds.yaml
kubectl get endpoints pi-proxy
kubectl delete deploy pi-proxy
kubectl get daemonset pi-proxy
kubectl get po -l app=pi-proxy
kubectl delete po -l app=pi-proxy
kubectl get po -l app=pi-proxy
kubectl apply -f pi/proxy/daemonset/nginx-ds-nodeSelector.yaml
kubectl get ds pi-proxy
kubectl get po -l app=pi-proxy
kubectl label node $(kubectl get nodes -o jsonpath='{.items[0].metadata.name}') kiamol=ch06 --overwrite
kubectl get ds pi-proxy
kubectl delete ds pi-proxy --cascade=orphan
kubectl get po -l app=pi-proxy
kubectl apply -f pi/proxy/daemonset/nginx-ds-nodeSelector.yaml
kubectl get ds pi-proxy
kubectl get po -l app=pi-proxy
kubectl delete po -l app=pi-proxy
kubectl get po -l app=pi-proxy
kubectl get rs -l app=whoami-web -o wide
kubectl delete all -l kiamol=ch06
kubectl label node $(kubectl get nodes -o jsonpath='{.items[0].metadata.name}') kiamol-
