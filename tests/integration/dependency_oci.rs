//! `bosun push` and `bosun dep` against a real OCI registry (Debian's docker-registry, the
//! CNCF distribution registry, on a loopback port), anonymous and with basic auth, and
//! `bosun package` writing an archive helm reads.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::dependency::{Umbrella, dependency, packaged};
use crate::{bosun, run};

/// The CNCF distribution registry on a loopback port, stopped on drop.
struct Registry {
    child: Child,
    port: u16,
    _storage: tempfile::TempDir,
}

const REGISTRY: &str = "/usr/bin/docker-registry";

impl Registry {
    /// Starts the registry; `htpasswd` turns on basic auth with that file's content.
    fn start(htpasswd: Option<&str>) -> Registry {
        assert!(
            Path::new(REGISTRY).exists(),
            "{REGISTRY} is missing: install it with `apt-get install -y docker-registry` (.ci/run does) to run the OCI tests"
        );
        let storage = tempfile::tempdir().unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut config = format!(
            "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{port}\n",
            storage.path().join("data").display()
        );
        if let Some(htpasswd) = htpasswd {
            let file = storage.path().join("htpasswd");
            std::fs::write(&file, htpasswd).unwrap();
            config.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: bosun-tests\n    path: {}\n",
                file.display()
            ));
        }
        let config_file = storage.path().join("config.yml");
        std::fs::write(&config_file, config).unwrap();
        let child = Command::new(REGISTRY)
            .arg("serve")
            .arg(&config_file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("docker-registry starts");
        let registry = Registry {
            child,
            port,
            _storage: storage,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "docker-registry did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        registry
    }

    fn url(&self) -> String {
        format!("oci://127.0.0.1:{}/charts", self.port)
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn archive_file(name: &str, version: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{name}-{version}.tgz"));
    std::fs::write(&path, packaged(name, version)).unwrap();
    (dir, path)
}

#[test]
fn push_then_pull_through_an_oci_registry() {
    let registry = Registry::start(None);
    for version in ["1.0.0", "1.1.0+build.7", "2.0.0"] {
        let (_dir, archive) = archive_file("db", version);
        let (code, _, stderr) = run([
            "push",
            archive.to_str().unwrap(),
            &registry.url(),
            "--plain-http",
        ]);
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stderr.contains(&format!("pushed {}/db:", registry.url())),
            "{stderr}"
        );
    }
    let umbrella = Umbrella::new(&dependency("db", "~1", &registry.url()));
    let (code, _, stderr) = umbrella.bosun(&["dep", "update", "--plain-http"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("db 1.1.0+build.7 from oci://"), "{stderr}");
    let rendered = crate::run_ok(["render", umbrella.path(), "--no-save"]);
    assert!(rendered.contains("version: 1.1.0+build.7\n"), "{rendered}");

    // Without --plain-http bosun speaks TLS, which a plain registry cannot answer.
    std::fs::remove_dir_all(umbrella.dir.path().join("charts")).unwrap();
    std::fs::remove_dir_all(umbrella.cache.path()).unwrap();
    let (code, _, stderr) = umbrella.bosun(&["dep", "build"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("--plain-http"), "{stderr}");
}

/// `test-user` / `test-password`, bcrypt cost 5 (the registry reads only bcrypt).
const HTPASSWD: &str = "test-user:$2b$05$FOYnbv3Kkd29geeDHa1wXuPal4QAwwkTPh0mVo/HZ3Ru5SGcNf8bW\n";

#[test]
fn a_registry_with_basic_auth_takes_the_credentials_from_the_environment() {
    let registry = Registry::start(Some(HTPASSWD));
    let (_dir, archive) = archive_file("db", "1.0.0");
    let push = |user: Option<&str>| {
        let mut command = bosun([
            "push",
            archive.to_str().unwrap(),
            &registry.url(),
            "--plain-http",
        ]);
        command.env_remove("BOSUN_REGISTRY_USERNAME");
        if let Some(user) = user {
            command
                .env("BOSUN_REGISTRY_USERNAME", user)
                .env("BOSUN_REGISTRY_PASSWORD", "test-password");
        }
        let output = command.output().unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, stderr) = push(None);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("refused access"), "{stderr}");
    assert!(stderr.contains("set BOSUN_REGISTRY_USERNAME"), "{stderr}");
    assert!(!stderr.contains("test-password"), "{stderr}");
    let (code, stderr) = push(Some("someone-else"));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("with the credentials given"), "{stderr}");
    let (code, stderr) = push(Some("test-user"));
    assert_eq!(code, Some(0), "{stderr}");

    let umbrella = Umbrella::new(&dependency("db", "1.0.0", &registry.url()));
    let output = bosun(["dep", "update", "--plain-http", umbrella.path()])
        .env("BOSUN_CACHE_DIR", umbrella.cache.path())
        .env("BOSUN_REGISTRY_USERNAME", "test-user")
        .env("BOSUN_REGISTRY_PASSWORD", "test-password")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(umbrella.charts(), ["db"]);
}

#[test]
fn package_writes_an_archive_helm_can_read() {
    let data = packaged("web", "0.3.1");
    let mut names = Vec::new();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(data.as_slice()));
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().display().to_string();
        if name == "web/Chart.yaml" {
            let mut text = String::new();
            entry.read_to_string(&mut text).unwrap();
            assert!(text.contains("version: 0.3.1"), "{text}");
        }
        names.push(name);
    }
    names.sort();
    assert_eq!(names, ["web/Chart.yaml", "web/templates/configmap.yaml"]);
}
