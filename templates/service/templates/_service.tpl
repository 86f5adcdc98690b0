{#- The entry point of the library. A chart's template is two lines:

        {% import "service/_service.tpl" as service %}
        {{ service.render() }}

    `render()` turns every enabled entry of `values.services` into its manifests (workload,
    Service, ConfigMap, ServiceAccount, HPA, PDB, NetworkPolicy, ServiceMonitor, ExternalSecret,
    Ingress; blue/green, canary and Argo Rollouts releases in `_release.tpl`) and adds the chart-level objects (Namespaces, default-deny policies, shared
    Ingresses, ConfigMaps, SecretStores, ExternalSecrets, PrometheusRules). The values structure
    is documented in docs/values.md and checked by values.schema.json next to this chart. -#}
{% import "service/_defaults.tpl" as d %}
{% import "service/_helpers.tpl" as h %}
{% import "service/_workload.tpl" as w %}
{% import "service/_networking.tpl" as net %}
{% import "service/_scaling.tpl" as sc %}
{% import "service/_config.tpl" as conf %}
{% import "service/_secrets.tpl" as sec %}
{% import "service/_monitoring.tpl" as mon %}
{% import "service/_release.tpl" as rel %}

{#- A feature block is on when it is a map whose `enabled` is not false. -#}
{% macro on(block) -%}
{{ block is mapping and block.get("enabled", true) != false }}
{%- endmacro %}

{#- Pod annotations that change when a ConfigMap the pods read changes, so a config change
    rolls them: the service's own ConfigMap, and chart ConfigMaps it reads through envFrom. -#}
{% macro checksums(s, config, chart_config_maps) -%}
{% set acc = namespace(map={"checksum/config": conf.config_data(config) | sha256sum} if config else {}) %}
{% for source in s.envFrom or [] %}
{% set ref = source.get("configMapRef") or {} %}
{% if ref.get("name") in chart_config_maps %}
{% set acc.map = merge({"checksum/config-" ~ ref.name: conf.config_data(chart_config_maps[ref.name]) | sha256sum}, acc.map) %}
{% endif %}
{% endfor %}
{{ acc.map | tojson }}
{%- endmacro %}

{#- Every enabled service, resolved: its defaults merged in, its name, namespace, selector,
    labels and derived names. A map from the key in `values.services` to that (JSON). -#}
{% macro resolve(cfg) -%}
{% set acc = namespace(map={}) %}
{% for key, raw in (values.get("services") or {}) | items %}
{#- The service over the chart's defaults; a key either sets to null is dropped, so the
    library's default for it applies again. -#}
{% set layered = namespace(map={}) %}
{% for k, v in merge(raw or {}, values.get("defaults") or {}) | items if v is not none %}
{% set layered.map = merge({k: v}, layered.map) %}
{% endfor %}
{% set s = merge(layered.map, d.service) %}
{% if s.enabled %}
{% set name = s.get("name") or key %}
{% set selector = s.get("selectorLabels") or {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": release.name} %}
{% set standard = h.ordered([
  {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": release.name},
  {"app.kubernetes.io/version": s.image.get("tag") | string} if s.image.get("tag") else {},
  {"app.kubernetes.io/component": s.get("component")},
  {"app.kubernetes.io/part-of": chart.name, "app.kubernetes.io/managed-by": release.service},
]) | fromjson %}
{% set config = s.get("config") if on(s.get("config")) == "true" else none %}
{% set config_name = (config.get("name") if config else none) or name ~ "-config" %}
{% set service_name = s.service.get("name") or name %}
{% set sa = s.get("serviceAccount") %}
{% set sa_name = ((sa.get("name") or name) if sa.get("create", true) else sa.get("name")) if sa is mapping else none %}
{% set first_port = s.ports[0] if s.ports else {} %}
{% set c = {
  "key": key,
  "name": name,
  "ns": s.get("namespace") or values.get("namespace") or release.namespace,
  "s": s,
  "selector": selector,
  "labels": h.ordered([selector, s.labels, cfg.commonLabels, standard, {"helm.sh/chart": chart.name ~ "-" ~ chart.version}]) | fromjson,
  "podLabels": h.ordered([selector, s.labels, s.podLabels, standard]) | fromjson,
  "commonAnnotations": cfg.commonAnnotations,
  "config": config,
  "configName": config_name,
  "checksums": checksums(s, config, cfg.get("configMaps") or {}) | fromjson,
  "serviceName": s.get("serviceName") or service_name if s.kind == "StatefulSet" else service_name,
  "servicePort": first_port.get("servicePort", first_port.get("containerPort")),
  "serviceAccountName": sa_name,
} %}
{% set acc.map = merge({key: c}, acc.map) %}
{% endif %}
{% endfor %}
{{ acc.map | tojson }}
{%- endmacro %}

{#- Every manifest of the chart. -#}
{% macro render() -%}
{% set cfg = merge(values, d.chart_settings) %}
{% set resolved = resolve(cfg) | fromjson %}
{% set default_ns = values.get("namespace") or release.namespace %}
{% set chart_labels = h.ordered([cfg.commonLabels, {"app.kubernetes.io/instance": release.name, "app.kubernetes.io/part-of": chart.name, "app.kubernetes.io/managed-by": release.service, "helm.sh/chart": chart.name ~ "-" ~ chart.version}]) | fromjson %}
{% set ingresses = cfg.get("ingresses") or {} %}
{% set config_maps = cfg.get("configMaps") or {} %}
{% set external_secrets = cfg.get("externalSecrets") or {} %}
{% set secret_stores = cfg.get("secretStores") or {} %}
{% set rules = cfg.get("prometheusRules") or {} %}

{#- The namespaces this chart puts objects in, in order of first use. -#}
{% set seen = namespace(list=[]) %}
{% for ns in (resolved.values() | map(attribute="ns") | list)
    + ((ingresses.values() | list) + (config_maps.values() | list) + (external_secrets.values() | list) + (rules.values() | list)) | map(attribute="namespace", default=default_ns) | list %}
{% if ns not in seen.list %}
{% set seen.list = seen.list + [ns] %}
{% endif %}
{% endfor %}
{% for ns in seen.list %}
{% if cfg.namespaces.create %}
{{ conf.namespace_object(ns, cfg) }}
{% endif %}
{% if cfg.networkPolicy.defaultDeny %}
{{ net.default_deny(ns, chart_labels) }}
{% endif %}
{% endfor %}

{% if cfg.networkPolicy.defaultDeny %}
{% for dep, spec in cfg.networkPolicy.dependencies | items %}
{% for ns in seen.list if (spec.get("namespace") or ns) == ns %}
{% set clients = namespace(list=[]) %}
{% for key, c in resolved | items %}
{% if c.ns == ns and on(c.s.get("networkPolicy")) == "true" and dep in (c.s.networkPolicy.get("toDependencies") or []) %}
{% set clients.list = clients.list + [c] %}
{% endif %}
{% endfor %}
{% if clients.list %}
{{ net.dependency_policy(dep, spec, ns, clients.list, chart_labels) }}
{% endif %}
{% endfor %}
{% endfor %}
{% endif %}

{% for name, spec in config_maps | items %}
{{ conf.configmap(name, spec.get("namespace") or default_ns, conf.config_data(spec) | fromjson, chart_labels, cfg.commonAnnotations) }}
{% endfor %}
{% for name, spec in secret_stores | items %}
{{ sec.secret_store(name, spec, cfg, default_ns, chart_labels) }}
{% endfor %}
{% for name, spec in external_secrets | items %}
{% if on(spec) == "true" %}
{{ sec.external_secret(name, spec.get("namespace") or default_ns, spec, cfg, chart_labels) }}
{% endif %}
{% endfor %}
{% for name, spec in rules | items %}
{% if on(spec) == "true" %}
{{ mon.prometheus_rule(name, spec.get("namespace") or default_ns, spec, chart_labels) }}
{% endif %}
{% endfor %}
{% for name, spec in ingresses | items %}
{% if on(spec) == "true" %}
{{ net.ingress(name, spec.get("namespace") or default_ns, spec, resolved, none, chart_labels, cfg.commonAnnotations) }}
{% endif %}
{% endfor %}

{% for key, c in resolved | items %}
{% set s = c.s %}
{% if c.serviceAccountName and s.serviceAccount.get("create", true) %}
{{ conf.service_account(c) }}
{% endif %}
{% if c.config %}
{{ conf.configmap(c.configName, c.ns, conf.config_data(c.config) | fromjson, c.labels, c.commonAnnotations) }}
{% endif %}
{% if rel.strategy(s) == "rolling" %}
{% if on(s.get("hpa")) == "true" %}
{#- The HPA owns the replica count: a workload that also sets it would reset the
    autoscaler's count on every apply. -#}
{{ w.workload(dict(c, s=dict(s, replicas=none))) }}
{% else %}
{{ w.workload(c) }}
{% endif %}
{% if s.service.get("enabled", true) and s.ports %}
{{ net.service(c) }}
{% endif %}
{% if on(s.get("hpa")) == "true" %}
{{ sc.hpa(c) }}
{% endif %}
{% else %}
{#- Blue/green, canary or an Argo Rollout: the workloads, Services, HPAs and traffic
    objects of `release`. -#}
{{ rel.release(c, resolved) }}
{% endif %}
{% if on(s.get("pdb")) == "true" %}
{{ sc.pdb(c) }}
{% endif %}
{% if on(s.get("networkPolicy")) == "true" %}
{{ net.network_policy(c, cfg, resolved) }}
{% endif %}
{% if on(s.get("serviceMonitor")) == "true" %}
{{ mon.service_monitor(c) }}
{% endif %}
{% if on(s.get("externalSecret")) == "true" %}
{{ sec.external_secret(s.externalSecret.get("name") or c.name ~ "-secrets", c.ns, s.externalSecret, cfg, c.labels) }}
{% endif %}
{% if on(s.get("ingress")) == "true" %}
{{ net.ingress(s.ingress.get("name") or c.name, c.ns, s.ingress, resolved, key, c.labels, c.commonAnnotations) }}
{{ rel.canary_ingress(c, resolved) }}
{% endif %}
{% endfor %}
{%- endmacro %}

{#- NOTES.txt: what was rendered and how to look at it. -#}
{% macro notes() -%}
{% set cfg = merge(values, d.chart_settings) %}
{% set resolved = resolve(cfg) | fromjson %}
{{ chart.name }} {{ chart.version }} ({{ environment or "no environment" }}), release {{ release.name }}:
{% for key, c in resolved | items %}
  - {{ rel.workloads(c) }}{% if c.s.ports %}: Service {{ c.serviceName }} port {{ c.servicePort }}{% endif %}{% if on(c.s.get("hpa")) == "true" %}, {{ c.s.hpa.minReplicas }}-{{ c.s.hpa.maxReplicas }} replicas{% endif %}

{% endfor %}
{% for name, spec in (cfg.get("ingresses") or {}) | items %}
{% for rule in spec.rules %}
  https://{{ rule.host }} ({{ name }})
{% endfor %}
{% endfor %}
{% for key, c in resolved | items if on(c.s.get("ingress")) == "true" %}
{% for rule in c.s.ingress.rules %}
  https://{{ rule.host }} ({{ key }})
{% endfor %}
{% endfor %}

Check the rollout:
{% for ns in resolved.values() | map(attribute="ns") | unique %}
  kubectl get pods,svc,hpa,ingress -n {{ ns }}
{% endfor %}
{%- endmacro %}
