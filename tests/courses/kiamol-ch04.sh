# Learn Kubernetes in a Month of Lunches, chapter 4: "Configuring applications with ConfigMaps
# and Secrets", typed in the chapter's folder. The book shows its output as pictures, so no step
# has a sample to compare; the transcript records what the sandbox prints.
# CWD: kiamol
cd ch04
kubectl apply -f sleep/sleep.yaml
# A `kubectl wait` on the label would also wait for the previous pod, which the update
# deletes (`was deleted while waiting`): the rollout is what the reader waits for.
kubectl rollout status deploy/sleep
kubectl exec deploy/sleep -- printenv HOSTNAME KIAMOL_CHAPTER
kubectl apply -f sleep/sleep-with-env.yaml
kubectl rollout status deploy/sleep
kubectl exec deploy/sleep -- printenv HOSTNAME KIAMOL_CHAPTER
kubectl create configmap sleep-config-literal --from-literal=kiamol.section='4.1'
kubectl get cm sleep-config-literal
kubectl describe cm sleep-config-literal
kubectl apply -f sleep/sleep-with-configMap-env.yaml
kubectl rollout status deploy/sleep
kubectl exec deploy/sleep -- sh -c 'printenv | grep "^KIAMOL"'
kubectl create configmap sleep-config-env-file --from-env-file=sleep/ch04.env
kubectl get configmap sleep-config-env-file -o yaml
kubectl apply -f sleep/sleep-with-configMap-env-file.yaml
kubectl rollout status deploy/sleep
kubectl exec deploy/sleep -- sh -c 'printenv | grep "^KIAMOL"'
kubectl apply -f todo-list/todo-web.yaml
kubectl rollout status deploy/todo-web
kubectl get svc todo-web -o jsonpath='http://{.status.loadBalancer.ingress[0].*}:8080'
kubectl logs -l app=todo-web
kubectl apply -f todo-list/configMaps/todo-web-config-dev.yaml
kubectl apply -f todo-list/todo-web-dev.yaml
kubectl rollout status deploy/todo-web
kubectl exec deploy/todo-web -- sh -c 'ls -l /app/config'
kubectl exec deploy/todo-web -- sh -c 'ls -l /app/secrets'
kubectl apply -f todo-list/configMaps/todo-web-config-dev-with-logging.yaml
sleep 120
kubectl exec deploy/todo-web -- sh -c 'ls -l /app/config'
kubectl logs -l app=todo-web
kubectl apply -f todo-list/todo-web-dev-broken.yaml
kubectl get pods -l app=todo-web
kubectl apply -f todo-list/todo-web-dev-no-logging.yaml
kubectl rollout status deploy/todo-web
kubectl exec deploy/todo-web -- sh -c 'ls /app/config'
kubectl create secret generic sleep-secret-literal --from-literal=secret=shh...
kubectl describe secret sleep-secret-literal
kubectl get secret sleep-secret-literal -o jsonpath='{.data.secret}'
kubectl get secret sleep-secret-literal -o jsonpath='{.data.secret}' | base64 -d
kubectl apply -f sleep/sleep-with-secret.yaml
kubectl rollout status deploy/sleep
kubectl exec deploy/sleep -- printenv KIAMOL_SECRET
kubectl apply -f todo-list/secrets/todo-db-secret-test.yaml
kubectl get secret todo-db-secret-test -o jsonpath='{.data.POSTGRES_PASSWORD}'
kubectl get secret todo-db-secret-test -o jsonpath='{.metadata.annotations}'
kubectl apply -f todo-list/todo-db-test.yaml
kubectl wait --for=condition=Ready pod -l app=todo-db
kubectl logs -l app=todo-db --tail 1
kubectl exec deploy/todo-db -- sh -c 'ls -l $(readlink -f /secrets/postgres_password)'
kubectl apply -f todo-list/configMaps/todo-web-config-test.yaml -f todo-list/secrets/todo-web-secret-test.yaml -f todo-list/todo-web-test.yaml
kubectl wait --for=condition=Ready pod -l app=todo-web,environment=test
kubectl get svc todo-web-test -o jsonpath='http://{.status.loadBalancer.ingress[0].*}:8081'
kubectl exec deploy/todo-web-test -- cat /app/secrets/secrets.json
kubectl delete all,cm,secret -l kiamol=ch04
