# Example: Deploying WordPress and MySQL with Persistent Volumes
# https://kubernetes.io/docs/tutorials/stateful-application/mysql-wordpress-persistent-volume/
mkdir wordpress && cd wordpress
cat <<EOF >./kustomization.yaml
secretGenerator:
- name: mysql-pass
  literals:
  - password=YOUR_PASSWORD
EOF
curl -LO https://k8s.io/examples/application/wordpress/mysql-deployment.yaml
curl -LO https://k8s.io/examples/application/wordpress/wordpress-deployment.yaml
cat <<EOF >>./kustomization.yaml
resources:
  - mysql-deployment.yaml
  - wordpress-deployment.yaml
EOF
kubectl apply -k ./
kubectl get secrets
#> NAME                    TYPE                                  DATA   AGE
#> mysql-pass-c57bb4t7mf   Opaque                                1      9s
sleep 60
# SIM: the page's sample is from an old kubectl (no VOLUMEATTRIBUTESCLASS column, wider padding).
kubectl get pvc
#> NAME             STATUS    VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS       AGE
#> mysql-pv-claim   Bound     pvc-8cbd7b2e-4044-11e9-b2bb-42010a800002   20Gi       RWO            standard           77s
#> wp-pv-claim      Bound     pvc-8cd0df54-4044-11e9-b2bb-42010a800002   20Gi       RWO            standard           77s
# SIM: the page's sample predates the WordPress Deployment's pod (it lists only MySQL's), in an
# old kubectl's wider columns.
kubectl get pods
#> NAME                               READY     STATUS    RESTARTS   AGE
#> wordpress-mysql-1894417608-x5dzt   1/1       Running   0          40s
# SIM: the manifest asks for a LoadBalancer; the page's sample shows a ClusterIP with a pending
# address (minikube without a tunnel). The sandbox's cluster gives a LoadBalancer an address at
# once, as kind with cloud-provider-kind does.
kubectl get services wordpress
#> NAME        TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)        AGE
#> wordpress   ClusterIP   10.0.0.89    <pending>     80:32406/TCP   4m
minikube service wordpress --url
#> http://1.2.3.4:32406
curl -s "$(minikube service wordpress --url)" | head -3
kubectl delete -k ./
