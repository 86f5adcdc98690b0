//! What the API server refuses beyond the schema (src/validate/rules/): for each rule, a manifest the API
//! server refuses, with the message bosun gives, and its valid twin, which bosun must accept; a
//! rule violation reported like a schema violation in `render`, `validate` and `lint`; and every
//! chart and environment of the repository still rendering clean.

use crate::{root, run, run_with_stdin};

/// A rule's pair: a manifest the API server refuses, the JSON pointer and a fragment of the
/// message bosun gives, and the valid twin.
struct Case {
    rule: &'static str,
    path: &'static str,
    message: &'static str,
    refused: String,
    valid: String,
}

fn case(
    rule: &'static str,
    path: &'static str,
    message: &'static str,
    refused: impl Into<String>,
    valid: impl Into<String>,
) -> Case {
    Case {
        rule,
        path,
        message,
        refused: refused.into(),
        valid: valid.into(),
    }
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n";

fn pod(body: &str) -> String {
    format!("{POD}{body}")
}

/// A Deployment whose Pod spec is `body` (indented under `spec:`), selecting `app: web`.
fn deployment(extra: &str, body: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n{extra}  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n{body}"
    )
}

const CONTAINER: &str = "      containers:\n      - name: web\n        image: nginx\n";

fn cases() -> Vec<Case> {
    vec![
        case(
            "metadata/name-format",
            "/metadata/name",
            "name `web_1` of a Service: must be a DNS-1123 label",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web_1\nspec:\n  ports:\n  - port: 80\n",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web1\nspec:\n  ports:\n  - port: 80\n",
        ),
        case(
            "metadata/name-format",
            "/metadata/generateName",
            "generateName `Job-` of a ConfigMap: must be a DNS-1123 subdomain",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: Job-\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: job-\n",
        ),
        case(
            "metadata/namespace-format",
            "/metadata/namespace",
            "namespace `Team_A` must be a DNS-1123 label",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: Team_A\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: team-a\n",
        ),
        case(
            "metadata/labels",
            "/metadata/labels/version",
            "value `1.0+build` of label `version` must be letters, digits",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    version: 1.0+build\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    version: 1.0-build\n",
        ),
        case(
            "metadata/annotations",
            "/metadata/annotations/a~1b~1c",
            "annotation key `a/b/c`: may hold at most one `/`",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    a/b/c: x\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    a.io/b-c: x\n",
        ),
        case(
            "pod/containers-required",
            "/spec/containers",
            "a Pod needs at least one container",
            pod("  containers: []\n"),
            pod("  containers:\n  - name: a\n    image: x\n"),
        ),
        case(
            "pod/container-names",
            "/spec/containers/0/name",
            "duplicate container name `a`",
            pod("  initContainers:\n  - name: a\n    image: x\n  containers:\n  - name: a\n    image: x\n"),
            pod("  initContainers:\n  - name: init\n    image: x\n  containers:\n  - name: a\n    image: x\n"),
        ),
        case(
            "pod/image-required",
            "/spec/containers/0/image",
            "`image` is required",
            pod("  containers:\n  - name: a\n"),
            pod("  containers:\n  - name: a\n    image: x\n"),
        ),
        case(
            "pod/container-ports",
            "/spec/containers/0/ports/0/name",
            "port name `http_metrics` must be an IANA service name",
            pod("  containers:\n  - name: a\n    image: x\n    ports:\n    - name: http_metrics\n      containerPort: 9090\n"),
            pod("  containers:\n  - name: a\n    image: x\n    ports:\n    - name: metrics\n      containerPort: 9090\n"),
        ),
        case(
            "pod/env",
            "/spec/containers/0/env/0/valueFrom",
            "`valueFrom` may not be given when `value` is not empty",
            pod("  containers:\n  - name: a\n    image: x\n    env:\n    - name: POD\n      value: x\n      valueFrom:\n        fieldRef:\n          fieldPath: metadata.name\n"),
            pod("  containers:\n  - name: a\n    image: x\n    env:\n    - name: POD\n      valueFrom:\n        fieldRef:\n          fieldPath: metadata.name\n"),
        ),
        case(
            "pod/volumes",
            "/spec/volumes/1/name",
            "duplicate volume name `data`",
            pod("  volumes:\n  - name: data\n    emptyDir: {}\n  - name: data\n    emptyDir: {}\n  containers:\n  - name: a\n    image: x\n"),
            pod("  volumes:\n  - name: data\n    emptyDir: {}\n  - name: cache\n    emptyDir: {}\n  containers:\n  - name: a\n    image: x\n"),
        ),
        case(
            "pod/volume-mounts",
            "/spec/containers/0/volumeMounts/0/name",
            "volume `data` is mounted but not defined in the Pod's `volumes`",
            pod("  containers:\n  - name: a\n    image: x\n    volumeMounts:\n    - name: data\n      mountPath: /data\n"),
            pod("  volumes:\n  - name: data\n    emptyDir: {}\n  containers:\n  - name: a\n    image: x\n    volumeMounts:\n    - name: data\n      mountPath: /data\n"),
        ),
        case(
            "pod/probes",
            "/spec/containers/0/livenessProbe",
            "`livenessProbe` may not specify more than one handler (it has `exec`, `httpGet`)",
            pod("  containers:\n  - name: a\n    image: x\n    livenessProbe:\n      exec:\n        command: [\"true\"]\n      httpGet:\n        port: 80\n"),
            pod("  containers:\n  - name: a\n    image: x\n    livenessProbe:\n      httpGet:\n        port: 80\n"),
        ),
        case(
            "pod/resources",
            "/spec/containers/0/resources/requests/memory",
            "requests.memory `2Gi` must be less than or equal to limits.memory `1Gi`",
            pod("  containers:\n  - name: a\n    image: x\n    resources:\n      requests:\n        memory: 2Gi\n      limits:\n        memory: 1Gi\n"),
            pod("  containers:\n  - name: a\n    image: x\n    resources:\n      requests:\n        memory: 1024Mi\n      limits:\n        memory: 1Gi\n"),
        ),
        case(
            "pod/restart-policy",
            "/spec/template/spec/restartPolicy",
            "restartPolicy `Never` is not allowed here: supported values are `Always`",
            deployment("", &format!("      restartPolicy: Never\n{CONTAINER}")),
            deployment("", &format!("      restartPolicy: Always\n{CONTAINER}")),
        ),
        case(
            "pod/enums",
            "/spec/containers/0/imagePullPolicy",
            "unsupported imagePullPolicy `always`",
            pod("  containers:\n  - name: a\n    image: x\n    imagePullPolicy: always\n"),
            pod("  containers:\n  - name: a\n    image: x\n    imagePullPolicy: Always\n"),
        ),
        case(
            "pod/host-network",
            "/spec/containers/0/ports/0/containerPort",
            "containerPort must match hostPort (8080) when `hostNetwork` is true",
            pod("  hostNetwork: true\n  containers:\n  - name: a\n    image: x\n    ports:\n    - containerPort: 80\n      hostPort: 8080\n"),
            pod("  hostNetwork: true\n  containers:\n  - name: a\n    image: x\n    ports:\n    - containerPort: 8080\n      hostPort: 8080\n"),
        ),
        case(
            "workload/selector",
            "/spec/template/metadata/labels",
            "`selector` does not match template `labels`",
            deployment("", CONTAINER).replace("      app: web\n  template", "      app: api\n  template"),
            deployment("", CONTAINER),
        ),
        case(
            "workload/label-selector",
            "/spec/selector/matchExpressions/0/values",
            "`values` must be non-empty when `operator` is `In` or `NotIn`",
            deployment("", CONTAINER).replace("      app: web\n  template", "      app: web\n    matchExpressions:\n    - key: tier\n      operator: NotIn\n      values: []\n  template"),
            deployment("", CONTAINER).replace("      app: web\n  template", "      app: web\n    matchExpressions:\n    - key: tier\n      operator: NotIn\n      values: [back]\n  template"),
        ),
        case(
            "workload/counts",
            "/spec/replicas",
            "replicas must be greater than or equal to 0 (it is -1)",
            deployment("  replicas: -1\n", CONTAINER),
            deployment("  replicas: 0\n", CONTAINER),
        ),
        case(
            "workload/strategy",
            "/spec/strategy/rollingUpdate/maxUnavailable",
            "maxUnavailable may not be 0 when maxSurge is 0",
            deployment("  strategy:\n    rollingUpdate:\n      maxUnavailable: 0\n      maxSurge: 0\n", CONTAINER),
            deployment("  strategy:\n    rollingUpdate:\n      maxUnavailable: 0\n      maxSurge: 1\n", CONTAINER),
        ),
        case(
            "workload/progress-deadline",
            "/spec/progressDeadlineSeconds",
            "progressDeadlineSeconds (30) must be greater than minReadySeconds (60)",
            deployment("  minReadySeconds: 60\n  progressDeadlineSeconds: 30\n", CONTAINER),
            deployment("  minReadySeconds: 60\n  progressDeadlineSeconds: 600\n", CONTAINER),
        ),
        case(
            "cronjob/schedule",
            "/spec/schedule",
            "schedule `0 0 * * * *` is not a valid cron schedule: expected exactly 5 fields",
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"0 0 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: c\n            image: x\n",
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"0 0 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: c\n            image: x\n",
        ),
        case(
            "workload/enums",
            "/spec/concurrencyPolicy",
            "unsupported concurrencyPolicy `Skip`",
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"@daily\"\n  concurrencyPolicy: Skip\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: x\n",
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"@daily\"\n  concurrencyPolicy: Forbid\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: x\n",
        ),
        case(
            "cronjob/job-template",
            "/spec/jobTemplate/spec/selector",
            "a CronJob's job template may not give `selector`: it will be auto-generated",
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"@daily\"\n  jobTemplate:\n    spec:\n      selector:\n        matchLabels:\n          app: c\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: x\n",
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"@daily\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: x\n",
        ),
        case(
            "cronjob/time-zone",
            "/spec/timeZone",
            "timeZone must be an explicit time zone",
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"@daily\"\n  timeZone: Local\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: x\n",
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"@daily\"\n  timeZone: Europe/Paris\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: x\n",
        ),
        case(
            "job/indexed",
            "/spec/completionMode",
            "`completions` is required when completionMode is `Indexed`",
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  completionMode: Indexed\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: j\n        image: x\n",
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  completionMode: Indexed\n  completions: 3\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: j\n        image: x\n",
        ),
        case(
            "rbac/policy-rules",
            "/rules/0/apiGroups",
            "resource rules must supply at least one api group",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\nrules:\n- resources: [pods]\n  verbs: [get]\n",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\nrules:\n- apiGroups: [\"\"]\n  resources: [pods]\n  verbs: [get]\n",
        ),
        case(
            "rbac/role-ref",
            "/roleRef/kind",
            "unsupported roleRef.kind `Role`: supported values are `ClusterRole`",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: reader\n",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: reader\n",
        ),
        case(
            "rbac/subjects",
            "/subjects/0/namespace",
            "a ServiceAccount subject of a ClusterRoleBinding needs a `namespace`",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: reader\nsubjects:\n- kind: ServiceAccount\n  name: web\n",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: reader\nsubjects:\n- kind: ServiceAccount\n  name: web\n  namespace: shop\n",
        ),
        case(
            "priorityclass/value",
            "/value",
            "the maximum value of a user-defined priority is 1000000000 (it is 2000000000)",
            "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: urgent\nvalue: 2000000000\n",
            "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: urgent\nvalue: 1000000000\n",
        ),
        case(
            "service/ports",
            "/spec/ports/0/name",
            "each port needs a `name` when a Service has more than one",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n  - port: 443\n    name: https\n",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n    name: http\n  - port: 443\n    name: https\n",
        ),
        case(
            "service/type",
            "/spec/externalName",
            "`externalName` is required when `type` is `ExternalName`",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n  externalName: db.example.com\n",
        ),
        case(
            "ingress/backend",
            "/spec/defaultBackend/service/port",
            "a service port needs a `name` or a `number`",
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  defaultBackend:\n    service:\n      name: web\n      port: {}\n",
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n",
        ),
        case(
            "ingress/host",
            "/spec/rules/0/host",
            "host `Shop.Example.com` must be a DNS-1123 subdomain",
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n  - host: Shop.Example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              name: http\n",
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              name: http\n",
        ),
        case(
            "ingress/path",
            "/spec/rules/0/http/paths/0/path",
            "path `api` must be an absolute path",
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n  - http:\n      paths:\n      - path: api\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n",
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /api\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n",
        ),
        case(
            "hpa/replicas",
            "/spec/maxReplicas",
            "maxReplicas (2) must be greater than or equal to minReplicas (4)",
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  minReplicas: 4\n  maxReplicas: 2\n",
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  minReplicas: 2\n  maxReplicas: 4\n",
        ),
        case(
            "hpa/scale-target",
            "/spec/scaleTargetRef/name",
            "scaleTargetRef.name is required",
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    kind: Deployment\n    name: \"\"\n  maxReplicas: 2\n",
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    kind: Deployment\n    name: web\n  maxReplicas: 2\n",
        ),
        case(
            "hpa/metrics",
            "/spec/metrics/0/resource/target/averageUtilization",
            "a resource metric must set a target `averageUtilization` or `averageValue`",
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    kind: Deployment\n    name: web\n  maxReplicas: 2\n  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target:\n        type: Utilization\n",
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    kind: Deployment\n    name: web\n  maxReplicas: 2\n  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target:\n        type: AverageValue\n        averageValue: 500m\n",
        ),
        case(
            "pdb/budget",
            "/spec/maxUnavailable",
            "`minAvailable` and `maxUnavailable` cannot both be set",
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: web\n",
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: web\n",
        ),
        case(
            "networkpolicy/peers",
            "/spec/egress/0/to/0/ipBlock/cidr",
            "cidr `10.0.0.0/33` must be a valid CIDR",
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\nspec:\n  podSelector: {}\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/33\n",
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\nspec:\n  podSelector: {}\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n",
        ),
        case(
            "networkpolicy/ports",
            "/spec/ingress/0/ports/0/endPort",
            "endPort may not be given when `port` is a name",
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\nspec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - port: http\n      endPort: 9000\n",
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\nspec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - port: 8000\n      endPort: 9000\n",
        ),
        case(
            "networkpolicy/policy-types",
            "/spec/policyTypes/0",
            "unsupported policy type `ingress`",
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\nspec:\n  podSelector: {}\n  policyTypes: [ingress]\n",
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n",
        ),
        case(
            "config/keys",
            "/data/app config",
            "key `app config` must be letters, digits, `-`, `_` and `.`",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  app config: x\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  app.config: x\n",
        ),
        case(
            "config/size",
            "/data",
            "a ConfigMap may hold at most 1048576 bytes of data (this one holds 1100000)",
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  big: {}\n", "x".repeat(1_100_000)),
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  big: {}\n", "x".repeat(1_000_000)),
        ),
        case(
            "secret/base64",
            "/data/password",
            "the value of `password` is not valid base64",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: hunter2!\n",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: aHVudGVyMiE=\n",
        ),
        case(
            "secret/type-keys",
            "/stringData",
            "a Secret of type `kubernetes.io/tls` needs the key `tls.key`",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: x\n",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: x\n  tls.key: k\n",
        ),
        case(
            "pvc/access-modes",
            "/spec/accessModes",
            "`ReadWriteOncePod` may not be combined with other access modes",
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOncePod, ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n",
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOncePod]\n  resources:\n    requests:\n      storage: 1Gi\n",
        ),
        case(
            "pvc/storage",
            "/spec/resources/requests/storage",
            "storage `10GB` must be a quantity",
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 10GB\n",
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 10G\n",
        ),
    ]
}

/// The verdict of `bosun validate -o json -` on one manifest: (exit code, its errors).
fn verdict(manifest: &str) -> (i32, Vec<serde_json::Value>) {
    let (code, stdout, stderr) =
        run_with_stdin(["validate", "-o", "json", "-"], manifest.as_bytes());
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stdout}{stderr}"));
    let errors = report["resources"][0]["errors"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    (code, errors)
}

#[test]
fn each_rule_refuses_what_the_api_server_refuses_and_accepts_the_valid_twin() {
    let mut covered = std::collections::BTreeSet::new();
    for case in cases() {
        let (refused, valid) = (case.refused.as_str(), case.valid.as_str());
        let (code, errors) = verdict(refused);
        assert_eq!(code, 1, "{}: not refused:\n{refused}", case.rule);
        let message = format!("{} (rule `{}`)", case.message, case.rule);
        assert!(
            errors.iter().any(|e| e["path"] == case.path
                && e["message"]
                    .as_str()
                    .is_some_and(|m| m.contains(case.message)
                        && m.ends_with(&format!("(rule `{}`)", case.rule)))
                && e["line"].as_u64().is_some_and(|l| l > 1)),
            "{}: no error at {} saying {message:?}: {errors:#?}",
            case.rule,
            case.path
        );
        let (code, errors) = verdict(valid);
        assert_eq!(
            (code, errors.len()),
            (0, 0),
            "{}: valid twin refused: {errors:#?}\n{valid}",
            case.rule
        );
        covered.insert(case.rule);
    }
    // Every rule has its pair here.
    let all: std::collections::BTreeSet<&str> =
        bosun::validate::rules::all().iter().map(|r| r.id).collect();
    let missing: Vec<_> = all.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "rules without a refused/valid pair: {missing:?}"
    );
}

#[test]
fn a_secret_value_never_appears_in_a_rule_message() {
    let (_, stdout, stderr) = run_with_stdin(
        ["validate", "-"],
        b"apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: hunter2!\n",
    );
    assert!(stdout.contains("is not valid base64"), "{stdout}{stderr}");
    assert!(
        !stdout.contains("hunter2") && !stderr.contains("hunter2"),
        "{stdout}{stderr}"
    );
}

/// A chart whose Deployment's selector misses its template labels.
fn chart_with_a_selector_mismatch(dir: &std::path::Path) {
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: mismatch\nengine: jinja\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(dir.join("values.yaml"), "app: api\n").unwrap();
    std::fs::write(
        dir.join("templates/deployment.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: {{ values.app }}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n",
    )
    .unwrap();
}

#[test]
fn render_and_lint_report_a_rule_like_a_schema_violation_with_the_rendered_line() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("mismatch");
    chart_with_a_selector_mismatch(&chart);
    let (code, stdout, stderr) = run(["render", chart.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("mismatch/templates/deployment.yaml:11 - Deployment web is invalid at `/spec/template/metadata/labels`: `selector` does not match template `labels`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("templates/deployment.yaml (rendered):11:7"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the API server refuses this (rule `workload/selector`"),
        "{stderr}"
    );
    // `bosun lint` reports it as a finding of rule `schema`, with the others.
    let (code, stdout, stderr) = run(["lint", chart.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(
        stdout.contains("error[schema] Deployment web (mismatch/templates/deployment.yaml): `selector` does not match template `labels`"),
        "{stdout}{stderr}"
    );
    // The same chart with matching labels renders.
    std::fs::write(chart.join("values.yaml"), "app: web\n").unwrap();
    let (code, _, stderr) = run(["render", chart.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
}

/// Every chart and environment in the repository that rendered before the rules still renders:
/// a valid manifest refused offline is worse than a miss.
#[test]
fn every_chart_and_environment_still_renders_clean() {
    let mut charts: Vec<String> = Vec::new();
    for folder in ["charts", "tests/fixtures/charts"] {
        for entry in std::fs::read_dir(root().join(folder)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            charts.push(format!("{folder}/{name}"));
        }
    }
    // The fixtures meant to render; the others (err_*, hostile_render, files_symlink, quoting,
    // lint) fail on purpose or need flags of their own.
    let renders = |chart: &str| {
        chart.starts_with("charts/")
            || ["long-names", "many", "secret", "service-features"]
                .iter()
                .any(|f| chart.ends_with(&format!("/{f}")))
    };
    charts.retain(|c| renders(c));
    charts.sort();
    assert!(charts.len() >= 10, "{charts:?}");
    let mut failures = Vec::new();
    for chart in &charts {
        for env in [None, Some("dev"), Some("staging"), Some("production")] {
            let mut args = vec!["render", chart.as_str()];
            if let Some(env) = env {
                args.extend(["--env", env]);
            }
            let (code, _, stderr) = run(&args);
            if code != 0 {
                failures.push(format!("{args:?}: {stderr}"));
            }
        }
        let (code, _, stderr) = run(["render", chart.as_str(), "--include-crds"]);
        if code != 0 {
            failures.push(format!("{chart} --include-crds: {stderr}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
