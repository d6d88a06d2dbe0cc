# StatefulSet Basics
# https://kubernetes.io/docs/tutorials/stateful-application/basic-stateful-set/
# The page watches the pods in a second terminal (`kubectl get pods --watch`) while it types in
# the first; the course has one terminal, so each watch runs after the command it watches and
# shows the table at that moment and the changes that follow (until 30 s pass quietly).
kubectl apply -f https://k8s.io/examples/application/web/web.yaml
#> service/nginx created
#> statefulset.apps/web created
kubectl get service nginx
#> NAME      TYPE         CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE
#> nginx     ClusterIP    None         <none>        80/TCP    12s
kubectl get statefulset web
#> NAME   READY   AGE
#> web    2/2     37s
# SIM: one terminal: the watch starts after the apply, so it misses the first rows the page's
# watch (started before) shows.
kubectl get pods --watch -l app=nginx
#> NAME      READY     STATUS    RESTARTS   AGE
#> web-0     0/1       Pending   0          0s
#> web-0     0/1       Pending   0         0s
#> web-0     0/1       ContainerCreating   0         0s
#> web-0     1/1       Running   0         19s
#> web-1     0/1       Pending   0         0s
#> web-1     0/1       Pending   0         0s
#> web-1     0/1       ContainerCreating   0         0s
#> web-1     1/1       Running   0         18s
kubectl get pods -l app=nginx
#> NAME      READY     STATUS    RESTARTS   AGE
#> web-0     1/1       Running   0          1m
#> web-1     1/1       Running   0          1m
for i in 0 1; do kubectl exec "web-$i" -- sh -c 'hostname'; done
#> web-0
#> web-1
kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm
# SIM: CoreDNS answers the reverse lookup of a StatefulSet pod's address with its name
# (web-0.nginx.default.svc.cluster.local); the page's cluster DNS gave none.
nslookup web-0.nginx
#> Server:    10.0.0.10
#> Address 1: 10.0.0.10 kube-dns.kube-system.svc.cluster.local
#>
#> Name:      web-0.nginx
#> Address 1: 10.244.1.6
# SIM: as above.
nslookup web-1.nginx
#> Server:    10.0.0.10
#> Address 1: 10.0.0.10 kube-dns.kube-system.svc.cluster.local
#>
#> Name:      web-1.nginx
#> Address 1: 10.244.2.6
exit
kubectl delete pod -l app=nginx
#> pod "web-0" deleted
#> pod "web-1" deleted
# SIM: one terminal: the watch starts after the delete returned (kubectl waits for the pods to
# go), so it shows the pods coming back from where they are then.
kubectl get pod --watch -l app=nginx
#> NAME      READY     STATUS              RESTARTS   AGE
#> web-0     0/1       ContainerCreating   0          0s
#> NAME      READY     STATUS    RESTARTS   AGE
#> web-0     1/1       Running   0          2s
#> web-1     0/1       Pending   0         0s
#> web-1     0/1       Pending   0         0s
#> web-1     0/1       ContainerCreating   0         0s
#> web-1     1/1       Running   0         34s
for i in 0 1; do kubectl exec web-$i -- sh -c 'hostname'; done
#> web-0
#> web-1
kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm
# SIM: CoreDNS answers the reverse lookup of a StatefulSet pod's address with its name
# (web-0.nginx.default.svc.cluster.local); the page's cluster DNS gave none.
nslookup web-0.nginx
#> Server:    10.0.0.10
#> Address 1: 10.0.0.10 kube-dns.kube-system.svc.cluster.local
#>
#> Name:      web-0.nginx
#> Address 1: 10.244.1.7
# SIM: as above.
nslookup web-1.nginx
#> Server:    10.0.0.10
#> Address 1: 10.0.0.10 kube-dns.kube-system.svc.cluster.local
#>
#> Name:      web-1.nginx
#> Address 1: 10.244.2.8
exit
# Writing to stable storage.
# SIM: the page's sample is from kubectl 1.5 (ACCESSMODES, no STORAGECLASS or
# VOLUMEATTRIBUTESCLASS columns).
kubectl get pvc -l app=nginx
#> NAME        STATUS    VOLUME                                     CAPACITY   ACCESSMODES   AGE
#> www-web-0   Bound     pvc-15c268c7-b507-11e6-932f-42010a800002   1Gi        RWO           48s
#> www-web-1   Bound     pvc-15c79307-b507-11e6-932f-42010a800002   1Gi        RWO           48s
for i in 0 1; do kubectl exec "web-$i" -- sh -c 'echo "$(hostname)" > /usr/share/nginx/html/index.html'; done
for i in 0 1; do kubectl exec -i -t "web-$i" -- curl http://localhost/; done
#> web-0
#> web-1
kubectl delete pod -l app=nginx
#> pod "web-0" deleted
#> pod "web-1" deleted
# SIM: one terminal (see the watch after the first delete).
kubectl get pod --watch -l app=nginx
#> NAME      READY     STATUS              RESTARTS   AGE
#> web-0     0/1       ContainerCreating   0          0s
#> NAME      READY     STATUS    RESTARTS   AGE
#> web-0     1/1       Running   0          2s
#> web-1     0/1       Pending   0         0s
#> web-1     0/1       Pending   0         0s
#> web-1     0/1       ContainerCreating   0         0s
#> web-1     1/1       Running   0         34s
for i in 0 1; do kubectl exec -i -t "web-$i" -- curl http://localhost/; done
#> web-0
#> web-1
# Scaling up.
kubectl scale sts web --replicas=5
#> statefulset.apps/web scaled
# SIM: one terminal: the watch starts after the scale, so the rows it begins with differ.
kubectl get pod --watch -l app=nginx
#> NAME      READY     STATUS    RESTARTS   AGE
#> web-0     1/1       Running   0          2h
#> web-1     1/1       Running   0          2h
#> NAME      READY     STATUS    RESTARTS   AGE
#> web-2     0/1       Pending   0          0s
#> web-2     0/1       Pending   0         0s
#> web-2     0/1       ContainerCreating   0         0s
#> web-2     1/1       Running   0         19s
#> web-3     0/1       Pending   0         0s
#> web-3     0/1       Pending   0         0s
#> web-3     0/1       ContainerCreating   0         0s
#> web-3     1/1       Running   0         18s
#> web-4     0/1       Pending   0         0s
#> web-4     0/1       Pending   0         0s
#> web-4     0/1       ContainerCreating   0         0s
#> web-4     1/1       Running   0         19s
# Scaling down.
kubectl patch sts web -p '{"spec":{"replicas":3}}'
#> statefulset.apps/web patched
# SIM: one terminal (see above); the page's watch was started while web-4 was still starting.
kubectl get pods --watch -l app=nginx
#> NAME      READY     STATUS              RESTARTS   AGE
#> web-0     1/1       Running             0          3h
#> web-1     1/1       Running             0          3h
#> web-2     1/1       Running             0          55s
#> web-3     1/1       Running             0          36s
#> web-4     0/1       ContainerCreating   0          18s
#> NAME      READY     STATUS    RESTARTS   AGE
#> web-4     1/1       Running   0          19s
#> web-4     1/1       Terminating   0         24s
#> web-4     1/1       Terminating   0         24s
#> web-3     1/1       Terminating   0         42s
#> web-3     1/1       Terminating   0         42s
# SIM: the page's sample is from kubectl 1.5 (ACCESSMODES, no STORAGECLASS or
# VOLUMEATTRIBUTESCLASS columns) on a cluster 13 hours old.
kubectl get pvc -l app=nginx
#> NAME        STATUS    VOLUME                                     CAPACITY   ACCESSMODES   AGE
#> www-web-0   Bound     pvc-15c268c7-b507-11e6-932f-42010a800002   1Gi        RWO           13h
#> www-web-1   Bound     pvc-15c79307-b507-11e6-932f-42010a800002   1Gi        RWO           13h
#> www-web-2   Bound     pvc-e1125b27-b508-11e6-932f-42010a800002   1Gi        RWO           13h
#> www-web-3   Bound     pvc-e1176df6-b508-11e6-932f-42010a800002   1Gi        RWO           13h
#> www-web-4   Bound     pvc-e11bb5f8-b508-11e6-932f-42010a800002   1Gi        RWO           13h
# Rolling update.
kubectl patch statefulset web --type='json' -p='[{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value":"registry.k8s.io/nginx-slim:0.24"}]'
#> statefulset.apps/web patched
# SIM: one terminal: the watch starts after the patch; the page shows each pod's Terminating rows.
kubectl get pod -l app=nginx --watch
#> NAME      READY     STATUS    RESTARTS   AGE
#> web-0     1/1       Running   0          7m
#> web-1     1/1       Running   0          7m
#> web-2     1/1       Running   0          8m
#> web-2     1/1       Terminating   0         8m
#> web-2     1/1       Terminating   0         8m
#> web-2     0/1       Terminating   0         8m
#> web-2     0/1       Terminating   0         8m
#> web-2     0/1       Terminating   0         8m
#> web-2     0/1       Terminating   0         8m
#> web-2     0/1       Pending   0         0s
#> web-2     0/1       Pending   0         0s
#> web-2     0/1       ContainerCreating   0         0s
#> web-2     1/1       Running   0         19s
#> web-1     1/1       Terminating   0         8m
#> web-1     0/1       Terminating   0         8m
#> web-1     0/1       Terminating   0         8m
#> web-1     0/1       Terminating   0         8m
#> web-1     0/1       Pending   0         0s
#> web-1     0/1       Pending   0         0s
#> web-1     0/1       ContainerCreating   0         0s
#> web-1     1/1       Running   0         6s
#> web-0     1/1       Terminating   0         7m
#> web-0     1/1       Terminating   0         7m
#> web-0     0/1       Terminating   0         7m
#> web-0     0/1       Terminating   0         7m
#> web-0     0/1       Terminating   0         7m
#> web-0     0/1       Terminating   0         7m
#> web-0     0/1       Pending   0         0s
#> web-0     0/1       Pending   0         0s
#> web-0     0/1       ContainerCreating   0         0s
#> web-0     1/1       Running   0         10s
for p in 0 1 2; do kubectl get pod "web-$p" --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'; echo; done
#> registry.k8s.io/nginx-slim:0.24
#> registry.k8s.io/nginx-slim:0.24
#> registry.k8s.io/nginx-slim:0.24
# Staging an update.
kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":3}}}}'
#> statefulset.apps/web patched
kubectl patch statefulset web --type='json' -p='[{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value":"registry.k8s.io/nginx-slim:0.21"}]'
#> statefulset.apps/web patched
kubectl delete pod web-2
#> pod "web-2" deleted
# SIM: one terminal: the watch starts after the delete returned.
kubectl get pod -l app=nginx --watch
#> NAME      READY     STATUS              RESTARTS   AGE
#> web-0     1/1       Running             0          4m
#> web-1     1/1       Running             0          4m
#> web-2     0/1       ContainerCreating   0          11s
#> web-2     1/1       Running   0         18s
kubectl get pod web-2 --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'
#> registry.k8s.io/nginx-slim:0.24
# Rolling out a canary.
kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}}}}'
#> statefulset.apps/web patched
# SIM: one terminal: the watch starts after the patch.
kubectl get pod -l app=nginx --watch
#> NAME      READY     STATUS              RESTARTS   AGE
#> web-0     1/1       Running             0          4m
#> web-1     1/1       Running             0          4m
#> web-2     0/1       ContainerCreating   0          11s
#> web-2     1/1       Running   0         18s
kubectl get pod web-2 --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'
#> registry.k8s.io/nginx-slim:0.21
kubectl delete pod web-1
#> pod "web-1" deleted
# SIM: one terminal: the watch starts after the delete returned.
kubectl get pod -l app=nginx --watch
#> NAME      READY     STATUS        RESTARTS   AGE
#> web-0     1/1       Running       0          6m
#> web-1     0/1       Terminating   0          6m
#> web-2     1/1       Running       0          2m
#> web-1     0/1       Terminating   0         6m
#> web-1     0/1       Terminating   0         6m
#> web-1     0/1       Terminating   0         6m
#> web-1     0/1       Pending   0         0s
#> web-1     0/1       Pending   0         0s
#> web-1     0/1       ContainerCreating   0         0s
#> web-1     1/1       Running   0         18s
kubectl get pod web-1 --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'
#> registry.k8s.io/nginx-slim:0.24
# Phased roll outs.
kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":0}}}}'
#> statefulset.apps/web patched
# SIM: one terminal: the watch starts after the patch.
kubectl get pod -l app=nginx --watch
#> NAME      READY     STATUS              RESTARTS   AGE
#> web-0     1/1       Running             0          3m
#> web-1     0/1       ContainerCreating   0          11s
#> web-2     1/1       Running             0          2m
#> web-1     1/1       Running   0         18s
#> web-0     1/1       Terminating   0         3m
#> web-0     1/1       Terminating   0         3m
#> web-0     0/1       Terminating   0         3m
#> web-0     0/1       Terminating   0         3m
#> web-0     0/1       Terminating   0         3m
#> web-0     0/1       Terminating   0         3m
#> web-0     0/1       Pending   0         0s
#> web-0     0/1       Pending   0         0s
#> web-0     0/1       ContainerCreating   0         0s
#> web-0     1/1       Running   0         3s
for p in 0 1 2; do kubectl get pod "web-$p" --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'; echo; done
#> registry.k8s.io/nginx-slim:0.21
#> registry.k8s.io/nginx-slim:0.21
#> registry.k8s.io/nginx-slim:0.21
# OnDelete.
kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"OnDelete"}}}'
#> statefulset.apps/web patched
# Non-cascading delete.
kubectl delete statefulset web --cascade=orphan
#> statefulset.apps "web" deleted
kubectl get pods -l app=nginx
#> NAME      READY     STATUS    RESTARTS   AGE
#> web-0     1/1       Running   0          6m
#> web-1     1/1       Running   0          7m
#> web-2     1/1       Running   0          5m
kubectl delete pod web-0
#> pod "web-0" deleted
kubectl get pods -l app=nginx
#> NAME      READY     STATUS    RESTARTS   AGE
#> web-1     1/1       Running   0          10m
#> web-2     1/1       Running   0          7m
# SIM: kubectl apply prints the objects in the file's order (the Service first); the page's
# sample lists the StatefulSet first.
kubectl apply -f https://k8s.io/examples/application/web/web.yaml
#> statefulset.apps/web created
#> service/nginx unchanged
# SIM: one terminal: the watch starts after the apply.
kubectl get pods --watch -l app=nginx
#> NAME      READY     STATUS    RESTARTS   AGE
#> web-1     1/1       Running   0          16m
#> web-2     1/1       Running   0          2m
#> NAME      READY     STATUS    RESTARTS   AGE
#> web-0     0/1       Pending   0          0s
#> web-0     0/1       Pending   0         0s
#> web-0     0/1       ContainerCreating   0         0s
#> web-0     1/1       Running   0         18s
#> web-2     1/1       Terminating   0         3m
#> web-2     0/1       Terminating   0         3m
#> web-2     0/1       Terminating   0         3m
#> web-2     0/1       Terminating   0         3m
for i in 0 1; do kubectl exec -i -t "web-$i" -- curl http://localhost/; done
#> web-0
#> web-1
# Cascading delete.
kubectl delete statefulset web
#> statefulset.apps "web" deleted
# SIM: one terminal: kubectl delete returns once the set is gone; the watch that starts then
# sees the pods already terminating.
kubectl get pods --watch -l app=nginx
#> NAME      READY     STATUS    RESTARTS   AGE
#> web-0     1/1       Running   0          11m
#> web-1     1/1       Running   0          27m
#> NAME      READY     STATUS        RESTARTS   AGE
#> web-0     1/1       Terminating   0          12m
#> web-1     1/1       Terminating   0         29m
#> web-0     0/1       Terminating   0         12m
#> web-0     0/1       Terminating   0         12m
#> web-0     0/1       Terminating   0         12m
#> web-1     0/1       Terminating   0         29m
#> web-1     0/1       Terminating   0         29m
#> web-1     0/1       Terminating   0         29m
kubectl delete service nginx
#> service "nginx" deleted
kubectl apply -f https://k8s.io/examples/application/web/web.yaml
#> service/nginx created
#> statefulset.apps/web created
kubectl rollout status sts/web
for i in 0 1; do kubectl exec -i -t "web-$i" -- curl http://localhost/; done
#> web-0
#> web-1
kubectl delete service nginx
#> service "nginx" deleted
# SIM: the page's sample is from an old kubectl (`statefulset "web" deleted`); kubectl 1.32
# names the group.
kubectl delete statefulset web
#> statefulset "web" deleted
# Parallel pod management: the same manifest with podManagementPolicy: Parallel.
# SIM: the page's sample was taken with the Service and StatefulSet still there (it skipped the
# delete above); here both are new.
kubectl apply -f https://k8s.io/examples/application/web/web-parallel.yaml
#> service/nginx updated
#> statefulset.apps/web updated
kubectl scale statefulset/web --replicas=5
#> statefulset.apps/web scaled
# SIM: one terminal: the watch starts after the scale.
kubectl get pod -l app=nginx --watch
#> web-3     0/1       Pending   0         0s
#> web-3     0/1       Pending   0         0s
#> web-3     0/1       Pending   0         7s
#> web-3     0/1       ContainerCreating   0         7s
#> web-2     0/1       Pending   0         0s
#> web-4     0/1       Pending   0         0s
#> web-2     1/1       Running   0         8s
#> web-4     0/1       ContainerCreating   0         4s
#> web-3     1/1       Running   0         26s
#> web-4     1/1       Running   0         2s
# Cleaning up.
kubectl delete sts web
kubectl get pod -l app=nginx --watch
kubectl delete svc nginx
# SIM: kubectl 1.32 prints the VOLUMEATTRIBUTESCLASS column (added in 1.29); the page's sample
# is older. The sandbox's claims are younger: its pods start faster than the page's.
kubectl get pvc
#> NAME        STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   AGE
#> www-web-0   Bound    pvc-2bf00408-d366-4a12-bad0-1869c65d0bee   1Gi        RWO            standard       25m
#> www-web-1   Bound    pvc-ba3bfe9c-413e-4b95-a2c0-3ea8a54dbab4   1Gi        RWO            standard       24m
#> www-web-2   Bound    pvc-cba6cfa6-3a47-486b-a138-db5930207eaf   1Gi        RWO            standard       15m
#> www-web-3   Bound    pvc-0c04d7f0-787a-4977-8da3-d9d3a6d8d752   1Gi        RWO            standard       15m
#> www-web-4   Bound    pvc-b2c73489-e70b-4a4e-9ec1-9eab439aa43e   1Gi        RWO            standard       14m
# SIM: as for the claims above.
kubectl get pv
#> NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM               STORAGECLASS   REASON   AGE
#> pvc-0c04d7f0-787a-4977-8da3-d9d3a6d8d752   1Gi        RWO            Delete           Bound    default/www-web-3   standard                15m
#> pvc-2bf00408-d366-4a12-bad0-1869c65d0bee   1Gi        RWO            Delete           Bound    default/www-web-0   standard                25m
#> pvc-b2c73489-e70b-4a4e-9ec1-9eab439aa43e   1Gi        RWO            Delete           Bound    default/www-web-4   standard                14m
#> pvc-ba3bfe9c-413e-4b95-a2c0-3ea8a54dbab4   1Gi        RWO            Delete           Bound    default/www-web-1   standard                24m
#> pvc-cba6cfa6-3a47-486b-a138-db5930207eaf   1Gi        RWO            Delete           Bound    default/www-web-2   standard                15m
kubectl delete pvc www-web-0 www-web-1 www-web-2 www-web-3 www-web-4
#> persistentvolumeclaim "www-web-0" deleted
#> persistentvolumeclaim "www-web-1" deleted
#> persistentvolumeclaim "www-web-2" deleted
#> persistentvolumeclaim "www-web-3" deleted
#> persistentvolumeclaim "www-web-4" deleted
kubectl get pvc
#> No resources found in default namespace.
