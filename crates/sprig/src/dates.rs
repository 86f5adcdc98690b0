//! sprig's date functions, in UTC only: `now`, `date`, `dateInZone` (zone `UTC`; another zone
//! name is an error rather than a silently wrong time), `toDate`, `mustToDate`, `unixEpoch`,
//! `dateModify`, `htmlDate`, `duration`. Layouts are Go's (`2006-01-02T15:04:05Z07:00`).

use std::time::{SystemTime, UNIX_EPOCH};

use gotmpl::{Error, Object, Param, Value};

mod layout;

use layout::civil_from_days;

use crate::{Registry, s};

use Param::{Any, String as Str};

/// A Go `time.Time` in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Time {
    /// Seconds since the Unix epoch.
    pub secs: i64,
    pub nanos: u32,
}

impl Time {
    pub fn now() -> Time {
        let d = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Time {
            secs: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            nanos: d.subsec_nanos(),
        }
    }
}

impl Object for Time {
    fn type_name(&self) -> &str {
        "time.Time"
    }

    fn call_method(&self, name: &str, _args: &[Value]) -> Option<Result<Value, Error>> {
        Some(Ok(match name {
            "Unix" => Value::Int64(self.secs),
            "Year" => Value::Int(civil_from_days(self.secs.div_euclid(86_400)).0),
            "UTC" => Value::object(*self),
            _ => return None,
        }))
    }

    fn to_text(&self) -> String {
        self.format("2006-01-02 15:04:05.999999999 -0700 MST")
    }
}

/// The time a `date` argument stands for: a `time.Time`, or Unix seconds as an `int`/`int64`;
/// anything else is now, as sprig does.
fn time_of(value: &Value) -> Time {
    match value {
        Value::Object(o) if o.type_name() == "time.Time" => {
            Time::parse("2006-01-02 15:04:05.999999999 -0700 MST", &o.to_text())
                .unwrap_or_else(|_| Time::now())
        }
        Value::Int(i) | Value::Int64(i) => Time { secs: *i, nanos: 0 },
        _ => Time::now(),
    }
}

fn check_zone(zone: &str) -> Result<(), Error> {
    if zone == "UTC" || zone.is_empty() {
        Ok(())
    } else {
        Err(Error::new(format!(
            "time zone {zone:?} is not supported: only UTC is"
        )))
    }
}

/// Go's `time.ParseDuration`, in nanoseconds.
pub fn parse_duration(text: &str) -> Option<i128> {
    let (neg, mut rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let n = rest
            .bytes()
            .take_while(|c| c.is_ascii_digit() || *c == b'.')
            .count();
        if n == 0 {
            return None;
        }
        let value: f64 = rest[..n].parse().ok()?;
        rest = &rest[n..];
        let u = rest
            .bytes()
            .take_while(|c| !c.is_ascii_digit() && *c != b'.')
            .count();
        let unit = match &rest[..u] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[u..];
        total += value * unit;
    }
    Some(if neg { -(total as i128) } else { total as i128 })
}

/// Go's `time.Duration.String` of whole seconds (`1h2m3s`, `0s`).
pub fn duration_string(secs: i64) -> String {
    if secs == 0 {
        return "0s".to_string();
    }
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{sign}{h}h{m}m{sec}s")
    } else if m > 0 {
        format!("{sign}{m}m{sec}s")
    } else {
        format!("{sign}{sec}s")
    }
}

pub(crate) fn register(r: &mut Registry<'_>) {
    r.typed("now", &[], |_| Ok(Value::object(Time::now())));
    r.typed("date", &[Str, Any], |a| {
        Ok(time_of(&a[1]).format(s(a, 0)).into())
    });
    r.typed("htmlDate", &[Any], |a| {
        Ok(time_of(&a[0]).format("2006-01-02").into())
    });
    for name in ["dateInZone", "date_in_zone"] {
        r.typed(name, &[Str, Any, Str], |a| {
            check_zone(s(a, 2))?;
            Ok(time_of(&a[1]).format(s(a, 0)).into())
        });
    }
    r.typed("htmlDateInZone", &[Any, Str], |a| {
        check_zone(s(a, 1))?;
        Ok(time_of(&a[0]).format("2006-01-02").into())
    });
    r.typed("toDate", &[Str, Str], |a| {
        Ok(Value::object(Time::parse(s(a, 0), s(a, 1)).unwrap_or(
            Time {
                secs: -62_135_596_800,
                nanos: 0,
            },
        )))
    });
    r.typed("mustToDate", &[Str, Str], |a| {
        Ok(Value::object(
            Time::parse(s(a, 0), s(a, 1)).map_err(Error::new)?,
        ))
    });
    r.typed("unixEpoch", &[Any], |a| {
        Ok(time_of(&a[0]).secs.to_string().into())
    });
    for (name, must) in [
        ("dateModify", false),
        ("date_modify", false),
        ("mustDateModify", true),
        ("must_date_modify", true),
    ] {
        r.typed(name, &[Str, Any], move |a| {
            let t = time_of(&a[1]);
            match parse_duration(s(a, 0)) {
                Some(ns) => {
                    let total = i128::from(t.secs) * 1_000_000_000 + i128::from(t.nanos) + ns;
                    Ok(Value::object(Time {
                        secs: total.div_euclid(1_000_000_000) as i64,
                        nanos: total.rem_euclid(1_000_000_000) as u32,
                    }))
                }
                None if must => Err(Error::new(format!("time: invalid duration {:?}", s(a, 0)))),
                None => Ok(a[1].clone()),
            }
        });
    }
    r.typed("ago", &[Any], |a| {
        let then = time_of(&a[0]);
        let now = Time::now();
        let nanos = (i128::from(now.secs) - i128::from(then.secs)) * 1_000_000_000
            + i128::from(now.nanos)
            - i128::from(then.nanos);
        let secs = (nanos + 500_000_000).div_euclid(1_000_000_000);
        Ok(duration_string(secs as i64).into())
    });
    r.typed("durationRound", &[Any], |a| {
        let nanos: i128 = match &a[0] {
            Value::String(text) => parse_duration(text).unwrap_or(0),
            Value::Int64(n) => i128::from(*n),
            Value::Object(o) if o.type_name() == "time.Time" => {
                let then = time_of(&a[0]);
                let now = Time::now();
                (i128::from(now.secs) - i128::from(then.secs)) * 1_000_000_000
            }
            _ => 0,
        };
        Ok(duration_round(nanos.unsigned_abs()).into())
    });
    // sprig reads a string or an int64; anything else (an `int` literal too) is 0.
    r.typed("duration", &[Any], |a| {
        let secs = match &a[0] {
            Value::String(text) => text.parse::<i64>().unwrap_or(0),
            Value::Int64(n) => *n,
            _ => 0,
        };
        Ok(duration_string(secs).into())
    });
}

/// sprig's `durationRound`: the largest whole unit (`y` of 365 days, `mo` of 30, `d`, `h`,
/// `m`, `s`) the duration exceeds.
fn duration_round(nanos: u128) -> String {
    const SECOND: u128 = 1_000_000_000;
    let units = [
        (SECOND * 3600 * 24 * 365, "y"),
        (SECOND * 3600 * 24 * 30, "mo"),
        (SECOND * 3600 * 24, "d"),
        (SECOND * 3600, "h"),
        (SECOND * 60, "m"),
        (SECOND, "s"),
    ];
    for (size, name) in units {
        if nanos > size {
            return format!("{}{name}", nanos / size);
        }
    }
    "0s".to_string()
}
