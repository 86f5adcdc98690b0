{#- The workload of one service: a Deployment, or a StatefulSet with volumeClaimTemplates, and
    the pod inside it. `c` is the resolved service built by `_service.tpl` (name, namespace,
    merged settings `c.s`, selector and label maps). A release (`_release.tpl`) passes a `c` of
    its own: a track's Deployment, or an Argo Rollout (`c.apiVersion`, `c.s.kind: Rollout` and
    its `c.rolloutStrategy`). -#}
{% import "service/_helpers.tpl" as h %}

{% macro workload(c) -%}
{% set s = c.s %}
---
apiVersion: {{ c.get("apiVersion") or "apps/v1" }}
kind: {{ s.kind }}
metadata:
  name: {{ c.name }}
  namespace: {{ c.ns }}
  {{- h.block("labels", [c.labels]) | nindent(2) }}
  {{- h.block("annotations", [s.annotations, c.commonAnnotations]) | nindent(2) }}
spec:
  {% if s.get("replicas") is not none %}
  replicas: {{ s.replicas }}
  {% endif %}
  {% if s.get("revisionHistoryLimit") is not none %}
  revisionHistoryLimit: {{ s.revisionHistoryLimit }}
  {% endif %}
  {% if s.get("minReadySeconds") is not none %}
  minReadySeconds: {{ s.minReadySeconds }}
  {% endif %}
  selector:
    matchLabels:
      {{- h.kv([c.selector]) | nindent(6) }}
  {% if s.kind == "StatefulSet" %}
  serviceName: {{ c.serviceName }}
  {% if s.get("podManagementPolicy") %}
  podManagementPolicy: {{ s.podManagementPolicy }}
  {% endif %}
  updateStrategy:
    type: {{ s.strategy.type if s.strategy.type in ["RollingUpdate", "OnDelete"] else "RollingUpdate" }}
  {% if s.get("persistentVolumeClaimRetentionPolicy") %}
  persistentVolumeClaimRetentionPolicy:
    {{- s.persistentVolumeClaimRetentionPolicy | toyaml | nindent(4) }}
  {% endif %}
  {% elif c.get("rolloutStrategy") %}
  strategy:
    {{- c.rolloutStrategy | toyaml | nindent(4) }}
  {% else %}
  strategy:
    type: {{ s.strategy.type }}
    {% if s.strategy.type == "RollingUpdate" %}
    rollingUpdate:
      maxSurge: {{ h.scalar(s.strategy.maxSurge) }}
      maxUnavailable: {{ h.scalar(s.strategy.maxUnavailable) }}
    {% endif %}
  {% endif %}
  template:
    metadata:
      labels:
        {{- h.kv([c.podLabels]) | nindent(8) }}
      {{- h.block("annotations", [s.podAnnotations, c.checksums]) | nindent(6) }}
    spec:
      {{- pod(c) | nindent(6) }}
  {% if s.kind == "StatefulSet" and s.volumeClaimTemplates %}
  volumeClaimTemplates:
    {% for claim in s.volumeClaimTemplates %}
    - metadata:
        name: {{ claim.name }}
      spec:
        accessModes: {{ claim.get("accessModes", ["ReadWriteOnce"]) | tojson }}
        {% if claim.get("storageClassName") %}
        storageClassName: {{ claim.storageClassName }}
        {% endif %}
        resources:
          requests:
            storage: {{ claim.size }}
    {% endfor %}
  {% endif %}
{%- endmacro %}

{#- The pod spec. -#}
{% macro pod(c) -%}
{% set s = c.s %}
{% if c.serviceAccountName %}
serviceAccountName: {{ c.serviceAccountName }}
{% endif %}
automountServiceAccountToken: {{ s.automountServiceAccountToken }}
{% if s.imagePullSecrets %}
imagePullSecrets:
  {% for secret in s.imagePullSecrets %}
  - name: {{ secret }}
  {% endfor %}
{% endif %}
{% if s.podSecurityContext %}
securityContext:
  {{- s.podSecurityContext | toyaml | nindent(2) }}
{% endif %}
{% if s.get("terminationGracePeriodSeconds") is not none %}
terminationGracePeriodSeconds: {{ s.terminationGracePeriodSeconds }}
{% endif %}
{% if s.get("priorityClassName") %}
priorityClassName: {{ s.priorityClassName }}
{% endif %}
{% set affinity = affinity_of(c) | fromjson %}
{% if affinity %}
affinity:
  {{- affinity | toyaml | nindent(2) }}
{% endif %}
{% if s.topologySpread %}
topologySpreadConstraints:
  {% for t in s.topologySpread %}
  - maxSkew: {{ t.get("maxSkew", 1) }}
    topologyKey: {{ t.get("topologyKey", "topology.kubernetes.io/zone") }}
    whenUnsatisfiable: {{ t.get("whenUnsatisfiable", "ScheduleAnyway") }}
    labelSelector:
      {{- t.get("labelSelector", {"matchLabels": c.selector}) | toyaml | nindent(6) }}
  {% endfor %}
{% endif %}
{% if s.nodeSelector %}
nodeSelector:
  {{- h.kv([s.nodeSelector]) | nindent(2) }}
{% endif %}
{% if s.tolerations %}
tolerations:
  {{- s.tolerations | toyaml | nindent(2) }}
{% endif %}
{% if s.get("initContainers") %}
initContainers:
  {{- s.initContainers | toyaml | nindent(2) }}
{% endif %}
containers:
  - {{ container(c) | indent(4) | trim }}
{% set volumes = volumes_of(c) | fromjson %}
{% if volumes %}
volumes:
  {{- volumes | toyaml | nindent(2) }}
{% endif %}
{%- endmacro %}

{#- The affinity as JSON: the service's raw `affinity`, plus the pod anti-affinity that
    `podAntiAffinity` describes (spreading the service's own pods over `topologyKey`). -#}
{% macro affinity_of(c) -%}
{% set s = c.s %}
{% set anti = s.podAntiAffinity %}
{% set term = {
  "labelSelector": anti.get("labelSelector") or {"matchLabels": c.selector},
  "topologyKey": anti.topologyKey,
} %}
{% if anti.type == "preferred" %}
{% set generated = {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": anti.weight, "podAffinityTerm": term}]}} %}
{% elif anti.type == "required" %}
{% set generated = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]}} %}
{% else %}
{% set generated = {} %}
{% endif %}
{{ merge(s.get("affinity") or {}, generated) | tojson }}
{%- endmacro %}

{#- The pod's volumes as JSON: the service's own, its ConfigMap when mounted, and an emptyDir
    for /tmp so a read-only root filesystem still has somewhere to write. -#}
{% macro volumes_of(c) -%}
{% set s = c.s %}
{% set extra = [] %}
{% if s.tmpVolume %}
{% set extra = extra + [{"name": "tmp", "emptyDir": {}}] %}
{% endif %}
{% if c.config and c.config.get("mountPath") %}
{% set extra = extra + [{"name": "config", "configMap": {"name": c.configName}}] %}
{% endif %}
{{ (s.volumes + extra) | tojson }}
{%- endmacro %}

{#- The service's one container. -#}
{% macro container(c) -%}
{% set s = c.s %}
name: {{ s.get("containerName") or c.name }}
image: {{ h.image(c.key, s.image) }}
imagePullPolicy: {{ s.image.pullPolicy }}
{% if s.get("command") %}
command: {{ s.command | tojson }}
{% endif %}
{% if s.get("args") %}
args: {{ s.args | tojson }}
{% endif %}
{% if s.get("workingDir") %}
workingDir: {{ s.workingDir }}
{% endif %}
{% if s.ports %}
ports:
  {% for p in s.ports %}
  - name: {{ p.name }}
    containerPort: {{ p.containerPort }}
    protocol: {{ p.get("protocol", "TCP") }}
  {% endfor %}
{% endif %}
{% set live = namespace(env=false) %}
{% for k, v in s.env | items if v is not none %}{% set live.env = true %}{% endfor %}
{% if live.env %}
env:
  {% for k, v in s.env | items %}
  {% if v is not none %}
  - name: {{ k | quote }}
    {% if v is not mapping %}
    value: {{ v | quote }}
    {% elif "value" in v %}
    value: {{ v.value | quote }}
    {% else %}
    valueFrom:
      {{- v | toyaml | nindent(6) }}
    {% endif %}
  {% endif %}
  {% endfor %}
{% endif %}
{% set env_from = s.envFrom + ([{"configMapRef": {"name": c.configName}}] if c.config and c.config.get("envFrom") else []) %}
{% if env_from %}
envFrom:
  {{- env_from | toyaml | nindent(2) }}
{% endif %}
{% if s.resources %}
resources:
  {{- s.resources | toyaml | nindent(2) }}
{% endif %}
{% for kind in ["startup", "liveness", "readiness"] %}
{% if s.probes.get(kind) %}
{{ kind }}Probe:
  {{- probe(s.probes[kind], s.ports[0].containerPort if s.ports else none) | nindent(2) }}
{% endif %}
{% endfor %}
{% if s.get("lifecycle") %}
lifecycle:
  {{- s.lifecycle | toyaml | nindent(2) }}
{% endif %}
{% if s.securityContext %}
securityContext:
  {{- s.securityContext | toyaml | nindent(2) }}
{% endif %}
{% set mounts = s.volumeMounts
  + ([{"name": "tmp", "mountPath": "/tmp"}] if s.tmpVolume else [])
  + ([merge({"subPath": c.config.get("subPath")} if c.config.get("subPath") else {}, {"name": "config", "mountPath": c.config.mountPath, "readOnly": true})] if c.config and c.config.get("mountPath") else []) %}
{% if mounts %}
volumeMounts:
  {{- mounts | toyaml | nindent(2) }}
{% endif %}
{%- endmacro %}

{#- One probe. The handler is `httpGet` (or the `path` shorthand), `tcpSocket`, `grpc` or
    `exec`; a handler's port defaults to the service's first container port. Timings are
    passed through when set. -#}
{% macro probe(p, default_port) -%}
{% if p.get("exec") %}
exec:
  command: {{ p.exec.command | tojson }}
{% elif p.get("tcpSocket") is not none %}
tcpSocket:
  port: {{ h.scalar((p.tcpSocket or {}).get("port", default_port)) }}
{% elif p.get("grpc") is not none %}
grpc:
  port: {{ (p.grpc or {}).get("port", default_port) }}
  {% if (p.grpc or {}).get("service") %}
  service: {{ p.grpc.service | quote }}
  {% endif %}
{% else %}
{% set get = p.get("httpGet") or {"path": p.get("path", "/")} %}
httpGet:
  path: {{ get.get("path", "/") | quote }}
  port: {{ h.scalar(get.get("port", p.get("port", default_port))) }}
  {% if get.get("scheme") %}
  scheme: {{ get.scheme }}
  {% endif %}
  {% if get.get("host") %}
  host: {{ get.host }}
  {% endif %}
  {% if get.get("httpHeaders") %}
  httpHeaders:
    {{- get.httpHeaders | toyaml | nindent(4) }}
  {% endif %}
{% endif %}
{% for timing in ["initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold", "terminationGracePeriodSeconds"] %}
{% if p.get(timing) is not none %}
{{ timing }}: {{ p[timing] }}
{% endif %}
{% endfor %}
{%- endmacro %}
