//! sprig's encodings (`b64enc`, `b32enc`, ...), hashes (`sha1sum`, `sha256sum`, `sha512sum`,
//! `adler32sum`), random values (`randAlphaNum` and friends, `randInt`, `uuidv4`, drawn from the
//! engine's seedable source), paths (`base`, `dir`, `ext`, `clean`, `isAbs`, with Go's `path`
//! rules, and their `os*` twins, the same on Unix) and URLs (`urlParse`, `urlJoin`).

use std::collections::BTreeMap;

use base64::Engine as _;
use gotmpl::{Error, Param, Value};
use sha2::Digest;

use rand::RngExt;

use crate::random::Source;
use crate::{Registry, n, s};

use Param::{Int, Map, String as Str};

mod hashes;
mod paths;
mod url;

pub(crate) fn register(r: &mut Registry<'_>, rng: &Source) {
    r.typed("b64enc", &[Str], |a| {
        Ok(base64::engine::general_purpose::STANDARD
            .encode(s(a, 0))
            .into())
    });
    r.typed("b64dec", &[Str], |a| {
        Ok(
            match base64::engine::general_purpose::STANDARD.decode(s(a, 0)) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) => format!("illegal base64 data at input byte {}", b64_error_offset(&e)),
            }
            .into(),
        )
    });
    r.typed("b32enc", &[Str], |a| {
        Ok(data_encoding::BASE32.encode(s(a, 0).as_bytes()).into())
    });
    r.typed("b32dec", &[Str], |a| {
        Ok(match data_encoding::BASE32.decode(s(a, 0).as_bytes()) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => format!("illegal base32 data at input byte {}", e.position),
        }
        .into())
    });
    r.typed("sha1sum", &[Str], |a| {
        Ok(hex(&hashes::sha1(s(a, 0).as_bytes())).into())
    });
    r.typed("sha256sum", &[Str], |a| {
        Ok(hex(&sha2::Sha256::digest(s(a, 0).as_bytes())).into())
    });
    r.typed("sha512sum", &[Str], |a| {
        Ok(hex(&sha2::Sha512::digest(s(a, 0).as_bytes())).into())
    });
    r.typed("adler32sum", &[Str], |a| {
        Ok(hashes::adler32(s(a, 0).as_bytes()).to_string().into())
    });

    let alphabets: [(&str, Alphabet); 4] = [
        ("randAlphaNum", |c| c.is_ascii_alphanumeric()),
        ("randAlpha", |c| c.is_ascii_alphabetic()),
        ("randNumeric", |c| c.is_ascii_digit()),
        ("randAscii", |c| (32..=126).contains(&c)),
    ];
    for (name, keep) in alphabets {
        let chars: Vec<char> = (32u8..=126).filter(|&c| keep(c)).map(char::from).collect();
        r.random(name, &[Int], rng, move |draw, a| {
            let count = usize::try_from(n(a, 0)).map_err(|_| {
                Error::new(format!(
                    "Requested random length {} is less than 0.",
                    n(a, 0)
                ))
            })?;
            crate::check_len(name, count as u128)?;
            let text: String = (0..count)
                .map(|_| chars[draw.random_range(..chars.len())])
                .collect();
            Ok(text.into())
        });
    }
    r.random("randInt", &[Int, Int], rng, |draw, a| {
        let (min, max) = (n(a, 0), n(a, 1));
        if max <= min {
            return Err(Error::new("invalid argument to Intn"));
        }
        Ok(Value::Int(draw.random_range(min..max)))
    });
    r.random("uuidv4", &[], rng, |draw, _| {
        let mut b: [u8; 16] = draw.random();
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h = hex(&b);
        Ok(format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
        .into())
    });

    for prefix in ["", "os"] {
        let name = |base: &str| {
            if prefix.is_empty() {
                base.to_string()
            } else {
                let mut c = base.chars();
                let first = c.next().map(|f| f.to_ascii_uppercase()).unwrap_or_default();
                format!("os{first}{}", c.as_str())
            }
        };
        r.typed(&name("base"), &[Str], |a| Ok(paths::base(s(a, 0)).into()));
        r.typed(&name("dir"), &[Str], |a| Ok(paths::dir(s(a, 0)).into()));
        r.typed(&name("ext"), &[Str], |a| Ok(paths::ext(s(a, 0)).into()));
        r.typed(&name("clean"), &[Str], |a| Ok(paths::clean(s(a, 0)).into()));
        r.typed(&name("isAbs"), &[Str], |a| {
            Ok(s(a, 0).starts_with('/').into())
        });
    }

    r.typed("urlParse", &[Str], |a| {
        let parts =
            url::parse(s(a, 0)).map_err(|e| Error::new(format!("unable to parse url: {e}")))?;
        let mut d = BTreeMap::new();
        for (k, v) in parts {
            d.insert(k.to_string(), Value::from(v));
        }
        Ok(Value::map(d))
    });
    r.typed("urlJoin", &[Map], |a| {
        let get = |k: &str| match &a[0] {
            Value::Map(m) => m
                .get(k)
                .as_ref()
                .map(crate::cast::strval)
                .unwrap_or_default(),
            _ => String::new(),
        };
        Ok(url::join(&get).into())
    });
}

pub(crate) fn b64_error_offset(e: &base64::DecodeError) -> usize {
    match e {
        base64::DecodeError::InvalidByte(i, _) | base64::DecodeError::InvalidLastSymbol(i, _) => *i,
        base64::DecodeError::InvalidLength(len) => *len - len % 4,
        base64::DecodeError::InvalidPadding => 0,
    }
}

/// Which printable ASCII characters a random function draws from.
type Alphabet = fn(u8) -> bool;

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
