//! sprig's date functions, in UTC only: `now`, `date`, `dateInZone` (zone `UTC`; another zone
//! name is an error rather than a silently wrong time), `toDate`, `mustToDate`, `unixEpoch`,
//! `dateModify`, `htmlDate`, `duration`. Layouts are Go's (`2006-01-02T15:04:05Z07:00`).

use std::time::{SystemTime, UNIX_EPOCH};

use gotmpl::{Error, Object, Param, Value};

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

    /// Formats with a Go layout.
    pub fn format(&self, layout: &str) -> String {
        let days = self.secs.div_euclid(86_400);
        let sod = self.secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let (hh, mm, ss) = (sod / 3600, sod / 60 % 60, sod % 60);
        let weekday = (days + 4).rem_euclid(7) as usize;
        let yday = days - days_from_civil(y, 1, 1) + 1;
        let mut out = String::new();
        let mut rest = layout;
        while !rest.is_empty() {
            let (token, len) = next_token(rest);
            match token {
                Token::Lit => out.push_str(&rest[..len]),
                Token::Year4 => out.push_str(&format!("{y:04}")),
                Token::Year2 => out.push_str(&format!("{:02}", y.rem_euclid(100))),
                Token::MonthName => out.push_str(MONTHS[m as usize - 1]),
                Token::MonthShort => out.push_str(&MONTHS[m as usize - 1][..3]),
                Token::Month2 => out.push_str(&format!("{m:02}")),
                Token::Month => out.push_str(&m.to_string()),
                Token::DayName => out.push_str(DAYS[weekday]),
                Token::DayShort => out.push_str(&DAYS[weekday][..3]),
                Token::Day2 => out.push_str(&format!("{d:02}")),
                Token::DaySpace => out.push_str(&format!("{d:>2}")),
                Token::Day => out.push_str(&d.to_string()),
                Token::YearDay => out.push_str(&format!("{yday:03}")),
                Token::Hour24 => out.push_str(&format!("{hh:02}")),
                Token::Hour12 | Token::Hour12Pad => {
                    let h = if hh % 12 == 0 { 12 } else { hh % 12 };
                    if matches!(token, Token::Hour12Pad) {
                        out.push_str(&format!("{h:02}"));
                    } else {
                        out.push_str(&h.to_string());
                    }
                }
                Token::Minute2 => out.push_str(&format!("{mm:02}")),
                Token::Minute => out.push_str(&mm.to_string()),
                Token::Second2 => out.push_str(&format!("{ss:02}")),
                Token::Second => out.push_str(&ss.to_string()),
                Token::PmUpper => out.push_str(if hh >= 12 { "PM" } else { "AM" }),
                Token::PmLower => out.push_str(if hh >= 12 { "pm" } else { "am" }),
                Token::ZoneName => out.push_str("UTC"),
                Token::Offset => {
                    let text = &rest[..len];
                    if text.starts_with('Z') {
                        out.push('Z');
                    } else {
                        out.push_str(&text.replace('7', "0").replace('-', "+"));
                    }
                }
                Token::Frac(digits, trim) => {
                    let f = format!("{:09}", self.nanos);
                    let f = &f[..digits];
                    let f = if trim { f.trim_end_matches('0') } else { f };
                    if !f.is_empty() {
                        out.push(rest.as_bytes()[0] as char);
                        out.push_str(f);
                    }
                }
            }
            rest = &rest[len..];
        }
        out
    }

    /// Parses `text` with a Go layout (`time.Parse`), in UTC.
    pub fn parse(layout: &str, text: &str) -> Result<Time, String> {
        let cannot = |at: &str, elem: &str| {
            format!("parsing time {text:?} as {layout:?}: cannot parse {at:?} as {elem:?}")
        };
        let (mut y, mut mo, mut d, mut h, mut mi, mut se, mut nanos, mut pm, mut offset) =
            (1i64, 1i64, 1i64, 0i64, 0i64, 0i64, 0u32, None, 0i64);
        let mut rest = layout;
        let mut input = text;
        let num = |input: &mut &str, min: usize, max: usize| -> Option<i64> {
            let n = input
                .bytes()
                .take(max)
                .take_while(u8::is_ascii_digit)
                .count();
            if n < min {
                return None;
            }
            let v = input[..n].parse().ok()?;
            *input = &input[n..];
            Some(v)
        };
        while !rest.is_empty() {
            let (token, len) = next_token(rest);
            let lit = &rest[..len];
            rest = &rest[len..];
            let before = input;
            let fail = || cannot(before, lit);
            match token {
                Token::Lit => {
                    input = input.strip_prefix(lit).ok_or_else(fail)?;
                }
                Token::Year4 => y = num(&mut input, 4, 4).ok_or_else(fail)?,
                Token::Year2 => {
                    let v = num(&mut input, 2, 2).ok_or_else(fail)?;
                    y = if v >= 69 { 1900 + v } else { 2000 + v };
                }
                Token::Month2 => mo = num(&mut input, 2, 2).ok_or_else(fail)?,
                Token::Month => mo = num(&mut input, 1, 2).ok_or_else(fail)?,
                Token::MonthName | Token::MonthShort => {
                    let i = MONTHS
                        .iter()
                        .position(|m| {
                            let name = if matches!(token, Token::MonthShort) {
                                &m[..3]
                            } else {
                                m
                            };
                            input.starts_with(name)
                        })
                        .ok_or_else(fail)?;
                    let n = if matches!(token, Token::MonthShort) {
                        3
                    } else {
                        MONTHS[i].len()
                    };
                    input = &input[n..];
                    mo = i as i64 + 1;
                }
                Token::DayName | Token::DayShort => {
                    let i = DAYS
                        .iter()
                        .position(|day| {
                            input.starts_with(if matches!(token, Token::DayShort) {
                                &day[..3]
                            } else {
                                day
                            })
                        })
                        .ok_or_else(fail)?;
                    let n = if matches!(token, Token::DayShort) {
                        3
                    } else {
                        DAYS[i].len()
                    };
                    input = &input[n..];
                }
                Token::Day2 => d = num(&mut input, 2, 2).ok_or_else(fail)?,
                Token::DaySpace => {
                    input = input.strip_prefix(' ').unwrap_or(input);
                    d = num(&mut input, 1, 2).ok_or_else(fail)?;
                }
                Token::Day => d = num(&mut input, 1, 2).ok_or_else(fail)?,
                Token::YearDay => {
                    num(&mut input, 3, 3).ok_or_else(fail)?;
                }
                Token::Hour24 => h = num(&mut input, 2, 2).ok_or_else(fail)?,
                Token::Hour12Pad => h = num(&mut input, 2, 2).ok_or_else(fail)?,
                Token::Hour12 => h = num(&mut input, 1, 2).ok_or_else(fail)?,
                Token::Minute2 => mi = num(&mut input, 2, 2).ok_or_else(fail)?,
                Token::Minute => mi = num(&mut input, 1, 2).ok_or_else(fail)?,
                Token::Second2 => se = num(&mut input, 2, 2).ok_or_else(fail)?,
                Token::Second => se = num(&mut input, 1, 2).ok_or_else(fail)?,
                Token::PmUpper | Token::PmLower => {
                    let word = input.get(..2).ok_or_else(fail)?.to_ascii_uppercase();
                    pm = Some(match word.as_str() {
                        "PM" => true,
                        "AM" => false,
                        _ => return Err(fail()),
                    });
                    input = &input[2..];
                }
                Token::ZoneName => {
                    let n = input.bytes().take_while(u8::is_ascii_uppercase).count();
                    if n < 3 {
                        return Err(fail());
                    }
                    input = &input[n..];
                }
                Token::Offset => {
                    if lit.starts_with('Z')
                        && let Some(r) = input.strip_prefix('Z')
                    {
                        input = r;
                        continue;
                    }
                    let sign = match input.as_bytes().first() {
                        Some(b'+') => 1,
                        Some(b'-') => -1,
                        _ => return Err(fail()),
                    };
                    input = &input[1..];
                    let oh = num(&mut input, 2, 2).ok_or_else(fail)?;
                    input = input.strip_prefix(':').unwrap_or(input);
                    let om = num(&mut input, 2, 2).unwrap_or(0);
                    offset = sign * (oh * 3600 + om * 60);
                }
                Token::Frac(..) => {
                    if let Some(r) = input.strip_prefix(['.', ',']) {
                        let n = r.bytes().take_while(u8::is_ascii_digit).count();
                        let digits = format!("{:0<9}", &r[..n.min(9)]);
                        nanos = digits.parse().unwrap_or(0);
                        input = &r[n..];
                    }
                }
            }
            // Go accepts fractional seconds after a seconds field even if the layout has none.
            if matches!(token, Token::Second2 | Token::Second)
                && !rest.starts_with(['.', ','])
                && let Some(r) = input.strip_prefix('.')
            {
                let n = r.bytes().take_while(u8::is_ascii_digit).count();
                if n > 0 {
                    nanos = format!("{:0<9}", &r[..n.min(9)]).parse().unwrap_or(0);
                    input = &r[n..];
                }
            }
        }
        if !input.is_empty() {
            return Err(format!("parsing time {text:?}: extra text: {input:?}"));
        }
        if let Some(pm) = pm {
            if h == 12 {
                h = 0;
            }
            if pm {
                h += 12;
            }
        }
        if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 59 {
            return Err(format!("parsing time {text:?}: value out of range"));
        }
        let days = days_from_civil(y, mo, d);
        Ok(Time {
            secs: days * 86_400 + h * 3600 + mi * 60 + se - offset,
            nanos,
        })
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

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

#[derive(Clone, Copy)]
enum Token {
    Lit,
    Year4,
    Year2,
    MonthName,
    MonthShort,
    Month2,
    Month,
    DayName,
    DayShort,
    Day2,
    DaySpace,
    Day,
    YearDay,
    Hour24,
    Hour12,
    Hour12Pad,
    Minute2,
    Minute,
    Second2,
    Second,
    PmUpper,
    PmLower,
    ZoneName,
    Offset,
    /// Fractional seconds: digits, and whether trailing zeros are dropped (`.999`).
    Frac(usize, bool),
}

/// The layout element at the start of `layout` and its length, as Go's `nextStdChunk` finds it.
fn next_token(layout: &str) -> (Token, usize) {
    const TABLE: [(&str, Token); 31] = [
        ("January", Token::MonthName),
        ("Jan", Token::MonthShort),
        ("Monday", Token::DayName),
        ("Mon", Token::DayShort),
        ("MST", Token::ZoneName),
        ("2006", Token::Year4),
        ("002", Token::YearDay),
        ("01", Token::Month2),
        ("02", Token::Day2),
        ("03", Token::Hour12Pad),
        ("04", Token::Minute2),
        ("05", Token::Second2),
        ("06", Token::Year2),
        ("_2", Token::DaySpace),
        ("15", Token::Hour24),
        ("1", Token::Month),
        ("2", Token::Day),
        ("3", Token::Hour12),
        ("4", Token::Minute),
        ("5", Token::Second),
        ("PM", Token::PmUpper),
        ("pm", Token::PmLower),
        ("Z07:00:00", Token::Offset),
        ("Z07:00", Token::Offset),
        ("Z0700", Token::Offset),
        ("Z07", Token::Offset),
        ("-07:00:00", Token::Offset),
        ("-07:00", Token::Offset),
        ("-0700", Token::Offset),
        ("-07", Token::Offset),
        ("Z", Token::Lit),
    ];
    let b = layout.as_bytes();
    if (b[0] == b'.' || b[0] == b',') && b.len() > 1 && (b[1] == b'0' || b[1] == b'9') {
        let digit = b[1];
        let n = b[1..].iter().take_while(|&&c| c == digit).count();
        let next_is_digit = b.get(1 + n).is_some_and(u8::is_ascii_digit);
        if !next_is_digit {
            return (Token::Frac(n.min(9), digit == b'9'), 1 + n);
        }
    }
    for (text, token) in TABLE {
        if let Some(after) = layout.strip_prefix(text) {
            if matches!(token, Token::Lit) {
                break;
            }
            // `Jan`/`Mon` only when not followed by a lower-case letter (Go's rule).
            if matches!(
                token,
                Token::MonthShort | Token::DayShort | Token::DayName | Token::MonthName
            ) && after.bytes().next().is_some_and(|c| c.is_ascii_lowercase())
            {
                continue;
            }
            return (token, text.len());
        }
    }
    let len = layout.chars().next().map_or(1, char::len_utf8);
    (Token::Lit, len)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
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
