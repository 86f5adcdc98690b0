{#- How traffic reaches a service: its Service, Ingresses (one per service, or one shared by
    several), and NetworkPolicies. -#}
{% import "service/_helpers.tpl" as h %}

{#- The service's Service. Ports come from the container ports: `servicePort` (default: the
    container port) to `targetPort` = the container port number. A StatefulSet's Service is
    headless unless `service.headless: false`. -#}
{% macro service(c) -%}
{% set s = c.s %}
{% set svc = s.service %}
{% set headless = svc.get("headless", s.kind == "StatefulSet") %}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ c.serviceName }}
  namespace: {{ c.ns }}
  {{- h.block("labels", [c.labels, svc.get("labels")]) | nindent(2) }}
  {{- h.block("annotations", [svc.get("annotations"), c.commonAnnotations]) | nindent(2) }}
spec:
  type: {{ svc.type }}
  {% if headless %}
  clusterIP: None
  {% endif %}
  {% for key in ["externalTrafficPolicy", "internalTrafficPolicy", "loadBalancerClass", "sessionAffinity", "publishNotReadyAddresses"] %}
  {% if svc.get(key) is not none %}
  {{ key }}: {{ h.scalar(svc[key]) }}
  {% endif %}
  {% endfor %}
  {% if svc.get("loadBalancerSourceRanges") %}
  loadBalancerSourceRanges: {{ svc.loadBalancerSourceRanges | tojson }}
  {% endif %}
  selector:
    {{- h.kv([c.selector]) | nindent(4) }}
  ports:
    {% for p in s.ports if p.get("servicePort", p.containerPort) is not none %}
    - name: {{ p.name }}
      port: {{ p.get("servicePort", p.containerPort) }}
      targetPort: {{ p.containerPort }}
      protocol: {{ p.get("protocol", "TCP") }}
      {% if p.get("nodePort") and svc.type in ["NodePort", "LoadBalancer"] %}
      nodePort: {{ p.nodePort }}
      {% endif %}
      {% if p.get("appProtocol") %}
      appProtocol: {{ p.appProtocol }}
      {% endif %}
    {% endfor %}
{%- endmacro %}

{#- The annotations an Ingress spec asks for: its own, cert-manager's issuer, and the nginx
    shorthand (`nginx.sslRedirect` -> `nginx.ingress.kubernetes.io/ssl-redirect`, ...). -#}
{% macro ingress_annotations(spec) -%}
{% set tls = spec.get("tls") or {} %}
{% set nginx = spec.get("nginx") or {} %}
{% set prefix = "nginx.ingress.kubernetes.io/" %}
{% set acc = namespace(generated={}) %}
{% if tls.get("clusterIssuer") %}
{% set acc.generated = merge({"cert-manager.io/cluster-issuer": tls.clusterIssuer}, acc.generated) %}
{% endif %}
{% for key, annotation in [
  ("sslRedirect", "ssl-redirect"), ("forceSslRedirect", "force-ssl-redirect"),
  ("proxyBodySize", "proxy-body-size"), ("rewriteTarget", "rewrite-target"),
  ("backendProtocol", "backend-protocol"), ("proxyReadTimeout", "proxy-read-timeout"),
  ("proxySendTimeout", "proxy-send-timeout"), ("useRegex", "use-regex"),
  ("whitelistSourceRange", "whitelist-source-range")] %}
{% if nginx.get(key) is not none %}
{% set acc.generated = merge({prefix ~ annotation: nginx[key] | quote | fromjson}, acc.generated) %}
{% endif %}
{% endfor %}
{% set limits = nginx.get("rateLimit") or {} %}
{% for key, annotation in [("rps", "limit-rps"), ("rpm", "limit-rpm"), ("connections", "limit-connections"), ("burstMultiplier", "limit-burst-multiplier")] %}
{% if limits.get(key) is not none %}
{% set acc.generated = merge({prefix ~ annotation: limits[key] | quote | fromjson}, acc.generated) %}
{% endif %}
{% endfor %}
{% set cors = nginx.get("cors") or {} %}
{% if cors %}
{% set acc.generated = merge({prefix ~ "enable-cors": "true"}, acc.generated) %}
{% for key, annotation in [("allowOrigin", "cors-allow-origin"), ("allowMethods", "cors-allow-methods"), ("allowHeaders", "cors-allow-headers"), ("allowCredentials", "cors-allow-credentials"), ("exposeHeaders", "cors-expose-headers"), ("maxAge", "cors-max-age")] %}
{% if cors.get(key) is not none %}
{% set acc.generated = merge({prefix ~ annotation: cors[key] | quote | fromjson}, acc.generated) %}
{% endif %}
{% endfor %}
{% endif %}
{{ h.kv([spec.get("annotations"), acc.generated]) }}
{%- endmacro %}

{#- One Ingress. `spec.rules[].paths[].service` names a service of this chart (by its key in
    `services`); a per-service Ingress defaults it to its own service. Kubernetes routes an
    Ingress only to Services in its own namespace, so a path to a service elsewhere is an
    error rather than an Ingress that silently 503s. -#}
{% macro ingress(name, ns, spec, resolved, default_service, labels, common_annotations) -%}
{% set tls = spec.get("tls") or {} %}
{% set hosts = spec.rules | map(attribute="host") | list %}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ name }}
  namespace: {{ ns }}
  {{- h.block("labels", [labels, spec.get("labels")]) | nindent(2) }}
  {% set annotations = ingress_annotations(spec) | trim %}
  {% if annotations or common_annotations %}
  annotations:
    {{- annotations | nindent(4) }}
    {{- h.kv([common_annotations]) | nindent(4) }}
  {% endif %}
spec:
  {% if spec.get("className") %}
  ingressClassName: {{ spec.className }}
  {% endif %}
  {% if tls.get("secretName") %}
  tls:
    - hosts: {{ (tls.get("hosts") or hosts) | tojson }}
      secretName: {{ tls.secretName }}
  {% endif %}
  rules:
    {% for rule in spec.rules %}
    - host: {{ rule.host | quote }}
      http:
        paths:
          {% for path in rule.paths %}
          {% set target_key = path.get("service") or default_service %}
          {% if target_key not in resolved %}
          {{ fail("ingress `" ~ name ~ "`: path `" ~ path.path ~ "` routes to `" ~ target_key ~ "`, which is not an enabled service of this chart") }}
          {% endif %}
          {% set target = resolved[target_key] %}
          {% if target.ns != ns %}
          {{ fail("ingress `" ~ name ~ "` in namespace `" ~ ns ~ "` routes to service `" ~ target_key ~ "` in namespace `" ~ target.ns ~ "`: an Ingress can only reach Services in its own namespace; give that service its own `ingress` (controllers such as nginx and Kong merge Ingresses that share a host)") }}
          {% endif %}
          - path: {{ path.path | quote }}
            pathType: {{ path.get("pathType", "Prefix") }}
            backend:
              service:
                name: {{ target.serviceName }}
                port:
                  {% if path.get("port") is string %}
                  name: {{ path.port }}
                  {% else %}
                  number: {{ path.get("port") or target.servicePort }}
                  {% endif %}
          {% endfor %}
    {% endfor %}
{%- endmacro %}

{#- The NetworkPolicy of one service: ingress from the controller, Prometheus and named
    services; egress to DNS, HTTPS, named services and named dependencies (databases,
    brokers). -#}
{% macro network_policy(c, cfg, resolved) -%}
{% set s = c.s %}
{% set np = s.networkPolicy %}
{% set defaults = cfg.networkPolicy %}
{% set own_ports = s.ports | map(attribute="containerPort") | list %}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ np.get("name") or c.name }}
  namespace: {{ c.ns }}
  {{- h.block("labels", [c.labels]) | nindent(2) }}
spec:
  podSelector:
    matchLabels:
      {{- h.kv([c.selector]) | nindent(6) }}
  policyTypes:
    - Ingress
    - Egress
  ingress:
    {% if np.get("fromIngressController", false) %}
    - from:
        - {{ peer(defaults.ingressController.namespace, defaults.ingressController.podLabels) | indent(10) | trim }}
      {{- ports(own_ports) | nindent(6) }}
    {% endif %}
    {% if np.get("fromPrometheus", false) %}
    - from:
        - {{ peer(defaults.prometheus.namespace, defaults.prometheus.podLabels) | indent(10) | trim }}
      {{- ports(own_ports) | nindent(6) }}
    {% endif %}
    {% for other in np.get("fromServices", []) %}
    {% if other not in resolved %}
    {{ fail("services." ~ c.key ~ ".networkPolicy.fromServices: `" ~ other ~ "` is not an enabled service of this chart") }}
    {% endif %}
    - from:
        - {{ peer(resolved[other].ns, resolved[other].selector) | indent(10) | trim }}
      {{- ports(own_ports) | nindent(6) }}
    {% endfor %}
    {% if np.get("ingress") %}
    {{- np.ingress | toyaml | nindent(4) }}
    {% endif %}
  egress:
    {% if np.get("dns", true) %}
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    {% endif %}
    {% if np.get("https", false) %}
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
      ports:
        - port: 443
          protocol: TCP
    {% endif %}
    {% for other in np.get("toServices", []) %}
    {% if other not in resolved %}
    {{ fail("services." ~ c.key ~ ".networkPolicy.toServices: `" ~ other ~ "` is not an enabled service of this chart") }}
    {% endif %}
    - to:
        - {{ peer(resolved[other].ns, resolved[other].selector) | indent(10) | trim }}
      {{- ports(resolved[other].s.ports | map(attribute="containerPort") | list) | nindent(6) }}
    {% endfor %}
    {% for dep in np.get("toDependencies", []) %}
    {% if dep not in defaults.dependencies %}
    {{ fail("services." ~ c.key ~ ".networkPolicy.toDependencies: `" ~ dep ~ "` is not listed in networkPolicy.dependencies") }}
    {% endif %}
    {% set d = defaults.dependencies[dep] %}
    - to:
        - {{ peer(d.get("namespace") or c.ns, d.podLabels) | indent(10) | trim }}
      {{- ports(d.ports) | nindent(6) }}
    {% endfor %}
    {% if np.get("egress") %}
    {{- np.egress | toyaml | nindent(4) }}
    {% endif %}
{%- endmacro %}

{#- A NetworkPolicy peer: pods with `labels` in namespace `ns`. -#}
{% macro peer(ns, labels) -%}
namespaceSelector:
  matchLabels:
    kubernetes.io/metadata.name: {{ ns }}
podSelector:
  matchLabels:
    {{- h.kv([labels]) | nindent(4) }}
{%- endmacro %}

{#- The `ports:` of a NetworkPolicy rule, TCP. -#}
{% macro ports(numbers) -%}
{% if numbers %}
ports:
  {% for n in numbers %}
  - port: {{ n }}
    protocol: TCP
  {% endfor %}
{% endif %}
{%- endmacro %}

{#- Deny everything in `ns` that no other policy allows. -#}
{% macro default_deny(ns, labels) -%}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-all
  namespace: {{ ns }}
  {{- h.block("labels", [labels]) | nindent(2) }}
spec:
  podSelector: {}
  policyTypes:
    - Ingress
    - Egress
{%- endmacro %}

{#- With a default deny in `ns`, a dependency running there (a database, a broker) would refuse
    the services that `toDependencies` lets out: this lets them in, on the dependency's ports. -#}
{% macro dependency_policy(dep, spec, ns, clients, labels) -%}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-{{ dep }}-from-services
  namespace: {{ ns }}
  {{- h.block("labels", [labels]) | nindent(2) }}
spec:
  podSelector:
    matchLabels:
      {{- h.kv([spec.podLabels]) | nindent(6) }}
  policyTypes:
    - Ingress
  ingress:
    - from:
        {% for c in clients %}
        - podSelector:
            matchLabels:
              {{- h.kv([c.selector]) | nindent(14) }}
        {% endfor %}
      {{- ports(spec.ports) | nindent(6) }}
{%- endmacro %}
