//! Jobs and CronJobs: counts, completion modes and the Indexed limits, job templates, cron
//! schedules and time zones, as `pkg/apis/batch/validation/validation.go` checks them.

use serde_json::Value;

use super::workload::{ENUMS, non_negative};
use super::{Doc, Out, Rule, cron, str_at};
use super::{Field, Follow};

pub static CRON_SCHEDULE: Rule = Rule {
    id: "cronjob/schedule",
    kinds: "CronJob",
    mirrors: "pkg/apis/batch/validation/validation.go validateScheduleFormat (robfig/cron ParseStandard)",
};
pub static JOB_INDEXED: Rule = Rule {
    id: "job/indexed",
    kinds: "Job, CronJob",
    mirrors: "pkg/apis/batch/validation/validation.go validateJobSpec, ValidateJob (Indexed completion mode and its per-index limits)",
};
pub static JOB_TEMPLATE: Rule = Rule {
    id: "cronjob/job-template",
    kinds: "CronJob",
    mirrors: "pkg/apis/batch/validation/validation.go ValidateJobTemplateSpec",
};
pub static TIME_ZONE: Rule = Rule {
    id: "cronjob/time-zone",
    kinds: "CronJob",
    mirrors: "pkg/apis/batch/validation/validation.go validateTimeZone (the name's form; not the tz database)",
};

pub static RULES: &[&Rule] = &[&CRON_SCHEDULE, &JOB_INDEXED, &JOB_TEMPLATE, &TIME_ZONE];

pub(super) fn check(doc: &Doc, out: &mut Out) {
    let spec = doc.value.field("spec").unwrap_or(&Value::Null);
    match (doc.group, doc.kind) {
        ("batch", "Job") => {
            let name = doc.value.follow("/metadata/name").and_then(Value::as_str);
            check_job_spec(spec, "/spec", name, out);
        }
        ("batch", "CronJob") => check_cron_job(spec, out),
        _ => {}
    }
}

fn check_completion_mode(spec: &Value, base: &str, out: &mut Out) {
    if let Some(mode) = str_at(spec, "completionMode")
        && !["NonIndexed", "Indexed"].contains(&mode)
    {
        out.push(
            &ENUMS,
            format!("{base}/completionMode"),
            format!(
                "unsupported completionMode `{mode}`: supported values are `NonIndexed`, `Indexed`"
            ),
        );
    }
}

fn check_cron_job(spec: &Value, out: &mut Out) {
    if let Some(schedule) = str_at(spec, "schedule")
        && let Some(problem) = cron::check(schedule)
    {
        out.push(
            &CRON_SCHEDULE,
            "/spec/schedule",
            format!("schedule `{schedule}` is not a valid cron schedule: {problem}"),
        );
    }
    if let Some(policy) = str_at(spec, "concurrencyPolicy")
        && !["Allow", "Forbid", "Replace"].contains(&policy)
    {
        out.push(
            &ENUMS,
            "/spec/concurrencyPolicy",
            format!("unsupported concurrencyPolicy `{policy}`: supported values are `Allow`, `Forbid`, `Replace`"),
        );
    }
    non_negative(
        spec,
        "/spec",
        &[
            "startingDeadlineSeconds",
            "successfulJobsHistoryLimit",
            "failedJobsHistoryLimit",
        ],
        out,
    );
    if let Some(job) = spec.follow("/jobTemplate/spec").filter(|j| j.is_object()) {
        check_job_spec(job, "/spec/jobTemplate/spec", None, out);
        if job.field("selector").is_some_and(|s| !s.is_null()) {
            out.push(
                &JOB_TEMPLATE,
                "/spec/jobTemplate/spec/selector",
                "a CronJob's job template may not give `selector`: it will be auto-generated",
            );
        }
        if job.field("manualSelector") == Some(&Value::Bool(true)) {
            out.push(
                &JOB_TEMPLATE,
                "/spec/jobTemplate/spec/manualSelector",
                "a CronJob's job template may not set `manualSelector: true`",
            );
        }
    }
    match spec.field("schedule") {
        Some(Value::String(s)) if s.is_empty() => {
            out.push(&CRON_SCHEDULE, "/spec/schedule", "`schedule` is required")
        }
        _ => {}
    }
    if let Some(Value::String(zone)) = spec.field("timeZone")
        && let Some(problem) = time_zone(zone)
    {
        out.push(&TIME_ZONE, "/spec/timeZone", problem);
    }
}

/// The counts, completion mode and Indexed limits of a Job spec at `base`; `name` is the Job's
/// own name (a CronJob's Jobs are named by the controller).
fn check_job_spec(job: &Value, base: &str, name: Option<&str>, out: &mut Out) {
    non_negative(
        job,
        base,
        &[
            "parallelism",
            "completions",
            "activeDeadlineSeconds",
            "backoffLimit",
            "ttlSecondsAfterFinished",
            "backoffLimitPerIndex",
            "maxFailedIndexes",
        ],
        out,
    );
    check_completion_mode(job, base, out);
    let indexed = str_at(job, "completionMode") == Some("Indexed");
    let completions = job.field("completions").and_then(Value::as_i64);
    let set = |field: &str| job.field(field).is_some_and(|v| !v.is_null());
    if indexed && !set("completions") {
        out.push(
            &JOB_INDEXED,
            format!("{base}/completionMode"),
            "`completions` is required when completionMode is `Indexed`",
        );
    }
    if !indexed {
        for field in ["backoffLimitPerIndex", "maxFailedIndexes"] {
            if set(field) {
                out.push(
                    &JOB_INDEXED,
                    format!("{base}/{field}"),
                    format!("{field} requires completionMode `Indexed`"),
                );
            }
        }
    }
    if set("maxFailedIndexes") && !set("backoffLimitPerIndex") {
        out.push(
            &JOB_INDEXED,
            format!("{base}/backoffLimitPerIndex"),
            "backoffLimitPerIndex is required when maxFailedIndexes is given",
        );
    }
    if indexed
        && let (Some(max), Some(completions)) = (
            job.field("maxFailedIndexes").and_then(Value::as_i64),
            completions,
        )
        && max > completions
    {
        out.push(
            &JOB_INDEXED,
            format!("{base}/maxFailedIndexes"),
            format!(
                "maxFailedIndexes ({max}) must be less than or equal to completions ({completions})"
            ),
        );
    }
    if indexed
        && let (Some(name), Some(completions)) = (name, completions)
        && completions > 0
    {
        let hostname = format!("{name}-{}", completions - 1);
        if super::formats::dns1123_label(&hostname).is_some() {
            out.push(&JOB_INDEXED, "/metadata/name", format!("an Indexed Job's last Pod would be named `{hostname}`, which is not a DNS-1123 label (at most 63 characters)"));
        }
    }
    if set("podFailurePolicy")
        && job
            .follow("/template/spec/restartPolicy")
            .and_then(Value::as_str)
            == Some("OnFailure")
    {
        out.push(
            &super::pod::RESTART_POLICY,
            format!("{base}/template/spec/restartPolicy"),
            "only restartPolicy `Never` is supported when `podFailurePolicy` is given",
        );
    }
}

/// Why `zone` is not a time zone name of the form Kubernetes accepts (each `/`-part at most 14
/// letters, digits, `.`, `-`, `_`, `+`, not `.`, `..` or starting with `-`; not `Local`).
fn time_zone(zone: &str) -> Option<String> {
    if zone.is_empty() {
        return Some("timeZone must be unset or a non-empty string".into());
    }
    let part_ok = |part: &str| {
        (1..=14).contains(&part.len())
            && part != "."
            && part != ".."
            && !part.starts_with('-')
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'))
    };
    if !zone.split('/').all(part_ok) {
        return Some(format!("unknown time zone `{zone}`"));
    }
    zone.eq_ignore_ascii_case("Local").then(|| {
        "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones, not `Local`".to_string()
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::messages;

    #[test]
    fn cron_jobs() {
        let cron = |schedule: &str| {
            json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"},
            "spec": {"schedule": schedule, "concurrencyPolicy": "Forbid", "jobTemplate": {"spec": {"template": {"spec": {
                "restartPolicy": "OnFailure", "containers": [{"name": "c", "image": "x"}]}}}}}})
        };
        assert!(messages(cron("*/10 * * * *")).is_empty());
        assert_eq!(
            messages(cron("0 0 * * 7")),
            vec![
                "cronjob/schedule /spec/schedule: schedule `0 0 * * 7` is not a valid cron schedule: day-of-week field `7`: 7 is above the maximum (6)"
            ]
        );
    }

    #[test]
    fn jobs_and_time_zones() {
        let job = |extra: Value| {
            let mut spec = json!({"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "j", "image": "x"}]}}});
            spec.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"}, "spec": spec})
        };
        assert!(messages(job(json!({"completionMode": "Indexed", "completions": 3, "backoffLimitPerIndex": 1, "maxFailedIndexes": 2}))).is_empty());
        assert_eq!(
            messages(job(
                json!({"completionMode": "Indexed", "activeDeadlineSeconds": -1})
            )),
            vec![
                "workload/counts /spec/activeDeadlineSeconds: activeDeadlineSeconds must be greater than or equal to 0 (it is -1)",
                "job/indexed /spec/completionMode: `completions` is required when completionMode is `Indexed`",
            ]
        );
        assert_eq!(
            messages(job(json!({"maxFailedIndexes": 1}))),
            vec![
                "job/indexed /spec/maxFailedIndexes: maxFailedIndexes requires completionMode `Indexed`",
                "job/indexed /spec/backoffLimitPerIndex: backoffLimitPerIndex is required when maxFailedIndexes is given",
            ]
        );
        for ok in [
            "Europe/Paris",
            "America/Argentina/Buenos_Aires",
            "Etc/GMT+5",
            "UTC",
        ] {
            assert_eq!(super::time_zone(ok), None, "{ok}");
        }
        for bad in [
            "",
            "Local",
            "Europe/Paris Time",
            "../etc",
            "America/-x",
            "Abcdefghijklmno",
        ] {
            assert!(super::time_zone(bad).is_some(), "{bad}");
        }
    }
}
