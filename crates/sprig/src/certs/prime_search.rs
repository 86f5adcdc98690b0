//! One RSA prime's search, shared by the threads that make a key: the sieved candidates of
//! [`super::rsa_keygen`]'s windows are handed out in batches of eight, in window order, to
//! whichever thread asks, and the prime taken is the first candidate in that order that passes
//! both tests, as when one thread searches alone. So a seeded key does not depend on how many
//! threads searched or how their work interleaved, and a thread that has found its own prime
//! helps with the other one instead of waiting for it.
//!
//! Once a batch holds a candidate that passed the base-2 test, no further batch is handed out
//! while its Lucas test runs (it nearly always passes): the batches handed out before it finish,
//! and the earliest prime among them is the one taken.

use std::sync::{Mutex, MutexGuard};

use chacha20::{ChaCha20Rng, SerializedRngState};
use crypto_bigint::{Limb, Random, Uint};

use super::base_two::passes_base_two;
use super::rsa_keygen::{LANES, Lanes, WINDOW, passes_base_two_x8, passes_lucas, sieve};

/// The search for one `64 * LIMBS`-bit prime, its top two bits set, not 1 mod 65537, drawn
/// from one generator. `WIDE`, `L` and `WIDE52` are the sizes the base-2 tests need.
pub(super) struct Search<const LIMBS: usize, const WIDE: usize, const L: usize, const WIDE52: usize>
{
    lanes: Lanes,
    state: Mutex<State<LIMBS>>,
}

struct State<const LIMBS: usize> {
    rng: ChaCha20Rng,
    /// The window batches are handed out from (none before the first is drawn).
    window: Option<Window<LIMBS>>,
    /// The number of the next batch handed out, counted over all windows.
    next: u64,
    /// Batches whose base-2 passer is having its Lucas test.
    pending: usize,
    /// The earliest batch found to hold a prime: its number, the prime, and the generator as
    /// it was after drawing the prime's window (where a search for another prime resumes).
    found: Option<(u64, Uint<LIMBS>, SerializedRngState)>,
}

/// A random start and the offsets of its window's sieve survivors.
struct Window<const LIMBS: usize> {
    start: Uint<LIMBS>,
    survivors: Vec<usize>,
    handed_out: usize,
    /// The generator just after `start` was drawn from it.
    rng_after: SerializedRngState,
}

/// Up to eight candidates, the batch's number and its window's generator state.
struct Batch<const LIMBS: usize> {
    number: u64,
    candidates: Vec<Uint<LIMBS>>,
    rng_after: SerializedRngState,
}

impl<const LIMBS: usize, const WIDE: usize, const L: usize, const WIDE52: usize>
    Search<LIMBS, WIDE, L, WIDE52>
{
    pub(super) fn new(rng: ChaCha20Rng, lanes: Lanes) -> Self {
        Search {
            lanes,
            state: Mutex::new(State {
                rng,
                window: None,
                next: 0,
                pending: 0,
                found: None,
            }),
        }
    }

    /// Tests batches until none is left to hand out: when this returns on every thread that
    /// called it, the search has its prime.
    pub(super) fn run(&self) {
        while let Some(batch) = self.hand_out() {
            self.test(batch);
        }
    }

    /// The prime found, and the generator as it was after drawing the prime's window; `None`
    /// before [`Search::run`] has returned on every thread that called it.
    pub(super) fn prime(&self) -> Option<(Uint<LIMBS>, ChaCha20Rng)> {
        let state = self.lock();
        state
            .found
            .as_ref()
            .map(|(_, prime, rng)| (*prime, ChaCha20Rng::deserialize_state(rng)))
    }

    fn lock(&self) -> MutexGuard<'_, State<LIMBS>> {
        // The state is consistent between statements: a panic elsewhere leaves it usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next batch in window order, drawing and sieving a new window when the current one
    /// is used up; `None` once a batch has found a prime or awaits a Lucas test.
    fn hand_out(&self) -> Option<Batch<LIMBS>> {
        let mut state = self.lock();
        if state.found.is_some() || state.pending > 0 {
            return None;
        }
        let window = loop {
            match &mut state.window {
                Some(window) if window.handed_out < window.survivors.len() => break window,
                _ => {
                    let window = Window::draw(&mut state.rng, self.lanes);
                    state.window = Some(window);
                }
            }
        };
        let offsets = &window.survivors[window.handed_out..];
        let offsets = &offsets[..offsets.len().min(LANES)];
        window.handed_out += offsets.len();
        let candidates = offsets
            .iter()
            .map(|&offset| {
                window
                    .start
                    .wrapping_add(&Uint::from_u64(2 * offset as u64))
            })
            .collect();
        let rng_after = window.rng_after;
        let number = state.next;
        state.next += 1;
        Some(Batch {
            number,
            candidates,
            rng_after,
        })
    }

    /// Tests a batch's candidates in order and records the first prime.
    fn test(&self, batch: Batch<LIMBS>) {
        let eight = match self.lanes {
            Lanes::Eight => {
                let first = batch.candidates[0];
                let lanes =
                    std::array::from_fn(|i| batch.candidates.get(i).copied().unwrap_or(first));
                Some(passes_base_two_x8::<LIMBS, WIDE, L, WIDE52>(&lanes))
            }
            Lanes::One => None,
        };
        let mut pending = false;
        for (i, candidate) in batch.candidates.iter().enumerate() {
            let passed = match eight {
                Some(passed) => passed[i],
                None => passes_base_two::<LIMBS, WIDE>(candidate),
            };
            if !passed {
                continue;
            }
            if !pending {
                self.lock().pending += 1;
                pending = true;
            }
            if passes_lucas::<LIMBS, L, WIDE52>(candidate, self.lanes) {
                let mut state = self.lock();
                state.pending -= 1;
                if state
                    .found
                    .as_ref()
                    .is_none_or(|(number, ..)| batch.number < *number)
                {
                    state.found = Some((batch.number, *candidate, batch.rng_after));
                }
                return;
            }
        }
        if pending {
            self.lock().pending -= 1;
        }
    }
}

impl<const LIMBS: usize> Window<LIMBS> {
    /// A random odd start with its top two bits set, and its window's sieve survivors up to
    /// the last that fits `64 * LIMBS` bits.
    fn draw(rng: &mut ChaCha20Rng, lanes: Lanes) -> Self {
        let top_two = Uint::<LIMBS>::from_u8(3).wrapping_shl_vartime(Uint::<LIMBS>::BITS - 2);
        let start = Uint::<LIMBS>::random_from_rng(rng) | top_two | Uint::ONE;
        let mut dead = vec![false; WINDOW];
        sieve(&start, &mut dead, lanes);
        let survivors = dead
            .iter()
            .enumerate()
            .filter(|(_, dead)| !**dead)
            .map(|(offset, _)| offset)
            .take_while(|&offset| {
                let (_, carry) = start.carrying_add(&Uint::from_u64(2 * offset as u64), Limb::ZERO);
                carry == Limb::ZERO
            })
            .collect();
        Window {
            start,
            survivors,
            handed_out: 0,
            rng_after: rng.serialize_state(),
        }
    }
}

#[cfg(test)]
mod tests {
    //! The shared search held to the search on one thread.

    use crypto_bigint::U1024;
    use rand::{Rng, SeedableRng};

    use super::*;

    type Search1024 = Search<{ U1024::LIMBS }, { 2 * U1024::LIMBS }, 20, 40>;

    /// The prime, and the next word the generator gives after the search.
    fn found(search: &Search1024) -> Option<(U1024, u64)> {
        search
            .prime()
            .map(|(prime, mut rng)| (prime, rng.next_u64()))
    }

    #[test]
    fn a_search_shared_by_four_threads_finds_the_prime_and_leaves_the_generator_as_one_thread_does()
    {
        for seed in 0..6 {
            let alone = Search1024::new(ChaCha20Rng::from_seed([seed; 32]), Lanes::fastest());
            alone.run();
            let shared = Search1024::new(ChaCha20Rng::from_seed([seed; 32]), Lanes::fastest());
            std::thread::scope(|scope| {
                for _ in 0..4 {
                    scope.spawn(|| shared.run());
                }
            });
            assert!(found(&alone).is_some());
            assert_eq!(found(&shared), found(&alone), "seed {seed}");
        }
    }

    #[test]
    fn one_lane_and_eight_lane_searches_find_the_same_prime() {
        for seed in 0..3 {
            let [one, eight] = [Lanes::One, Lanes::fastest()].map(|lanes| {
                let search = Search1024::new(ChaCha20Rng::from_seed([seed; 32]), lanes);
                search.run();
                found(&search)
            });
            assert_eq!(one, eight, "seed {seed}");
        }
    }
}
