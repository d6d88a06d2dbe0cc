# Learn Kubernetes in a Month of Lunches, chapter 3: "Connecting Pods over the network with
# Services", typed in the chapter's folder. The book shows its output as pictures, so no step
# has a sample to compare; the transcript records what the sandbox prints.
# CWD: kiamol
cd ch03
kubectl apply -f sleep/sleep1.yaml -f sleep/sleep2.yaml
kubectl wait --for=condition=Ready pod -l app=sleep-2
kubectl get pod -l app=sleep-2 --output jsonpath='{.items[0].status.podIP}'
kubectl exec deploy/sleep-1 -- ping -c 2 $(kubectl get pod -l app=sleep-2 --output jsonpath='{.items[0].status.podIP}')
kubectl get pods -o wide -l app=sleep-2
kubectl delete pods -l app=sleep-2
kubectl wait --for=condition=Ready pod -l app=sleep-2
kubectl get pods -o wide -l app=sleep-2
kubectl apply -f sleep/sleep2-service.yaml
kubectl get svc sleep-2
kubectl exec deploy/sleep-1 -- ping -c 1 sleep-2
kubectl apply -f numbers/api.yaml -f numbers/web.yaml
kubectl wait --for=condition=Ready pod -l app=numbers-web
kubectl port-forward deploy/numbers-web 8080:80 &
curl -s http://localhost:8080 | head -n 5
kubectl apply -f numbers/api-service.yaml
kubectl get svc numbers-api
kubectl get pod -l app=numbers-api -o custom-columns=NAME:metadata.name,POD_IP:status.podIP
kubectl delete pod -l app=numbers-api
kubectl wait --for=condition=Ready pod -l app=numbers-api
kubectl get pod -l app=numbers-api -o custom-columns=NAME:metadata.name,POD_IP:status.podIP
kubectl apply -f numbers/web-service.yaml
kubectl get svc numbers-web
kubectl get svc numbers-web -o jsonpath='http://{.status.loadBalancer.ingress[0].*}:8080'
kubectl apply -f numbers-services/web-service-nodePort.yaml
kubectl get svc numbers-web-node
kubectl delete svc numbers-api
kubectl apply -f numbers-services/api-service-externalName.yaml
kubectl get svc numbers-api
kubectl exec deploy/sleep-1 -- sh -c 'nslookup numbers-api | tail -n 5'
kubectl delete svc numbers-api
kubectl apply -f numbers-services/api-service-headless.yaml
kubectl get svc numbers-api
kubectl get endpoints numbers-api
kubectl exec deploy/sleep-1 -- sh -c 'nslookup numbers-api | grep "^[^*]"'
kubectl get endpoints sleep-2
kubectl delete pods -l app=sleep-2
kubectl get endpoints sleep-2
kubectl delete deploy sleep-2
kubectl get endpoints sleep-2
kubectl get svc --namespace default
kubectl get svc -n kube-system
kubectl exec deploy/sleep-1 -- sh -c 'nslookup numbers-api.default.svc.cluster.local | grep "^[^*]"'
kubectl exec deploy/sleep-1 -- sh -c 'nslookup kube-dns.kube-system.svc.cluster.local | grep "^[^*]"'
kubectl delete deploy --all
kubectl delete svc --all
kubectl get all
