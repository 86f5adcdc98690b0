//! The `bosun` binary: everything lives in the library; this only hands over the arguments.

/// A render allocates and frees millions of small strings and maps on every core; mimalloc
/// spends about half the instructions glibc's allocator does on them (bench/README.md).
/// Measured again on 2026-11-29 against glibc's allocator (0.69-0.82x CPU on the fleet with
/// validation, 0.77x over Bitnami's charts) and against mimalloc without transparent huge
/// pages (`MIMALLOC_ALLOW_THP=0`: from 0.84x to 1.26x, no clear winner): kept as it is.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(bosun::cli::run(std::env::args_os()));
}
