//! The Miller-Rabin test to base 2 of [`super::base_two`], on eight candidates at once with
//! AVX-512 IFMA (`vpmadd52luq`/`vpmadd52huq`), where the CPU has it: one candidate per 64-bit
//! lane of a zmm register, each held as `L` limbs of 52 bits (limb k of the eight candidates in
//! vector k), each lane with its own modulus, Montgomery constant and exponent. Its answers are
//! the scalar test's, which the tests hold it to; the prime search takes the first candidate
//! in window order that passes either way, so a seeded key is the same on every machine.
//!
//! Montgomery arithmetic is lazy: with R = 2^(52·L) above 16n, a Montgomery square of any
//! value below 4n is below 2n, so a doubling (a value below 2n shifted left by one bit) needs no
//! reduction before the next square; values are reduced only where they are compared with ±1.
//! Like the scalar test, this is variable-time in the candidates (see `rsa_keygen`).

use std::arch::x86_64::{
    __m512i, __mmask8, _mm512_add_epi64, _mm512_and_si512, _mm512_loadu_si512,
    _mm512_madd52hi_epu64, _mm512_madd52lo_epu64, _mm512_mask_mov_epi64, _mm512_or_si512,
    _mm512_set1_epi64, _mm512_setzero_si512, _mm512_slli_epi64, _mm512_srli_epi64,
    _mm512_storeu_si512,
};

use crypto_bigint::Uint;

/// Candidates tested at once: the 64-bit lanes of a zmm register.
pub(super) const LANES: usize = 8;
pub(super) const MASK: u64 = (1 << 52) - 1;

/// Whether this CPU runs the eight-lane test (std caches the answer).
pub(super) fn available() -> bool {
    is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512ifma")
}

/// For each of eight odd numbers above 1 (`LIMBS` words each), whether it is a strong probable
/// prime to base 2; `L` is the number of 52-bit limbs, with 52·L ≥ 64·LIMBS + 4, and `WIDE`
/// twice `L`. `None` when the CPU lacks AVX-512 IFMA.
pub(super) fn passes_base_two<const LIMBS: usize, const L: usize, const WIDE: usize>(
    n: &[Uint<LIMBS>; LANES],
) -> Option<[bool; LANES]> {
    const { assert!(52 * L >= 64 * LIMBS + 4 && WIDE == 2 * L) };
    if !available() {
        return None;
    }
    let lanes: [Lane<L>; LANES] = std::array::from_fn(|lane| Lane::new(&n[lane]));
    // SAFETY: the CPU has AVX-512F and AVX-512 IFMA, checked just above.
    Some(unsafe { test_lanes::<L, WIDE>(&lanes) })
}

/// One candidate, in 52-bit limbs, with what its test needs.
pub(super) struct Lane<const L: usize> {
    pub(super) modulus: [u64; L],
    /// R mod n and n - (R mod n): 1 and -1 in Montgomery form.
    pub(super) one: [u64; L],
    minus_one: [u64; L],
    /// -n⁻¹ mod 2^52.
    pub(super) inverse: u64,
    /// n's bit width, and the number of trailing zeros s of n - 1.
    width: usize,
    s: usize,
}

impl<const L: usize> Lane<L> {
    pub(super) fn new<const LIMBS: usize>(n: &Uint<LIMBS>) -> Self {
        let words: [u64; LIMBS] = std::array::from_fn(|i| n.as_limbs()[i].0);
        let modulus = to_limbs::<LIMBS, L>(&words);
        let width = n.bit_width_vartime() as usize;
        let s = (n.wrapping_sub(&Uint::ONE)).trailing_zeros_vartime() as usize;
        // R mod n: 2^(width - 1) < n, doubled up to 2^(52·L) with a subtraction whenever the
        // value reaches n.
        let mut one = [0; L];
        one[(width - 1) / 52] = 1 << ((width - 1) % 52);
        for _ in width - 1..52 * L {
            shift_left(&mut one);
            if !less(&one, &modulus) {
                subtract(&mut one, &modulus);
            }
        }
        let mut minus_one = modulus;
        subtract(&mut minus_one, &one);
        let mut inverse: u64 = 1;
        for _ in 0..6 {
            inverse = inverse.wrapping_mul(2u64.wrapping_sub(words[0].wrapping_mul(inverse)));
        }
        Lane {
            modulus,
            one,
            minus_one,
            inverse: inverse.wrapping_neg() & MASK,
            width,
            s,
        }
    }

    /// Bit `j` of n - 1, for `j` ≥ 1 (where it is n's).
    fn bit(&self, j: usize) -> bool {
        j < 52 * L && self.modulus[j / 52] >> (j % 52) & 1 == 1
    }

    /// Whether `x` (below 4n, Montgomery form) is 1, or -1, once reduced below n.
    fn is_plus_or_minus_one(&self, mut x: [u64; L]) -> (bool, bool) {
        while !less(&x, &self.modulus) {
            subtract(&mut x, &self.modulus);
        }
        (x == self.one, x == self.minus_one)
    }
}

/// `words` (64 bits each, least significant first) as `L` limbs of 52 bits.
fn to_limbs<const LIMBS: usize, const L: usize>(words: &[u64; LIMBS]) -> [u64; L] {
    std::array::from_fn(|k| {
        let (word, shift) = (52 * k / 64, 52 * k % 64);
        let low = u128::from(words.get(word).copied().unwrap_or(0));
        let high = u128::from(words.get(word + 1).copied().unwrap_or(0));
        ((high << 64 | low) >> shift) as u64 & MASK
    })
}

pub(super) fn shift_left<const L: usize>(x: &mut [u64; L]) {
    let mut carry = 0;
    for limb in x.iter_mut() {
        let shifted = *limb << 1 | carry;
        carry = shifted >> 52;
        *limb = shifted & MASK;
    }
}

pub(super) fn less<const L: usize>(a: &[u64; L], b: &[u64; L]) -> bool {
    a.iter().rev().cmp(b.iter().rev()).is_lt()
}

/// `a` -= `b` for `a` ≥ `b`, in 52-bit limbs.
pub(super) fn subtract<const L: usize>(a: &mut [u64; L], b: &[u64; L]) {
    let mut borrow = 0;
    for (a, b) in a.iter_mut().zip(b) {
        let difference = a.wrapping_sub(*b).wrapping_sub(borrow);
        borrow = difference >> 63;
        *a = difference & MASK;
    }
}

/// The eight tests, run together: 2^(n-1) is computed from the top bit of n - 1 down to bit
/// 1, squaring at each bit and doubling the lanes whose bit is set; after bit j the lanes hold
/// 2^((n-1) >> j), which for j = s is 2^d (it passes as 1 or -1) and below s is one of
/// 2^(d·2^r) (it passes as -1).
#[target_feature(enable = "avx512f,avx512ifma")]
fn test_lanes<const L: usize, const WIDE: usize>(lanes: &[Lane<L>; LANES]) -> [bool; LANES] {
    let gather = |limbs: fn(&Lane<L>) -> &[u64; L]| -> [__m512i; L] {
        std::array::from_fn(|k| load(&std::array::from_fn(|lane| limbs(&lanes[lane])[k])))
    };
    let modulus = gather(|lane| &lane.modulus);
    let mut x = gather(|lane| &lane.one);
    let inverse = load(&std::array::from_fn(|lane| lanes[lane].inverse));
    let top = lanes.iter().map(|lane| lane.width).max().unwrap_or(0);
    let deepest = lanes.iter().map(|lane| lane.s).max().unwrap_or(0);
    let mut passed = [false; LANES];
    for j in (1..top).rev() {
        x = square::<L, WIDE>(&x, &modulus, inverse);
        let doubled = (0..LANES).fold(0, |mask, lane| mask | u8::from(lanes[lane].bit(j)) << lane);
        if doubled != 0 {
            double(&mut x, doubled);
        }
        if j > deepest {
            continue;
        }
        let values: [[u64; LANES]; L] = std::array::from_fn(|k| store(x[k]));
        for (lane, passed) in lanes.iter().enumerate().zip(&mut passed) {
            let (index, lane) = lane;
            if *passed || j > lane.s {
                continue;
            }
            let (one, minus_one) =
                lane.is_plus_or_minus_one(std::array::from_fn(|k| values[k][index]));
            *passed = minus_one || (one && j == lane.s);
        }
    }
    passed
}

/// The Montgomery square a²·R⁻¹ mod n of each lane's `a` (below 4n), below 2n, a column of
/// the 104-bit products at a time (product scanning), so that the column sums stay in
/// registers: column k takes the low halves of the products a[i]·a[j] with i + j = k and the
/// high halves of those with i + j = k - 1 (the products with i < j once, then doubled, plus
/// the squares), the same for u[j]·n[m], and the carry from column k - 1. For k below L, u[k]
/// is chosen to clear the column's low 52 bits; from L on, the columns are the result. No
/// sum overflows: a column takes at most 4L + 2 values below 2^52, which 64 bits hold for L
/// up to 2^10. Each sum is split in two so that the multiply-adds' latency overlaps.
#[target_feature(enable = "avx512f,avx512ifma")]
fn square<const L: usize, const WIDE: usize>(
    a: &[__m512i; L],
    modulus: &[__m512i; L],
    inverse: __m512i,
) -> [__m512i; L] {
    let zero = _mm512_setzero_si512();
    let mask = _mm512_set1_epi64(MASK as i64);
    let mut u = [zero; L];
    let mut result = [zero; L];
    // The high halves for the current column gathered while the previous one was summed:
    // of the cross products (to be doubled) and of the squares and u·n products.
    let (mut cross_high, mut plain_high) = (zero, zero);
    let mut carry = zero;
    for k in 0..WIDE {
        // The pairs i < j with i + j = k and both below L.
        let (low, high) = multiply_add_pairs(a, a, (k + 1).saturating_sub(L)..k.div_ceil(2), k);
        let doubled = _mm512_add_epi64(low, cross_high);
        let mut column = _mm512_add_epi64(_mm512_slli_epi64::<1>(doubled), plain_high);
        column = _mm512_add_epi64(column, carry);
        let mut next_plain = zero;
        if k % 2 == 0 && k / 2 < L {
            let half = a[k / 2];
            column = _mm512_madd52lo_epu64(column, half, half);
            next_plain = _mm512_madd52hi_epu64(next_plain, half, half);
        }
        // The u[j]·n[k - j] known so far, j below k and L, k - j below L.
        let (low, reduction_high) =
            multiply_add_pairs(&u, modulus, (k + 1).saturating_sub(L)..k.min(L), k);
        column = _mm512_add_epi64(column, low);
        next_plain = _mm512_add_epi64(next_plain, reduction_high);
        if k < L {
            u[k] = _mm512_madd52lo_epu64(zero, column, inverse);
            column = _mm512_madd52lo_epu64(column, u[k], modulus[0]);
            next_plain = _mm512_madd52hi_epu64(next_plain, u[k], modulus[0]);
        } else {
            result[k - L] = _mm512_and_si512(column, mask);
        }
        carry = _mm512_srli_epi64::<52>(column);
        cross_high = high;
        plain_high = next_plain;
    }
    result
}

/// The Montgomery product a·b·R⁻¹ mod n of each lane's `a` and `b` (below 2n), below 2n: as
/// [`square`], with every product a[i]·b[j] summed once.
#[target_feature(enable = "avx512f,avx512ifma")]
pub(super) fn multiply<const L: usize, const WIDE: usize>(
    a: &[__m512i; L],
    b: &[__m512i; L],
    modulus: &[__m512i; L],
    inverse: __m512i,
) -> [__m512i; L] {
    let zero = _mm512_setzero_si512();
    let mask = _mm512_set1_epi64(MASK as i64);
    let mut u = [zero; L];
    let mut result = [zero; L];
    let (mut high, mut carry) = (zero, zero);
    for k in 0..WIDE {
        let pairs = (k + 1).saturating_sub(L)..(k + 1).min(L);
        let (low, next_high) = multiply_add_pairs(a, b, pairs.clone(), k);
        let mut column = _mm512_add_epi64(_mm512_add_epi64(low, high), carry);
        let (low, reduction_high) = multiply_add_pairs(&u, modulus, pairs.start..k.min(L), k);
        column = _mm512_add_epi64(column, low);
        high = _mm512_add_epi64(next_high, reduction_high);
        if k < L {
            u[k] = _mm512_madd52lo_epu64(zero, column, inverse);
            column = _mm512_madd52lo_epu64(column, u[k], modulus[0]);
            high = _mm512_madd52hi_epu64(high, u[k], modulus[0]);
        } else {
            result[k - L] = _mm512_and_si512(column, mask);
        }
        carry = _mm512_srli_epi64::<52>(column);
    }
    result
}

/// The sums of the low and of the high halves of x[i]·y[k - i] for i in `range`, each summed
/// in two chains so that the multiply-adds' latency overlaps.
#[target_feature(enable = "avx512f,avx512ifma")]
fn multiply_add_pairs<const L: usize>(
    x: &[__m512i; L],
    y: &[__m512i; L],
    range: std::ops::Range<usize>,
    k: usize,
) -> (__m512i, __m512i) {
    let zero = _mm512_setzero_si512();
    let (mut low, mut low2, mut high, mut high2) = (zero, zero, zero, zero);
    let (mut low3, mut low4, mut high3, mut high4) = (zero, zero, zero, zero);
    let mut i = range.start;
    while i + 3 < range.end {
        low = _mm512_madd52lo_epu64(low, x[i], y[k - i]);
        high = _mm512_madd52hi_epu64(high, x[i], y[k - i]);
        low2 = _mm512_madd52lo_epu64(low2, x[i + 1], y[k - i - 1]);
        high2 = _mm512_madd52hi_epu64(high2, x[i + 1], y[k - i - 1]);
        low3 = _mm512_madd52lo_epu64(low3, x[i + 2], y[k - i - 2]);
        high3 = _mm512_madd52hi_epu64(high3, x[i + 2], y[k - i - 2]);
        low4 = _mm512_madd52lo_epu64(low4, x[i + 3], y[k - i - 3]);
        high4 = _mm512_madd52hi_epu64(high4, x[i + 3], y[k - i - 3]);
        i += 4;
    }
    while i < range.end {
        low = _mm512_madd52lo_epu64(low, x[i], y[k - i]);
        high = _mm512_madd52hi_epu64(high, x[i], y[k - i]);
        i += 1;
    }
    low = _mm512_add_epi64(low, low3);
    low2 = _mm512_add_epi64(low2, low4);
    high = _mm512_add_epi64(high, high3);
    high2 = _mm512_add_epi64(high2, high4);
    (_mm512_add_epi64(low, low2), _mm512_add_epi64(high, high2))
}

/// Doubles `x` (below 2n) in the lanes of `lanes`, without reduction.
#[target_feature(enable = "avx512f")]
fn double<const L: usize>(x: &mut [__m512i; L], lanes: __mmask8) {
    let mask = _mm512_set1_epi64(MASK as i64);
    // From the top limb down, so that each limb's lower neighbour is still the old one.
    for k in (0..L).rev() {
        let mut shifted = _mm512_slli_epi64::<1>(x[k]);
        if k > 0 {
            shifted = _mm512_or_si512(shifted, _mm512_srli_epi64::<51>(x[k - 1]));
        }
        x[k] = _mm512_mask_mov_epi64(x[k], lanes, _mm512_and_si512(shifted, mask));
    }
}

#[target_feature(enable = "avx512f")]
pub(super) fn load(values: &[u64; LANES]) -> __m512i {
    // SAFETY: `values` is 64 readable bytes, and the load has no alignment requirement.
    unsafe { _mm512_loadu_si512(values.as_ptr().cast()) }
}

#[target_feature(enable = "avx512f")]
pub(super) fn store(vector: __m512i) -> [u64; LANES] {
    let mut values = [0; LANES];
    // SAFETY: `values` is 64 writable bytes, and the store has no alignment requirement.
    unsafe { _mm512_storeu_si512(values.as_mut_ptr().cast(), vector) };
    values
}

/// The smallest Carmichael numbers: composites that pass Fermat's test to every base prime to
/// them, for the tests of both eight-lane tests.
#[cfg(test)]
pub(super) const CARMICHAEL: [u64; 7] = [561, 1105, 1729, 2465, 2821, 6601, 8911];

/// Strong pseudoprimes to base 2: composites the base-2 Miller-Rabin test passes.
#[cfg(test)]
pub(super) const STRONG_BASE_TWO_PSEUDOPRIMES: [u64; 6] =
    [2047, 3277, 4033, 4681, 8321, 3_215_031_751];

#[cfg(test)]
mod tests {
    //! The eight-lane test held to the scalar one's answers, at the two sizes keys use.

    use chacha20::ChaCha20Rng;
    use crypto_bigint::{Random, U1024, U2048};
    use rand::SeedableRng;

    use super::*;
    use crate::certs::base_two;
    use crate::certs::rsa_keygen::{Lanes, random_prime};

    /// 2^k - 1 and 2^k + 1 (`k` below `64 * LIMBS`).
    fn two_to_the<const LIMBS: usize>(k: u32, plus: bool) -> Uint<LIMBS> {
        let power = Uint::<LIMBS>::ONE.wrapping_shl_vartime(k);
        if plus {
            power.wrapping_add(&Uint::ONE)
        } else {
            power.wrapping_sub(&Uint::ONE)
        }
    }

    /// Odd numbers of every kind the prime search meets and more: random ones (with and
    /// without the top two bits set), primes, Carmichael numbers, strong pseudoprimes to base
    /// 2 (2047, 3277, 4033, 4681, 8321, 3215031751, the composite Mersenne numbers 2^1021 - 1
    /// and 2^2039 - 1, and the Fermat number 2^512 + 1, whose n - 1 has 512 trailing zeros),
    /// and numbers near the largest of the size.
    fn numbers<const LIMBS: usize, const WIDE: usize, const L: usize, const WIDE52: usize>(
        rng: &mut ChaCha20Rng,
    ) -> Vec<Uint<LIMBS>> {
        let bits = Uint::<LIMBS>::BITS;
        let top_two = Uint::<LIMBS>::from_u8(3).wrapping_shl_vartime(bits - 2);
        let mut numbers: Vec<Uint<LIMBS>> = (0..64)
            .map(|i| {
                let n = Uint::<LIMBS>::random_from_rng(rng) | Uint::ONE;
                if i % 2 == 0 { n | top_two } else { n }
            })
            .collect();
        // Primes from the key generator's search.
        numbers
            .extend((0..4).map(|_| random_prime::<LIMBS, WIDE, L, WIDE52>(rng, Lanes::fastest())));
        numbers.extend(
            [
                41041u64,
                825265,
                321197185,
                5394826801,
                232250619601,
                9746347772161,
                3,
                5,
                7,
                65_537,
            ]
            .into_iter()
            .chain(CARMICHAEL)
            .chain(STRONG_BASE_TWO_PSEUDOPRIMES)
            .map(Uint::from_u64),
        );
        for (k, plus) in [(1021, false), (2039, false), (512, true), (bits - 1, true)] {
            if k < bits {
                numbers.push(two_to_the::<LIMBS>(k, plus));
            }
        }
        numbers.push(Uint::MAX);
        numbers
    }

    fn lanes_agree<const LIMBS: usize, const WIDE: usize, const L: usize, const WIDE52: usize>(
        rng: &mut ChaCha20Rng,
    ) {
        let numbers = numbers::<LIMBS, WIDE, L, WIDE52>(rng);
        let scalar: Vec<bool> = numbers
            .iter()
            .map(base_two::passes_base_two::<LIMBS, WIDE>)
            .collect();
        // Batches of eight consecutive numbers, then of eight from all over the list, so that
        // lanes of different widths and exponents run together.
        let mut order: Vec<usize> = (0..numbers.len()).collect();
        order.extend((0..numbers.len()).map(|i| i * 37 % numbers.len()));
        for batch in order.chunks(LANES) {
            let at = |lane: usize| batch[lane.min(batch.len() - 1)];
            let candidates = std::array::from_fn(|lane| numbers[at(lane)]);
            let Some(ours) = passes_base_two::<LIMBS, L, WIDE52>(&candidates) else {
                eprintln!("this CPU has no AVX-512 IFMA: the eight-lane test is not run");
                return;
            };
            for (lane, passed) in ours.iter().enumerate() {
                assert_eq!(*passed, scalar[at(lane)], "{}", numbers[at(lane)]);
            }
        }
    }

    #[test]
    fn eight_lane_test_agrees_with_the_scalar_test() {
        let mut rng = ChaCha20Rng::from_seed([8; 32]);
        lanes_agree::<{ U1024::LIMBS }, { 2 * U1024::LIMBS }, 20, 40>(&mut rng);
        lanes_agree::<{ U2048::LIMBS }, { 2 * U2048::LIMBS }, 40, 80>(&mut rng);
    }

    #[test]
    fn strong_pseudoprimes_pass_and_their_neighbours_fail() {
        let mut candidates =
            [2047u64, 3277, 4033, 3_215_031_751, 561, 1105, 2049, 4035].map(U1024::from_u64);
        candidates[4] = two_to_the::<{ U1024::LIMBS }>(1021, false);
        candidates[5] = two_to_the::<{ U1024::LIMBS }>(512, true);
        let Some(passed) = passes_base_two::<{ U1024::LIMBS }, 20, 40>(&candidates) else {
            eprintln!("this CPU has no AVX-512 IFMA: the eight-lane test is not run");
            return;
        };
        assert_eq!(passed, [true, true, true, true, true, true, false, false]);
    }
}
