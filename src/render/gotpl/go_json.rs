//! JSON written as Go's `encoding/json` writes it, for Helm's `toJson`: serde_json's writer
//! with Go's numbers (a float64 in plain digits between 1e-6 and 1e21, `1e+21` and `1e-7`
//! outside, `-0` kept) and `<`, `>` and `&` escaped as `\u003c`, `\u003e`, `\u0026`.

use std::io;

use serde::Serialize;
use serde_json::ser::Formatter;

/// `value` as Go's `json.Marshal` prints it.
pub fn to_string(value: &serde_json::Value) -> String {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, GoFormatter);
    // Writing JSON values into memory cannot fail.
    let _ = value.serialize(&mut serializer);
    String::from_utf8_lossy(&out)
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

struct GoFormatter;

impl Formatter for GoFormatter {
    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        writer.write_all(float(value).as_bytes())
    }
}

/// Go's `strconv.AppendFloat(f, 'f' or 'e', -1, 64)` as `encoding/json` chooses between them.
fn float(f: f64) -> String {
    let abs = f.abs();
    if abs == 0.0 || (1e-6..1e21).contains(&abs) {
        return format!("{f}");
    }
    let text = format!("{f:e}");
    match text.split_once('e') {
        Some((mantissa, exponent)) if !exponent.starts_with('-') => {
            format!("{mantissa}e+{exponent}")
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// What helm 4.1.4's `toJson` printed for these values (checked by hand).
    #[test]
    fn numbers_print_as_gos_json_prints_them() {
        let value = json!({
            "big": 12345678901234567890.0_f64, "e": 1e21, "f": 1.5, "html": "<a&b>", "i": 3,
            "m": 9007199254740992.0_f64, "neg": -0.0, "small": 0.000001, "tiny": 1e-7
        });
        assert_eq!(
            to_string(&value),
            r#"{"big":12345678901234567000,"e":1e+21,"f":1.5,"html":"\u003ca\u0026b\u003e","i":3,"m":9007199254740992,"neg":-0,"small":0.000001,"tiny":1e-7}"#
        );
    }
}
