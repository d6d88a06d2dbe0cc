# A container that keeps failing: restarts with growing back-off.
kubectl run crash --image=busybox:1.36 -- sh -c 'echo starting; sleep 2; echo failing; exit 1'
sleep 5
kubectl get pod crash
sleep 60
kubectl get pod crash
kubectl logs crash --previous
kubectl get pod crash -o jsonpath='{.status.containerStatuses[0].lastState.terminated.exitCode}{"\n"}'
kubectl describe pod crash | grep -E 'Reason|Exit Code|Restart Count'
