//! sprig's private keys and X.509 certificates, as Helm's charts use them for TLS secrets:
//! `genPrivateKey` (`rsa` 4096 bits as PKCS#1, `ecdsa` P-256 as SEC 1, `ed25519` as PKCS#8;
//! `dsa` is refused), `genCA`, `genSelfSignedCert`, `genSignedCert` (a fresh RSA 2048 key
//! each), their `...WithKey` forms (a PEM key given), and `buildCustomCert` (a base64 PEM pair
//! checked and returned). A certificate is a [`Certificate`] object with `.Cert` and `.Key`.
//!
//! The certificates carry what sprig's do: the common name, the DNS names then the IPs as
//! alternative names, a 128-bit random serial, `daysValid` days from now, key usage digital
//! signature + key encipherment (+ certificate signing for a CA), extended key usage server
//! and client auth, and basic constraints (critical, CA true or false), signed SHA-256.
//! Keys come from the call's random source ([`crate::random`]). When that source is
//! reproducible, a certificate's validity starts at the last multiple of half its lifetime
//! since 1970 (UTC) instead of now, so the same render gives the same bytes for that half,
//! and the certificate is still valid for at least half its lifetime when rendered.

mod base_two;
#[cfg(target_arch = "x86_64")]
mod base_two_ifma;
#[cfg(target_arch = "x86_64")]
mod lucas_ifma;
mod prime_search;
mod rsa_keygen;
#[cfg(target_arch = "x86_64")]
mod sieve_ifma;

use std::net::IpAddr;

use base64::Engine as _;
use gotmpl::{Error, Object, Param, Value};
use rand::RngExt;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType, SerialNumber,
};
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::pkcs8::EncodePrivateKey;

use crate::random::{Draw, Source};
use crate::{Registry, n, s};

use Param::{Any, Int, List, String as Str};

/// sprig's `certificate`: a PEM certificate and its PEM private key, read in templates as
/// `.Cert` and `.Key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub cert: String,
    pub key: String,
}

impl Object for Certificate {
    fn type_name(&self) -> &str {
        "sprig.certificate"
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Cert" => Some(self.cert.as_str().into()),
            "Key" => Some(self.key.as_str().into()),
            _ => None,
        }
    }

    /// Go's `%v` of the struct: `{CERT KEY}`.
    fn to_text(&self) -> String {
        format!("{{{} {}}}", self.cert, self.key)
    }
}

/// A private key: PKCS#8 for signing, and the PEM text sprig gives it.
struct PrivateKey {
    pkcs8: Vec<u8>,
    pem: String,
}

impl PrivateKey {
    fn key_pair(&self) -> Result<KeyPair, Error> {
        KeyPair::try_from(self.pkcs8.as_slice())
            .map_err(|e| Error::new(format!("error reading private key: {e}")))
    }
}

pub(crate) fn register(r: &mut Registry<'_>, rng: &Source) {
    r.random("genPrivateKey", &[Str], rng, |draw, a| {
        let key = match s(a, 0) {
            "" | "rsa" => rsa_key(draw, 4096)?,
            "ecdsa" => ecdsa_key(draw)?,
            "ed25519" => ed25519_key(draw),
            "dsa" => return Err(Error::new(DSA_REFUSED)),
            other => return Ok(format!("Unknown type {other}").into()),
        };
        Ok(key.pem.into())
    });
    // Each certificate function in two forms: a fresh RSA 2048 key, or the PEM key given as
    // the last argument.
    type Build = fn(&mut Draw, bool, &[Value], &PrivateKey) -> crate::Result;
    let forms: [(&'static str, &[Param], Build, Option<usize>); 6] = [
        ("genCA", &[Str, Int], ca, None),
        ("genCAWithKey", &[Str, Int, Str], ca, Some(2)),
        (
            "genSelfSignedCert",
            &[Str, List, List, Int],
            self_signed,
            None,
        ),
        (
            "genSelfSignedCertWithKey",
            &[Str, List, List, Int, Str],
            self_signed,
            Some(4),
        ),
        ("genSignedCert", &[Str, List, List, Int, Any], signed, None),
        (
            "genSignedCertWithKey",
            &[Str, List, List, Int, Any, Str],
            signed,
            Some(5),
        ),
    ];
    let reproducible = rng.is_reproducible();
    for (name, params, build, key_arg) in forms {
        r.random(name, params, rng, move |draw, a| {
            let key = match key_arg {
                Some(i) => given_key(s(a, i))?,
                None => rsa_key(draw, 2048)?,
            };
            build(draw, reproducible, a, &key)
        });
    }
    r.typed("buildCustomCert", &[Str, Str], |a| {
        Ok(Value::object(build_custom(s(a, 0), s(a, 1))?))
    });
}

/// The key a `...WithKey` function is given, with sprig's error.
fn given_key(text: &str) -> Result<PrivateKey, Error> {
    parse_key(text).map_err(|e| Error::new(format!("parsing private key: {e}")))
}

const DSA_REFUSED: &str = "genPrivateKey \"dsa\": DSA keys are not supported by bosun (no maintained Rust crate generates them, and TLS has dropped them); use \"rsa\", \"ecdsa\" or \"ed25519\"";

fn ca(draw: &mut Draw, reproducible: bool, a: &[Value], key: &PrivateKey) -> crate::Result {
    let mut params = base_params(
        draw,
        reproducible,
        s(a, 0),
        &Value::Nil,
        &Value::Nil,
        n(a, 1),
    )?;
    params.key_usages.push(KeyUsagePurpose::KeyCertSign);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let pair = key.key_pair()?;
    let cert = params.self_signed(&pair).map_err(creating)?;
    Ok(certificate(cert.pem(), key))
}

fn self_signed(
    draw: &mut Draw,
    reproducible: bool,
    a: &[Value],
    key: &PrivateKey,
) -> crate::Result {
    let params = base_params(draw, reproducible, s(a, 0), &a[1], &a[2], n(a, 3))?;
    let pair = key.key_pair()?;
    let cert = params.self_signed(&pair).map_err(creating)?;
    Ok(certificate(cert.pem(), key))
}

fn signed(draw: &mut Draw, reproducible: bool, a: &[Value], key: &PrivateKey) -> crate::Result {
    let (ca_cert, ca_key) = match &a[4] {
        Value::Object(object) if object.type_name() == "sprig.certificate" => (
            object.field("Cert").unwrap_or_default(),
            object.field("Key").unwrap_or_default(),
        ),
        other => {
            return Err(Error::new(format!(
                "wrong type for value; expected sprig.certificate; got {}",
                other.type_name()
            )));
        }
    };
    let (ca_cert, ca_key) = (
        ca_cert.as_str().unwrap_or_default(),
        ca_key.as_str().unwrap_or_default(),
    );
    check_certificate(ca_cert, "decodedSignerCert.Bytes")?;
    let signer = parse_key(ca_key)
        .map_err(|e| Error::new(format!("error parsing private key: {e}")))?
        .key_pair()?;
    let issuer = Issuer::from_ca_cert_pem(ca_cert, signer).map_err(|e| {
        Error::new(format!(
            "error parsing certificate: decodedSignerCert.Bytes: {e}"
        ))
    })?;
    let mut params = base_params(draw, reproducible, s(a, 0), &a[1], &a[2], n(a, 3))?;
    params.use_authority_key_identifier_extension = true;
    let pair = key.key_pair()?;
    let cert = params.signed_by(&pair, &issuer).map_err(creating)?;
    Ok(certificate(cert.pem(), key))
}

fn certificate(cert: String, key: &PrivateKey) -> Value {
    Value::object(Certificate {
        cert,
        key: key.pem.clone(),
    })
}

fn creating(e: rcgen::Error) -> Error {
    Error::new(format!("error creating certificate: {e}"))
}

/// sprig's `getBaseCertTemplate`: what every certificate has before the CA flags.
fn base_params(
    draw: &mut Draw,
    reproducible: bool,
    cn: &str,
    ips: &Value,
    dns: &Value,
    days: i64,
) -> Result<CertificateParams, Error> {
    let mut params = CertificateParams::default();
    params.distinguished_name = DistinguishedName::new();
    if !cn.is_empty() {
        params.distinguished_name.push(DnType::CommonName, cn);
    }
    for name in strings(dns, |v| {
        format!("error processing alternate dns name: {v} is not a string")
    })? {
        let ia5 = name.as_str().try_into().map_err(|_| {
            Error::new(format!(
                "error processing alternate dns name: {name} is not ASCII"
            ))
        })?;
        params.subject_alt_names.push(SanType::DnsName(ia5));
    }
    for ip in strings(ips, |v| format!("error parsing ip: {v} is not a string"))? {
        let address: IpAddr = ip
            .parse()
            .map_err(|_| Error::new(format!("error parsing ip: {ip}")))?;
        params.subject_alt_names.push(SanType::IpAddress(address));
    }
    let (not_before, not_after) = validity(now(), days, reproducible);
    params.not_before = time::OffsetDateTime::from_unix_timestamp(not_before)
        .map_err(|e| Error::new(format!("certificate validity: {e}")))?;
    params.not_after = time::OffsetDateTime::from_unix_timestamp(not_after)
        .map_err(|e| Error::new(format!("certificate validity: {e}")))?;
    let mut serial: [u8; 16] = draw.random();
    // A positive 128-bit number below 2^128, as sprig draws it; never zero.
    serial[15] |= 1;
    params.serial_number = Some(SerialNumber::from_slice(&serial));
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    params.is_ca = IsCa::ExplicitNoCa;
    Ok(params)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Start and end of a certificate valid for `days` days, in Unix seconds. Reproducible
/// renders start at the last multiple of half the lifetime (at least an hour) instead of now.
pub fn validity(now: i64, days: i64, reproducible: bool) -> (i64, i64) {
    let lifetime = days.saturating_mul(86_400);
    let start = if reproducible {
        let period = (lifetime / 2).max(3_600);
        now - now.rem_euclid(period)
    } else {
        now
    };
    (start, start.saturating_add(lifetime))
}

/// A `[]interface{}` argument as strings; nil is empty, another element type fails.
fn strings(value: &Value, not_string: impl Fn(&Value) -> String) -> Result<Vec<String>, Error> {
    let Value::List(items) = value else {
        return Ok(Vec::new());
    };
    items
        .iter()
        .map(|item| match item {
            Value::String(text) => Ok(text.to_string()),
            other => Err(Error::new(not_string(other))),
        })
        .collect()
}

fn rsa_key(draw: &mut Draw, bits: usize) -> Result<PrivateKey, Error> {
    let key = rsa_keygen::generate(draw, bits)
        .map_err(|e| Error::new(format!("error generating rsa key: {e}")))?;
    let encoding = |e: &dyn std::fmt::Display| Error::new(format!("error encoding rsa key: {e}"));
    let pkcs1 = key.to_pkcs1_der().map_err(|e| encoding(&e))?;
    let pkcs8 = key.to_pkcs8_der().map_err(|e| encoding(&e))?;
    Ok(PrivateKey {
        pkcs8: pkcs8.as_bytes().to_vec(),
        pem: pem_text("RSA PRIVATE KEY", pkcs1.as_bytes()),
    })
}

/// DER of `SEQUENCE { INTEGER 1, OCTET STRING (32 bytes)`: a SEC 1 P-256 private key up to its
/// scalar, as Go's `x509.MarshalECPrivateKey` writes it.
const SEC1_P256_HEAD: [u8; 7] = [0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20];
/// Between the scalar and the public point: `[0] prime256v1` and `[1] BIT STRING` (65 bytes).
const SEC1_P256_MIDDLE: [u8; 17] = [
    0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0xa1, 0x44, 0x03, 0x42,
    0x00,
];

/// A P-256 key from the call's random source. ring computes the public point; its seeded
/// random source (`ring::test::rand`, marked internal) is the one way to hand it our bytes,
/// so a reproducible render gives a reproducible key.
#[allow(deprecated)]
fn ecdsa_key(draw: &mut Draw) -> Result<PrivateKey, Error> {
    use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING as P256, EcdsaKeyPair, KeyPair as _};
    // A candidate at or above the group order is refused; that happens about once in 2^32.
    for _ in 0..8 {
        let scalar: [u8; 32] = draw.random();
        let fixed = ring::test::rand::FixedSliceRandom { bytes: &scalar };
        let Ok(pkcs8) = EcdsaKeyPair::generate_pkcs8(&P256, &fixed) else {
            continue;
        };
        // Reading the key back only needs randomness for signing, which is not done here.
        let pair =
            EcdsaKeyPair::from_pkcs8(&P256, pkcs8.as_ref(), &ring::rand::SystemRandom::new())
                .map_err(|e| Error::new(format!("failed to generate private key: {e}")))?;
        let mut sec1 = SEC1_P256_HEAD.to_vec();
        sec1.extend_from_slice(&scalar);
        sec1.extend_from_slice(&SEC1_P256_MIDDLE);
        sec1.extend_from_slice(pair.public_key().as_ref());
        return Ok(PrivateKey {
            pkcs8: pkcs8.as_ref().to_vec(),
            pem: pem_text("EC PRIVATE KEY", &sec1),
        });
    }
    Err(Error::new(
        "failed to generate private key: no valid P-256 scalar",
    ))
}

/// PKCS#8 of an Ed25519 key up to its 32-byte seed (RFC 8410), as Go's
/// `x509.MarshalPKCS8PrivateKey` writes it.
const PKCS8_ED25519_HEAD: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

fn ed25519_key(draw: &mut Draw) -> PrivateKey {
    let seed: [u8; 32] = draw.random();
    let mut pkcs8 = PKCS8_ED25519_HEAD.to_vec();
    pkcs8.extend_from_slice(&seed);
    PrivateKey {
        pem: pem_text("PRIVATE KEY", &pkcs8),
        pkcs8,
    }
}

/// Go's `pem.EncodeToMemory`: 64-column base64, `\n` line ends.
fn pem_text(tag: &str, der: &[u8]) -> String {
    let config = pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF);
    pem::encode_config(&pem::Pem::new(tag, der), config)
}

/// sprig's `parsePrivateKeyPEM`, with its messages; DSA keys are refused.
fn parse_key(text: &str) -> Result<PrivateKey, String> {
    let block = pem::parse(text).map_err(|_| "no PEM data in input".to_string())?;
    let der = block.contents();
    match block.tag() {
        "PRIVATE KEY" => {
            KeyPair::try_from(der).map_err(|e| format!("decoding PEM as PKCS#8: {e}"))?;
            Ok(PrivateKey {
                pkcs8: der.to_vec(),
                pem: text.to_string(),
            })
        }
        "RSA PRIVATE KEY" => {
            let key = rsa::PrivateKey::from_pkcs1_der(der)
                .map_err(|e| format!("parsing RSA private key from PEM: {e}"))?;
            let pkcs8 = key
                .to_pkcs8_der()
                .map_err(|e| format!("parsing RSA private key from PEM: {e}"))?;
            Ok(PrivateKey {
                pkcs8: pkcs8.as_bytes().to_vec(),
                pem: pem_text("RSA PRIVATE KEY", der),
            })
        }
        "EC PRIVATE KEY" => {
            let pkcs8 = sec1_to_pkcs8(der);
            KeyPair::try_from(pkcs8.as_slice())
                .map_err(|e| format!("parsing EC private key from PEM: {e}"))?;
            Ok(PrivateKey {
                pkcs8,
                pem: pem_text("EC PRIVATE KEY", der),
            })
        }
        "DSA PRIVATE KEY" => Err(DSA_REFUSED.to_string()),
        tag if !tag.ends_with(" PRIVATE KEY") => {
            Err(format!("no private key data in PEM block of type {tag}"))
        }
        tag => Err(format!("invalid private key type {tag}")),
    }
}

/// A SEC 1 P-256 key wrapped as PKCS#8 (`ecPublicKey`, `prime256v1`), the form ring reads.
fn sec1_to_pkcs8(sec1: &[u8]) -> Vec<u8> {
    const ALGORITHM: [u8; 21] = [
        0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86,
        0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
    ];
    let mut body = vec![0x02, 0x01, 0x00];
    body.extend_from_slice(&ALGORITHM);
    body.extend(der_tlv(0x04, sec1));
    der_tlv(0x30, &body)
}

/// One DER element: tag, definite length, content.
fn der_tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// Fails as sprig does when `text` is not one PEM certificate.
fn check_certificate(text: &str, what: &str) -> Result<(), Error> {
    let block = pem::parse(text).map_err(|_| Error::new("unable to decode certificate"))?;
    x509_parser::parse_x509_certificate(block.contents())
        .map_err(|e| Error::new(format!("error parsing certificate: {what}: {e}")))?;
    Ok(())
}

/// sprig's `buildCustomCert`: a base64 PEM certificate and key, checked and returned.
fn build_custom(b64cert: &str, b64key: &str) -> Result<Certificate, Error> {
    let decode = |text: &str, what: &str| {
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .map_err(|_| Error::new(format!("unable to decode base64 {what}")))
    };
    let cert = decode(b64cert, "certificate")?;
    let key = decode(b64key, "private key")?;
    check_certificate(&cert, "decodedCert.Bytes")?;
    parse_key(&key).map_err(|e| Error::new(format!("error parsing private key: {e}")))?;
    Ok(Certificate { cert, key })
}
