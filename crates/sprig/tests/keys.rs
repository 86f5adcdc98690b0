//! The RSA keys behind `genPrivateKey "rsa"` and the certificate functions: the size sprig
//! gives them, exponent 65537, two distinct primes far apart, a private exponent `rsa`
//! validates, and with a key the same key for the same call site on every render.

mod common;

use gotmpl::Value;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};

fn render(key: Option<[u8; 32]>, text: &str) -> String {
    let mut engine = common::engine(key);
    engine.add_template("keys.yaml", text).unwrap();
    engine.render("keys.yaml", &Value::Nil).unwrap()
}

/// The PEM key parsed back, after checking what every RSA key sprig makes must satisfy.
fn checked_key(pem: &str, bits: usize) -> rsa::PrivateKey {
    let key = rsa::PrivateKey::from_pkcs1_pem(pem).expect("a PKCS#1 RSA key");
    key.validate().expect("rsa validates the key");
    assert_eq!(key.n().bit_width(), bits as u32);
    assert_eq!(key.e(), &rsa::BoxedUint::from(65_537u64));
    let [p, q] = key.primes() else {
        panic!("two primes, got {}", key.primes().len());
    };
    let (p, q): (&rsa::BoxedUint, &rsa::BoxedUint) = (p.as_ref(), q.as_ref());
    assert_eq!(
        (p.bit_width(), q.bit_width()),
        (bits as u32 / 2, bits as u32 / 2)
    );
    let distance = if p > q {
        p.wrapping_sub(q)
    } else {
        q.wrapping_sub(p)
    };
    assert!(
        distance.bit_width() > bits as u32 / 2 - 100,
        "p and q too close"
    );
    key
}

#[test]
fn gen_private_key_rsa_is_a_valid_4096_bit_key() {
    checked_key(&render(None, "{{ genPrivateKey \"rsa\" }}"), 4096);
}

#[test]
fn certificate_functions_make_valid_2048_bit_keys() {
    let out = render(
        None,
        "{{ $ca := genCA \"ca\" 1 }}{{ $ca.Key }}{{ (genSelfSignedCert \"s\" nil nil 1).Key }}{{ (genSignedCert \"c\" nil nil 1 $ca).Key }}",
    );
    let pems: Vec<String> = out
        .split_inclusive("-----END RSA PRIVATE KEY-----\n")
        .map(str::to_string)
        .collect();
    assert_eq!(pems.len(), 3, "{out}");
    let keys: Vec<rsa::PrivateKey> = pems.iter().map(|pem| checked_key(pem, 2048)).collect();
    assert_ne!(keys[0], keys[1]);
    assert_ne!(keys[1], keys[2]);
}

#[test]
fn with_a_key_gen_private_key_rsa_is_the_same_on_every_render_and_differs_by_key() {
    let text = "{{ genPrivateKey \"rsa\" }}";
    let first = render(Some([1; 32]), text);
    assert_eq!(first, render(Some([1; 32]), text));
    assert_ne!(first, render(Some([2; 32]), text));
    checked_key(&first, 4096);
}

#[test]
fn without_a_key_rsa_keys_differ_from_render_to_render() {
    let text = "{{ (genCA \"ca\" 1).Key }}";
    assert_ne!(render(None, text), render(None, text));
}
