{#- The library's defaults for one service. Each service is `merge(service, values.defaults,
    these)`: the service's own keys win, then the chart's `defaults`, then these. Only keys
    every service needs live here; optional features (hpa, pdb, ingress, ...) are off until a
    service (or the chart's `defaults`) sets them. The secure settings are the point: non-root,
    read-only root filesystem, no capabilities, no privilege escalation, seccomp RuntimeDefault,
    no service-account token. Each can be overridden per service (e.g.
    `securityContext.readOnlyRootFilesystem: false`). -#}
{% set service_yaml %}
enabled: true
kind: Deployment
image:
  pullPolicy: IfNotPresent
imagePullSecrets: []
strategy:
  type: RollingUpdate
  maxSurge: 25%
  maxUnavailable: 0
labels: {}
annotations: {}
podLabels: {}
podAnnotations: {}
ports: []
env: {}
envFrom: []
resources: {}
probes: {}
podSecurityContext:
  runAsNonRoot: true
  seccompProfile:
    type: RuntimeDefault
securityContext:
  runAsNonRoot: true
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities:
    drop:
      - ALL
automountServiceAccountToken: false
tmpVolume: true
podAntiAffinity:
  type: preferred
  weight: 100
  topologyKey: kubernetes.io/hostname
topologySpread: []
nodeSelector: {}
tolerations: []
volumes: []
volumeMounts: []
volumeClaimTemplates: []
service:
  enabled: true
  type: ClusterIP
{% endset %}
{% set service = service_yaml | fromyaml %}

{#- Chart-level settings that have a default. -#}
{% set chart_yaml %}
namespaces:
  create: false
  labels: {}
  annotations: {}
commonLabels: {}
commonAnnotations: {}
externalSecretApiVersion: external-secrets.io/v1
networkPolicy:
  defaultDeny: false
  ingressController:
    namespace: ingress-nginx
    podLabels:
      app.kubernetes.io/name: ingress-nginx
  prometheus:
    namespace: monitoring
    podLabels:
      app.kubernetes.io/name: prometheus
  dependencies: {}
{% endset %}
{% set chart_settings = chart_yaml | fromyaml %}
