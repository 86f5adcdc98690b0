//! The Lucas half of the Baillie-PSW test (`crypto-primes`' `lucas_test` with its A* base and
//! its `Bpsw21` check), computed with AVX-512 IFMA where the CPU has it: V_d is reached by a
//! ladder of (V_k, V_k+1) and (Q^k, Q^k+1), whose five products a step are independent and run
//! as lanes of one eight-lane Montgomery product of [`super::base_two_ifma`]; U_d = 0 is read
//! from D·U_d = 2V_d+1 - P·V_d. The additions and comparisons are done on the lanes' 52-bit
//! limbs one number at a time. Its checks are `lucas_test`'s on the same U_d, V_d and Q^d, so
//! its answers are crypto-primes', which the tests hold it to; it is variable-time, as the
//! rest of the search.

use std::arch::x86_64::{__m512i, _mm512_set1_epi64};

use crypto_bigint::{Limb, NonZero, Odd, Uint};
use crypto_primes::hazmat::{AStarBase, LucasBase};

use super::base_two_ifma::{LANES, Lane, MASK, available, less, load, multiply, store, subtract};

/// Whether `candidate` (odd, above 3) passes `lucas_test(candidate, AStarBase,
/// LucasCheck::Bpsw21)`; `L` is the number of 52-bit limbs, with 52·L ≥ 64·LIMBS + 4, and `WIDE`
/// twice `L`. `None` when the CPU lacks AVX-512 IFMA.
pub(super) fn passes_lucas<const LIMBS: usize, const L: usize, const WIDE: usize>(
    candidate: &Uint<LIMBS>,
) -> Option<bool> {
    const { assert!(52 * L >= 64 * LIMBS + 4 && WIDE == 2 * L) };
    if !available() {
        return None;
    }
    let odd = Option::<Odd<Uint<LIMBS>>>::from(Odd::new(*candidate))?;
    let (p, abs_q, q_is_negative) = match AStarBase.generate(&odd) {
        Ok(base) => base,
        Err(primality) => return Some(!primality.is_composite()),
    };
    // gcd(n, Q) = 1, as lucas_test checks.
    if abs_q != 1 {
        let residue = candidate
            .rem_limb(NonZero::<Limb>::new(Limb(abs_q)).into_option()?)
            .0;
        if gcd(residue, abs_q) != 1 && *candidate > Uint::from_u64(abs_q) {
            return Some(false);
        }
    }
    let base = Base {
        p,
        abs_q,
        q_is_negative,
    };
    // SAFETY: the CPU has AVX-512F and AVX-512 IFMA, checked just above.
    Some(unsafe { sequence::<LIMBS, L, WIDE>(candidate, &base) })
}

/// The Lucas sequence's parameters P and Q, as `AStarBase` chose them (D = P² - 4Q).
struct Base {
    p: u64,
    abs_q: u64,
    q_is_negative: bool,
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Numbers mod n in Montgomery form, below n, as 52-bit limbs.
type Number<const L: usize> = [u64; L];

/// n, with what the lanes' products need.
struct Modulus<const L: usize> {
    lane: Lane<L>,
    broadcast: [__m512i; L],
    inverse: __m512i,
}

impl<const L: usize> Modulus<L> {
    /// The Montgomery products of up to eight pairs, reduced below n.
    #[target_feature(enable = "avx512f,avx512ifma")]
    fn products<const WIDE: usize, const N: usize>(
        &self,
        pairs: [(&Number<L>, &Number<L>); N],
    ) -> [Number<L>; N] {
        let pair = |lane: usize| pairs[lane.min(N - 1)];
        let a: [__m512i; L] =
            std::array::from_fn(|k| load(&std::array::from_fn(|lane| pair(lane).0[k])));
        let b: [__m512i; L] =
            std::array::from_fn(|k| load(&std::array::from_fn(|lane| pair(lane).1[k])));
        let product = multiply::<L, WIDE>(&a, &b, &self.broadcast, self.inverse);
        let values: [[u64; LANES]; L] = std::array::from_fn(|k| store(product[k]));
        std::array::from_fn(|lane| {
            let mut x = std::array::from_fn(|k| values[k][lane]);
            self.reduce(&mut x);
            x
        })
    }

    fn reduce(&self, x: &mut Number<L>) {
        if !less(x, &self.lane.modulus) {
            subtract(x, &self.lane.modulus);
        }
    }

    fn add(&self, a: &Number<L>, b: &Number<L>) -> Number<L> {
        let mut sum = *a;
        add_limbs(&mut sum, b);
        self.reduce(&mut sum);
        sum
    }

    fn subtract(&self, a: &Number<L>, b: &Number<L>) -> Number<L> {
        let mut difference = *a;
        if less(a, b) {
            add_limbs(&mut difference, &self.lane.modulus);
        }
        subtract(&mut difference, b);
        difference
    }

    fn negate(&self, a: &Number<L>) -> Number<L> {
        self.subtract(&[0; L], a)
    }

    /// `value` (or its negative), in Montgomery form.
    fn small(&self, value: u64, negative: bool) -> Number<L> {
        let mut result = [0; L];
        for bit in (0..64).rev() {
            result = self.add(&result, &result);
            if value >> bit & 1 == 1 {
                result = self.add(&result, &self.lane.one);
            }
        }
        if negative {
            self.negate(&result)
        } else {
            result
        }
    }
}

/// `a` += `b`, in 52-bit limbs, for a sum below 2^(52·L).
fn add_limbs<const L: usize>(a: &mut [u64; L], b: &[u64; L]) {
    let mut carry = 0;
    for (a, b) in a.iter_mut().zip(b) {
        let sum = *a + b + carry;
        carry = sum >> 52;
        *a = sum & MASK;
    }
}

/// `lucas_test`'s sequence and checks from its base on, for the Bpsw21 check.
#[target_feature(enable = "avx512f,avx512ifma")]
fn sequence<const LIMBS: usize, const L: usize, const WIDE: usize>(
    n: &Uint<LIMBS>,
    base: &Base,
) -> bool {
    let lane = Lane::<L>::new(n);
    let m = Modulus {
        broadcast: std::array::from_fn(|k| _mm512_set1_epi64(lane.modulus[k] as i64)),
        inverse: _mm512_set1_epi64(lane.inverse as i64),
        lane,
    };
    let q_is_one = base.abs_q == 1 && !base.q_is_negative;
    // n + 1 = d·2^s with d odd: s is the number of n's trailing ones.
    let s = n.trailing_ones_vartime();
    let d = n.wrapping_shr_vartime(s).wrapping_add(&Uint::ONE);

    let zero = [0; L];
    let one = m.lane.one;
    let two = m.add(&one, &one);
    let minus_two = m.negate(&two);
    let q = m.small(base.abs_q, base.q_is_negative);
    let p = m.small(base.p, false);

    // A ladder of (V_k, V_k+1) and (Q^k, Q^k+1) from k = 0 up to k = d, one round of products
    // a bit: V_2k = V_k² - 2Q^k, V_2k+1 = V_k·V_k+1 - P·Q^k, V_2k+2 = V_k+1² - 2Q^k+1.
    let (mut v0, mut v1, mut q0, mut q1) = (two, p, one, q);
    for i in (0..d.bit_width_vartime()).rev() {
        let [v01, square, q01, q_square, pq0] = if d.bit_vartime(i) {
            m.products::<WIDE, 5>([(&v0, &v1), (&v1, &v1), (&q0, &q1), (&q1, &q1), (&q0, &p)])
        } else {
            m.products::<WIDE, 5>([(&v0, &v1), (&v0, &v0), (&q0, &q1), (&q0, &q0), (&q0, &p)])
        };
        let odd = m.subtract(&v01, &pq0);
        if d.bit_vartime(i) {
            (v0, v1) = (odd, m.subtract(&m.subtract(&square, &q1), &q1));
            (q0, q1) = (q01, q_square);
        } else {
            (v0, v1) = (m.subtract(&m.subtract(&square, &q0), &q0), odd);
            (q0, q1) = (q_square, q01);
        }
    }
    let (mut vk, mut qk) = (v0, q0);
    // D·U_d = 2V_d+1 - P·V_d, and D is invertible mod n (its Jacobi symbol is -1).
    let [pv] = m.products::<WIDE, 1>([(&v0, &p)]);
    let ud_equals_zero = m.add(&v1, &v1) == pv;
    let mut one_of_vk_equals_zero = vk == zero;
    for _ in 1..s {
        if q_is_one && (vk == two || vk == minus_two) {
            return false;
        }
        let [vv, qq] = m.products::<WIDE, 2>([(&vk, &vk), (&qk, &qk)]);
        vk = m.subtract(&m.subtract(&vv, &qk), &qk);
        one_of_vk_equals_zero |= vk == zero;
        if !q_is_one {
            qk = qq;
        }
    }
    if !ud_equals_zero && !one_of_vk_equals_zero {
        return false;
    }
    // V_(n+1) = 2Q, then Euler's criterion Q^((n+1)/2) = Q·(Q/n).
    let [vv] = m.products::<WIDE, 1>([(&vk, &vk)]);
    vk = m.subtract(&m.subtract(&vv, &qk), &qk);
    if vk != m.add(&q, &q) {
        return false;
    }
    let expected = match jacobi(base.abs_q, base.q_is_negative, n) {
        1 => q,
        _ => m.negate(&q),
    };
    qk == expected
}

/// The Jacobi symbol (±a / n) for odd n and a coprime to n (1 or -1).
fn jacobi<const LIMBS: usize>(a: u64, negative: bool, n: &Uint<LIMBS>) -> i32 {
    let n_low = n.as_limbs()[0].0;
    // (-1/n) = -1 when n is 3 mod 4.
    let mut result = if negative && n_low & 3 == 3 { -1 } else { 1 };
    let Some(divisor) = NonZero::<Limb>::new(Limb(a)).into_option() else {
        return 0;
    };
    // (a/n) = (n mod a / a)·(-1)^((a-1)/2·(n-1)/2) by reciprocity once a is odd; 2s first.
    let (mut a, mut n_mod) = (a, n.rem_limb(divisor).0);
    let mut twos = a.trailing_zeros();
    a >>= twos;
    if twos % 2 == 1 && matches!(n_low & 7, 3 | 5) {
        result = -result;
    }
    if a == 1 {
        return result;
    }
    // Now (a/n) with a odd: reciprocity gives (n mod a / a).
    if a & 3 == 3 && n_low & 3 == 3 {
        result = -result;
    }
    n_mod %= a;
    let (mut x, mut y) = (n_mod, a);
    // (x/y) for odd y, by the usual small-number algorithm.
    while x != 0 {
        twos = x.trailing_zeros();
        x >>= twos;
        if twos % 2 == 1 && matches!(y & 7, 3 | 5) {
            result = -result;
        }
        if x & 3 == 3 && y & 3 == 3 {
            result = -result;
        }
        (x, y) = (y % x, x);
    }
    if y == 1 { result } else { 0 }
}

#[cfg(test)]
mod tests {
    //! The IFMA Lucas test held to crypto-primes' answers, at the two sizes keys use.

    use chacha20::ChaCha20Rng;
    use crypto_bigint::{Random, U1024, U2048};
    use crypto_primes::hazmat::{LucasCheck, lucas_test};
    use rand::SeedableRng;

    use super::*;
    use crate::certs::base_two_ifma::{CARMICHAEL, STRONG_BASE_TWO_PSEUDOPRIMES};
    use crate::certs::rsa_keygen::{Lanes, random_prime};

    /// Odd numbers of every kind: random ones, primes from the key search, Lucas and strong
    /// Lucas pseudoprimes (OEIS A217120, A217255), strong base-2 pseudoprimes, Carmichael
    /// numbers, squares (which the base search rejects), multiples of the small Q values, and
    /// Mersenne and Fermat-like numbers.
    fn numbers<const LIMBS: usize, const WIDE: usize, const L: usize, const WIDE52: usize>(
        rng: &mut ChaCha20Rng,
    ) -> Vec<Uint<LIMBS>> {
        let mut numbers: Vec<Uint<LIMBS>> = (0..16)
            .map(|_| Uint::<LIMBS>::random_from_rng(rng) | Uint::ONE)
            .collect();
        numbers
            .extend((0..3).map(|_| random_prime::<LIMBS, WIDE, L, WIDE52>(rng, Lanes::fastest())));
        numbers.extend(
            [
                323u64,
                377,
                1159,
                1829,
                3827,
                5459,
                5777,
                9071,
                9179,
                10877,
                11419,
                11663,
                13919,
                14839,
                16109,
                16211,
                18407,
                18971,
                19043,
                22499,
                24569,
                25199,
                40309,
                58519,
                75077,
                97439,
                25,
                49,
                121,
                169,
                289,
                361,
                529,
                841,
                961,
                1_018_081,
                15,
                21,
                33,
                35,
                39,
                45,
                55,
                65,
                77,
                85,
                91,
                95,
                5,
                7,
                11,
                13,
                17,
                19,
                23,
                65_537,
                999_999_999_989,
                1_000_000_007,
            ]
            .into_iter()
            .chain(CARMICHAEL)
            .chain(STRONG_BASE_TWO_PSEUDOPRIMES)
            .map(Uint::from_u64),
        );
        for k in [61, 89, 127, 521, 607, 1021, 1279, 2039] {
            if k < Uint::<LIMBS>::BITS {
                let power = Uint::<LIMBS>::ONE.wrapping_shl_vartime(k);
                numbers.push(power.wrapping_sub(&Uint::ONE));
                numbers.push(power.wrapping_add(&Uint::ONE));
            }
        }
        numbers.push(Uint::MAX);
        numbers
    }

    fn agree<const LIMBS: usize, const WIDE: usize, const L: usize, const WIDE52: usize>(
        rng: &mut ChaCha20Rng,
    ) {
        for n in numbers::<LIMBS, WIDE, L, WIDE52>(rng) {
            let Some(ours) = passes_lucas::<LIMBS, L, WIDE52>(&n) else {
                eprintln!("this CPU has no AVX-512 IFMA: the IFMA Lucas test is not run");
                return;
            };
            let odd = Odd::new(n).unwrap();
            let theirs = !lucas_test(odd, AStarBase, LucasCheck::Bpsw21).is_composite();
            assert_eq!(ours, theirs, "{n}");
        }
    }

    #[test]
    fn ifma_lucas_test_agrees_with_crypto_primes() {
        let mut rng = ChaCha20Rng::from_seed([11; 32]);
        agree::<{ U1024::LIMBS }, { 2 * U1024::LIMBS }, 20, 40>(&mut rng);
        agree::<{ U2048::LIMBS }, { 2 * U2048::LIMBS }, 40, 80>(&mut rng);
    }
}
