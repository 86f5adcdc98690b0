//! The sieve of [`super::rsa_keygen`] on AVX-512 IFMA, where the CPU has it: a window's start
//! reduced modulo eight small primes at once, one per 64-bit lane, by Barrett reduction with
//! `vpmadd52huq`, 32 bits of the start at a time. The scalar sieve divides the start by
//! products of primes with crypto-bigint's constant-time division, which costs more per prime
//! than a survivor saved is worth beyond 2^17; this one costs a tenth of that, so it sieves
//! with the primes below 2^20 and leaves about a sixth fewer candidates to the base-2 test.
//! Which prime a search takes does not depend on the sieve (it is the window's first prime
//! not 1 mod 65537), so a seeded key is the same with either sieve.

use std::arch::x86_64::{
    __m512i, _mm512_add_epi64, _mm512_madd52hi_epu64, _mm512_madd52lo_epu64, _mm512_min_epu64,
    _mm512_set1_epi64, _mm512_setzero_si512, _mm512_slli_epi64, _mm512_storeu_si512,
    _mm512_sub_epi64,
};
use std::sync::OnceLock;

use crypto_bigint::Uint;

/// The sieve's primes are the odd primes below this: the most for which a remainder shifted
/// left by 32 bits, plus 32 bits, stays below 2^52, IFMA's operand width.
const LIMIT: usize = 1 << 20;

/// Primes reduced at once: four vectors of eight, so that four chains of dependent
/// instructions overlap.
const BLOCK: usize = 32;

/// The odd primes below [`LIMIT`] and their Barrett factors ⌊2^52 / p⌋, padded with 3s to a
/// multiple of [`BLOCK`] (striking 3's multiples again changes nothing).
pub(super) struct Primes {
    primes: Vec<u64>,
    factors: Vec<u64>,
    /// The primes before the padding.
    real: usize,
}

impl Primes {
    /// The primes below `limit` (at most [`LIMIT`]), and a few above it to fill the last block,
    /// with their factors.
    pub(super) fn below(&self, limit: u64) -> (&[u64], &[u64]) {
        let count = self.primes[..self.real].partition_point(|&p| p < limit);
        let count = count.next_multiple_of(BLOCK).min(self.primes.len());
        (&self.primes[..count], &self.factors[..count])
    }
}

/// The primes, computed once per process, on first use.
pub(super) fn primes() -> &'static Primes {
    static PRIMES: OnceLock<Primes> = OnceLock::new();
    PRIMES.get_or_init(|| {
        // Odd numbers only: index i stands for 2i + 1.
        let mut composite = vec![false; LIMIT / 2];
        let mut primes = Vec::new();
        for i in 1..LIMIT / 2 {
            if composite[i] {
                continue;
            }
            let p = 2 * i + 1;
            primes.push(p as u64);
            for multiple in (p * p / 2..LIMIT / 2).step_by(p) {
                composite[multiple] = true;
            }
        }
        let real = primes.len();
        primes.resize(real.next_multiple_of(BLOCK), 3);
        let factors = primes.iter().map(|&p| (1u64 << 52) / p).collect();
        Primes {
            primes,
            factors,
            real,
        }
    })
}

/// `start`'s 32-bit digits, most significant first, as [`first_offsets`] takes them.
pub(super) fn digits<const LIMBS: usize>(start: &Uint<LIMBS>) -> Vec<u64> {
    start
        .as_words()
        .iter()
        .rev()
        .flat_map(|word| [word >> 32, word & 0xffff_ffff])
        .collect()
}

/// Whether this CPU has what [`first_offsets`] needs.
pub(super) fn available() -> bool {
    super::base_two_ifma::available()
}

/// For each prime `p` of `primes` (from [`Primes::below`], with its `factors`), the offset `i`
/// (below `p`) of the first number `start + 2i` that `p` divides, written to `offsets`.
/// `digits` is the odd `start` in 32-bit digits, most significant first. `None` when the CPU
/// lacks AVX-512 IFMA.
pub(super) fn first_offsets(
    (primes, factors): (&[u64], &[u64]),
    digits: &[u64],
    offsets: &mut [u64],
) -> Option<()> {
    if !available() {
        return None;
    }
    assert!(
        primes.len() == factors.len() && primes.len() == offsets.len() && primes.len() % BLOCK == 0
    );
    // SAFETY: the CPU has AVX-512F and AVX-512 IFMA, checked just above.
    unsafe { first_offsets_ifma(primes, factors, digits, offsets) };
    Some(())
}

#[target_feature(enable = "avx512f,avx512ifma")]
unsafe fn first_offsets_ifma(primes: &[u64], factors: &[u64], digits: &[u64], offsets: &mut [u64]) {
    let load = |values: &[u64], at: usize| -> __m512i {
        // SAFETY: `at + 8` is within `values`, whose length is a multiple of BLOCK.
        unsafe { std::ptr::read_unaligned(values[at..at + 8].as_ptr().cast::<__m512i>()) }
    };
    let zero = _mm512_setzero_si512();
    for at in (0..primes.len()).step_by(BLOCK) {
        let p: [__m512i; 4] = std::array::from_fn(|k| load(primes, at + 8 * k));
        let factor: [__m512i; 4] = std::array::from_fn(|k| load(factors, at + 8 * k));
        let mut r = [zero; 4];
        for &digit in digits {
            let digit = _mm512_set1_epi64(digit as i64);
            for k in 0..4 {
                // x = r·2^32 + digit < 2^52 since r < p < 2^20; q = ⌊x·⌊2^52/p⌋ / 2^52⌋ is
                // ⌊x/p⌋ or one less, so x - q·p is below 2p: one subtraction of p at most.
                let x = _mm512_add_epi64(_mm512_slli_epi64::<32>(r[k]), digit);
                let q = _mm512_madd52hi_epu64(zero, x, factor[k]);
                let rest = _mm512_sub_epi64(x, _mm512_madd52lo_epu64(zero, q, p[k]));
                // Below p, `rest - p` wraps above every remainder: the minimum is the remainder.
                r[k] = _mm512_min_epu64(rest, _mm512_sub_epi64(rest, p[k]));
            }
        }
        for k in 0..4 {
            let mut rests = [0u64; 8];
            // SAFETY: `rests` holds eight u64.
            unsafe { _mm512_storeu_si512(rests.as_mut_ptr().cast(), r[k]) };
            for (lane, &rest) in rests.iter().enumerate() {
                let p = primes[at + 8 * k + lane];
                offsets[at + 8 * k + lane] = offset(p, rest);
            }
        }
    }
}

/// The `i` below `p` with `start + 2i` divisible by `p`, given `start` mod `p` (`rest`): 2i is
/// `p - rest` when that is even, else `2p - rest`.
fn offset(p: u64, rest: u64) -> u64 {
    if rest == 0 {
        0
    } else if rest % 2 == 1 {
        (p - rest) / 2
    } else {
        p - rest / 2
    }
}

#[cfg(test)]
mod tests {
    use crypto_bigint::{Limb, NonZero, Random, U2048};
    use rand::SeedableRng;

    use super::*;

    /// The offsets are the ones division gives, for every prime of the table, on starts with
    /// every digit set and random ones.
    #[test]
    fn first_offsets_are_the_ones_division_gives() {
        let mut rng = chacha20::ChaCha20Rng::from_seed([11; 32]);
        let starts = [U2048::MAX, U2048::ONE]
            .into_iter()
            .chain((0..3).map(|_| U2048::random_from_rng(&mut rng) | U2048::ONE));
        let table = primes().below(LIMIT as u64);
        for start in starts {
            let digits = digits(&start);
            let mut offsets = vec![0; table.0.len()];
            if first_offsets(table, &digits, &mut offsets).is_none() {
                return; // no AVX-512 IFMA here: nothing to hold to division
            }
            for (&p, &i) in table.0.iter().zip(&offsets) {
                let divisor = NonZero::<Limb>::new_unwrap(Limb(p));
                assert!(i < p, "{p}");
                // start + 2i, which may not fit 2048 bits, is divisible by p.
                let rest = start.rem_limb(divisor).0;
                assert_eq!((rest + 2 * i) % p, 0, "p = {p}, start = {start}");
            }
        }
    }

    #[test]
    fn the_table_holds_the_odd_primes_below_the_limit_then_threes() {
        let (all, _) = primes().below(LIMIT as u64);
        assert_eq!(&all[..5], &[3, 5, 7, 11, 13]);
        // π(2^20) = 82,025, 2 included.
        let increasing = 1 + all.windows(2).take_while(|w| w[0] < w[1]).count();
        assert_eq!(increasing, 82_024);
        assert!(all[increasing..].iter().all(|&p| p == 3));
        assert!(all.iter().all(|&p| p < LIMIT as u64));
        let (some, _) = primes().below(1 << 16);
        assert_eq!(some.len() % BLOCK, 0);
        assert!(some.len() >= 6_541 && some.len() < 6_541 + BLOCK);
    }
}
