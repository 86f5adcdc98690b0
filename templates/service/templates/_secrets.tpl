{#- Secrets by reference only: ExternalSecrets (External Secrets Operator) that copy values from
    a secret manager into a Kubernetes Secret, and the SecretStores they read from. No secret
    value is ever written in values. -#}
{% import "service/_helpers.tpl" as h %}

{#- `spec.data` maps each key of the target Secret to a remote key (a string), or to
    `{key, property, version}`. `dataFrom` is passed through. -#}
{% macro external_secret(name, ns, spec, cfg, labels) -%}
{% set store = spec.get("store") or cfg.get("secretStoreRef") or {} %}
{% set target = spec.get("target") or {} %}
---
apiVersion: {{ cfg.externalSecretApiVersion }}
kind: ExternalSecret
metadata:
  name: {{ name }}
  namespace: {{ ns }}
  {{- h.block("labels", [labels, spec.get("labels")]) | nindent(2) }}
spec:
  refreshInterval: {{ spec.get("refreshInterval", "1h") }}
  secretStoreRef:
    name: {{ store.name | required("externalSecret `" ~ name ~ "` needs `store.name` (or the chart's `secretStoreRef`)") }}
    kind: {{ store.get("kind", "SecretStore") }}
  target:
    name: {{ target.get("name") or name }}
    creationPolicy: {{ target.get("creationPolicy", "Owner") }}
    {% if target.get("template") %}
    template:
      {{- target.template | toyaml | nindent(6) }}
    {% endif %}
  {% if spec.get("data") %}
  data:
    {% for key, remote in spec.data | items %}
    {% if remote is not none %}
    {% set ref = remote if remote is mapping else {"key": remote} %}
    - secretKey: {{ key | quote }}
      remoteRef:
        key: {{ ref.key | quote }}
        {% if ref.get("property") %}
        property: {{ ref.property | quote }}
        {% endif %}
        {% if ref.get("version") %}
        version: {{ ref.version | quote }}
        {% endif %}
    {% endif %}
    {% endfor %}
  {% endif %}
  {% if spec.get("dataFrom") %}
  dataFrom:
    {{- spec.dataFrom | toyaml | nindent(4) }}
  {% endif %}
{%- endmacro %}

{#- A SecretStore or ClusterSecretStore; `provider` is passed through (aws, vault, gcpsm...). -#}
{% macro secret_store(name, spec, cfg, default_ns, labels) -%}
{% set kind = spec.get("kind", "SecretStore") %}
---
apiVersion: {{ cfg.externalSecretApiVersion }}
kind: {{ kind }}
metadata:
  name: {{ name }}
  {% if kind == "SecretStore" %}
  namespace: {{ spec.get("namespace") or default_ns }}
  {% endif %}
  {{- h.block("labels", [labels]) | nindent(2) }}
spec:
  provider:
    {{- spec.provider | toyaml | nindent(4) }}
{%- endmacro %}
