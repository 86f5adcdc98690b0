{#
  Macros shared by the fleet benchmark chart (port of helm-fleet's _helpers.tpl).
  `root` is a map holding `release`, `chart` and `values`, built once by the caller,
  like the `$ctx` dict of the Helm chart; passing it explicitly keeps the macros
  independent of whether imports see the caller's context.
  The whitespace-trimming endmacro tag drops the trailing newline, so that
  `| nindent(n)` yields clean lines.
-#}
{% macro labels(name, svc, root) %}
app.kubernetes.io/name: {{ name }}
app.kubernetes.io/instance: {{ root.release.name }}
app.kubernetes.io/version: {{ svc.image.tag | quote }}
app.kubernetes.io/managed-by: {{ root.release.service }}
helm.sh/chart: {{ root.chart.name }}-{{ root.chart.version }}
environment: {{ root.values.global.environment }}
{%- endmacro %}

{% macro selector(name, root) %}
app.kubernetes.io/name: {{ name }}
app.kubernetes.io/instance: {{ root.release.name }}
{%- endmacro %}
