//! The `bosun` binary: everything lives in the library; this only hands over the arguments.

/// A render allocates and frees millions of small strings and maps on every core; mimalloc
/// spends about half the instructions glibc's allocator does on them (bench/README.md).
/// Measured again on 2026-11-29 against glibc's allocator (0.69-0.82x CPU on the fleet with
/// validation, 0.77x over Bitnami's charts) and against mimalloc without transparent huge
/// pages (`MIMALLOC_ALLOW_THP=0`: from 0.84x to 1.26x, no clear winner): kept as it is.
/// A middle way was measured on 2026-11-30: a first 64 MiB arena reserved without huge pages
/// before any allocation (`mi_reserve_os_memory` from an `.init_array` entry), later arenas
/// with them. A small chart's run then zeroes no huge page, but its 4 KiB faults cost more:
/// 1.07x CPU on memcached, 1.10x on kafka, 1.11x on the 100-service fleet, 1.10x on the
/// 2,000-service one (150 and 30 alternating runs): dropped.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its place in mimalloc 3's `mi_option_t`).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A render is over in well under a second, so memory it frees is better kept for what it
/// allocates next than given back to the kernel, which zeroes every page again when it is
/// touched anew (up to half the CPU of a small chart went to zeroing pages). Measured side
/// by side on 2026-11-30, same peak memory: on a busy machine 0.84x CPU over the 2,000-service
/// fleet and six Bitnami charts; on a quiet one 0.96-0.97x. A `MIMALLOC_PURGE_DELAY` in the
/// environment still wins.
fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's global options; any value is valid (-1: never purge).
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
    }
}

fn main() {
    keep_freed_memory();
    std::process::exit(bosun::cli::run(std::env::args_os()));
}

#[cfg(test)]
mod tests {
    /// The option's number is mimalloc's, not ours: an upgrade that moves it must fail here
    /// rather than set another option. Its default is 1000 ms, which no neighbour has.
    #[test]
    fn purge_delay_is_the_option_set() {
        // SAFETY: reads one of mimalloc's global options.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}
