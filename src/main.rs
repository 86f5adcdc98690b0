//! The `bosun` binary: everything lives in the library; this only hands over the arguments.

use std::alloc::{GlobalAlloc, Layout, System};

use mimalloc::MiMalloc;

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
static ALLOCATOR: Split = Split;

/// Blocks from this size up go to the system allocator.
const LARGE: usize = 10 * 1024;

/// mimalloc for small blocks, the system allocator (glibc) for large ones. mimalloc (built with
/// its default 64 KiB slices, before `.cargo/config.toml` made them 16 KiB) gave each size
/// class of blocks above 10 KiB (file contents, output buffers, growing vectors) a 512 KiB or
/// 4 MiB page of its own in its huge-page arena, of which a render writes a little, and the
/// kernel zeroes each 2 MiB huge page whole on its first write: a redis render wrote 5 MiB of
/// the arena and had 20-24 MiB zeroed. glibc serves large blocks from memory without huge
/// pages, where only the 4 KiB pages written are faulted in. Measured on 2026-11-30 (busy
/// machine, thresholds alternated in one binary): from 64 KiB up, 107 Bitnami charts 0.92-0.97x
/// CPU, the 100-service fleet 0.94x, the 2,000-service one 0.94-1.01x, redis 16-20 MiB of huge
/// pages; from 10 or 16 KiB up, Bitnami a little better (0.90-0.94x) but the 2,000-service
/// fleet 0.98-1.02x. 64 KiB was kept then. Measured again on 2026-12-01 (one binary, the
/// threshold from the environment, alternated), with mimalloc's 16 KiB slices its pages for
/// blocks above 21 KiB are 1 MiB, each in a huge page of its own: from 10 KiB up, 104 Bitnami
/// charts 0.938x, 0.981x and 0.956x wall (0.947-0.963x CPU), four charts 18 huge pages zeroed
/// instead of 29; the 2,000-service fleet 0.997-1.035x wall (from 4 KiB: Bitnami 0.988x of
/// that, the fleet 1.02x). Issue 13's corpus is the one still short of its target: 10 KiB.
struct Split;

/// Whether a block of this layout belongs to the system allocator. The layout alone decides,
/// so that a block is always freed by the allocator that made it.
fn is_large(size: usize, align: usize) -> bool {
    size >= LARGE && align <= 16
}

// SAFETY: each block is made and freed by the same allocator, chosen by `is_large` from the
// layout that the caller must pass unchanged to `dealloc` and `realloc`.
unsafe impl GlobalAlloc for Split {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if is_large(layout.size(), layout.align()) {
            unsafe { System.alloc(layout) }
        } else {
            unsafe { MiMalloc.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if is_large(layout.size(), layout.align()) {
            unsafe { System.alloc_zeroed(layout) }
        } else {
            unsafe { MiMalloc.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if is_large(layout.size(), layout.align()) {
            unsafe { System.dealloc(ptr, layout) }
        } else {
            unsafe { MiMalloc.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let was_large = is_large(layout.size(), layout.align());
        match (was_large, is_large(new_size, layout.align())) {
            (true, true) => unsafe { System.realloc(ptr, layout, new_size) },
            (false, false) => unsafe { MiMalloc.realloc(ptr, layout, new_size) },
            _ => {
                // The block changes allocator: a fresh block from the new one, then a copy.
                // SAFETY: the caller guarantees `new_size`, rounded up to `align`, fits `isize`.
                let new_layout =
                    unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
                let new_ptr = unsafe { self.alloc(new_layout) };
                if !new_ptr.is_null() {
                    unsafe {
                        std::ptr::copy_nonoverlapping(ptr, new_ptr, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                }
                new_ptr
            }
        }
    }
}

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

/// Runs the command on one of rayon's threads rather than on the process's main thread, which
/// only waits. The pipeline hands work to rayon at every step (the chart's load, the preparse,
/// the render, the record); from a thread outside the pool each hand-over queues a job and
/// waits for a sleeping worker to take it, and on this 2-core machine a job spawned from the
/// main thread sat up to a millisecond before a worker started it (timing marks, mastodon: the
/// preparse began only once the values were layered). From inside the pool the work goes to the
/// thread's own queue, and the other worker steals it. The pool's threads get the main thread's
/// stack size (8 MiB, not rayon's 2 MiB), since the whole command now runs on one of them.
/// Measured on 2026-12-01, alternated, against the same build starting rayon's threads from the
/// main thread and running the command there: 104 key-less Bitnami charts 0.958x and 0.978x
/// wall; with the charts of a tree rendered side by side (`render::render_parts`) and the
/// profile recorded again, against the eleventh round's release: 0.892x and 0.882x wall, the
/// fleet 0.874x at 100 services and 0.935x at 2,000, charts with CRDs and key charts unchanged.
fn run_on_rayon(args: Vec<std::ffi::OsString>) -> i32 {
    // Fails only when a pool was built already, which nothing before this does.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(MAIN_STACK)
        .build_global();
    rayon::scope(|_| bosun::cli::run(args))
}

/// The stack a Linux process's main thread gets by default.
const MAIN_STACK: usize = 8 << 20;

fn main() {
    keep_freed_memory();
    std::process::exit(run_on_rayon(std::env::args_os().collect()));
}

#[cfg(test)]
mod tests {
    use std::alloc::{GlobalAlloc, Layout};

    /// A block that grows past `LARGE` and shrinks back changes allocator twice; its bytes
    /// must come along each time.
    #[test]
    fn realloc_across_the_threshold_keeps_the_bytes() {
        let small = 1000;
        let layout = Layout::from_size_align(small, 8).unwrap();
        // SAFETY: each call passes the block and layout the previous one returned.
        unsafe {
            let p = super::ALLOCATOR.alloc(layout);
            for i in 0..small {
                *p.add(i) = (i % 251) as u8;
            }
            let big = super::LARGE * 2;
            let p = super::ALLOCATOR.realloc(p, layout, big);
            assert!((0..small).all(|i| *p.add(i) == (i % 251) as u8));
            *p.add(big - 1) = 7;
            let big_layout = Layout::from_size_align(big, 8).unwrap();
            let p = super::ALLOCATOR.realloc(p, big_layout, small / 2);
            assert!((0..small / 2).all(|i| *p.add(i) == (i % 251) as u8));
            super::ALLOCATOR.dealloc(p, Layout::from_size_align(small / 2, 8).unwrap());
        }
    }

    /// The option's number is mimalloc's, not ours: an upgrade that moves it must fail here
    /// rather than set another option. Its default is 1000 ms, which no neighbour has.
    #[test]
    fn purge_delay_is_the_option_set() {
        // SAFETY: reads one of mimalloc's global options.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}
