//! Resource quantities (`500m`, `1.5Gi`, `1e3`), read the way
//! `staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go` `ParseQuantity` reads them,
//! to an approximate value that is good enough to compare a request with its limit.

use serde_json::Value;

/// The value of a quantity, or why it is not one.
pub fn parse(value: &Value) -> Result<f64, String> {
    match value {
        Value::Number(n) => n.as_f64().ok_or_else(|| "is not a number".to_string()),
        Value::String(s) => parse_str(s),
        _ => Err("must be a quantity".into()),
    }
}

fn parse_str(s: &str) -> Result<f64, String> {
    let bad = || {
        Err("must be a quantity: a number with an optional suffix (`500m`, `2`, `1.5Gi`, `128Mi`, `1e3`)".to_string())
    };
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let number_len = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(body.len());
    let (number, suffix) = body.split_at(number_len);
    if number.matches('.').count() > 1 || !number.chars().any(|c| c.is_ascii_digit()) {
        return bad();
    }
    let Ok(mut amount) = number
        .parse::<f64>()
        .or_else(|_| format!("{number}0").parse::<f64>())
    else {
        return bad();
    };
    if s.starts_with('-') {
        amount = -amount;
    }
    let factor = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024f64,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        exponent => {
            let Some(power) = exponent.strip_prefix(['e', 'E']) else {
                return bad();
            };
            let digits = power.strip_prefix(['+', '-']).unwrap_or(power);
            if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
                return bad();
            }
            let Ok(power) = power.parse::<i32>() else {
                return bad();
            };
            10f64.powi(power)
        }
    };
    Ok(amount * factor)
}

#[cfg(test)]
mod tests {
    use super::parse;
    use serde_json::json;

    #[test]
    fn quantities() {
        for ok in [
            "500m", "1", "1.5Gi", "128Mi", "1e3", "1E-3", ".5", "5.", "+1k", "0",
        ] {
            assert!(parse(&json!(ok)).is_ok(), "{ok}");
        }
        for bad in [
            "", "1.2.3", "1 Gi", "1GB", "Gi", "1gi", "abc", "1e", "--1", "1Ki2",
        ] {
            assert!(parse(&json!(bad)).is_err(), "{bad}");
        }
        assert_eq!(parse(&json!("1Gi")).unwrap(), 1073741824.0);
        assert_eq!(parse(&json!(2)).unwrap(), 2.0);
        assert!(parse(&json!("250m")).unwrap() < parse(&json!("0.5")).unwrap());
    }
}
