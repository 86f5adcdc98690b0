//! The `bosun` binary: everything lives in the library; this only hands over the arguments.

/// A render allocates and frees millions of small strings and maps on every core; mimalloc
/// spends about half the instructions glibc's allocator does on them (bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(bosun::cli::run(std::env::args_os()));
}
