//! sprig's integer math (every operand through `cast.ToInt64`, results `int64`), float math
//! (operands through `cast.ToFloat64`; sums, differences and products exact in decimal as
//! sprig's `shopspring/decimal` makes them, so `addf 0.1 0.2` is 0.3), and the sequences `seq`,
//! `until`, `untilStep`.

use gotmpl::{Error, Param, Value};

use crate::cast::{to_float64, to_int64};
use crate::{Registry, n};

use Param::{Any, Float64, Int};

/// The most items `until`, `untilStep` and `seq` build, so a template cannot exhaust memory.
const MAX_ITEMS: i64 = 10_000_000;

fn int64(v: i64) -> crate::Result {
    Ok(Value::Int64(v))
}

fn divide_by_zero() -> Error {
    Error::new("runtime error: integer divide by zero")
}

pub(crate) fn register(r: &mut Registry<'_>) {
    r.variadic("add", &[], Any, |a| {
        int64(a.iter().fold(0i64, |acc, v| acc.wrapping_add(to_int64(v))))
    });
    r.typed("add1", &[Any], |a| int64(to_int64(&a[0]).wrapping_add(1)));
    r.typed("sub", &[Any, Any], |a| {
        int64(to_int64(&a[0]).wrapping_sub(to_int64(&a[1])))
    });
    r.typed("div", &[Any, Any], |a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err(divide_by_zero());
        }
        int64(to_int64(&a[0]).wrapping_div(d))
    });
    r.typed("mod", &[Any, Any], |a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err(divide_by_zero());
        }
        int64(to_int64(&a[0]).wrapping_rem(d))
    });
    r.variadic("mul", &[Any], Any, |a| {
        int64(a.iter().fold(1i64, |acc, v| acc.wrapping_mul(to_int64(v))))
    });
    r.variadic("max", &[Any], Any, |a| {
        int64(a.iter().map(to_int64).max().unwrap_or_default())
    });
    r.variadic("min", &[Any], Any, |a| {
        int64(a.iter().map(to_int64).min().unwrap_or_default())
    });
    r.typed("floor", &[Any], |a| Ok(to_float64(&a[0]).floor().into()));
    r.typed("ceil", &[Any], |a| Ok(to_float64(&a[0]).ceil().into()));
    r.variadic("round", &[Any, Int], Float64, |a| {
        let round_on = a.get(2).map_or(0.5, to_float64);
        let pow = 10f64.powf(n(a, 1) as f64);
        let digit = pow * to_float64(&a[0]);
        let fraction = digit - digit.trunc();
        let rounded = if fraction >= round_on {
            digit.ceil()
        } else {
            digit.floor()
        };
        Ok((rounded / pow).into())
    });
    r.variadic("addf", &[], Any, |a| {
        Ok(fold(a.iter().map(to_float64), 0.0, Op::Add).into())
    });
    r.typed("add1f", &[Any], |a| {
        Ok(decimal(to_float64(&a[0]), 1.0, Op::Add).into())
    });
    r.variadic("subf", &[Any], Any, |a| {
        Ok(fold(a[1..].iter().map(to_float64), to_float64(&a[0]), Op::Sub).into())
    });
    r.variadic("mulf", &[Any], Any, |a| {
        Ok(fold(a[1..].iter().map(to_float64), to_float64(&a[0]), Op::Mul).into())
    });
    r.variadic("divf", &[Any], Any, |a| {
        let mut acc = to_float64(&a[0]);
        for v in &a[1..] {
            let d = to_float64(v);
            if d == 0.0 {
                return Err(Error::new("decimal division by 0"));
            }
            acc = divide(acc, d);
        }
        Ok(acc.into())
    });
    r.variadic("maxf", &[Any], Any, |a| {
        Ok(a.iter()
            .map(to_float64)
            .fold(f64::NEG_INFINITY, go_max)
            .into())
    });
    r.variadic("minf", &[Any], Any, |a| {
        Ok(a.iter().map(to_float64).fold(f64::INFINITY, go_min).into())
    });
    r.variadic("seq", &[], Int, |a| {
        let p: Vec<i64> = a.iter().map(|v| v.as_int().unwrap_or_default()).collect();
        let items = match p[..] {
            [end] => {
                let inc = if end < 1 { -1 } else { 1 };
                until_step(1, end.saturating_add(inc), inc)?
            }
            [start, end] => {
                let step = if end < start { -1 } else { 1 };
                until_step(start, end.saturating_add(step), step)?
            }
            [start, step, end] => {
                let inc = if end < start { -1 } else { 1 };
                if end < start && step > 0 {
                    Vec::new()
                } else {
                    until_step(start, end.saturating_add(inc), step)?
                }
            }
            _ => Vec::new(),
        };
        let text: Vec<String> = items.iter().map(i64::to_string).collect();
        Ok(text.join(" ").into())
    });
    r.typed("until", &[Int], |a| {
        let count = n(a, 0);
        let step = if count < 0 { -1 } else { 1 };
        ints(until_step(0, count, step)?)
    });
    r.typed("untilStep", &[Int, Int, Int], |a| {
        ints(until_step(n(a, 0), n(a, 1), n(a, 2))?)
    });
}

fn ints(items: Vec<i64>) -> crate::Result {
    Ok(Value::list(items.into_iter().map(Value::Int).collect()))
}

/// sprig's `untilStep`: from `start` towards `stop` (excluded) by `step`; empty when the step
/// goes the wrong way.
pub fn until_step(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, Error> {
    let (start128, stop128, step128) = (i128::from(start), i128::from(stop), i128::from(step));
    let count = if stop < start {
        if step >= 0 {
            return Ok(Vec::new());
        }
        (start128 - stop128 - step128 - 1) / -step128
    } else {
        if step <= 0 {
            return Ok(Vec::new());
        }
        (stop128 - start128 + step128 - 1) / step128
    };
    if count > i128::from(MAX_ITEMS) {
        return Err(Error::new(format!(
            "a sequence of {count} items is more than the limit of {MAX_ITEMS}"
        )));
    }
    Ok((0..count as i64).map(|i| start + i * step).collect())
}

fn go_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}

fn go_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.min(b)
    }
}

#[derive(Clone, Copy)]
enum Op {
    Add,
    Sub,
    Mul,
}

fn fold(items: impl Iterator<Item = f64>, init: f64, op: Op) -> f64 {
    items.fold(init, |acc, v| decimal(acc, v, op))
}

/// `a op b` computed exactly on the shortest decimal forms of `a` and `b`, then rounded to the
/// nearest float64, as `decimal.NewFromFloat(a).Add(decimal.NewFromFloat(b)).Float64()` does.
/// Numbers too large for the exact path use float arithmetic.
fn decimal(a: f64, b: f64, op: Op) -> f64 {
    let float = match op {
        Op::Add => a + b,
        Op::Sub => a - b,
        Op::Mul => a * b,
    };
    let (Some((ma, sa)), Some((mb, sb))) = (scaled(a), scaled(b)) else {
        return float;
    };
    let exact = match op {
        Op::Add | Op::Sub => {
            let scale = sa.max(sb);
            let x = ma.checked_mul(10i128.pow(scale - sa));
            let y = mb.checked_mul(10i128.pow(scale - sb));
            let r = match (x, y, op) {
                (Some(x), Some(y), Op::Add) => x.checked_add(y),
                (Some(x), Some(y), _) => x.checked_sub(y),
                _ => None,
            };
            r.map(|m| (m, scale))
        }
        Op::Mul => ma.checked_mul(mb).map(|m| (m, sa + sb)),
    };
    match exact {
        Some((m, scale)) => unscale(m, scale).unwrap_or(float),
        None => float,
    }
}

/// `a / b` as `decimal.Div` computes it: rounded half away from zero to 16 decimal places,
/// then to the nearest float64. Numbers too large for the exact path use float division.
fn divide(a: f64, b: f64) -> f64 {
    const PLACES: u32 = 16;
    let float = a / b;
    let (Some((ma, sa)), Some((mb, sb))) = (scaled(a), scaled(b)) else {
        return float;
    };
    let num = 10i128
        .checked_pow(sb + PLACES)
        .and_then(|p| ma.checked_mul(p));
    let den = 10i128.checked_pow(sa).and_then(|p| mb.checked_mul(p));
    let (Some(num), Some(den)) = (num, den) else {
        return float;
    };
    let (mut q, rem) = (num / den, num % den);
    if rem.unsigned_abs() * 2 >= den.unsigned_abs() {
        q += if (num < 0) == (den < 0) { 1 } else { -1 };
    }
    unscale(q, PLACES).unwrap_or(float)
}

fn scaled(f: f64) -> Option<(i128, u32)> {
    if !f.is_finite() {
        return None;
    }
    let text = format!("{f}");
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    if text.len() > 36 {
        return None;
    }
    let m: i128 = format!("{int}{frac}").parse().ok()?;
    Some((m, frac.len() as u32))
}

fn unscale(m: i128, scale: u32) -> Option<f64> {
    let digits = m.unsigned_abs().to_string();
    let sign = if m < 0 { "-" } else { "" };
    let scale = scale as usize;
    let text = if digits.len() > scale {
        let (i, f) = digits.split_at(digits.len() - scale);
        format!("{sign}{i}.{f}0")
    } else {
        format!("{sign}0.{}{digits}", "0".repeat(scale - digits.len()))
    };
    text.parse().ok()
}
