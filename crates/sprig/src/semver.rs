//! `semver` and `semverCompare` with the rules of Masterminds/semver v3, which Helm's sprig
//! uses: lenient versions (`v1.2`, `1`), and constraints joined by `,`/spaces (and) and `||`
//! (or), with `=`, `!=`, `>`, `<`, `>=`, `<=`, `~`, `^`, `x`/`*` wildcards and `A - B` ranges.
//! A prerelease version satisfies only a constraint that has a prerelease itself, so charts
//! write `>=1.21-0` to admit `v1.29.0-eks-1`.
//!
//! The patterns are compiled by `regex-lite`, whose `\s` is ASCII as Go's is: compiled by
//! `regex`, they were 1.8% of the CPU of rendering Bitnami's charts (whose `common` asks
//! `semverCompare` about the cluster's version in nearly every chart).

use std::cmp::Ordering;
use std::sync::{Arc, LazyLock};

use gotmpl::{Error, Object, Param, Value};
use regex_lite::Regex;

use crate::{Registry, s};

#[cfg(test)]
mod lite_same;

const VERSION: &str = r"v?([0-9|xX*]+)(\.[0-9|xX*]+)?(\.[0-9|xX*]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

static STRICT_VERSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$").expect("valid")
});
static ONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\s*({OPS})\s*({VERSION})\s*$")).expect("valid"));
static FIND: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"({OPS})\s*({VERSION})")).expect("valid"));
static VALID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(\s*({OPS})\s*({VERSION})\s*)((?:\s+|,\s*)({OPS})\s*({VERSION})\s*)*$"
    ))
    .expect("valid")
});
static RANGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\s*({VERSION})\s+-\s+({VERSION})\s*")).expect("valid"));

/// A parsed version, as `semver` returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
    pub metadata: String,
    pub original: String,
}

impl Version {
    /// Parses leniently, as `semver.NewVersion` does.
    pub fn parse(text: &str) -> Result<Version, Error> {
        let invalid = || Error::new("invalid semantic version");
        let m = STRICT_VERSION.captures(text).ok_or_else(invalid)?;
        let num = |i: usize| -> Result<u64, Error> {
            m.get(i).map_or(Ok(0), |g| {
                g.as_str()
                    .trim_start_matches('.')
                    .parse()
                    .map_err(|_| invalid())
            })
        };
        Ok(Version {
            major: num(1)?,
            minor: num(2)?,
            patch: num(3)?,
            pre: m.get(5).map_or("", |g| g.as_str()).to_string(),
            metadata: m.get(8).map_or("", |g| g.as_str()).to_string(),
            original: text.to_string(),
        })
    }

    fn compare(&self, other: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| compare_pre(&self.pre, &other.pre))
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

fn compare_pre(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let (pa, pb): (Vec<&str>, Vec<&str>) = (a.split('.').collect(), b.split('.').collect());
    for (x, y) in pa.iter().zip(pb.iter()) {
        let ord = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(i), Ok(j)) => i.cmp(&j),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            _ => x.cmp(y),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    pa.len().cmp(&pb.len())
}

impl Object for Version {
    fn type_name(&self) -> &str {
        "*semver.Version"
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, Error>> {
        let other = || match args.first() {
            Some(Value::Object(o)) => o
                .as_any_version()
                .ok_or_else(|| Error::new("wrong type for value; expected *semver.Version")),
            _ => Err(Error::new("wrong type for value; expected *semver.Version")),
        };
        Some(Ok(match name {
            "Major" => Value::Int64(self.major as i64),
            "Minor" => Value::Int64(self.minor as i64),
            "Patch" => Value::Int64(self.patch as i64),
            "Prerelease" => self.pre.clone().into(),
            "Metadata" => self.metadata.clone().into(),
            "Original" => self.original.clone().into(),
            "String" => self.to_string().into(),
            "Compare" | "LessThan" | "GreaterThan" | "Equal" => {
                let o = match other() {
                    Ok(o) => o,
                    Err(e) => return Some(Err(e)),
                };
                let ord = self.compare(&o);
                match name {
                    "Compare" => Value::Int(ord as i64),
                    "LessThan" => (ord == Ordering::Less).into(),
                    "GreaterThan" => (ord == Ordering::Greater).into(),
                    _ => (ord == Ordering::Equal).into(),
                }
            }
            _ => return None,
        }))
    }

    fn to_text(&self) -> String {
        self.to_string()
    }
}

/// Recovers a [`Version`] from a host object (`semver` results compared with `.Compare`).
trait AsVersion {
    fn as_any_version(&self) -> Option<Version>;
}

impl AsVersion for Arc<dyn Object> {
    fn as_any_version(&self) -> Option<Version> {
        if self.type_name() != "*semver.Version" {
            return None;
        }
        Version::parse(&self.to_text()).ok()
    }
}

struct Constraint {
    op: String,
    con: Version,
    dirty: bool,
    minor_dirty: bool,
    patch_dirty: bool,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

fn parse_one(text: &str) -> Result<Constraint, Error> {
    let m = ONE
        .captures(text)
        .ok_or_else(|| Error::new(format!("improper constraint: {text}")))?;
    let group = |i: usize| m.get(i).map_or("", |g| g.as_str());
    let (major, minor, patch) = (
        group(3),
        group(4).trim_start_matches('.'),
        group(5).trim_start_matches('.'),
    );
    let pre = group(6);
    let (mut dirty, mut minor_dirty, mut patch_dirty) = (false, false, false);
    let version = if is_x(major) || major.is_empty() {
        dirty = true;
        format!("0.0.0{pre}")
    } else if is_x(minor) || minor.is_empty() {
        dirty = true;
        minor_dirty = true;
        format!("{major}.0.0{pre}")
    } else if is_x(patch) || patch.is_empty() {
        dirty = true;
        patch_dirty = true;
        format!("{major}.{minor}.0{pre}")
    } else {
        group(2).to_string()
    };
    let con = Version::parse(&version).map_err(|_| Error::new("constraint Parser Error"))?;
    Ok(Constraint {
        op: group(1).to_string(),
        con,
        dirty,
        minor_dirty,
        patch_dirty,
    })
}

/// Parses a constraint string into alternatives of conjunctions.
fn parse_constraints(text: &str) -> Result<Vec<Vec<Constraint>>, Error> {
    let text = RANGE.replace_all(text, " >= ${1}, <= ${11} ");
    let mut ors = Vec::new();
    for part in text.split("||") {
        if !VALID.is_match(part) {
            return Err(Error::new(format!("improper constraint: {part}")));
        }
        let found: Vec<&str> = FIND.find_iter(part).map(|m| m.as_str()).collect();
        let found = if found.is_empty() { vec![part] } else { found };
        let mut ands = Vec::new();
        for c in found {
            ands.push(if c.is_empty() {
                Constraint {
                    op: String::new(),
                    con: Version::parse("0.0.0")?,
                    dirty: true,
                    minor_dirty: false,
                    patch_dirty: false,
                }
            } else {
                parse_one(c)?
            });
        }
        ors.push(ands);
    }
    Ok(ors)
}

fn check(v: &Version, c: &Constraint) -> bool {
    if !v.pre.is_empty() && c.con.pre.is_empty() {
        return false;
    }
    let cmp = v.compare(&c.con);
    match c.op.as_str() {
        "" | "=" => {
            if c.dirty {
                tilde(v, c)
            } else {
                cmp == Ordering::Equal
            }
        }
        "!=" => {
            if c.dirty {
                if c.con.major != v.major {
                    return true;
                }
                if c.minor_dirty {
                    return false;
                }
                if c.con.minor != v.minor {
                    return true;
                }
                if c.patch_dirty {
                    return compare_pre(&v.pre, &c.con.pre) != Ordering::Equal
                        && (!v.pre.is_empty() || !c.con.pre.is_empty());
                }
            }
            cmp != Ordering::Equal
        }
        ">" => {
            if !c.dirty {
                return cmp == Ordering::Greater;
            }
            if v.major != c.con.major {
                return v.major > c.con.major;
            }
            if c.minor_dirty {
                return false;
            }
            if c.patch_dirty {
                return v.minor > c.con.minor;
            }
            cmp == Ordering::Greater
        }
        "<" => cmp == Ordering::Less,
        ">=" | "=>" => cmp != Ordering::Less,
        "<=" | "=<" => {
            if !c.dirty {
                return cmp != Ordering::Greater;
            }
            !(v.major > c.con.major
                || v.major == c.con.major && v.minor > c.con.minor && !c.minor_dirty)
        }
        "~" | "~>" => tilde(v, c),
        "^" => {
            if cmp == Ordering::Less {
                return false;
            }
            if c.con.major > 0 || c.minor_dirty {
                return v.major == c.con.major;
            }
            if v.major > 0 {
                return false;
            }
            if c.con.minor > 0 || c.patch_dirty {
                return v.minor == c.con.minor;
            }
            if v.minor > 0 {
                return false;
            }
            v.patch == c.con.patch
        }
        _ => false,
    }
}

fn tilde(v: &Version, c: &Constraint) -> bool {
    if v.compare(&c.con) == Ordering::Less {
        return false;
    }
    if c.con.major == 0 && c.con.minor == 0 && c.con.patch == 0 && !c.minor_dirty && !c.patch_dirty
    {
        return true;
    }
    if v.major != c.con.major {
        return false;
    }
    v.minor == c.con.minor || c.minor_dirty
}

/// Whether `version` satisfies `constraint` (Helm's `semverCompare`).
pub fn satisfies(constraint: &str, version: &str) -> Result<bool, Error> {
    let ors = parse_constraints(constraint)?;
    let v = Version::parse(version)?;
    Ok(ors.iter().any(|ands| ands.iter().all(|c| check(&v, c))))
}

pub(crate) fn register(r: &mut Registry<'_>) {
    r.typed("semver", &[Param::String], |a| {
        Ok(Value::object(Version::parse(s(a, 0))?))
    });
    r.typed("semverCompare", &[Param::String, Param::String], |a| {
        Ok(satisfies(s(a, 0), s(a, 1))?.into())
    });
}
