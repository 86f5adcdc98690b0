{#- Prometheus Operator objects: a ServiceMonitor per service, PrometheusRules per chart. -#}
{% import "service/_helpers.tpl" as h %}

{% macro service_monitor(c) -%}
{% set m = c.s.serviceMonitor %}
{% set exposed = c.s.ports | rejectattr("servicePort", "none") | map(attribute="name") | list %}
{% set port = m.get("port") or (exposed | first) %}
{% if not c.s.service.get("enabled", true) or port not in exposed %}
{{ fail("services." ~ c.key ~ ".serviceMonitor: Prometheus scrapes a port of the Service, and `" ~ (port or "") ~ "` is not one (Service ports: " ~ (exposed | join(", ") if c.s.service.get("enabled", true) else "no Service") ~ ")") }}
{% endif %}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ m.get("name") or c.name }}
  namespace: {{ c.ns }}
  {{- h.block("labels", [c.labels, m.get("labels")]) | nindent(2) }}
spec:
  selector:
    matchLabels:
      {{- h.kv([c.selector]) | nindent(6) }}
  namespaceSelector:
    matchNames:
      - {{ c.ns }}
  endpoints:
    - port: {{ port }}
      path: {{ m.get("path", "/metrics") }}
      interval: {{ m.get("interval", "30s") }}
      {% if m.get("scrapeTimeout") %}
      scrapeTimeout: {{ m.scrapeTimeout }}
      {% endif %}
      {% if m.get("scheme") %}
      scheme: {{ m.scheme }}
      {% endif %}
{%- endmacro %}

{#- `groups` is passed through: alert expressions use Prometheus' own `{{ $labels.x }}`, which
    values can hold verbatim since values are not templates. -#}
{% macro prometheus_rule(name, ns, spec, labels) -%}
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {{ name }}
  namespace: {{ ns }}
  {{- h.block("labels", [labels, spec.get("labels")]) | nindent(2) }}
spec:
  groups:
    {{- spec.groups | toyaml | nindent(4) }}
{%- endmacro %}
