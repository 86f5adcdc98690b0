{#- Small helpers shared by the other partials: ordered label maps, the image reference, and
    the labels every object of a service carries. -#}

{#- `key: "value"` lines from a list of maps; the first map to name a key wins, in order. Used
    for labels and annotations, whose values Kubernetes wants as strings. -#}
{% macro kv(maps) -%}
{% set seen = namespace(keys=[]) %}
{% for m in maps %}
{% for k, v in (m or {}) | items %}
{% if k not in seen.keys and v is not none %}
{% set seen.keys = seen.keys + [k] %}
{{ k | quote }}: {{ v | quote }}
{% endif %}
{% endfor %}
{% endfor %}
{%- endmacro %}

{#- One map from several, the first to name a key winning and keys kept in order (JSON). -#}
{% macro ordered(maps) -%}
{% set acc = namespace(map={}) %}
{% for m in maps %}
{% for k, v in (m or {}) | items %}
{% if k not in acc.map and v is not none %}
{% set acc.map = merge({k: v}, acc.map) %}
{% endif %}
{% endfor %}
{% endfor %}
{{ acc.map | tojson }}
{%- endmacro %}

{#- A `labels:` or `annotations:` block that vanishes when every map is empty. -#}
{% macro block(key, maps) -%}
{% set body = kv(maps) | trim %}
{% if body %}
{{ key }}:
{{ body | indent(2) }}
{%- endif %}
{%- endmacro %}

{#- The image reference: `registry/repository:tag`, or `@digest` when a digest is set. -#}
{% macro image(name, img) -%}
{% set repo = img.repository | required("services." ~ name ~ ".image.repository is required") %}
{% if img.get("registry") %}{% set repo = img.registry ~ "/" ~ repo %}{% endif %}
{% if img.get("digest") %}
{{ repo }}@{{ img.digest }}
{%- else %}
{{ repo }}:{{ img.get("tag") | required("services." ~ name ~ ".image.tag or .digest is required") | string }}
{%- endif %}
{%- endmacro %}

{#- A value printed as YAML reads it back: strings quoted, numbers and booleans bare. -#}
{% macro scalar(v) -%}
{{ v | tojson }}
{%- endmacro %}
