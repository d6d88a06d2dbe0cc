# Accessing the Kubernetes API from a Pod (the "Without using a proxy" steps), then what an
# RBAC course does next: the pod's ServiceAccount is refused pods until a Role grants them.
# https://kubernetes.io/docs/tasks/run-application/access-api-from-pod/
# The page's steps run inside a pod; the learner starts one with curl in its image.
kubectl run api-client --image=nginx:1.27
kubectl wait --for=condition=Ready pod/api-client
kubectl exec -it api-client -- bash
APISERVER=https://kubernetes.default.svc
SERVICEACCOUNT=/var/run/secrets/kubernetes.io/serviceaccount
NAMESPACE=$(cat ${SERVICEACCOUNT}/namespace)
TOKEN=$(cat ${SERVICEACCOUNT}/token)
CACERT=${SERVICEACCOUNT}/ca.crt
# SIM: the page's sample is from a cluster whose API server listens at 10.0.1.149:443.
curl --cacert ${CACERT} --header "Authorization: Bearer ${TOKEN}" -X GET ${APISERVER}/api
#> {
#>   "kind": "APIVersions",
#>   "versions": [
#>     "v1"
#>   ],
#>   "serverAddressByClientCIDRs": [
#>     {
#>       "clientCIDR": "0.0.0.0/0",
#>       "serverAddress": "10.0.1.149:443"
#>     }
#>   ]
#> }
curl --cacert ${CACERT} --header "Authorization: Bearer ${TOKEN}" ${APISERVER}/api/v1/namespaces/${NAMESPACE}/pods
curl -s ${APISERVER}/api/v1/namespaces/${NAMESPACE}/pods
curl -sk ${APISERVER}/api/v1/namespaces/${NAMESPACE}/pods
exit
kubectl create role pod-reader --verb=get,list --resource=pods
kubectl create rolebinding read-pods --role=pod-reader --serviceaccount=default:default
kubectl auth can-i list pods --as=system:serviceaccount:default:default
#> yes
kubectl exec api-client -- sh -c 'curl -s --cacert /var/run/secrets/kubernetes.io/serviceaccount/ca.crt -H "Authorization: Bearer $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)" https://kubernetes.default.svc/api/v1/namespaces/default/pods | grep -c "\"kind\": \"Pod\""'
