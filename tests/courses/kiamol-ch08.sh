# Learn Kubernetes in a Month of Lunches, chapter 8: "Running data-heavy apps with StatefulSets
# and Jobs", typed in the chapter's folder. The book shows its output as pictures, so no step has
# a sample to compare; the transcript records what the sandbox prints.
# CWD: kiamol
cd ch08
kubectl apply -f todo-list/db/
kubectl get statefulset todo-db
kubectl get pods -l app=todo-db
kubectl get pod todo-db-0 -o jsonpath='{.metadata.labels.controller-revision-hash}'
kubectl delete pod todo-db-0
kubectl get pods -l app=todo-db
kubectl get pods -l app=todo-db -o wide
kubectl apply -f todo-list/db/replicated/
# The replicated set makes its pods one at a time, each after its init containers: the
# rollout is what the reader waits for before reading both pods' logs.
kubectl rollout status statefulset/todo-db
kubectl wait --for=condition=Ready pod -l app=todo-db
kubectl logs todo-db-0 --tail 1
kubectl logs todo-db-1 --tail 1
kubectl get pods -l app=todo-db
kubectl get svc todo-db
kubectl apply -f sleep/sleep.yaml
# A `kubectl wait` on the label would also wait for the previous pod, which the update
# deletes (`was deleted while waiting`): the rollout is what the reader waits for.
kubectl rollout status deploy/sleep
kubectl exec deploy/sleep -- sh -c 'nslookup todo-db | grep "^[^*]"'
kubectl exec deploy/sleep -- sh -c 'nslookup todo-db-0.todo-db.default.svc.cluster.local | grep "^[^*]"'
kubectl scale --replicas=3 statefulset/todo-db
kubectl rollout status statefulset/todo-db
kubectl wait --for=condition=Ready pod -l app=todo-db
kubectl logs todo-db-2 --tail 1
kubectl get pods -l app=todo-db
kubectl apply -f sleep/sleep-with-pvc.yaml
kubectl get pvc
# The StatefulSet makes its pods one at a time: a wait on the label right away sees pod 0 only.
kubectl rollout status statefulset/sleep-with-pvc
kubectl exec sleep-with-pvc-0 -- sh -c 'echo Pod 0 initialized at $(date) > /data/pod-0.txt'
kubectl exec sleep-with-pvc-1 -- sh -c 'echo Pod 1 initialized at $(date) > /data/pod-1.txt'
kubectl exec sleep-with-pvc-0 -- cat /data/pod-0.txt
kubectl exec sleep-with-pvc-1 -- cat /data/pod-1.txt
kubectl delete pod sleep-with-pvc-0
kubectl get pods -l app=sleep-with-pvc
kubectl wait --for=condition=Ready pod -l app=sleep-with-pvc
kubectl exec sleep-with-pvc-0 -- cat /data/pod-0.txt
kubectl apply -f todo-list/db/replicated/update/todo-db-pvc.yaml
kubectl delete statefulset todo-db
kubectl apply -f todo-list/db/replicated/update/todo-db-pvc.yaml
kubectl rollout status statefulset/todo-db
kubectl wait --for=condition=Ready pod -l app=todo-db
kubectl get pvc -l app=todo-db
kubectl apply -f todo-list/web/
kubectl wait --for=condition=Ready pod -l app=todo-web
kubectl get svc todo-web -o jsonpath='http://{.status.loadBalancer.ingress[0].*}:8081/new'
kubectl apply -f todo-list/web/update/todo-web-readonly.yaml
kubectl apply -f pi/pi-job.yaml
kubectl logs -l job-name=pi-job
kubectl get job pi-job
kubectl wait --for=condition=complete job/pi-job --timeout=2m
kubectl get job pi-job
kubectl logs -l job-name=pi-job
kubectl get pods -l job-name=pi-job
kubectl apply -f pi/pi-job-random.yaml
kubectl get jobs -l app=pi-random
kubectl get pods -l job-name=pi-job-random
kubectl wait --for=condition=complete job/pi-job-random --timeout=3m
kubectl get jobs -l app=pi-random
kubectl logs -l job-name=pi-job-random
kubectl apply -f todo-list/db/backup/
kubectl get cronjob todo-db-backup
sleep 180
kubectl get jobs --watch=false
kubectl get cronjob todo-db-backup
kubectl apply -f sleep/sleep-with-db-backup-mount.yaml
kubectl rollout status deploy/sleep
kubectl exec deploy/sleep -- ls -l /backup
kubectl apply -f todo-list/db/backup/update/todo-db-backup-cronjob-suspend.yaml
kubectl get cronjob todo-db-backup
kubectl get jobs -o jsonpath="{.items[?(@.metadata.ownerReferences[0].name=='todo-db-backup')].metadata.name}"
kubectl delete cronjob todo-db-backup --cascade=orphan
kubectl get jobs -l app=todo-db-backup
kubectl delete all -l kiamol=ch08
kubectl delete pvc -l kiamol=ch08
