# Learn Kubernetes in a Month of Lunches, chapter 5: "Storing data with volumes, mounts, and
# claims", typed in the chapter's folder. The book shows its output as pictures, so no step has a
# sample to compare; the transcript records what the sandbox prints.
# CWD: kiamol
cd ch05
kubectl apply -f sleep/sleep.yaml
# A `kubectl wait` on the label would also wait for the previous pod, which the update
# deletes (`was deleted while waiting`): the rollout is what the reader waits for.
kubectl rollout status deploy/sleep
kubectl exec deploy/sleep -- sh -c 'echo ch05 > /file.txt; ls /*.txt'
kubectl get pod -l app=sleep -o jsonpath='{.items[0].status.containerStatuses[0].containerID}'
kubectl exec -it deploy/sleep -- killall5
kubectl get pod -l app=sleep -o jsonpath='{.items[0].status.containerStatuses[0].containerID}'
kubectl exec deploy/sleep -- ls /*.txt
kubectl apply -f sleep/sleep-with-emptyDir.yaml
kubectl rollout status deploy/sleep
kubectl exec deploy/sleep -- ls /data
kubectl exec deploy/sleep -- sh -c 'echo ch05 > /data/file.txt; ls /data'
kubectl get pod -l app=sleep -o jsonpath='{.items[0].status.containerStatuses[0].containerID}'
kubectl exec deploy/sleep -- killall5
kubectl get pod -l app=sleep -o jsonpath='{.items[0].status.containerStatuses[0].containerID}'
kubectl exec deploy/sleep -- cat /data/file.txt
kubectl apply -f pi/v1/
kubectl wait --for=condition=Ready pod -l app=pi-web
kubectl get svc pi-proxy -o jsonpath='http://{.status.loadBalancer.ingress[0].*}:8080/?dp=30000'
# The book's `ingress[0].*` also prints the address's ipMode (`VIP`, set by the API server since
# Kubernetes 1.30), which breaks the URL it builds; a curl here reads `.ip` instead.
curl -s "$(kubectl get svc pi-proxy -o jsonpath='http://{.status.loadBalancer.ingress[0].ip}:8080/?dp=30000')" | head -5
kubectl exec deploy/pi-proxy -- ls -l /data/nginx/cache
kubectl delete pod -l app=pi-proxy
kubectl exec deploy/pi-proxy -- ls -l /data/nginx/cache
kubectl apply -f pi/nginx-with-hostPath.yaml
kubectl get pods -l app=pi-proxy
curl -s "$(kubectl get svc pi-proxy -o jsonpath='http://{.status.loadBalancer.ingress[0].ip}:8080/?dp=30000')" | head -5
kubectl exec deploy/pi-proxy -- ls -l /data/nginx/cache
kubectl delete pod -l app=pi-proxy
kubectl exec deploy/pi-proxy -- ls -l /data/nginx/cache
kubectl apply -f sleep/sleep-with-hostPath.yaml
kubectl rollout status deploy/sleep
kubectl exec deploy/sleep -- ls -l /var/log
kubectl exec deploy/sleep -- ls -l /node-root/var/log
kubectl exec deploy/sleep -- whoami
kubectl apply -f sleep/sleep-with-hostPath-subPath.yaml
kubectl get pods -l app=sleep
kubectl exec deploy/sleep -- sh -c 'ls /pod-logs | grep _pi-'
kubectl exec deploy/sleep -- sh -c 'ls /container-logs | grep nginx'
# SIM: the sandbox's cluster is kubeadm-shaped (a tainted control plane and three workers); the
# book's is one node that runs everything. items[0] is the control plane, so the local PV's node
# affinity meets the taint and todo-db stays Pending (FailedScheduling), and the node-root listings
# see the sleep pod's node only (the pi pods run on others): those steps fail here.
kubectl label node $(kubectl get nodes -o jsonpath='{.items[0].metadata.name}') kiamol=ch05
kubectl get nodes -l kiamol=ch05
kubectl apply -f todo-list/persistentVolume.yaml
kubectl get pv
kubectl apply -f todo-list/postgres-persistentVolumeClaim.yaml
kubectl get pvc
kubectl get pv
kubectl apply -f todo-list/postgres-persistentVolumeClaim-too-big.yaml
kubectl get pvc
kubectl apply -f sleep/sleep-with-hostPath.yaml
kubectl rollout status deploy/sleep
kubectl exec deploy/sleep -- mkdir -p /node-root/volumes/pv01
kubectl apply -f todo-list/postgres/
kubectl wait --for=condition=Ready pod -l app=todo-db
kubectl logs -l app=todo-db --tail 1
kubectl exec deploy/sleep -- sh -c 'ls -l /node-root/volumes/pv01 | grep wal'
kubectl apply -f todo-list/web/
kubectl wait --for=condition=Ready pod -l app=todo-web
kubectl get svc todo-web -o jsonpath='http://{.status.loadBalancer.ingress[0].*}:8081/new'
kubectl delete pod -l app=todo-db
kubectl get pods -l app=todo-db
kubectl exec deploy/sleep -- ls -l /node-root/volumes/pv01/pg_wal
kubectl apply -f todo-list/postgres-persistentVolumeClaim-dynamic.yaml
kubectl get pvc
kubectl get pv
kubectl delete pvc postgres-pvc-dynamic
kubectl get pv
kubectl get storageclass
kubectl apply -f storageClass/clone-storageClass-script.yaml
kubectl wait --for=condition=Ready pod/clone-sc
kubectl apply -f storageClass/postgres-persistentVolumeClaim-storageClass.yaml
kubectl get pvc
kubectl delete -f pi/v1 -f sleep/sleep-with-hostPath.yaml -f todo-list/web -f todo-list/postgres -f todo-list/
kubectl delete -f storageClass/
kubectl label node $(kubectl get nodes -o jsonpath='{.items[0].metadata.name}') kiamol-
