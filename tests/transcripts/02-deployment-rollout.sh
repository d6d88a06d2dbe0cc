# A Deployment: scale it, roll out a new image, watch it, undo it.
kubectl create deployment web --image=nginx:1.26 --replicas=2
kubectl rollout status deployment/web
kubectl get deploy,rs
kubectl scale deployment web --replicas=4
sleep 10
kubectl get deploy web
kubectl set image deployment/web nginx=nginx:1.27
kubectl rollout status deployment/web
kubectl rollout history deployment/web
kubectl get rs
kubectl rollout undo deployment/web
kubectl rollout status deployment/web
kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}{"\n"}'
