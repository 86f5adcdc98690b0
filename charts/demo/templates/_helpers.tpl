{#- Partials of the demo chart. The labels come from the shared library chart. -#}
{% import "_labels.tpl" as lib %}

{% macro labels() -%}
{{ lib.labels(values.name, image_tag()) }}
environment: {{ values.global.environment }}
{%- endmacro %}

{% macro selector() -%}
{{ lib.selector(values.name) }}
{%- endmacro %}

{% macro image_tag() -%}
{{ values.image.tag | default(chart.appVersion) }}
{%- endmacro %}
