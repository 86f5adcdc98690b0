//! Go's time layouts (`2006-01-02T15:04:05Z07:00`): formatting and parsing a [`Time`], and the
//! calendar arithmetic under them.

use super::Time;

impl Time {
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

pub(super) fn civil_from_days(z: i64) -> (i64, i64, i64) {
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
