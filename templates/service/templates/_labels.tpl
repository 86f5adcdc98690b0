{#- Labels every object of a service carries. `selector` is the immutable subset. -#}
{% macro selector(name) -%}
app.kubernetes.io/name: {{ name }}
app.kubernetes.io/instance: {{ release.name }}
{%- endmacro %}

{% macro labels(name, version) -%}
{{ selector(name) }}
app.kubernetes.io/version: {{ version | quote }}
app.kubernetes.io/managed-by: {{ release.service }}
helm.sh/chart: {{ chart.name }}-{{ chart.version }}
{%- endmacro %}
