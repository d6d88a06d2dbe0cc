# A Job that runs to completion, and a CronJob that makes Jobs on schedule.
kubectl create job pi --image=busybox:1.36 -- sh -c 'echo 3.14159; sleep 2'
kubectl wait --for=condition=Complete job/pi --timeout=60s
kubectl get job pi
kubectl logs job/pi
kubectl create cronjob tick --image=busybox:1.36 --schedule='*/1 * * * *' -- date
sleep 125
kubectl get cronjob tick
kubectl get jobs
