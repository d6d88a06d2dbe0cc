//! The example manifests that kubernetes.io's tutorials apply by URL
//! (`kubectl apply -f https://k8s.io/examples/…`, `curl -LO …`), answered offline.
//!
//! SIM: the sandbox has no internet. Each manifest here is the sandbox's own text declaring the
//! objects the tutorial's page relies on — the same kinds, names, labels, images, ports and
//! replicas, so the page's output matches — not a copy of the website's file. A URL not listed
//! here fails as it would without a network.

/// The prefixes under which the website serves its examples (`k8s.io/examples` redirects to
/// kubernetes.io, which serves the repository's `content/en/examples`).
const PREFIXES: &[&str] = &[
    "k8s.io/examples/",
    "kubernetes.io/examples/",
    "www.kubernetes.io/examples/",
    "raw.githubusercontent.com/kubernetes/website/main/content/en/examples/",
    "raw.githubusercontent.com/kubernetes/website/master/content/en/examples/",
    "github.com/kubernetes/website/raw/main/content/en/examples/",
];

/// The manifest served at `url`, if it is one of the examples the sandbox knows.
pub fn lookup(url: &str) -> Option<&'static str> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let path = PREFIXES.iter().find_map(|p| rest.strip_prefix(p))?;
    let path = path.split(['?', '#']).next().unwrap_or(path);
    CATALOGUE.iter().find(|(p, _)| *p == path).map(|(_, text)| *text)
}

/// Every example path the sandbox serves (under `https://k8s.io/examples/`).
pub fn paths() -> impl Iterator<Item = &'static str> {
    CATALOGUE.iter().map(|(p, _)| *p)
}

const CATALOGUE: &[(&str, &str)] = &[
    ("application/deployment.yaml", DEPLOYMENT),
    ("application/deployment-update.yaml", DEPLOYMENT_UPDATE),
    ("application/deployment-scale.yaml", DEPLOYMENT_SCALE),
    ("application/web/web.yaml", WEB_STATEFULSET),
    ("application/web/web-parallel.yaml", WEB_PARALLEL),
    ("application/guestbook/redis-leader-deployment.yaml", REDIS_LEADER_DEPLOYMENT),
    ("application/guestbook/redis-leader-service.yaml", REDIS_LEADER_SERVICE),
    ("application/guestbook/redis-follower-deployment.yaml", REDIS_FOLLOWER_DEPLOYMENT),
    ("application/guestbook/redis-follower-service.yaml", REDIS_FOLLOWER_SERVICE),
    ("application/guestbook/frontend-deployment.yaml", FRONTEND_DEPLOYMENT),
    ("application/guestbook/frontend-service.yaml", FRONTEND_SERVICE),
    ("application/wordpress/mysql-deployment.yaml", WORDPRESS_MYSQL),
    ("application/wordpress/wordpress-deployment.yaml", WORDPRESS),
    ("pods/config/redis-pod.yaml", REDIS_POD),
    ("admin/dns/dnsutils.yaml", DNSUTILS),
    ("service/load-balancer-example.yaml", LOAD_BALANCER_EXAMPLE),
    ("service/networking/run-my-nginx.yaml", RUN_MY_NGINX),
    ("service/networking/example-ingress.yaml", EXAMPLE_INGRESS),
    ("deployments/deployment-with-configmap-as-volume.yaml", CONFIGMAP_VOLUME),
    ("deployments/deployment-with-configmap-as-envvar.yaml", CONFIGMAP_ENV_VAR),
    ("deployments/deployment-with-configmap-two-containers.yaml", CONFIGMAP_TWO_CONTAINERS),
];

/// "Run a Stateless Application Using a Deployment": two nginx pods.
const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
";

/// The same Deployment with a newer nginx.
const DEPLOYMENT_UPDATE: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.16.1
        ports:
        - containerPort: 80
";

/// The same Deployment scaled to four.
const DEPLOYMENT_SCALE: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  replicas: 4
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.16.1
        ports:
        - containerPort: 80
";

/// "StatefulSet Basics": a headless Service and a StatefulSet of two nginx-slim pods, each with
/// a 1Gi claim.
const WEB_STATEFULSET: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  clusterIP: None
  selector:
    app: nginx
  ports:
  - name: web
    port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.7
        ports:
        - name: web
          containerPort: 80
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
";

/// The same, with the pods started and stopped in parallel.
const WEB_PARALLEL: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  clusterIP: None
  selector:
    app: nginx
  ports:
  - name: web
    port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  podManagementPolicy: Parallel
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.7
        ports:
        - name: web
          containerPort: 80
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
";

/// The guestbook's Redis leader.
const REDIS_LEADER_DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis-leader
  labels: {app: redis, role: leader, tier: backend}
spec:
  replicas: 1
  selector:
    matchLabels: {app: redis}
  template:
    metadata:
      labels: {app: redis, role: leader, tier: backend}
    spec:
      containers:
      - name: leader
        image: docker.io/redis:6.0.5
        ports:
        - containerPort: 6379
        resources:
          requests: {cpu: 100m, memory: 100Mi}
";

const REDIS_LEADER_SERVICE: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: redis-leader
  labels: {app: redis, role: leader, tier: backend}
spec:
  selector: {app: redis, role: leader, tier: backend}
  ports:
  - port: 6379
    targetPort: 6379
";

/// The guestbook's two Redis followers.
const REDIS_FOLLOWER_DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis-follower
  labels: {app: redis, role: follower, tier: backend}
spec:
  replicas: 2
  selector:
    matchLabels: {app: redis}
  template:
    metadata:
      labels: {app: redis, role: follower, tier: backend}
    spec:
      containers:
      - name: follower
        image: us-docker.pkg.dev/google-samples/containers/gke/gb-redis-follower:v2
        ports:
        - containerPort: 6379
        resources:
          requests: {cpu: 100m, memory: 100Mi}
";

const REDIS_FOLLOWER_SERVICE: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: redis-follower
  labels: {app: redis, role: follower, tier: backend}
spec:
  selector: {app: redis, role: follower, tier: backend}
  ports:
  - port: 6379
";

/// The guestbook's three PHP frontends.
const FRONTEND_DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
spec:
  replicas: 3
  selector:
    matchLabels: {app: guestbook, tier: frontend}
  template:
    metadata:
      labels: {app: guestbook, tier: frontend}
    spec:
      containers:
      - name: php-redis
        image: us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5
        env:
        - name: GET_HOSTS_FROM
          value: dns
        ports:
        - containerPort: 80
        resources:
          requests: {cpu: 100m, memory: 100Mi}
";

/// The frontend's Service, a ClusterIP (the page says to uncomment `type: LoadBalancer` for an
/// external address).
const FRONTEND_SERVICE: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: frontend
  labels: {app: guestbook, tier: frontend}
spec:
  # type: LoadBalancer
  selector: {app: guestbook, tier: frontend}
  ports:
  - port: 80
";

/// WordPress's MySQL: a headless Service, a 20Gi claim and a Recreate Deployment reading its
/// password from the Secret `mysql-pass` (made by the page's kustomization).
const WORDPRESS_MYSQL: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: wordpress-mysql
  labels: {app: wordpress}
spec:
  clusterIP: None
  selector: {app: wordpress, tier: mysql}
  ports:
  - port: 3306
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: mysql-pv-claim
  labels: {app: wordpress}
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 20Gi
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: wordpress-mysql
  labels: {app: wordpress}
spec:
  strategy:
    type: Recreate
  selector:
    matchLabels: {app: wordpress, tier: mysql}
  template:
    metadata:
      labels: {app: wordpress, tier: mysql}
    spec:
      containers:
      - name: mysql
        image: mysql:8.0
        env:
        - name: MYSQL_ROOT_PASSWORD
          valueFrom:
            secretKeyRef: {name: mysql-pass, key: password}
        - name: MYSQL_DATABASE
          value: wordpress
        - name: MYSQL_USER
          value: wordpress
        - name: MYSQL_PASSWORD
          valueFrom:
            secretKeyRef: {name: mysql-pass, key: password}
        ports:
        - name: mysql
          containerPort: 3306
        volumeMounts:
        - name: mysql-persistent-storage
          mountPath: /var/lib/mysql
      volumes:
      - name: mysql-persistent-storage
        persistentVolumeClaim:
          claimName: mysql-pv-claim
";

/// WordPress itself: a LoadBalancer Service, a 20Gi claim and a Recreate Deployment.
const WORDPRESS: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: wordpress
  labels: {app.kubernetes.io/name: wordpress}
spec:
  type: LoadBalancer
  selector: {app.kubernetes.io/name: wordpress, tier: frontend}
  ports:
  - port: 80
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: wp-pv-claim
  labels: {app.kubernetes.io/name: wordpress}
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 20Gi
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: wordpress
  labels: {app.kubernetes.io/name: wordpress}
spec:
  strategy:
    type: Recreate
  selector:
    matchLabels: {app.kubernetes.io/name: wordpress, tier: frontend}
  template:
    metadata:
      labels: {app.kubernetes.io/name: wordpress, tier: frontend}
    spec:
      containers:
      - name: wordpress
        image: wordpress:6.2.1-apache
        env:
        - name: WORDPRESS_DB_HOST
          value: wordpress-mysql
        - name: WORDPRESS_DB_PASSWORD
          valueFrom:
            secretKeyRef: {name: mysql-pass, key: password}
        - name: WORDPRESS_DB_USER
          value: wordpress
        ports:
        - name: wordpress
          containerPort: 80
        volumeMounts:
        - name: wordpress-persistent-storage
          mountPath: /var/www/html
      volumes:
      - name: wordpress-persistent-storage
        persistentVolumeClaim:
          claimName: wp-pv-claim
";

/// "Configuring Redis using a ConfigMap": a Redis pod reading its config from the ConfigMap
/// `example-redis-config`.
const REDIS_POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: redis
spec:
  containers:
  - name: redis
    image: redis:5
    args: [/usr/local/etc/redis/redis.conf]
    env:
    - name: MASTER
      value: \"true\"
    ports:
    - containerPort: 6379
    resources:
      limits:
        cpu: \"0.1\"
    volumeMounts:
    - name: data
      mountPath: /data
    - name: config
      mountPath: /usr/local/etc/redis
  volumes:
  - name: data
    emptyDir: {}
  - name: config
    configMap:
      name: example-redis-config
      items:
      - key: redis-config
        path: redis.conf
";

/// "Debugging DNS Resolution": a pod with DNS tools.
const DNSUTILS: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: dnsutils
  namespace: default
spec:
  restartPolicy: Always
  containers:
  - name: dnsutils
    image: registry.k8s.io/e2e-test-images/agnhost:2.39
    imagePullPolicy: IfNotPresent
";

/// "Exposing an External IP Address": five hello-app pods.
const LOAD_BALANCER_EXAMPLE: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello-world
  labels:
    app.kubernetes.io/name: load-balancer-example
spec:
  replicas: 5
  selector:
    matchLabels:
      app.kubernetes.io/name: load-balancer-example
  template:
    metadata:
      labels:
        app.kubernetes.io/name: load-balancer-example
    spec:
      containers:
      - name: hello-world
        image: gcr.io/google-samples/hello-app:2.0
        ports:
        - containerPort: 8080
";

/// "Connecting Applications with Services": two nginx pods labelled `run: my-nginx`.
const RUN_MY_NGINX: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-nginx
spec:
  replicas: 2
  selector:
    matchLabels:
      run: my-nginx
  template:
    metadata:
      labels:
        run: my-nginx
    spec:
      containers:
      - name: my-nginx
        image: nginx
        ports:
        - containerPort: 80
";

/// "Set up Ingress on Minikube": host hello-world.example routed to the Service `web`.
const EXAMPLE_INGRESS: &str = "\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: example-ingress
spec:
  ingressClassName: nginx
  rules:
  - host: hello-world.example
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 8080
";

/// "Updating Configuration via a ConfigMap": three alpine pods printing the ConfigMap `sport`
/// as mounted.
const CONFIGMAP_VOLUME: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: configmap-volume
  labels:
    app.kubernetes.io/name: configmap-volume
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: configmap-volume
  template:
    metadata:
      labels:
        app.kubernetes.io/name: configmap-volume
    spec:
      volumes:
      - name: config-volume
        configMap:
          name: sport
      containers:
      - name: alpine
        image: alpine:3
        command:
        - /bin/sh
        - -c
        - 'while true; do echo \"$(date) My preferred sport is $(cat /etc/config/sport)\"; sleep 10; done;'
        ports:
        - containerPort: 80
        volumeMounts:
        - name: config-volume
          mountPath: /etc/config
";

/// Three alpine pods printing the ConfigMap `fruits` as an environment variable.
const CONFIGMAP_ENV_VAR: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: configmap-env-var
  labels:
    app.kubernetes.io/name: configmap-env-var
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: configmap-env-var
  template:
    metadata:
      labels:
        app.kubernetes.io/name: configmap-env-var
    spec:
      containers:
      - name: alpine
        image: alpine:3
        command:
        - /bin/sh
        - -c
        - 'while true; do echo \"$(date) The basket is full of $FRUITS\"; sleep 10; done;'
        env:
        - name: FRUITS
          valueFrom:
            configMapKeyRef:
              name: fruits
              key: fruits
        ports:
        - containerPort: 80
";

/// Three pods of nginx and an alpine helper writing the ConfigMap `color` into the page nginx
/// serves.
const CONFIGMAP_TWO_CONTAINERS: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: configmap-two-containers
  labels:
    app.kubernetes.io/name: configmap-two-containers
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: configmap-two-containers
  template:
    metadata:
      labels:
        app.kubernetes.io/name: configmap-two-containers
    spec:
      containers:
      - name: nginx
        image: nginx
        volumeMounts:
        - name: shared-data
          mountPath: /usr/share/nginx/html
      - name: alpine
        image: alpine:3
        command:
        - /bin/sh
        - -c
        - 'while true; do echo \"$(date) My preferred color is $(cat /etc/config/color)\" > /pod-data/index.html; sleep 10; done;'
        volumeMounts:
        - name: shared-data
          mountPath: /pod-data
        - name: config-volume
          mountPath: /etc/config
      volumes:
      - name: shared-data
        emptyDir: {}
      - name: config-volume
        configMap:
          name: color
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_parses_and_is_found_under_each_prefix() {
        for path in paths() {
            let text = lookup(&format!("https://k8s.io/examples/{path}")).unwrap();
            let objects = crate::manifest::parse(text).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(!objects.is_empty(), "{path}");
            assert_eq!(
                lookup(&format!(
                    "https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/{path}"
                )),
                Some(text)
            );
        }
    }

    #[test]
    fn an_unknown_example_or_host_is_not_served() {
        assert_eq!(lookup("https://k8s.io/examples/pods/simple-pod.yaml"), None);
        assert_eq!(lookup("https://example.com/examples/application/deployment.yaml"), None);
        assert_eq!(lookup("k8s.io/examples/application/deployment.yaml"), None);
    }

    #[test]
    fn the_examples_declare_what_their_tutorials_print() {
        let objects =
            crate::manifest::parse(lookup("https://k8s.io/examples/service/load-balancer-example.yaml").unwrap())
                .unwrap();
        assert_eq!(objects[0].name(), "hello-world");
        let web = crate::manifest::parse(lookup("https://k8s.io/examples/application/web/web.yaml").unwrap()).unwrap();
        let kinds: Vec<_> = web.iter().map(|o| o.kind.as_str()).collect();
        assert_eq!(kinds, ["Service", "StatefulSet"]);
    }
}
