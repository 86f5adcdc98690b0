//! The Kubernetes CEL library functions CRD rules use, beyond CEL's standard library and its
//! strings, lists and math extensions: URLs (`isURL`, `url`, `getScheme`, ...), IP addresses and
//! CIDRs (`isIP`, `ip`, `isCIDR`, `cidr`), lists (`sum`, `isSorted`), quantities (`isQuantity`, `quantity`, `compareTo`,
//! ...) and `duration`, as `k8s.io/apiserver/pkg/cel/library` declares them.
//!
//! Values are kept simple: a URL, an IP or a CIDR is its checked string; a quantity is its
//! approximate value as a `double`; a duration is its length in nanoseconds as an `int`. That is
//! enough to compare them, which is what validation rules do. A function bosun lacks makes its
//! rule fail to run, and the rule is then skipped, not reported.

use std::sync::Arc;

use cel::extractors::This;
use cel::{Context, Env, ExecutionError, ResolveResult, Value};

use crate::validate::rules::{formats, quantity};

/// A root context with bosun's Kubernetes library functions on `env`.
pub fn context(env: Arc<Env>) -> Context<'static, 'static> {
    let mut context = Context::with_env(env);
    // A name the environment already declares is refused; the rule using it then runs on
    // the environment's own function.
    let _ = context.add_function("isURL", |This(s): This<Arc<String>>| url(&s).is_some());
    let _ = context.add_function("url", |This(s): This<Arc<String>>| {
        checked("url", &s, url(&s).is_some(), "URL")
    });
    let _ = context.add_function("getScheme", |This(s): This<Arc<String>>| {
        url(&s).map(|u| u.scheme.to_string()).unwrap_or_default()
    });
    let _ = context.add_function("getHost", |This(s): This<Arc<String>>| {
        url(&s).map(|u| u.host.to_string()).unwrap_or_default()
    });
    let _ = context.add_function("getHostname", |This(s): This<Arc<String>>| {
        url(&s)
            .map(|u| hostname(u.host).to_string())
            .unwrap_or_default()
    });
    let _ = context.add_function("getPort", |This(s): This<Arc<String>>| {
        url(&s)
            .map(|u| port(u.host).to_string())
            .unwrap_or_default()
    });
    let _ = context.add_function("getEscapedPath", |This(s): This<Arc<String>>| {
        url(&s).map(|u| u.path.to_string()).unwrap_or_default()
    });
    let _ = context.add_function("isIP", |This(s): This<Arc<String>>| formats::is_ip(&s));
    let _ = context.add_function("ip", |This(s): This<Arc<String>>| {
        checked("ip", &s, formats::is_ip(&s), "IP address")
    });
    let _ = context.add_function("isCIDR", |This(s): This<Arc<String>>| {
        formats::cidr(&s).is_none()
    });
    let _ = context.add_function("cidr", |This(s): This<Arc<String>>| {
        checked("cidr", &s, formats::cidr(&s).is_none(), "CIDR")
    });
    let _ = context.add_function("isQuantity", |This(s): This<Arc<String>>| {
        quantity::parse(&serde_json::Value::String(s.to_string())).is_ok()
    });
    let _ = context.add_function("quantity", |This(s): This<Arc<String>>| -> ResolveResult {
        quantity::parse(&serde_json::Value::String(s.to_string()))
            .map(Value::Float)
            .map_err(|e| ExecutionError::function_error("quantity", e))
    });
    let _ = context.add_function("isLessThan", |This(a): This<f64>, b: f64| a < b);
    let _ = context.add_function("isGreaterThan", |This(a): This<f64>, b: f64| a > b);
    let _ = context.add_function("compareTo", |This(a): This<f64>, b: f64| {
        a.partial_cmp(&b).map_or(0, |o| o as i64)
    });
    let _ = context.add_function("asApproximateFloat", |This(a): This<f64>| a);
    let _ = context.add_function(
        "sum",
        |This(list): This<Arc<Vec<Value>>>| -> ResolveResult { sum(&list) },
    );
    let _ = context.add_function("isSorted", |This(list): This<Arc<Vec<Value>>>| {
        list.windows(2)
            .all(|pair| pair[0].partial_cmp(&pair[1]).is_some_and(|o| o.is_le()))
    });
    let _ = context.add_function("duration", |This(s): This<Arc<String>>| -> ResolveResult {
        duration_nanos(&s).map(Value::Int).ok_or_else(|| {
            ExecutionError::function_error("duration", format!("invalid duration {s:?}"))
        })
    });
    context
}

/// The sum of a list of `int`s or of `double`s (`0` when empty), as Kubernetes' `sum()`.
fn sum(list: &[Value]) -> ResolveResult {
    let mut int = 0i64;
    let mut float = None::<f64>;
    for item in list {
        match item {
            Value::Int(i) if float.is_none() => {
                int = int
                    .checked_add(*i)
                    .ok_or_else(|| ExecutionError::function_error("sum", "integer overflow"))?;
            }
            Value::Float(f) if int == 0 => *float.get_or_insert(0.0) += f,
            other => {
                return Err(ExecutionError::function_error(
                    "sum",
                    format!("cannot add {other:?}"),
                ));
            }
        }
    }
    Ok(float.map_or(Value::Int(int), Value::Float))
}

/// `value` itself when `ok`, else the error Kubernetes' constructor function raises.
fn checked(function: &str, value: &Arc<String>, ok: bool, what: &str) -> ResolveResult {
    if ok {
        Ok(Value::String(Arc::clone(value)))
    } else {
        Err(ExecutionError::function_error(
            function,
            format!("{value:?} is not a valid {what}"),
        ))
    }
}

/// The parts of an absolute URL or an absolute path, as Go's `url.ParseRequestURI` splits them.
struct Url<'a> {
    scheme: &'a str,
    host: &'a str,
    path: &'a str,
}

fn url(s: &str) -> Option<Url<'_>> {
    if s.is_empty() || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let before_query = s.split(['?', '#']).next().unwrap_or(s);
    if before_query.starts_with('/') {
        return Some(Url {
            scheme: "",
            host: "",
            path: before_query,
        });
    }
    let (scheme, rest) = before_query.split_once(':')?;
    let mut chars = scheme.chars();
    let scheme_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !scheme_ok {
        return None;
    }
    let (host, path) = match rest.strip_prefix("//") {
        Some(authority) => {
            let end = authority.find('/').unwrap_or(authority.len());
            let host = &authority[..end];
            (host.rsplit('@').next().unwrap_or(host), &authority[end..])
        }
        None => ("", rest),
    };
    Some(Url { scheme, host, path })
}

fn hostname(host: &str) -> &str {
    if let Some(bracketed) = host.strip_prefix('[') {
        return bracketed.split(']').next().unwrap_or(bracketed);
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

fn port(host: &str) -> &str {
    let after = host.rsplit(']').next().unwrap_or(host);
    after.rsplit_once(':').map_or("", |(_, port)| port)
}

/// A Go duration (`1h30m`, `1.5s`, `300ms`, `-2us`) in nanoseconds, as CEL's `duration()` reads
/// it: Go's `time.ParseDuration`, which sprig already carries for Helm's date functions.
fn duration_nanos(s: &str) -> Option<i64> {
    sprig::dates::parse_duration(s).and_then(|nanos| i64::try_from(nanos).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(rule: &str) -> ResolveResult {
        let env = super::super::env();
        let program = env.compile(rule).expect("compiles");
        program.execute(&context(env))
    }

    #[test]
    fn kubernetes_library_functions_answer_like_the_api_server() {
        for rule in [
            "url('https://example.com:8443/a').getScheme() == 'https'",
            "url('https://example.com:8443/a').getHostname() == 'example.com'",
            "url('https://example.com:8443/a').getPort() == '8443'",
            "isURL('/just/a/path')",
            "!isURL('not a url')",
            "isIP('10.0.0.1') && !isIP('10.0.0')",
            "isCIDR('fd00::/64') && !isCIDR('10.0.0.0/33')",
            "quantity('1Gi').isGreaterThan(quantity('1G'))",
            "duration('1m30s') > duration('90s') == false",
            "duration('150ms') >= duration('1ms')",
            "'a,b'.split(',').size() == 2",
            "'Hello'.lowerAscii() == 'hello'",
            "[1, 2, 3].sum() == 6 && [].sum() == 0",
            "[1, 2, 2].isSorted() && !['b', 'a'].isSorted()",
        ] {
            assert_eq!(eval(rule), Ok(Value::Bool(true)), "{rule}");
        }
        assert!(eval("duration('5d')").is_err());
    }
}
