# A stub API server for regenerate.sh: static discovery (and the one Deployment the sim-expose
# files describe), so `kubectl create role`, `kubectl run` and `kubectl expose --dry-run=client` run
# without a cluster. Usage: python3 discovery_stub.py & KUBE_API_PORT=8089 tests/golden/kubectl/regenerate.sh
import json, http.server
R = lambda name, kind, ns, verbs=["get","list","create","update","patch","delete"]: {"name": name, "singularName": "", "namespaced": ns, "kind": kind, "verbs": verbs}
paths = {
 "/api": {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:8089"}]},
 "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
   {"name": g, "versions": [{"groupVersion": g + "/v1", "version": "v1"}], "preferredVersion": {"groupVersion": g + "/v1", "version": "v1"}}
   for g in ["apps", "batch", "rbac.authorization.k8s.io", "networking.k8s.io", "policy", "autoscaling", "scheduling.k8s.io"]]},
 "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1", "resources": [R("pods","Pod",True), R("services","Service",True), R("configmaps","ConfigMap",True), R("secrets","Secret",True), R("namespaces","Namespace",False), R("nodes","Node",False), R("serviceaccounts","ServiceAccount",True), R("replicationcontrollers","ReplicationController",True), R("resourcequotas","ResourceQuota",True)]},
 "/apis/apps/v1": {"kind": "APIResourceList", "groupVersion": "apps/v1", "resources": [R("deployments","Deployment",True), R("replicasets","ReplicaSet",True), R("statefulsets","StatefulSet",True), R("daemonsets","DaemonSet",True)]},
 "/apis/batch/v1": {"kind": "APIResourceList", "groupVersion": "batch/v1", "resources": [R("jobs","Job",True), R("cronjobs","CronJob",True)]},
 "/apis/rbac.authorization.k8s.io/v1": {"kind": "APIResourceList", "groupVersion": "rbac.authorization.k8s.io/v1", "resources": [R("roles","Role",True), R("clusterroles","ClusterRole",False), R("rolebindings","RoleBinding",True), R("clusterrolebindings","ClusterRoleBinding",False)]},
 "/apis/networking.k8s.io/v1": {"kind": "APIResourceList", "groupVersion": "networking.k8s.io/v1", "resources": [R("ingresses","Ingress",True)]},
 "/apis/policy/v1": {"kind": "APIResourceList", "groupVersion": "policy/v1", "resources": [R("poddisruptionbudgets","PodDisruptionBudget",True)]},
 "/apis/autoscaling/v1": {"kind": "APIResourceList", "groupVersion": "autoscaling/v1", "resources": [R("horizontalpodautoscalers","HorizontalPodAutoscaler",True)]},
 "/apis/scheduling.k8s.io/v1": {"kind": "APIResourceList", "groupVersion": "scheduling.k8s.io/v1", "resources": [R("priorityclasses","PriorityClass",False)]},
}
paths["/apis/apps/v1/namespaces/default/deployments/web"] = {"apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
  "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}},
    "spec": {"containers": [{"name": "nginx", "image": "nginx", "ports": [{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 443, "protocol": "TCP"}]}]}}}}
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        p = self.path.split("?")[0]
        body = paths.get(p)
        if body is None:
            self.send_response(404); self.send_header("Content-Type","application/json"); self.end_headers()
            self.wfile.write(json.dumps({"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}).encode()); return
        self.send_response(200); self.send_header("Content-Type","application/json"); self.end_headers()
        self.wfile.write(json.dumps(body).encode())
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", 8089), H).serve_forever()
