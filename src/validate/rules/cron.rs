//! CronJob schedules, read as `robfig/cron/v3` `ParseStandard` reads them (what
//! `pkg/apis/batch/validation/validation.go` `validateScheduleFormat` calls): five fields or a
//! `@` descriptor.

/// Why `schedule` is not a schedule Kubernetes accepts, if it is not.
pub fn check(schedule: &str) -> Option<String> {
    if schedule.contains("TZ") {
        return Some(
            "cannot use `TZ` or `CRON_TZ` in the schedule; use the `timeZone` field instead".into(),
        );
    }
    let schedule = schedule.trim();
    if let Some(descriptor) = schedule.strip_prefix('@') {
        return match descriptor {
            "yearly" | "annually" | "monthly" | "weekly" | "daily" | "midnight" | "hourly" => None,
            every if every.starts_with("every ") && every.len() > 6 => None,
            _ => Some(format!("unrecognized descriptor `@{descriptor}`")),
        };
    }
    let fields: Vec<&str> = schedule.split_whitespace().collect();
    if fields.len() != 5 {
        return Some(format!(
            "expected exactly 5 fields (minute hour day-of-month month day-of-week), found {}",
            fields.len()
        ));
    }
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    let specs: [(&str, u32, u32, &[&str], u32); 5] = [
        ("minute", 0, 59, &[], 0),
        ("hour", 0, 23, &[], 0),
        ("day-of-month", 1, 31, &[], 0),
        ("month", 1, 12, &MONTHS, 1),
        ("day-of-week", 0, 6, &DAYS, 0),
    ];
    for (field, (what, min, max, names, first)) in fields.iter().zip(specs) {
        for range in field.split(',') {
            if let Err(why) = check_range(range, min, max, names, first) {
                return Some(format!("{what} field `{field}`: {why}"));
            }
        }
    }
    None
}

/// One `a-b/step` term of a field.
fn check_range(term: &str, min: u32, max: u32, names: &[&str], first: u32) -> Result<(), String> {
    let (range, step) = match term.split_once('/') {
        Some((range, step)) => (range, Some(step)),
        None => (term, None),
    };
    let number = |s: &str| -> Result<u32, String> {
        if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
            return Ok(i as u32 + first);
        }
        s.parse::<u32>()
            .map_err(|_| format!("`{s}` is not a number"))
    };
    let (start, end) = if range == "*" || range == "?" {
        (min, max)
    } else {
        match range.split_once('-') {
            Some((a, b)) => (number(a)?, number(b)?),
            None => {
                let a = number(range)?;
                (a, if step.is_some() { max } else { a })
            }
        }
    };
    if let Some(step) = step {
        let step: u32 = step
            .parse()
            .map_err(|_| format!("step `{step}` is not a number"))?;
        if step == 0 {
            return Err("a step must be a positive number".into());
        }
    }
    if start < min {
        return Err(format!("{start} is below the minimum ({min})"));
    }
    if end > max {
        return Err(format!("{end} is above the maximum ({max})"));
    }
    if start > end {
        return Err(format!("the range starts after it ends ({start} > {end})"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn schedules() {
        for ok in [
            "*/5 * * * *",
            "0 3 * * 1-5",
            "0 0 1 JAN,jul *",
            "15 2 ? * sun",
            "@hourly",
            "@every 1h30m",
            "0 0 */2 * *",
            "5/15 * * * *",
        ] {
            assert_eq!(check(ok), None, "{ok}");
        }
        for bad in [
            "* * * *",
            "60 * * * *",
            "0 24 * * *",
            "0 0 0 * *",
            "0 0 * 13 *",
            "0 0 * * 7",
            "*/0 * * * *",
            "@fortnightly",
            "CRON_TZ=UTC 0 0 * * *",
            "5-1 * * * *",
            "a * * * *",
        ] {
            assert!(check(bad).is_some(), "{bad}");
        }
    }
}
