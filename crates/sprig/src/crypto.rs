//! The password functions that need no keys or certificates: `bcrypt`, `htpasswd` (bcrypt,
//! Go's `$2a$` prefix, cost 10, its salt from the engine's random source so a seed makes it
//! reproducible) and `derivePassword` (the Master Password algorithm: scrypt, then HMAC-SHA256
//! picks a template and characters; deterministic, so it matches Helm exactly), and
//! `encryptAES`/`decryptAES` (AES-256-CBC, the password zero-padded to the key, the IV first,
//! base64; the IV from the engine's random source).

use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};
use base64::Engine as _;
use gotmpl::{Error, Param, Value};
use hmac::Mac;

use crate::random::{Draw, Source};
use crate::{Registry, n, s};

use Param::{Int, String as Str};

const SEED: &[u8] = b"com.lyndir.masterpassword";

fn templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn characters(class: u8) -> &'static [u8] {
    match class {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// The Master Password algorithm (version 3) as sprig's `derivePassword` runs it.
pub fn derive_password(counter: u32, kind: &str, password: &str, user: &str, site: &str) -> String {
    let Some(templates) = templates(kind) else {
        return format!("cannot find password template {kind}");
    };
    let mut salt = SEED.to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    let params = scrypt::Params::new(15, 8, 2, 64).expect("valid scrypt parameters");
    if let Err(e) = scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key) {
        return format!("failed to derive password: {e}");
    }
    let mut message = SEED.to_vec();
    message.extend_from_slice(&(site.len() as u32).to_be_bytes());
    message.extend_from_slice(site.as_bytes());
    message.extend_from_slice(&counter.to_be_bytes());
    let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(&key).expect("any key length");
    mac.update(&message);
    let seed = mac.finalize().into_bytes();
    let template = templates[usize::from(seed[0]) % templates.len()];
    template
        .bytes()
        .enumerate()
        .map(|(i, class)| {
            let chars = characters(class);
            char::from(chars[usize::from(seed[i + 1]) % chars.len()])
        })
        .collect()
}

fn bcrypt_hash(draw: &mut Draw, password: &str) -> Result<String, Error> {
    let salt: [u8; 16] = rand::RngExt::random(draw);
    // Go's `bcrypt.DefaultCost` is 10 (the Rust crate's default is 12).
    bcrypt::hash_with_salt(password, 10, salt)
        .map(|parts| parts.format_for_version(bcrypt::Version::TwoA))
        .map_err(|e| Error::new(e.to_string()))
}

fn aes_key(password: &str) -> aes::Aes256 {
    let mut key = [0u8; 32];
    let bytes = password.as_bytes();
    let n = bytes.len().min(32);
    key[..n].copy_from_slice(&bytes[..n]);
    aes::Aes256::new(&key.into())
}

/// sprig's `encryptAES` with a given IV.
pub fn encrypt_aes(password: &str, plain: &str, iv: [u8; 16]) -> String {
    let cipher = aes_key(password);
    let mut data = plain.as_bytes().to_vec();
    let pad = 16 - data.len() % 16;
    data.extend(std::iter::repeat_n(pad as u8, pad));
    let mut out = iv.to_vec();
    let mut prev = iv;
    for chunk in data.chunks(16) {
        let mut block = [0u8; 16];
        for (i, b) in block.iter_mut().enumerate() {
            *b = chunk[i] ^ prev[i];
        }
        let mut ga = block.into();
        cipher.encrypt_block(&mut ga);
        prev = ga.into();
        out.extend_from_slice(&prev);
    }
    base64::engine::general_purpose::STANDARD.encode(out)
}

/// sprig's `decryptAES`, with Go's errors for input that is not its output.
pub fn decrypt_aes(password: &str, encoded: &str) -> Result<String, Error> {
    let data = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|e| {
            Error::new(format!(
                "illegal base64 data at input byte {}",
                crate::encoding::b64_error_offset(&e)
            ))
        })?;
    if data.len() < 16 {
        return Err(Error::new(format!(
            "runtime error: slice bounds out of range [:16] with capacity {}",
            data.len()
        )));
    }
    let (iv, body) = data.split_at(16);
    if body.len() % 16 != 0 {
        return Err(Error::new("crypto/cipher: input not full blocks"));
    }
    let cipher = aes_key(password);
    let mut prev: [u8; 16] = iv.try_into().expect("16 bytes");
    let mut plain = Vec::with_capacity(body.len());
    for chunk in body.chunks(16) {
        let mut ga = <[u8; 16]>::try_from(chunk).expect("16 bytes").into();
        cipher.decrypt_block(&mut ga);
        let block: [u8; 16] = ga.into();
        plain.extend(block.iter().zip(prev.iter()).map(|(b, p)| b ^ p));
        prev = chunk.try_into().expect("16 bytes");
    }
    let Some(&pad) = plain.last() else {
        return Err(Error::new("runtime error: index out of range [-1]"));
    };
    let keep = plain.len().checked_sub(usize::from(pad)).ok_or_else(|| {
        Error::new(format!(
            "runtime error: slice bounds out of range [:{}]",
            plain.len() as i64 - i64::from(pad)
        ))
    })?;
    Ok(String::from_utf8_lossy(&plain[..keep]).into_owned())
}

pub(crate) fn register(r: &mut Registry<'_>, rng: &Source) {
    r.random("encryptAES", &[Str, Str], rng, |draw, a| {
        let iv: [u8; 16] = rand::RngExt::random(draw);
        Ok(encrypt_aes(s(a, 0), s(a, 1), iv).into())
    });
    r.typed("decryptAES", &[Str, Str], |a| {
        Ok(decrypt_aes(s(a, 0), s(a, 1))?.into())
    });
    r.random("bcrypt", &[Str], rng, |draw, a| {
        Ok(bcrypt_hash(draw, s(a, 0))?.into())
    });
    r.random("htpasswd", &[Str, Str], rng, |draw, a| {
        let user = s(a, 0);
        if user.contains(':') {
            return Ok(format!("invalid username: {user}").into());
        }
        Ok(format!("{user}:{}", bcrypt_hash(draw, s(a, 1))?).into())
    });
    r.typed("derivePassword", &[Int, Str, Str, Str, Str], |a| {
        let counter = n(a, 0) as u32;
        Ok(Value::from(derive_password(
            counter,
            s(a, 1),
            s(a, 2),
            s(a, 3),
            s(a, 4),
        )))
    });
}
