# Learn Kubernetes in a Month of Lunches, chapter 7: "Extending applications with multicontainer
# Pods", typed in the chapter's folder. The book shows its output as pictures, so no step has a
# sample to compare; the transcript records what the sandbox prints.
# CWD: kiamol
cd ch07
kubectl apply -f sleep/sleep-with-file-reader.yaml
# A `kubectl wait` on the label would also wait for the previous pod, which the update
# deletes (`was deleted while waiting`): the rollout is what the reader waits for.
kubectl rollout status deploy/sleep
kubectl get pod -l app=sleep -o wide
kubectl get pod -l app=sleep --output jsonpath='{.items[0].spec.containers[*].name}'
kubectl logs -l app=sleep
kubectl exec deploy/sleep -c sleep -- sh -c 'echo ${HOSTNAME} > /data-rw/hostname.txt'
kubectl exec deploy/sleep -c sleep -- cat /data-rw/hostname.txt
kubectl exec deploy/sleep -c file-reader -- cat /data-ro/hostname.txt
kubectl exec deploy/sleep -c file-reader -- sh -c 'echo more >> /data-ro/hostname.txt'
kubectl apply -f sleep/sleep-with-server.yaml
kubectl rollout status deploy/sleep
kubectl get pods -l app=sleep
kubectl exec deploy/sleep -c sleep -- wget -q -O - localhost:8080
kubectl logs -l app=sleep -c server
kubectl expose -f sleep/sleep-with-server.yaml --type LoadBalancer --port 8020 --target-port 8080
kubectl get svc sleep -o jsonpath='http://{.status.loadBalancer.ingress[0].*}:8020'
# The book's `ingress[0].*` also prints the address's ipMode (`VIP`, set by the API server since
# Kubernetes 1.30), which breaks the URL it builds; a curl here reads `.ip` instead.
curl -s "$(kubectl get svc sleep -o jsonpath='http://{.status.loadBalancer.ingress[0].ip}:8020')"
kubectl exec deploy/sleep -c server -- ps
kubectl apply -f sleep/sleep-with-html-server.yaml
kubectl rollout status deploy/sleep
kubectl exec deploy/sleep -c sleep -- wget -q -O - localhost:8080
kubectl delete svc sleep
kubectl apply -f timecheck/timecheck.yaml
kubectl wait --for=condition=Ready pod -l app=timecheck
kubectl logs -l app=timecheck
kubectl apply -f timecheck/timecheck-configMap.yaml -f timecheck/timecheck-with-config.yaml
kubectl wait --for=condition=ContainersReady pod -l app=timecheck,version=v2
kubectl get pods -l app=timecheck
kubectl logs -l app=timecheck,version=v2
kubectl exec deploy/timecheck -- cat /logs/timecheck.log
kubectl apply -f timecheck/timecheck-with-logging.yaml
kubectl wait --for=condition=ContainersReady pod -l app=timecheck,version=v3
kubectl get pods -l app=timecheck
kubectl get pod -l app=timecheck --output jsonpath='{.items[0].status.containerStatuses[*].name}'
kubectl logs -l app=timecheck -c logger
kubectl apply -f numbers/api.yaml -f numbers/api-service.yaml -f numbers/web.yaml -f numbers/web-service.yaml
kubectl wait --for=condition=Ready pod -l app=numbers-web
kubectl get svc numbers-web -o jsonpath='http://{.status.loadBalancer.ingress[0].*}:8090'
kubectl exec deploy/numbers-web -c web -- wget -q -O - http://numbers-api/rng
kubectl apply -f numbers/update/web-with-proxy.yaml
kubectl rollout status deploy/numbers-web
kubectl logs -l app=numbers-web -c proxy
kubectl exec deploy/numbers-web -c web -- wget -q -O - http://blog.sixeyed.com
kubectl logs -l app=numbers-web -c proxy
kubectl apply -f numbers/update/web-v2-broken-init-container.yaml
kubectl get po -l app=numbers-web,version=v2
# The book reads the init container's logs once the pod shows its failure, not 2 s after the apply.
sleep 15
kubectl get po -l app=numbers-web,version=v2
kubectl logs -l app=numbers-web,version=v2 -c init-version
kubectl get deploy numbers-web
kubectl get rs -l app=numbers-web
kubectl apply -f timecheck/timecheck-good-citizen.yaml
kubectl wait --for=condition=ContainersReady pod -l app=timecheck,version=v4
kubectl get pods -l app=timecheck
kubectl get pod -l app=timecheck --output jsonpath='{.items[0].spec.containers[*].name}'
kubectl exec deploy/sleep -c sleep -- wget -q -O - http://timecheck:8080
kubectl exec deploy/sleep -c sleep -- wget -q -O - http://timecheck:8081
kubectl exec deploy/timecheck -c timecheck -- ps
kubectl delete all -l kiamol=ch07
