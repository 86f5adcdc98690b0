//! The Miller-Rabin test to base 2 that RSA key generation runs on every sieved candidate,
//! which is where nearly all of a key's time goes. 2^d mod n is computed left to right with
//! Montgomery squarings, and a doubling (an addition) where d has a 1 bit, so no general
//! multiplication is needed; the squaring is written here because a dedicated one does about
//! two thirds of the word multiplications of crypto-bigint's Montgomery product, which it
//! also uses to square. It gives the same Montgomery form as crypto-bigint's, which the tests
//! hold it to.
//!
//! Everything here is variable-time in the candidate (see `rsa_keygen` for why that is fine).

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{Odd, Uint, WideWord, Word};

/// Whether odd `n` (`LIMBS` words) is a strong probable prime to base 2; `WIDE` is twice
/// `LIMBS`, the width of a square before its reduction.
pub(super) fn passes_base_two<const LIMBS: usize, const WIDE: usize>(n: &Uint<LIMBS>) -> bool {
    const { assert!(WIDE == 2 * LIMBS) };
    let Some(modulus) = Option::<Odd<Uint<LIMBS>>>::from(Odd::new(*n)) else {
        return false;
    };
    let words = |u: &Uint<LIMBS>| -> [Word; LIMBS] { std::array::from_fn(|i| u.as_limbs()[i].0) };
    let m = words(n);
    let params = FixedMontyParams::new_vartime(modulus);
    let one = words(FixedMontyForm::one(&params).as_montgomery());
    let mut minus_one = m;
    subtract(&mut minus_one, &one);
    let m_inv = negated_inverse(m[0]);

    let n_minus_one = n.wrapping_sub(&Uint::ONE);
    let s = n_minus_one.trailing_zeros_vartime();
    let d = n_minus_one.wrapping_shr_vartime(s);
    let mut x = one;
    for bit in (0..d.bit_width_vartime()).rev() {
        x = square::<LIMBS, WIDE>(&x, &m, m_inv);
        if d.bit_vartime(bit) {
            double(&mut x, &m);
        }
    }
    if x == one || x == minus_one {
        return true;
    }
    for _ in 1..s {
        x = square::<LIMBS, WIDE>(&x, &m, m_inv);
        if x == minus_one {
            return true;
        }
        if x == one {
            return false;
        }
    }
    false
}

/// -m⁻¹ mod 2^Word::BITS for odd `m`, by Newton's iteration (each step doubles the bits).
fn negated_inverse(m: Word) -> Word {
    let mut inverse: Word = 1;
    for _ in 0..Word::BITS.ilog2() {
        inverse = inverse.wrapping_mul((2 as Word).wrapping_sub(m.wrapping_mul(inverse)));
    }
    inverse.wrapping_neg()
}

/// The Montgomery square a²·R⁻¹ mod m of `a` < `m`, R = 2^(Word::BITS · LIMBS).
pub(super) fn square<const LIMBS: usize, const WIDE: usize>(
    a: &[Word; LIMBS],
    m: &[Word; LIMBS],
    m_inv: Word,
) -> [Word; LIMBS] {
    let mut t = [0 as Word; WIDE];
    // The products a[i]·a[j] for i < j, once each...
    for i in 0..LIMBS {
        let ai = WideWord::from(a[i]);
        let mut carry: Word = 0;
        for j in i + 1..LIMBS {
            let sum = ai * WideWord::from(a[j]) + WideWord::from(t[i + j]) + WideWord::from(carry);
            t[i + j] = sum as Word;
            carry = (sum >> Word::BITS) as Word;
        }
        t[i + LIMBS] = carry;
    }
    // ...doubled, plus the squares a[i]².
    let mut top: Word = 0;
    for word in t.iter_mut() {
        let next = *word >> (Word::BITS - 1);
        *word = (*word << 1) | top;
        top = next;
    }
    let mut carry: WideWord = 0;
    for i in 0..LIMBS {
        let product = WideWord::from(a[i]) * WideWord::from(a[i]);
        let low = WideWord::from(t[2 * i]) + (product as Word as WideWord) + carry;
        t[2 * i] = low as Word;
        let high = WideWord::from(t[2 * i + 1]) + (product >> Word::BITS) + (low >> Word::BITS);
        t[2 * i + 1] = high as Word;
        carry = high >> Word::BITS;
    }
    // Montgomery reduction: clear one low word per round by adding a multiple of m.
    let mut overflow: WideWord = 0;
    for i in 0..LIMBS {
        let u = WideWord::from(t[i].wrapping_mul(m_inv));
        let mut carry: Word = 0;
        for j in 0..LIMBS {
            let sum = u * WideWord::from(m[j]) + WideWord::from(t[i + j]) + WideWord::from(carry);
            t[i + j] = sum as Word;
            carry = (sum >> Word::BITS) as Word;
        }
        let sum = WideWord::from(t[i + LIMBS]) + WideWord::from(carry) + overflow;
        t[i + LIMBS] = sum as Word;
        overflow = sum >> Word::BITS;
    }
    // The result is below 2m: one subtraction at most.
    let mut result = [0 as Word; LIMBS];
    result.copy_from_slice(&t[LIMBS..]);
    if overflow != 0 || !less(&result, m) {
        subtract(&mut result, m);
    }
    result
}

/// `x` = 2x mod m, for `x` < `m`.
fn double<const LIMBS: usize>(x: &mut [Word; LIMBS], m: &[Word; LIMBS]) {
    let mut top: Word = 0;
    for word in x.iter_mut() {
        let next = *word >> (Word::BITS - 1);
        *word = (*word << 1) | top;
        top = next;
    }
    if top != 0 || !less(x, m) {
        subtract(x, m);
    }
}

fn less<const LIMBS: usize>(a: &[Word; LIMBS], b: &[Word; LIMBS]) -> bool {
    a.iter().rev().cmp(b.iter().rev()).is_lt()
}

/// `a` -= `b`, modulo 2^(Word::BITS · LIMBS).
fn subtract<const LIMBS: usize>(a: &mut [Word; LIMBS], b: &[Word; LIMBS]) {
    let mut borrow = false;
    for (a, b) in a.iter_mut().zip(b) {
        let (difference, first) = a.overflowing_sub(*b);
        let (difference, second) = difference.overflowing_sub(Word::from(borrow));
        *a = difference;
        borrow = first | second;
    }
}

#[cfg(test)]
mod tests {
    //! The hand-written squaring and test held to crypto-bigint's and crypto-primes' answers.

    use chacha20::ChaCha20Rng;
    use crypto_bigint::{Random, U256, U1024, U2048};
    use crypto_primes::hazmat::MillerRabin;
    use rand::SeedableRng;

    use super::*;

    fn squares_agree<const LIMBS: usize, const WIDE: usize>(rng: &mut ChaCha20Rng) {
        for round in 0..40 {
            let n = Uint::<LIMBS>::random_from_rng(rng) | Uint::ONE;
            let params = FixedMontyParams::new_vartime(Odd::new(n).unwrap());
            let m: [Word; LIMBS] = std::array::from_fn(|i| n.as_limbs()[i].0);
            // Random values, and the extremes 0, 1 and n - 1.
            let value = match round {
                0 => Uint::ZERO,
                1 => Uint::ONE,
                2 => n.wrapping_sub(&Uint::ONE),
                _ => Uint::<LIMBS>::random_from_rng(rng),
            };
            let mut theirs = FixedMontyForm::new(&value, &params);
            let mut ours: [Word; LIMBS] =
                std::array::from_fn(|i| theirs.as_montgomery().as_limbs()[i].0);
            for _ in 0..20 {
                theirs = theirs.square();
                ours = square::<LIMBS, WIDE>(&ours, &m, negated_inverse(m[0]));
                let expected: [Word; LIMBS] =
                    std::array::from_fn(|i| theirs.as_montgomery().as_limbs()[i].0);
                assert_eq!(ours, expected, "{n} {value}");
            }
        }
    }

    #[test]
    fn montgomery_square_agrees_with_crypto_bigint() {
        let mut rng = ChaCha20Rng::from_seed([4; 32]);
        squares_agree::<{ U256::LIMBS }, { 2 * U256::LIMBS }>(&mut rng);
        squares_agree::<{ U1024::LIMBS }, { 2 * U1024::LIMBS }>(&mut rng);
        squares_agree::<{ U2048::LIMBS }, { 2 * U2048::LIMBS }>(&mut rng);
    }

    #[test]
    fn base_two_test_agrees_with_crypto_primes_miller_rabin() {
        let mut rng = ChaCha20Rng::from_seed([5; 32]);
        // Random odd numbers (nearly all composite), the strong base-2 pseudoprimes
        // 2047 = 23 * 89 and 3215031751 = 151 * 751 * 28351, small primes, and large primes
        // found by crypto-primes.
        let mut numbers: Vec<U256> = (0..200)
            .map(|_| U256::random_from_rng(&mut rng) | U256::ONE)
            .collect();
        numbers.extend([2047u64, 3_215_031_751, 65_537, 3, 5].map(U256::from_u64));
        numbers.extend((0..20).map(|_| {
            crypto_primes::random_prime::<U256, _>(&mut rng, crypto_primes::Flavor::Any, 256)
        }));
        for n in numbers {
            let theirs = MillerRabin::new(Odd::new(n).unwrap())
                .test_base_two()
                .is_probably_prime();
            let ours = passes_base_two::<{ U256::LIMBS }, { 2 * U256::LIMBS }>(&n);
            assert_eq!(ours, theirs, "{n}");
        }
    }
}
