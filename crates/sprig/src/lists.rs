//! sprig's list functions. Like sprig, they take any list (Go reads it by reflection) and fail
//! with sprig's message (`Cannot find first on type string`) on anything else; the `must*`
//! names behave the same here, since a failing plain form is reported as an error too.

use gotmpl::{Error, Param, Value};

use crate::cast::{self, is_empty, to_int64};
use crate::defaults::deep_equal;
use crate::{Registry, n};

use Param::{Any, Int};

/// The items of `value`, or sprig's `Cannot <what> type <kind>` error (Go's nil-reflection
/// panic for nil).
fn items(value: &Value, what: &str) -> Result<Vec<Value>, Error> {
    if matches!(value, Value::Nil) {
        return Err(cast::nil_kind_error());
    }
    cast::as_list(value)
        .ok_or_else(|| Error::new(format!("Cannot {what} type {}", cast::kind(value))))
}

fn list(items: Vec<Value>) -> crate::Result {
    Ok(Value::list(items))
}

pub(crate) fn register(r: &mut Registry<'_>) {
    r.variadic("list", &[], Any, |a| list(a.to_vec()));
    for must in ["", "must"] {
        let name = |base: &str| {
            if must.is_empty() {
                base.to_string()
            } else {
                let mut c = base.chars();
                let first = c.next().map(|f| f.to_ascii_uppercase()).unwrap_or_default();
                format!("must{first}{}", c.as_str())
            }
        };
        for push in ["push", "append"] {
            r.typed(&name(push), &[Any, Any], |a| {
                let mut v = items(&a[0], "push on")?;
                v.push(a[1].clone());
                list(v)
            });
        }
        r.typed(&name("prepend"), &[Any, Any], |a| {
            let mut v = items(&a[0], "prepend on")?;
            v.insert(0, a[1].clone());
            list(v)
        });
        r.typed(&name("first"), &[Any], |a| {
            Ok(items(&a[0], "find first on")?
                .first()
                .cloned()
                .unwrap_or_default())
        });
        r.typed(&name("last"), &[Any], |a| {
            Ok(items(&a[0], "find last on")?
                .last()
                .cloned()
                .unwrap_or_default())
        });
        r.typed(&name("rest"), &[Any], |a| {
            let v = items(&a[0], "find rest on")?;
            list(v.get(1..).unwrap_or_default().to_vec())
        });
        r.typed(&name("initial"), &[Any], |a| {
            let v = items(&a[0], "find initial on")?;
            list(v[..v.len().saturating_sub(1)].to_vec())
        });
        r.typed(&name("reverse"), &[Any], |a| {
            let mut v = items(&a[0], "find reverse on")?;
            v.reverse();
            list(v)
        });
        r.typed(&name("uniq"), &[Any], |a| {
            let mut out: Vec<Value> = Vec::new();
            for item in items(&a[0], "find uniq on")? {
                if !out.iter().any(|o| deep_equal(o, &item)) {
                    out.push(item);
                }
            }
            list(out)
        });
        r.variadic(&name("without"), &[Any], Any, |a| {
            let v = items(&a[0], "find without on")?;
            let omit = &a[1..];
            list(
                v.into_iter()
                    .filter(|item| !omit.iter().any(|o| deep_equal(o, item)))
                    .collect(),
            )
        });
        r.typed(&name("has"), &[Any, Any], |a| {
            if matches!(a[1], Value::Nil) {
                return Ok(false.into());
            }
            let v = items(&a[1], "find has on")?;
            Ok(v.iter().any(|item| deep_equal(item, &a[0])).into())
        });
        r.typed(&name("compact"), &[Any], |a| {
            let v = items(&a[0], "compact on")?;
            list(v.into_iter().filter(|item| !is_empty(item)).collect())
        });
        r.variadic(&name("slice"), &[Any], Any, |a| {
            // sprig's own words here, not its `Cannot ... type` of the other list functions.
            if !matches!(a[0], Value::Nil) && cast::as_list(&a[0]).is_none() {
                return Err(Error::new(format!(
                    "list should be type of slice or array but {}",
                    cast::kind(&a[0])
                )));
            }
            let v = items(&a[0], "slice")?;
            let len = v.len() as i64;
            let start = a.get(1).map_or(0, to_int64);
            let end = a.get(2).map_or(len, to_int64);
            if start < 0 || end < start || end > len {
                return Err(Error::new("reflect.Value.Slice: slice index out of bounds"));
            }
            list(v[start as usize..end as usize].to_vec())
        });
        r.typed(&name("chunk"), &[Int, Any], |a| {
            let v = items(&a[1], "chunk")?;
            let size = usize::try_from(n(a, 0)).unwrap_or(0);
            if size == 0 {
                return Err(Error::new("runtime error: integer divide by zero"));
            }
            list(v.chunks(size).map(|c| Value::list(c.to_vec())).collect())
        });
    }
    r.variadic("concat", &[], Any, |a| {
        let mut out = Vec::new();
        for l in a {
            match cast::as_list(l) {
                Some(items) => out.extend(items),
                None if matches!(l, Value::Nil) => return Err(cast::nil_kind_error()),
                None => {
                    return Err(Error::new(format!(
                        "Cannot concat type {} as list",
                        cast::kind(l)
                    )));
                }
            }
        }
        list(out)
    });
}
