{#- Namespaces, ConfigMaps and ServiceAccounts. -#}
{% import "service/_helpers.tpl" as h %}

{% macro namespace_object(ns, cfg) -%}
---
apiVersion: v1
kind: Namespace
metadata:
  name: {{ ns }}
  {{- h.block("labels", [{"name": ns}, cfg.namespaces.labels, cfg.commonLabels]) | nindent(2) }}
  {{- h.block("annotations", [cfg.namespaces.annotations]) | nindent(2) }}
{%- endmacro %}

{#- The data of a ConfigMap spec: `data` (strings) then `files` (key: chart file path), as a
    map. The Deployment's checksum annotation hashes exactly this. -#}
{% macro config_data(spec) -%}
{% set acc = namespace(data={}) %}
{% for key, value in (spec.get("data") or {}) | items %}
{% set acc.data = merge({key: value | quote | fromjson}, acc.data) %}
{% endfor %}
{% for key, path in (spec.get("files") or {}) | items %}
{% set acc.data = merge({key: files.get(path)}, acc.data) %}
{% endfor %}
{{ acc.data | tojson }}
{%- endmacro %}

{% macro configmap(name, ns, data, labels, common_annotations) -%}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ name }}
  namespace: {{ ns }}
  {{- h.block("labels", [labels]) | nindent(2) }}
  {{- h.block("annotations", [common_annotations]) | nindent(2) }}
data:
  {% for key, value in data | items %}
  {{ key | quote }}: {{ value | tojson }}
  {% endfor %}
{%- endmacro %}

{#- A ServiceAccount for the service; IRSA / Workload Identity go in `annotations`. -#}
{% macro service_account(c) -%}
{% set sa = c.s.serviceAccount %}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ c.serviceAccountName }}
  namespace: {{ c.ns }}
  {{- h.block("labels", [c.labels]) | nindent(2) }}
  {{- h.block("annotations", [sa.get("annotations"), c.commonAnnotations]) | nindent(2) }}
automountServiceAccountToken: {{ sa.get("automountServiceAccountToken", false) }}
{%- endmacro %}
