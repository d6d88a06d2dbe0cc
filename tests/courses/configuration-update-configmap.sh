# Updating Configuration via a ConfigMap
# https://kubernetes.io/docs/tutorials/configuration/updating-configuration-via-a-configmap/
kubectl create configmap sport --from-literal=sport=football
kubectl apply -f https://k8s.io/examples/deployments/deployment-with-configmap-as-volume.yaml
sleep 70
kubectl get pods --selector=app.kubernetes.io/name=configmap-volume
#> NAME                                READY   STATUS    RESTARTS   AGE
#> configmap-volume-6b976dfdcf-qxvbm   1/1     Running   0          72s
#> configmap-volume-6b976dfdcf-skpvm   1/1     Running   0          72s
#> configmap-volume-6b976dfdcf-tbc6r   1/1     Running   0          72s
# SIM: the page's sample was taken on another day and shows five lines; the sandbox's clock starts
# on 2025-01-01, and the log has a line every 10 s since the pod started. kubectl prints "Found 3
# pods" on stderr, after the log in this transcript.
kubectl logs deployments/configmap-volume
#> Found 3 pods, using pod/configmap-volume-76d9c5678f-x5rgj
#> Thu Jan  4 14:06:46 UTC 2024 My preferred sport is football
#> Thu Jan  4 14:06:56 UTC 2024 My preferred sport is football
#> Thu Jan  4 14:07:06 UTC 2024 My preferred sport is football
#> Thu Jan  4 14:07:16 UTC 2024 My preferred sport is football
#> Thu Jan  4 14:07:26 UTC 2024 My preferred sport is football
# SIM: the terminal has no editor for `kubectl edit`; the course makes the page's change
# (sport: football → cricket) with `kubectl patch`, which prints "patched" where edit prints "edited".
kubectl patch configmap sport -p '{"data":{"sport":"cricket"}}'
#> configmap/sport edited
sleep 60
# SIM: the page follows the log (--follow) and shows an excerpt around the change; the course reads
# the last five lines a minute after the change (dates as above).
kubectl logs deployments/configmap-volume --tail 5
#> Thu Jan  4 14:11:36 UTC 2024 My preferred sport is football
#> Thu Jan  4 14:11:46 UTC 2024 My preferred sport is football
#> Thu Jan  4 14:11:56 UTC 2024 My preferred sport is football
#> Thu Jan  4 14:12:06 UTC 2024 My preferred sport is cricket
#> Thu Jan  4 14:12:16 UTC 2024 My preferred sport is cricket
kubectl create configmap fruits --from-literal=fruits=apples
kubectl apply -f https://k8s.io/examples/deployments/deployment-with-configmap-as-envvar.yaml
sleep 45
kubectl get pods --selector=app.kubernetes.io/name=configmap-env-var
#> NAME                                 READY   STATUS    RESTARTS   AGE
#> configmap-env-var-59cfc64f7d-74d7z   1/1     Running   0          46s
#> configmap-env-var-59cfc64f7d-c4wmj   1/1     Running   0          46s
#> configmap-env-var-59cfc64f7d-dpr98   1/1     Running   0          46s
# SIM: dates and line count as above.
kubectl logs deployment/configmap-env-var
#> Found 3 pods, using pod/configmap-env-var-7c994f7769-l74nq
#> Thu Jan  4 16:07:06 UTC 2024 The basket is full of apples
#> Thu Jan  4 16:07:16 UTC 2024 The basket is full of apples
#> Thu Jan  4 16:07:26 UTC 2024 The basket is full of apples
# SIM: no editor (see above).
kubectl patch configmap fruits -p '{"data":{"fruits":"mangoes"}}'
#> configmap/fruits edited
sleep 60
# SIM: as above (the page follows the log); the value stays apples, as the page says.
kubectl logs deployments/configmap-env-var --tail 4
#> Thu Jan  4 16:12:56 UTC 2024 The basket is full of apples
#> Thu Jan  4 16:13:06 UTC 2024 The basket is full of apples
#> Thu Jan  4 16:13:16 UTC 2024 The basket is full of apples
#> Thu Jan  4 16:13:26 UTC 2024 The basket is full of apples
kubectl rollout restart deployment configmap-env-var
kubectl rollout status deployment configmap-env-var --watch=true
kubectl get deployment configmap-env-var
#> NAME                READY   UP-TO-DATE   AVAILABLE   AGE
#> configmap-env-var   3/3     3            3           12m
sleep 30
kubectl get pods --selector=app.kubernetes.io/name=configmap-env-var
#> NAME                                 READY   STATUS        RESTARTS   AGE
#> configmap-env-var-6d94d89bf5-2ph2l   1/1     Running       0          13s
#> configmap-env-var-6d94d89bf5-74twx   1/1     Running       0          8s
#> configmap-env-var-6d94d89bf5-d5vx8   1/1     Running       0          11s
# SIM: dates and line count as above.
kubectl logs deployment/configmap-env-var
#> Found 3 pods, using pod/configmap-env-var-6d9ff89fb6-bzcf6
#> Thu Jan  4 16:30:35 UTC 2024 The basket is full of mangoes
#> Thu Jan  4 16:30:45 UTC 2024 The basket is full of mangoes
#> Thu Jan  4 16:30:55 UTC 2024 The basket is full of mangoes
kubectl create configmap color --from-literal=color=red
kubectl apply -f https://k8s.io/examples/deployments/deployment-with-configmap-two-containers.yaml
sleep 20
kubectl get pods --selector=app.kubernetes.io/name=configmap-two-containers
#> NAME                                        READY   STATUS    RESTARTS   AGE
#> configmap-two-containers-565fb6d4f4-2xhxf   2/2     Running   0          20s
#> configmap-two-containers-565fb6d4f4-g5v4j   2/2     Running   0          20s
#> configmap-two-containers-565fb6d4f4-mzsmf   2/2     Running   0          20s
kubectl expose deployment configmap-two-containers --name=configmap-service --port=8080 --target-port=80
kubectl port-forward service/configmap-service 8080:8080 &
# SIM: the date of the page's sample.
curl http://localhost:8080
#> Fri Jan  5 08:08:22 UTC 2024 My preferred color is red
# SIM: no editor (see above).
kubectl patch configmap color -p '{"data":{"color":"blue"}}'
sleep 60
curl http://localhost:8080
kubectl delete deployment configmap-volume configmap-env-var configmap-two-containers
kubectl delete service configmap-service
kubectl delete configmap sport fruits color
