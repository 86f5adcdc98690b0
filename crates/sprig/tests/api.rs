//! The Rust side of the crate: registration, the seeded random source, and functions used
//! together the way chart helpers use them.

use gotmpl::{Engine, Options, Value};

fn render_with(options: &sprig::Options, text: &str) -> String {
    let mut engine = Engine::with_options(Options::helm());
    sprig::register_with(&mut engine, options);
    engine.render_text("t", text, &Value::Nil).unwrap()
}

const RANDOM: &str = "{{ randAlphaNum 16 }} {{ randAscii 8 }} {{ uuidv4 }} {{ shuffle \"abcdefgh\" }} {{ randInt 0 1000000 }}";

#[test]
fn a_seed_makes_random_functions_reproducible() {
    let seeded = sprig::Options {
        seed: Some(42),
        ..Default::default()
    };
    assert_eq!(render_with(&seeded, RANDOM), render_with(&seeded, RANDOM));
}

#[test]
fn different_seeds_give_different_values() {
    let a = render_with(
        &sprig::Options {
            seed: Some(1),
            ..Default::default()
        },
        RANDOM,
    );
    let b = render_with(
        &sprig::Options {
            seed: Some(2),
            ..Default::default()
        },
        RANDOM,
    );
    assert_ne!(a, b);
}

#[test]
fn without_a_seed_each_engine_draws_fresh_values() {
    let unseeded = sprig::Options::default();
    assert_ne!(
        render_with(&unseeded, RANDOM),
        render_with(&unseeded, RANDOM)
    );
}

#[test]
fn register_adds_every_group() {
    let mut engine = Engine::new();
    sprig::register(&mut engine);
    for name in [
        "trim",
        "regexMatch",
        "default",
        "add",
        "addf",
        "list",
        "dict",
        "merge",
        "b64enc",
        "sha256sum",
        "semverCompare",
        "date",
        "toPrettyJson",
        "uuidv4",
        "urlParse",
        "base",
    ] {
        assert!(engine.has_function(name), "{name} is not registered");
    }
}

#[test]
fn a_chart_helper_renders_as_helm_would() {
    let mut engine = Engine::with_options(Options::helm());
    sprig::register(&mut engine);
    engine
        .add_template(
            "_helpers.tpl",
            r#"{{- define "fullname" -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}"#,
        )
        .unwrap();
    engine
        .add_template(
            "cm.yaml",
            r#"name: {{ template "fullname" . }}
checksum: {{ .Values | toString | sha256sum | trunc 8 }}{{/* sha256 of "map[nameOverride:]" */}}
{{- if semverCompare ">=1.21-0" .Capabilities.KubeVersion }}
policy: v1
{{- end }}"#,
        )
        .unwrap();
    let data = Value::from_json_as_float64(&serde_json::json!({
        "Chart": {"Name": "web"},
        "Release": {"Name": "prod"},
        "Values": {"nameOverride": ""},
        "Capabilities": {"KubeVersion": "v1.29.0-eks-1"},
    }));
    assert_eq!(
        engine.render("cm.yaml", &data).unwrap(),
        "name: prod-web\nchecksum: f3b76270\npolicy: v1"
    );
}

/// sprig v3's functions as Helm 4 has them, less `env` and `expandenv` (Helm removes them) and
/// `toJson`/`fromJson`/`fail` (Helm's own, registered by the host).
const SPRIG: &str = "hello ago date date_in_zone date_modify dateInZone dateModify duration
durationRound htmlDate htmlDateInZone must_date_modify mustDateModify mustToDate now toDate
unixEpoch abbrev abbrevboth trunc trim upper lower title untitle substr repeat trimall trimAll
trimSuffix trimPrefix nospace initials randAlphaNum randAlpha randAscii randNumeric swapcase
shuffle snakecase camelcase kebabcase wrap wrapWith contains hasPrefix hasSuffix quote squote
cat indent nindent replace plural sha1sum sha256sum sha512sum adler32sum toString atoi int64
int float64 seq toDecimal split splitList splitn toStrings until untilStep add1 add sub div mod
mul randInt add1f addf subf divf mulf biggest max min maxf minf ceil floor round join sortAlpha
default empty coalesce all any compact mustCompact toPrettyJson toRawJson mustFromJson
mustToJson mustToPrettyJson mustToRawJson ternary deepCopy mustDeepCopy typeOf typeIs
typeIsLike kindOf kindIs deepEqual base dir clean ext isAbs osBase osClean osDir osExt osIsAbs
b64enc b64dec b32enc b32dec tuple list dict get set unset hasKey pluck keys pick omit merge
mergeOverwrite mustMerge mustMergeOverwrite values append push mustAppend mustPush prepend
mustPrepend first mustFirst rest mustRest last mustLast initial mustInitial reverse
mustReverse uniq mustUniq without mustWithout has mustHas slice mustSlice concat dig chunk
mustChunk randBytes uuidv4 bcrypt htpasswd derivePassword encryptAES decryptAES genPrivateKey
buildCustomCert genCA genCAWithKey genSelfSignedCert genSelfSignedCertWithKey genSignedCert
genSignedCertWithKey semver semverCompare regexMatch mustRegexMatch regexFindAll
mustRegexFindAll regexFind mustRegexFind regexReplaceAll mustRegexReplaceAll
regexReplaceAllLiteral mustRegexReplaceAllLiteral regexSplit mustRegexSplit regexQuoteMeta
urlParse urlJoin";

/// The one this crate leaves out (see the README): a DNS lookup.
const LEFT_OUT: &str = "getHostByName";

#[test]
fn every_sprig_function_but_the_left_out_ones_is_registered() {
    let mut engine = Engine::new();
    sprig::register(&mut engine);
    let missing: Vec<&str> = SPRIG
        .split_whitespace()
        .filter(|name| !engine.has_function(name))
        .collect();
    assert!(missing.is_empty(), "not registered: {missing:?}");
    let unexpected: Vec<&str> = LEFT_OUT
        .split_whitespace()
        .filter(|name| engine.has_function(name))
        .collect();
    assert!(
        unexpected.is_empty(),
        "registered but listed as left out: {unexpected:?}"
    );
    assert_eq!(SPRIG.split_whitespace().count(), 205);
}

/// Extreme arguments are errors, never a panic, an overflow or an allocation that exhausts
/// memory (`repeat 1e12`, `seq` at `i64::MAX`).
#[test]
fn extreme_arguments_fail_cleanly() {
    let mut engine = Engine::with_options(Options::helm());
    sprig::register(&mut engine);
    let max = i64::MAX;
    let min = i64::MIN;
    for text in [
        format!("{{{{ repeat {max} \"ab\" }}}}"),
        format!("{{{{ indent {max} \"a\" }}}}"),
        format!("{{{{ nindent {max} \"a\" }}}}"),
        format!("{{{{ randAlphaNum {max} }}}}"),
        format!("{{{{ randBytes {max} }}}}"),
        format!("{{{{ seq {max} }}}}"),
        format!("{{{{ seq {min} {max} }}}}"),
        format!("{{{{ until {max} }}}}"),
        format!("{{{{ untilStep {min} {max} 1 }}}}"),
        format!("{{{{ untilStep {max} {min} -1 }}}}"),
    ] {
        let result = engine.render_text("t", &text, &Value::Nil);
        assert!(result.is_err(), "{text} should fail, gave {result:?}");
    }
    for text in [
        format!("{{{{ seq {max} {max} }}}}"),
        format!("{{{{ add {max} 1 }}}} {{{{ mul {max} 2 }}}} {{{{ div {min} -1 }}}}"),
        format!("{{{{ substr {min} {max} \"abc\" }}}}"),
        format!("{{{{ trunc {min} \"abc\" }}}} {{{{ abbrevboth {max} {max} \"abc\" }}}}"),
    ] {
        let _ = engine.render_text("t", &text, &Value::Nil);
    }
}

/// A host object that stands for a list, as Helm's `.Capabilities.APIVersions` does.
#[derive(Debug)]
struct VersionSet(Vec<&'static str>);

impl gotmpl::Object for VersionSet {
    fn type_name(&self) -> &str {
        "chartutil.VersionSet"
    }

    fn as_value(&self) -> Option<Value> {
        Some(Value::list(
            self.0.iter().map(|v| Value::from(*v)).collect(),
        ))
    }
}

#[test]
fn list_functions_see_through_host_objects() {
    let mut engine = Engine::with_options(Options::helm());
    sprig::register(&mut engine);
    let data = Value::map(
        [
            (
                "full".to_string(),
                Value::object(VersionSet(vec!["v1", "apps/v1"])),
            ),
            ("none".to_string(), Value::object(VersionSet(vec![]))),
        ]
        .into_iter()
        .collect(),
    );
    let out = engine
        .render_text(
            "t",
            r#"{{ has "apps/v1" .full }} {{ first .full }} {{ kindOf .full }} {{ empty .none }} {{ empty .full }} {{ typeOf .full }}"#,
            &data,
        )
        .unwrap();
    assert_eq!(out, "true v1 slice true false chartutil.VersionSet");
}
