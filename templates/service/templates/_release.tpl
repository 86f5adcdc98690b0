{#- How a new version of a service reaches traffic, when `release.strategy` is not `rolling`:

    blueGreen  Deployments `<name>-blue` and `<name>-green` (pod label `version: blue|green`),
               the service's Service selecting the active colour and a preview Service the idle
               one. Switching is `release.blueGreen.active`; nothing else changes with it.
    canary     Deployments `<name>-stable` and `<name>-canary` and a split of traffic in percent
               (`release.canary.weight`), by an Istio VirtualService and DestinationRule, by
               NGINX ingress canary annotations, or by replica counts behind the one Service.
    rollout    an Argo Rollouts Rollout in place of the Deployment: canary steps (setWeight,
               pause) with Istio, NGINX or replica-based traffic, or blue-green with active and
               preview Services. The controller moves the traffic; values say where to go.

    Each track (a colour, stable or canary) is rendered as a resolved service of its own by the
    same macros as a rolling Deployment, so everything else about the pod is unchanged. `c` is
    the resolved service of `_service.tpl`. -#}
{% import "service/_helpers.tpl" as h %}
{% import "service/_workload.tpl" as w %}
{% import "service/_networking.tpl" as net %}
{% import "service/_scaling.tpl" as sc %}

{#- The service's release strategy: rolling (the default), blueGreen, canary or rollout. -#}
{% macro strategy(s) -%}
{{ (s.get("release") or {}).get("strategy") or "rolling" }}
{%- endmacro %}

{#- A block of settings is on when it is a map whose `enabled` is not false. -#}
{% macro on(block) -%}
{{ block is mapping and block.get("enabled", true) != false }}
{%- endmacro %}

{#- One track as a resolved service (JSON): named `<name>-<value>`, the track label `label:
    value` added to its selector and pod labels, its own image tag or digest (`settings`), and
    `replicas` (none leaves spec.replicas out, for an HPA). -#}
{% macro track(c, label, value, settings, replicas) -%}
{% set s = c.s %}
{% set t = settings or {} %}
{% if t.get("digest") %}
{% set image = dict(s.image, tag=none, digest=t.digest) %}
{% elif t.get("tag") is not none %}
{% set image = dict(s.image, tag=t.tag, digest=none) %}
{% else %}
{% set image = s.image %}
{% endif %}
{% set selector = merge({label: value}, c.selector) %}
{% set version = {"app.kubernetes.io/version": image.tag | string if image.get("tag") is not none else none} %}
{{ dict(c,
  name=c.name ~ "-" ~ value,
  track=value,
  selector=selector,
  labels=h.ordered([selector, merge(version, c.labels)]) | fromjson,
  podLabels=h.ordered([selector, merge(version, c.podLabels)]) | fromjson,
  s=dict(s, image=image, replicas=replicas)) | tojson }}
{%- endmacro %}

{#- A track's HPA, scaling the track: named `name` (default `<track name>-hpa`), labelled as
    the service with the track label, so a new image on the track leaves it unchanged. -#}
{% macro track_hpa(c, t, name) -%}
{{ sc.hpa(dict(t, labels=h.ordered([t.selector, c.labels]) | fromjson, s=dict(t.s, hpa=dict(t.s.hpa, name=name)))) }}
{%- endmacro %}

{#- A second Service of the service (preview, canary): the same ports, ClusterIP unless
    `settings.type` says otherwise, selecting `selector`. JSON, for `net.service`. -#}
{% macro extra_service(c, name, settings, selector) -%}
{% set p = settings or {} %}
{{ dict(c,
  serviceName=p.get("name") or name,
  selector=selector,
  s=dict(c.s, service={"type": p.get("type") or "ClusterIP", "labels": c.s.service.get("labels"), "annotations": p.get("annotations")})) | tojson }}
{%- endmacro %}

{#- The workloads of a service, for NOTES.txt: `Deployment ns/name`, or its release's. -#}
{% macro workloads(c) -%}
{% set r = c.s.get("release") or {} %}
{% set how = strategy(c.s) %}
{% if how == "blueGreen" %}
{% set active = (r.get("blueGreen") or {}).get("active") or "blue" %}
Deployments {{ c.ns }}/{{ c.name }}-blue and {{ c.name }}-green (blue/green, {{ active }} active)
{%- elif how == "canary" %}
Deployments {{ c.ns }}/{{ c.name }}-stable and {{ c.name }}-canary (canary at {{ (r.get("canary") or {}).get("weight") or 0 }}%)
{%- elif how == "rollout" %}
Rollout {{ c.ns }}/{{ c.name }}
{%- else %}
{{ c.s.kind }} {{ c.ns }}/{{ c.name }}
{%- endif %}
{%- endmacro %}

{#- Every object of a service released by `release.strategy`. -#}
{% macro release(c, resolved) -%}
{% set s = c.s %}
{% set r = s.release %}
{% set how = strategy(s) %}
{% set where = "services." ~ c.key ~ ".release" %}
{% if s.kind != "Deployment" %}
{{ fail(where ~ ".strategy `" ~ how ~ "` releases a Deployment; a " ~ s.kind ~ " rolls its pods in place (leave `release` out, or `strategy: rolling`)") }}
{% endif %}
{% if not (s.service.get("enabled", true) and s.ports) %}
{{ fail(where ~ ".strategy `" ~ how ~ "` moves traffic between Services: the service needs `ports` and its Service") }}
{% endif %}
{% set label = r.get("trackLabel") or "version" %}
{% if how == "blueGreen" %}
{{ blue_green(c, r.get("blueGreen") or {}, label, where ~ ".blueGreen") }}
{% elif how == "canary" %}
{{ canary(c, resolved, r.get("canary") or {}, label, where ~ ".canary") }}
{% else %}
{{ rollout(c, resolved, r.get("rollout") or {}, label, where ~ ".rollout") }}
{% endif %}
{%- endmacro %}

{#- Blue and green Deployments, the main Service on the active colour and the preview Service
    on the idle one. `scaleIdleToZero` gives the idle colour 0 replicas (and no HPA). -#}
{% macro blue_green(c, bg, label, where) -%}
{% set active = bg.get("active") or "blue" %}
{% set idle = "green" if active == "blue" else "blue" %}
{% for colour in ["blue", "green"] %}
{% set settings = bg.get(colour) or {} %}
{% set zero = colour == idle and bg.get("scaleIdleToZero", false) %}
{% set autoscaled = on(c.s.get("hpa")) == "true" and not zero %}
{% if autoscaled and settings.get("replicas") is not none %}
{{ fail(where ~ "." ~ colour ~ ".replicas: the service's `hpa` scales the " ~ colour ~ " Deployment; leave `replicas` to it, or turn the `hpa` off") }}
{% endif %}
{#- An idle colour scaled to zero has 0 replicas and no HPA; a colour with an HPA leaves the
    count to it; otherwise the colour's replicas, or the service's. -#}
{% set t = track(c, label, colour, settings, 0 if zero else (none if autoscaled else (settings.replicas if settings.get("replicas") is not none else c.s.get("replicas")))) | fromjson %}
{{ w.workload(t) }}
{% if on(c.s.get("hpa")) == "true" and not zero %}
{% set a = c.s.hpa %}
{{ track_hpa(c, t, a.name ~ "-" ~ colour if a.get("name") else none) }}
{% endif %}
{% endfor %}
{{ net.service(dict(c, selector=merge({label: active}, c.selector))) }}
{{ net.service(extra_service(c, c.serviceName ~ "-preview", bg.get("previewService"), merge({label: idle}, c.selector)) | fromjson) }}
{%- endmacro %}

{#- Stable and canary Deployments and the traffic split between them. -#}
{% macro canary(c, resolved, k, label, where) -%}
{% set traffic = k.get("traffic") or "replicas" %}
{% set weight = k.get("weight") or 0 %}
{% set stable = k.get("stable") or {} %}
{% set next = k.get("canary") or {} %}
{% set hpa = on(c.s.get("hpa")) == "true" %}
{% if traffic == "replicas" %}
{% if hpa %}
{{ fail(where ~ ".traffic `replicas` splits traffic by replica counts, which an HPA would change: use traffic `istio` or `nginx`, or turn the service's `hpa` off") }}
{% endif %}
{% if stable.get("replicas") is not none or next.get("replicas") is not none %}
{{ fail(where ~ ".traffic `replicas` derives each track's replicas from the service's `replicas` (the total) and `weight`; leave out `stable.replicas` and `canary.replicas`") }}
{% endif %}
{% if k.get("header") %}
{{ fail(where ~ ".header needs traffic `istio` or `nginx`: a Service cannot route by header") }}
{% endif %}
{% set total = c.s.get("replicas") %}
{% if total is none %}
{{ fail(where ~ ".traffic `replicas` needs the service's `replicas`: the total that `weight` divides between stable and canary") }}
{% endif %}
{#- Any canary weight above zero gets at least one pod. -#}
{% set canary_replicas = (total * weight + 99) // 100 %}
{% set stable_replicas = total - canary_replicas %}
{% else %}
{#- The stable track has the service's replicas, or none when its HPA scales it; the canary
    one has its own (1 unless set) and no HPA. -#}
{% if hpa and stable.get("replicas") is not none %}
{{ fail(where ~ ".stable.replicas: the service's `hpa` scales the stable Deployment; leave `replicas` to it, or turn the `hpa` off") }}
{% endif %}
{% set stable_replicas = none if hpa else (stable.replicas if stable.get("replicas") is not none else c.s.get("replicas")) %}
{% set canary_replicas = next.replicas if next.get("replicas") is not none else 1 %}
{% endif %}
{% set tracks = [
  track(c, label, "stable", stable, stable_replicas) | fromjson,
  track(c, label, "canary", next, canary_replicas) | fromjson,
] %}
{% for t in tracks %}
{{ w.workload(t) }}
{% endfor %}
{#- The stable track scales with load; the canary keeps its few replicas. -#}
{% if hpa %}
{{ track_hpa(c, tracks[0], c.s.hpa.get("name") or c.name ~ "-hpa") }}
{% endif %}
{% if traffic == "nginx" %}
{#- The ingress controller splits between two Services: the main one on stable pods, the
    canary one on canary pods, each behind an Ingress for the same hosts and paths. -#}
{% set canary_service = extra_service(c, c.serviceName ~ "-canary", none, tracks[1].selector) | fromjson %}
{{ net.service(dict(c, selector=tracks[0].selector)) }}
{{ net.service(canary_service) }}
{% if on(c.s.get("ingress")) != "true" %}
{{ fail(where ~ ".traffic `nginx` splits the traffic of the service's own `ingress`, which is not set") }}
{% endif %}
{% else %}
{{ net.service(c) }}
{% if traffic == "istio" %}
{{ istio(c, k.get("istio") or {}, label, weight, k.get("header"), false) }}
{% endif %}
{% endif %}
{%- endmacro %}

{#- The Istio objects of a canary: a DestinationRule with subsets `stable` and `canary` (by the
    track label; an Argo Rollout fills in its own), and a VirtualService sending `weight`
    percent to the canary, and every request with the `header` to it. A Rollout's routes are
    named, since the Rollout names the one whose weights it moves. -#}
{% macro istio(c, settings, label, weight, header, for_rollout) -%}
{% set api = settings.get("apiVersion") or "networking.istio.io/v1" %}
{% set host = c.serviceName %}
{% set dr_name = settings.get("destinationRule") or c.serviceName %}
{% set to_stable = {"destination": {"host": host, "subset": "stable"}} %}
{% set to_canary = {"destination": {"host": host, "subset": "canary"}} %}
{% set routes = [] %}
{% if header %}
{% set by_header = h.ordered([{"name": "canary-header" if for_rollout else none}, {"match": [{"headers": {header.name: {"exact": header.value | string}}}], "route": [to_canary]}]) | fromjson %}
{% set routes = routes + [by_header] %}
{% endif %}
{% set split = h.ordered([{"name": "primary" if for_rollout else none}, {"route": [dict(to_stable, weight=100 - weight), dict(to_canary, weight=weight)]}]) | fromjson %}
{% set routes = routes + [split] %}
---
apiVersion: {{ api }}
kind: DestinationRule
metadata:
  name: {{ dr_name }}
  namespace: {{ c.ns }}
  {{- h.block("labels", [c.labels]) | nindent(2) }}
  {{- h.block("annotations", [c.commonAnnotations]) | nindent(2) }}
spec:
  host: {{ host }}
  subsets:
    {% for subset in ["stable", "canary"] %}
    - name: {{ subset }}
      {% if not for_rollout %}
      labels:
        {{ label | quote }}: {{ subset }}
      {% endif %}
    {% endfor %}
---
apiVersion: {{ api }}
kind: VirtualService
metadata:
  name: {{ settings.get("virtualService") or c.serviceName }}
  namespace: {{ c.ns }}
  {{- h.block("labels", [c.labels]) | nindent(2) }}
  {{- h.block("annotations", [c.commonAnnotations]) | nindent(2) }}
spec:
  hosts: {{ (settings.get("hosts") or [host]) | tojson }}
  {% if settings.get("gateways") %}
  gateways: {{ settings.gateways | tojson }}
  {% endif %}
  http:
    {{- routes | toyaml | nindent(4) }}
{%- endmacro %}

{#- NGINX's canary Ingress, after the service's own: the hosts and paths of that Ingress that
    route to the service, sent to the canary Service, with the canary annotations. ingress-nginx
    takes every other setting (TLS, rewrites, ...) from the main Ingress. Nothing for other
    releases. -#}
{% macro canary_ingress(c, resolved) -%}
{% set k = (c.s.get("release") or {}).get("canary") or {} %}
{% if strategy(c.s) == "canary" and k.get("traffic") == "nginx" %}
{% set weight = k.get("weight") or 0 %}
{% set header = k.get("header") %}
{% set ing = c.s.ingress %}
{% set rules = namespace(list=[]) %}
{% for rule in ing.rules %}
{% set paths = namespace(list=[]) %}
{% for path in rule.paths if (path.get("service") or c.key) == c.key %}
{% set paths.list = paths.list + [path] %}
{% endfor %}
{% if paths.list %}
{% set rules.list = rules.list + [{"host": rule.host, "paths": paths.list}] %}
{% endif %}
{% endfor %}
{% set prefix = "nginx.ingress.kubernetes.io/" %}
{% set annotations = {prefix ~ "canary": "true", prefix ~ "canary-weight": weight | string} %}
{% if header %}
{% set annotations = merge({prefix ~ "canary-by-header": header.name, prefix ~ "canary-by-header-value": header.value | string}, annotations) %}
{% endif %}
{{ net.ingress((ing.get("name") or c.name) ~ "-canary", c.ns,
  {"className": ing.get("className"), "annotations": annotations, "rules": rules.list},
  merge({c.key: {"serviceName": c.serviceName ~ "-canary"}}, resolved), c.key, c.labels, c.commonAnnotations) }}
{% endif %}
{%- endmacro %}

{#- An Argo Rollout in place of the Deployment, with the Services and traffic objects its
    strategy names. `rollout.canary` or `rollout.blueGreen`, not both. -#}
{% macro rollout(c, resolved, ro, label, where) -%}
{% set can = ro.get("canary") %}
{% set bg = ro.get("blueGreen") %}
{% if (can is mapping) == (bg is mapping) %}
{{ fail(where ~ " takes one of `canary` or `blueGreen` (Argo Rollouts runs one strategy)") }}
{% endif %}
{#- With an HPA, the Rollout leaves its replicas to it, as a Deployment does. -#}
{% set rc = dict(c, apiVersion="argoproj.io/v1alpha1", s=dict(c.s, kind="Rollout", replicas=none if on(c.s.get("hpa")) == "true" else c.s.get("replicas"))) %}
{% if bg is mapping %}
{% set preview = extra_service(c, c.serviceName ~ "-preview", bg.get("previewService"), c.selector) | fromjson %}
{% set spec = h.ordered([
  {"activeService": c.serviceName, "previewService": preview.serviceName, "autoPromotionEnabled": bg.get("autoPromotionEnabled", false)},
  {"autoPromotionSeconds": bg.get("autoPromotionSeconds"), "previewReplicaCount": bg.get("previewReplicaCount"), "scaleDownDelaySeconds": bg.get("scaleDownDelaySeconds")},
]) | fromjson %}
{{ w.workload(dict(rc, rolloutStrategy={"blueGreen": spec})) }}
{{ net.service(c) }}
{{ net.service(preview) }}
{% else %}
{% set traffic = can.get("traffic") or "replicas" %}
{% set istio_settings = can.get("istio") or {} %}
{% set header = can.get("header") %}
{% if header and traffic == "replicas" %}
{{ fail(where ~ ".canary.header needs traffic `istio` or `nginx`: a Service cannot route by header") }}
{% endif %}
{% if traffic == "istio" %}
{% set routing = {"istio": {
  "virtualService": {"name": istio_settings.get("virtualService") or c.serviceName, "routes": ["primary"]},
  "destinationRule": {"name": istio_settings.get("destinationRule") or c.serviceName, "canarySubsetName": "canary", "stableSubsetName": "stable"},
}} %}
{% set services = {} %}
{% elif traffic == "nginx" %}
{% if on(c.s.get("ingress")) != "true" %}
{{ fail(where ~ ".canary.traffic `nginx` splits the traffic of the service's own `ingress`, which is not set") }}
{% endif %}
{% set nginx = {"stableIngress": c.s.ingress.get("name") or c.name} %}
{% if header %}
{% set nginx = dict(nginx, additionalIngressAnnotations={"canary-by-header": header.name, "canary-by-header-value": header.value | string}) %}
{% endif %}
{% set routing = {"nginx": nginx} %}
{% set services = {"canaryService": c.serviceName ~ "-canary", "stableService": c.serviceName} %}
{% else %}
{% set routing = none %}
{% set services = {} %}
{% endif %}
{% set spec = h.ordered([services, {"steps": can.get("steps"), "trafficRouting": routing}]) | fromjson %}
{{ w.workload(dict(rc, rolloutStrategy={"canary": spec})) }}
{{ net.service(c) }}
{% if traffic == "nginx" %}
{{ net.service(extra_service(c, services.canaryService, none, c.selector) | fromjson) }}
{% elif traffic == "istio" %}
{{ istio(c, istio_settings, label, 0, header, true) }}
{% endif %}
{% endif %}
{% if on(c.s.get("hpa")) == "true" %}
{{ sc.hpa(rc) }}
{% endif %}
{%- endmacro %}
