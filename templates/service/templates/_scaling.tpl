{#- How a service scales and survives disruption: HorizontalPodAutoscaler v2 and
    PodDisruptionBudget. -#}
{% import "service/_helpers.tpl" as h %}

{#- The HPA: cpu and memory utilisation targets (percent of requests), optional `behavior`. -#}
{% macro hpa(c) -%}
{% set s = c.s %}
{% set a = s.hpa %}
{% if a.get("cpu") is none and a.get("memory") is none %}
{{ fail("services." ~ c.key ~ ".hpa needs a `cpu` or `memory` target") }}
{% endif %}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ a.get("name") or c.name ~ "-hpa" }}
  namespace: {{ c.ns }}
  {{- h.block("labels", [c.labels]) | nindent(2) }}
spec:
  scaleTargetRef:
    apiVersion: {{ c.get("apiVersion") or "apps/v1" }}
    kind: {{ s.kind }}
    name: {{ c.name }}
  minReplicas: {{ a.minReplicas }}
  maxReplicas: {{ a.maxReplicas }}
  metrics:
    {% for resource in ["cpu", "memory"] %}
    {% if a.get(resource) is not none %}
    - type: Resource
      resource:
        name: {{ resource }}
        target:
          type: Utilization
          averageUtilization: {{ a[resource] }}
    {% endif %}
    {% endfor %}
  {% if a.get("behavior") %}
  behavior:
    {{- a.behavior | toyaml | nindent(4) }}
  {% endif %}
{%- endmacro %}

{#- The PDB: `minAvailable` or `maxUnavailable` (a number or a percentage), and optionally
    `unhealthyPodEvictionPolicy` (IfHealthyBudget or AlwaysAllow). -#}
{% macro pdb(c) -%}
{% set p = c.s.pdb %}
{% if p.get("minAvailable") is not none and p.get("maxUnavailable") is not none %}
{{ fail("services." ~ c.key ~ ".pdb sets both minAvailable and maxUnavailable; Kubernetes takes one") }}
{% endif %}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ p.get("name") or c.name ~ "-pdb" }}
  namespace: {{ c.ns }}
  {{- h.block("labels", [c.labels]) | nindent(2) }}
spec:
  {% if p.get("maxUnavailable") is not none %}
  maxUnavailable: {{ h.scalar(p.maxUnavailable) }}
  {% else %}
  minAvailable: {{ h.scalar(p.get("minAvailable", 1)) }}
  {% endif %}
  {% if p.get("unhealthyPodEvictionPolicy") %}
  unhealthyPodEvictionPolicy: {{ p.unhealthyPodEvictionPolicy }}
  {% endif %}
  selector:
    matchLabels:
      {{- h.kv([c.selector]) | nindent(6) }}
{%- endmacro %}
