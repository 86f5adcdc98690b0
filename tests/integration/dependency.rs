//! `bosun dep update|build|list`, `bosun package` and `bosun push` against real servers on
//! 127.0.0.1: an HTTP chart repository served from a temporary folder, and the CNCF
//! distribution registry (Debian's `docker-registry`) for OCI. Every chart is written here.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use sha2::{Digest, Sha256};

use crate::{bosun, run};

/// A tiny chart: one ConfigMap naming the chart and its version.
fn write_chart(dir: &Path, name: &str, version: &str, dependencies: &str) {
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        format!("apiVersion: v2\nname: {name}\nengine: jinja\nversion: {version}\n{dependencies}"),
    )
    .unwrap();
    std::fs::write(
        dir.join("templates/configmap.yaml"),
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  version: \"{version}\"\n"
        ),
    )
    .unwrap();
}

/// Packages a tiny chart with `bosun package` and returns the archive's bytes.
pub(crate) fn packaged(name: &str, version: &str) -> Vec<u8> {
    let work = tempfile::tempdir().unwrap();
    let chart = work.path().join(name);
    write_chart(&chart, name, version, "");
    let (code, _, stderr) = run([
        "package",
        chart.to_str().unwrap(),
        "-d",
        work.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    std::fs::read(work.path().join(format!("{name}-{version}.tgz"))).unwrap()
}

fn sha256(data: &[u8]) -> String {
    format!("{:x}", Sha256::digest(data))
}

/// A folder served over HTTP on 127.0.0.1 until dropped.
struct FileServer {
    root: tempfile::TempDir,
    port: u16,
    stop: Arc<AtomicBool>,
}

impl FileServer {
    fn start() -> FileServer {
        FileServer::serving(None)
    }

    /// Answers 401 to requests without `Authorization: <authorization>`.
    fn serving(authorization: Option<&str>) -> FileServer {
        let authorization = authorization.map(str::to_string);
        let root = tempfile::tempdir().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let (dir, flag) = (root.path().to_path_buf(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    serve(&dir, stream, authorization.as_deref());
                }
            }
        });
        FileServer { root, port, stop }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn put(&self, name: &str, data: &[u8]) {
        std::fs::write(self.root.path().join(name), data).unwrap();
    }

    /// Publishes archives of `name` (version, bytes, digest to list) with an index.yaml.
    fn publish(&self, name: &str, versions: &[(&str, Vec<u8>, Option<String>)]) {
        let mut index = format!("apiVersion: v1\nentries:\n  {name}:\n");
        for (version, data, digest) in versions {
            let file = format!("{name}-{version}.tgz");
            self.put(&file, data);
            let digest = digest.clone().unwrap_or_else(|| sha256(data));
            index.push_str(&format!(
                "  - name: {name}\n    version: {version}\n    digest: {digest}\n    urls:\n    - {file}\n"
            ));
        }
        self.put("index.yaml", index.as_bytes());
    }
}

impl Drop for FileServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(root: &Path, mut stream: TcpStream, authorization: Option<&str>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut authorized = authorization.is_none();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("authorization")
            && Some(value.trim()) == authorization
        {
            authorized = true;
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let file = root.join(path.trim_start_matches('/'));
    let (status, body) = match std::fs::read(&file) {
        _ if !authorized => ("401 Unauthorized", b"who are you".to_vec()),
        Ok(body) if !path.contains("..") => ("200 OK", body),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// A chart folder depending on `dependencies`, with its own download cache.
pub(crate) struct Umbrella {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) cache: tempfile::TempDir,
}

impl Umbrella {
    pub(crate) fn new(dependencies: &str) -> Umbrella {
        let dir = tempfile::tempdir().unwrap();
        write_chart(dir.path(), "umbrella", "1.0.0", dependencies);
        Umbrella {
            dir,
            cache: tempfile::tempdir().unwrap(),
        }
    }

    pub(crate) fn path(&self) -> &str {
        self.dir.path().to_str().unwrap()
    }

    pub(crate) fn bosun(&self, args: &[&str]) -> (i32, String, String) {
        let output = bosun(args.iter().copied().chain([self.path()]))
            .env("BOSUN_CACHE_DIR", self.cache.path())
            .env(
                "HELM_REPOSITORY_CONFIG",
                self.dir.path().join("no-repositories.yaml"),
            )
            .output()
            .unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    pub(crate) fn charts(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path().join("charts"))
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    /// Nothing but the chart's own files: no charts/ entries, no staging folders.
    fn assert_untouched(&self) {
        assert_eq!(self.charts(), Vec::<String>::new());
        let leftovers: Vec<_> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".bosun-dep"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}

pub(crate) fn dependency(name: &str, version: &str, repository: &str) -> String {
    format!(
        "dependencies:\n  - name: {name}\n    version: \"{version}\"\n    repository: {repository}\n"
    )
}

/// A repository holding db 1.0.0, 1.2.0 and 2.0.0.
fn db_repository() -> FileServer {
    let server = FileServer::start();
    server.publish(
        "db",
        &[
            ("1.0.0", packaged("db", "1.0.0"), None),
            ("1.2.0", packaged("db", "1.2.0"), None),
            ("2.0.0", packaged("db", "2.0.0"), None),
        ],
    );
    server
}

#[test]
fn dep_update_resolves_a_range_against_an_http_repository_and_writes_chart_lock() {
    let server = db_repository();
    let umbrella = Umbrella::new(&dependency("db", "^1.0", &server.url()));
    let (code, _, stderr) = umbrella.bosun(&["dep", "update"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("db 1.2.0 from"), "{stderr}");

    let lock = std::fs::read_to_string(umbrella.dir.path().join("Chart.lock")).unwrap();
    assert!(lock.contains("- name: db\n"), "{lock}");
    assert!(lock.contains("  version: 1.2.0\n"), "{lock}");
    // Helm's digest: sha256 of Go's JSON of [Chart.yaml's dependencies, the lock's].
    let json = format!(
        r#"[[{{"name":"db","version":"^1.0","repository":"{0}"}}],[{{"name":"db","version":"1.2.0","repository":"{0}"}}]]"#,
        server.url()
    );
    assert!(
        lock.contains(&format!("digest: sha256:{}\n", sha256(json.as_bytes()))),
        "{lock}"
    );
    assert!(lock.contains("generated: \"20"), "{lock}");

    let rendered = crate::run_ok(["render", umbrella.path(), "--no-save"]);
    assert!(rendered.contains("version: \"1.2.0\""), "{rendered}");
}

#[test]
fn dep_build_fetches_what_the_lock_says_then_is_a_no_op_then_works_from_the_cache() {
    let server = db_repository();
    let umbrella = Umbrella::new(&dependency("db", "~1.0.0", &server.url()));
    assert_eq!(umbrella.bosun(&["dep", "update"]).0, 0);
    std::fs::remove_dir_all(umbrella.dir.path().join("charts")).unwrap();

    let (code, _, stderr) = umbrella.bosun(&["dep", "build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("fetched"), "{stderr}");
    let chart = std::fs::read_to_string(umbrella.dir.path().join("charts/db/Chart.yaml")).unwrap();
    assert!(chart.contains("version: 1.0.0"), "{chart}");

    let (code, _, stderr) = umbrella.bosun(&["dep", "build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("charts/ already matches"), "{stderr}");

    // The second fetch needs no network: the cache has the archive.
    drop(server);
    std::fs::remove_dir_all(umbrella.dir.path().join("charts")).unwrap();
    let (code, _, stderr) = umbrella.bosun(&["dep", "build", "--offline"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(umbrella.charts(), ["db"]);
}

#[test]
fn dep_update_locks_a_file_dependency_where_it_is_and_replaces_helms_archive() {
    let server = db_repository();
    let lib = tempfile::tempdir().unwrap();
    write_chart(lib.path(), "lib", "0.3.4", "");
    let lib_repository = format!("file://{}", lib.path().display());
    let umbrella = Umbrella::new(&format!(
        "dependencies:\n  - name: lib\n    version: \"^0.3\"\n    repository: {lib_repository}\n  - name: db\n    version: \"1.0.0\"\n    repository: {}\n",
        server.url()
    ));
    // What `helm dependency build` leaves: the archive, not a folder.
    std::fs::create_dir_all(umbrella.dir.path().join("charts")).unwrap();
    std::fs::write(
        umbrella.dir.path().join("charts/db-1.0.0.tgz"),
        packaged("db", "1.0.0"),
    )
    .unwrap();
    let (code, _, stderr) = umbrella.bosun(&["dep", "update"]);
    assert_eq!(code, 0, "{stderr}");
    let lock = std::fs::read_to_string(umbrella.dir.path().join("Chart.lock")).unwrap();
    assert!(
        lock.contains(&format!(
            "- name: lib\n  repository: {lib_repository}\n  version: 0.3.4\n"
        )),
        "{lock}"
    );
    assert_eq!(umbrella.charts(), ["db"]);
}

#[test]
fn dep_list_shows_each_dependency_and_whether_it_is_present() {
    let server = db_repository();
    let umbrella = Umbrella::new(&dependency("db", "^1.0", &server.url()));
    let (_, stdout, _) = umbrella.bosun(&["dep", "list"]);
    assert!(stdout.contains("db\t^1.0\t"), "{stdout}");
    assert!(stdout.contains("\tnot locked"), "{stdout}");
    assert_eq!(umbrella.bosun(&["dep", "update"]).0, 0);
    let (code, stdout, _) = umbrella.bosun(&["dep", "list"]);
    assert_eq!(code, 0);
    assert!(stdout.trim_end().ends_with("\tok"), "{stdout}");
}

#[test]
fn err_dep_build_refuses_an_archive_whose_digest_differs_from_the_index() {
    let server = FileServer::start();
    let wrong = "0".repeat(64);
    server.publish(
        "db",
        &[("1.0.0", packaged("db", "1.0.0"), Some(wrong.clone()))],
    );
    let umbrella = Umbrella::new(&dependency("db", "1.0.0", &server.url()));
    let (code, _, stderr) = umbrella.bosun(&["dep", "update"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!("not the `{wrong}` its repository lists")),
        "{stderr}"
    );
    assert!(stderr.contains("help:"), "{stderr}");
    umbrella.assert_untouched();
}

#[test]
fn err_no_matching_version_lists_the_nearest() {
    let server = db_repository();
    let umbrella = Umbrella::new(&dependency("db", ">=3.0, <4", &server.url()));
    let (code, _, stderr) = umbrella.bosun(&["dep", "update"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no version of `db`"), "{stderr}");
    assert!(stderr.contains("matches `>=3.0, <4`"), "{stderr}");
    assert!(
        stderr.contains("nearest available versions: 2.0.0, 1.2.0, 1.0.0"),
        "{stderr}"
    );
}

#[test]
fn err_no_matching_version_lists_the_versions_around_the_range_not_all() {
    let server = FileServer::start();
    let versions = [
        "0.9.0", "1.0.0", "1.1.0", "1.2.0", "1.3.0", "4.0.0", "5.0.0", "6.0.0",
    ];
    let published: Vec<_> = versions
        .iter()
        .map(|v| (*v, packaged("db", v), None))
        .collect();
    server.publish("db", &published);
    let umbrella = Umbrella::new(&dependency("db", "~2.1", &server.url()));
    let (code, _, stderr) = umbrella.bosun(&["dep", "update"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("nearest available versions: 5.0.0, 4.0.0, 1.3.0, 1.2.0, 1.1.0"),
        "{stderr}"
    );
}

#[test]
fn err_an_unreachable_repository_says_what_to_do() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let umbrella = Umbrella::new(&dependency("db", "^1", &url));
    let (code, _, stderr) = umbrella.bosun(&["dep", "update"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!("cannot reach `{url}/index.yaml`")),
        "{stderr}"
    );
    assert!(stderr.contains("--offline"), "{stderr}");
}

#[test]
fn err_offline_with_an_empty_cache_names_what_is_missing() {
    let server = db_repository();
    let umbrella = Umbrella::new(&dependency("db", "^1", &server.url()));
    assert_eq!(umbrella.bosun(&["dep", "update"]).0, 0);
    std::fs::remove_dir_all(umbrella.dir.path().join("charts")).unwrap();
    std::fs::remove_dir_all(umbrella.cache.path()).unwrap();
    let (code, _, stderr) = umbrella.bosun(&["dep", "build", "--offline"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("`db` 1.2.0 is not in the download cache"),
        "{stderr}"
    );
    assert!(stderr.contains("without --offline"), "{stderr}");
    umbrella.assert_untouched();
}

#[test]
fn err_a_lock_out_of_sync_with_chart_yaml_asks_for_dep_update() {
    let server = db_repository();
    let umbrella = Umbrella::new(&dependency("db", "^1", &server.url()));
    assert_eq!(umbrella.bosun(&["dep", "update"]).0, 0);
    write_chart(
        umbrella.dir.path(),
        "umbrella",
        "1.0.0",
        &dependency("db", "^2", &server.url()),
    );
    let (code, _, stderr) = umbrella.bosun(&["dep", "build"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("out of sync"), "{stderr}");
    assert!(stderr.contains("run `bosun dep update"), "{stderr}");
}

#[test]
fn a_named_repository_comes_from_helms_repositories_file() {
    let server = db_repository();
    let umbrella = Umbrella::new(&dependency("db", "2.x", "\"@team\""));
    let config = umbrella.dir.path().join("repositories.yaml");
    std::fs::write(
        &config,
        format!(
            "apiVersion: \"\"\nrepositories:\n- name: team\n  url: {}\n",
            server.url()
        ),
    )
    .unwrap();
    let (code, _, stderr) = umbrella.bosun(&[
        "dep",
        "update",
        "--repository-config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    // As Helm does, the lock records (and hashes) the URL the name stands for.
    assert!(
        stderr.contains(&format!("db 2.0.0 from {}", server.url())),
        "{stderr}"
    );
    let lock = std::fs::read_to_string(umbrella.dir.path().join("Chart.lock")).unwrap();
    assert!(
        lock.contains(&format!("repository: {}\n", server.url())),
        "{lock}"
    );
    let (code, _, stderr) = umbrella.bosun(&["dep", "update"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no repository named `team`"), "{stderr}");
}

#[test]
fn an_http_repository_gets_the_credentials_of_helms_repositories_file() {
    // `team:secret` in Basic form.
    let server = FileServer::serving(Some("Basic dGVhbTpzZWNyZXQ="));
    server.publish("db", &[("1.0.0", packaged("db", "1.0.0"), None)]);
    let umbrella = Umbrella::new(&dependency("db", "1.0.0", &server.url()));
    let (code, _, stderr) = umbrella.bosun(&["dep", "update"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("answered HTTP 401"), "{stderr}");
    assert!(stderr.contains("helm repo add"), "{stderr}");
    let config = umbrella.dir.path().join("repositories.yaml");
    std::fs::write(
        &config,
        format!(
            "repositories:\n- name: team\n  url: {}\n  username: team\n  password: secret\n",
            server.url()
        ),
    )
    .unwrap();
    let (code, _, stderr) = umbrella.bosun(&[
        "dep",
        "update",
        "--repository-config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(umbrella.charts(), ["db"]);
}

/// A tar header for `path` written byte by byte (the tar crate refuses to write hostile paths).
fn raw_header(path: &str, kind: tar::EntryType, size: u64) -> tar::Header {
    let mut header = tar::Header::new_old();
    header.as_old_mut().name[..path.len()].copy_from_slice(path.as_bytes());
    header.set_mode(0o644);
    header.set_size(size);
    header.set_entry_type(kind);
    header.set_cksum();
    header
}

/// A gzipped tar holding a valid db chart plus `extra` entries.
fn hostile(extra: &[(tar::Header, Vec<u8>)]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut builder = tar::Builder::new(gz);
    let chart = b"apiVersion: v2\nname: db\nengine: jinja\nversion: 1.0.0\n".to_vec();
    builder
        .append(
            &raw_header("db/Chart.yaml", tar::EntryType::Regular, chart.len() as u64),
            chart.as_slice(),
        )
        .unwrap();
    for (header, data) in extra {
        builder.append(header, data.as_slice()).unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

#[test]
fn err_hostile_archives_are_refused_with_the_entry_named_and_nothing_written() {
    let mut link = raw_header("db/templates/link.yaml", tar::EntryType::Symlink, 0);
    link.set_link_name("/etc/passwd").unwrap();
    link.set_cksum();
    let big = (archive_limits::MAX_FILE + 1) as usize;
    let bomb: Vec<(tar::Header, Vec<u8>)> = (0..26)
        .map(|i| {
            let size = 4 << 20;
            (
                raw_header(&format!("db/files/zero{i}"), tar::EntryType::Regular, size),
                vec![0; size as usize],
            )
        })
        .collect();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "absolute path",
            hostile(&[(
                raw_header("/tmp/evil.yaml", tar::EntryType::Regular, 1),
                b"x".to_vec(),
            )]),
            "refused `/tmp/evil.yaml` in `db-1.0.0.tgz`: its path is absolute",
        ),
        (
            "parent folder",
            hostile(&[(
                raw_header("db/../../evil.yaml", tar::EntryType::Regular, 1),
                b"x".to_vec(),
            )]),
            "refused `db/../../evil.yaml` in `db-1.0.0.tgz`: its path climbs out with `..`",
        ),
        (
            "symlink",
            hostile(&[(link, Vec::new())]),
            "refused `db/templates/link.yaml` in `db-1.0.0.tgz`: it is a link",
        ),
        (
            "device file",
            hostile(&[(
                raw_header("db/templates/null", tar::EntryType::Char, 0),
                Vec::new(),
            )]),
            "refused `db/templates/null` in `db-1.0.0.tgz`: it is a device file",
        ),
        (
            "oversized entry",
            hostile(&[(
                raw_header("db/files/big", tar::EntryType::Regular, big as u64),
                vec![0; big],
            )]),
            "refused `db/files/big` in `db-1.0.0.tgz`: it is 5242881 bytes",
        ),
        (
            "gzip bomb",
            hostile(&bomb),
            "decompresses to more than 100 MiB, a decompression bomb",
        ),
    ];
    for (case, archive, message) in cases {
        let server = FileServer::start();
        server.publish("db", &[("1.0.0", archive, None)]);
        let umbrella = Umbrella::new(&dependency("db", "1.0.0", &server.url()));
        let (code, _, stderr) = umbrella.bosun(&["dep", "update"]);
        assert_eq!(code, 1, "{case}: {stderr}");
        assert!(stderr.contains(message), "{case}: {stderr}");
        assert!(
            stderr.contains("nothing was written to charts/"),
            "{case}: {stderr}"
        );
        umbrella.assert_untouched();
        assert!(!umbrella.dir.path().join("Chart.lock").exists(), "{case}");
    }
}

#[test]
fn err_one_refused_archive_leaves_charts_as_it_was_even_after_good_ones() {
    let good = db_repository();
    let bad = FileServer::start();
    let link = {
        let mut header = raw_header("db/templates/link.yaml", tar::EntryType::Symlink, 0);
        header.set_link_name("../../../etc/passwd").unwrap();
        header.set_cksum();
        header
    };
    bad.publish("cache", &[("1.0.0", hostile(&[(link, Vec::new())]), None)]);
    let umbrella = Umbrella::new(&format!(
        "{}  - name: cache\n    version: \"1.0.0\"\n    repository: {}\n",
        dependency("db", "^1", &good.url()),
        bad.url()
    ));
    let (code, _, stderr) = umbrella.bosun(&["dep", "update"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("refused `db/templates/link.yaml` in `cache-1.0.0.tgz`"),
        "{stderr}"
    );
    umbrella.assert_untouched();
}

mod archive_limits {
    pub const MAX_FILE: u64 = bosun::dependency::archive::MAX_FILE;
}
