//! The random functions' source: fresh by default, and with a key the same value for the same
//! call site on every render, another for every other call site or occurrence.

mod common;

use common::engine;
use gotmpl::{Engine, Value};

fn render(engine: &mut Engine, name: &str, text: &str) -> String {
    engine.add_template(name, text).unwrap();
    engine.render(name, &Value::Nil).unwrap()
}

const KEY: Option<[u8; 32]> = Some([7; 32]);

#[test]
fn with_a_key_a_call_site_returns_the_same_value_on_every_render() {
    let text = "{{ randAlphaNum 20 }} {{ uuidv4 }} {{ randInt 0 1000000000 }} {{ shuffle \"abcdefghij\" }} {{ randBytes 12 }} {{ encryptAES \"k\" \"x\" }}";
    let first = render(&mut engine(KEY), "a.yaml", text);
    assert_eq!(first, render(&mut engine(KEY), "a.yaml", text));
    assert_ne!(first, render(&mut engine(Some([8; 32])), "a.yaml", text));
    assert_ne!(first, render(&mut engine(None), "a.yaml", text));
}

#[test]
fn with_a_key_each_call_site_and_each_occurrence_draws_its_own_value() {
    let mut engine = engine(KEY);
    let out = render(
        &mut engine,
        "a.yaml",
        "{{ randAlphaNum 16 }} {{ randAlphaNum 16 }}{{ range until 2 }} {{ randAlphaNum 16 }}{{ end }}",
    );
    let values: Vec<&str> = out.split(' ').collect();
    assert_eq!(values.len(), 4);
    for (i, a) in values.iter().enumerate() {
        for b in &values[i + 1..] {
            assert_ne!(a, b, "{out}");
        }
    }
    // The same text in another file is another call site.
    let other = render(&mut engine, "b.yaml", "{{ randAlphaNum 16 }}");
    assert_ne!(other, values[0]);
}

#[test]
fn an_edit_elsewhere_in_the_template_keeps_a_call_site_value_only_if_it_does_not_move() {
    let before = render(&mut engine(KEY), "a.yaml", "x: {{ randAlphaNum 16 }}\n");
    let edited_after = render(
        &mut engine(KEY),
        "a.yaml",
        "x: {{ randAlphaNum 16 }}\ny: 1\n",
    );
    let moved = render(
        &mut engine(KEY),
        "a.yaml",
        "w: 0\nx: {{ randAlphaNum 16 }}\n",
    );
    assert_eq!(
        before,
        edited_after.lines().next().unwrap().to_string() + "\n"
    );
    assert_ne!(before, moved.lines().nth(1).unwrap().to_string() + "\n");
}

#[test]
fn with_a_key_keys_and_certificates_are_reproducible() {
    let text = "{{ $ca := genCA \"ca\" 30 }}{{ $c := genSignedCert \"c\" nil (list \"c.example\") 30 $ca }}{{ $ca.Cert }}{{ $c.Cert }}{{ $c.Key }}{{ genPrivateKey \"ecdsa\" }}{{ genPrivateKey \"ed25519\" }}";
    let first = render(&mut engine(KEY), "tls.yaml", text);
    assert_eq!(first, render(&mut engine(KEY), "tls.yaml", text));
    assert_ne!(first, render(&mut engine(None), "tls.yaml", text));
}

#[test]
fn reproducible_validity_starts_at_the_last_half_lifetime_and_covers_now() {
    let now = 1_790_000_000;
    let (start, end) = sprig::certs::validity(now, 365, true);
    assert_eq!((end - start) / 86_400, 365);
    assert_eq!(start % (365 * 43_200), 0);
    assert!(start <= now && now - start < 365 * 43_200);
    assert_eq!(
        sprig::certs::validity(now, 365, false),
        (now, now + 365 * 86_400)
    );
    assert_eq!(
        sprig::certs::validity(now, 0, true),
        (now - now % 3_600, now - now % 3_600)
    );
}

#[test]
fn err_dsa_keys_are_refused_with_a_reason() {
    let mut engine = engine(None);
    engine
        .add_template("k.yaml", "{{ genPrivateKey \"dsa\" }}")
        .unwrap();
    let error = engine
        .render("k.yaml", &Value::Nil)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("DSA keys are not supported by bosun"),
        "{error}"
    );
}

#[test]
fn err_gen_signed_cert_wants_a_certificate_not_a_map() {
    let mut engine = engine(None);
    engine
        .add_template(
            "c.yaml",
            "{{ genSignedCert \"s\" nil nil 1 (dict \"Cert\" \"x\" \"Key\" \"y\") }}",
        )
        .unwrap();
    let error = engine
        .render("c.yaml", &Value::Nil)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(
            "wrong type for value; expected sprig.certificate; got map[string]interface {}"
        ),
        "{error}"
    );
}
