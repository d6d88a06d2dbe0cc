# Files in and out of a container, attaching to one, and debugging a node and a copy of a pod
# (kubernetes.io "Debug Running Pods" and the kubectl cp reference).
kubectl run web --image=nginx
kubectl run counter --image=busybox -- sh -c 'i=0; while true; do echo "count $i"; i=$((i+1)); sleep 1; done'
kubectl wait --for=condition=Ready pod/web pod/counter --timeout=60s
mkdir -p site/css
echo '<h1>copied</h1>' > site/index.html
echo 'h1 { color: red }' > site/css/main.css
kubectl cp site/index.html web:/usr/share/nginx/html/index.html
kubectl exec web -- cat /usr/share/nginx/html/index.html
kubectl cp site web:/tmp
kubectl exec web -- cat /tmp/site/css/main.css
kubectl cp web:/usr/share/nginx/html/index.html ./served.html
cat served.html
kubectl cp web:/etc/hosts ./hosts
head -2 hosts
kubectl exec web -- cat /etc/hostname
kubectl cp web:/tmp/site ./back -c web
cat back/css/main.css
kubectl cp web:/no/such/file ./x
kubectl cp missing.txt web:/tmp
kubectl cp site/index.html web:/no/dir/index.html
kubectl cp site/index.html ./elsewhere
kubectl cp nope:/etc/hosts ./hosts
kubectl cp site/index.html web:
kubectl attach counter --pod-running-timeout=1m | head -3
kubectl attach nope
kubectl debug node/node-1 -it --image=busybox
kubectl get pods -o wide | grep node-debugger
kubectl debug web -it --image=busybox --copy-to=web-debug --share-processes
kubectl get pod web-debug -o jsonpath='{.spec.shareProcessNamespace} {.spec.containers[*].name}{"\n"}'
kubectl debug -it web --image=busybox --target=web
