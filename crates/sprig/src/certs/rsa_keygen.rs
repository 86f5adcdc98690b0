//! RSA key generation for `genPrivateKey "rsa"` (4096 bits) and the certificate functions (2048
//! bits), about twice as fast as the `rsa` crate's own `PrivateKey::new`, which is most of
//! a chart's render time when it makes keys.
//!
//! Each prime is searched for from a random odd start with its top two bits set (so that the
//! modulus has exactly the bits asked for): a window of odd numbers after the start is sieved
//! with the odd primes below [`SIEVE_LIMIT`] (the `rsa` crate sieves with the first 2,047), which
//! leaves about a third fewer candidates to test; each survivor gets a Miller-Rabin test to base
//! 2 whose exponentiation only squares and doubles (multiplying by 2 is an addition); the one
//! that passes is then checked by `crypto-primes`' `is_prime`, the Baillie-PSW test the `rsa`
//! crate accepts its primes with. The key is assembled by `rsa`'s `from_primes` (which computes
//! d) and checked with its `validate`.
//!
//! The base-2 test is variable-time in the candidate. The keys are generated locally, once, by
//! a command-line tool, on fresh random candidates, where timing side channels do not apply;
//! this is the trade-off OpenSSL and Go's `math/big` keygen made for years.

use chacha20::ChaCha20Rng;
use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{BoxedUint, Limb, NonZero, Odd, Random, Reciprocal, Uint};
use rand::{RngExt, SeedableRng};

use crate::random::Draw;

/// The public exponent sprig's keys (Go's `rsa.GenerateKey`) use.
const EXPONENT: u32 = 65_537;
/// The exponent as a divisor, checked non-zero when compiling.
const EXPONENT_DIVISOR: NonZero<Limb> = NonZero::<Limb>::new_unwrap(Limb::from_u32(EXPONENT));
/// The sieve's small primes are the odd primes below this: enough that sieving a window costs
/// about one Miller-Rabin test, while leaving 12.4/ln(2^bits) of the window's odd numbers.
const SIEVE_LIMIT: u32 = 1 << 18;
/// Odd numbers sieved after each random start: about six times the expected distance to a
/// prime for 2048-bit primes, so a fresh start is rarely needed.
const WINDOW: usize = 4096;

/// A `bits`-bit RSA private key with exponent 65537 from `draw`. Sizes other than 2048 and 4096
/// (the ones sprig uses) go to the `rsa` crate's generator.
pub(super) fn generate(draw: &mut Draw, bits: usize) -> Result<rsa::PrivateKey, rsa::Error> {
    let (p, q) = match bits {
        2048 => prime_pair::<16>(draw),
        4096 => prime_pair::<32>(draw),
        _ => return rsa::PrivateKey::new(draw, bits),
    };
    let key = rsa::PrivateKey::from_primes(vec![p, q], BoxedUint::from(u64::from(EXPONENT)))?;
    key.validate()?;
    Ok(key)
}

/// Two distinct `64 * LIMBS`-bit primes p and q, each one less than a multiple of 65537 plus
/// one apart from 1 (so that 65537 is invertible mod (p-1)(q-1)), with |p - q| above
/// 2^(bits - 100) as FIPS 186-5 asks. Each is drawn from its own generator seeded from `draw`.
fn prime_pair<const LIMBS: usize>(draw: &mut Draw) -> (BoxedUint, BoxedUint) {
    let mut p_rng = ChaCha20Rng::from_seed(draw.random());
    let mut q_rng = ChaCha20Rng::from_seed(draw.random());
    let p = random_prime::<LIMBS>(&mut p_rng);
    loop {
        let q = random_prime::<LIMBS>(&mut q_rng);
        let distance = if p > q {
            p.wrapping_sub(&q)
        } else {
            q.wrapping_sub(&p)
        };
        if distance.bit_width_vartime() > Uint::<LIMBS>::BITS - 100 {
            return (BoxedUint::from(&p), BoxedUint::from(&q));
        }
    }
}

/// A random prime of exactly `64 * LIMBS` bits, its top two bits set, not 1 mod 65537.
fn random_prime<const LIMBS: usize>(rng: &mut ChaCha20Rng) -> Uint<LIMBS> {
    let top_two = Uint::<LIMBS>::from_u8(3).wrapping_shl_vartime(Uint::<LIMBS>::BITS - 2);
    let mut dead = vec![false; WINDOW];
    loop {
        let start = Uint::<LIMBS>::random_from_rng(rng) | top_two | Uint::ONE;
        sieve(&start, &mut dead);
        for (offset, _) in dead.iter().enumerate().filter(|(_, dead)| !**dead) {
            let step = Uint::from_u64(2 * offset as u64);
            let (candidate, carry) = start.carrying_add(&step, Limb::ZERO);
            if carry != Limb::ZERO {
                break;
            }
            if passes_base_two(&candidate)
                && crypto_primes::is_prime(crypto_primes::Flavor::Any, &candidate)
            {
                return candidate;
            }
        }
    }
}

/// Marks in `dead` the numbers `start + 2i` of the window that a small prime divides or that
/// are 1 mod 65537; `start` is odd.
fn sieve<const LIMBS: usize>(start: &Uint<LIMBS>, dead: &mut [bool]) {
    let small = small_primes();
    dead.fill(false);
    for group in &small.groups {
        let residue = start.rem_limb_with_reciprocal(&group.reciprocal).0;
        for &p in &small.primes[group.first..group.end] {
            strike(dead, p, residue % u64::from(p), 0);
        }
    }
    strike(dead, EXPONENT, start.rem_limb(EXPONENT_DIVISOR).0, 1);
}

/// Marks the window's numbers `start + 2i` that are `target` mod `p`, given `start` mod `p`.
fn strike(dead: &mut [bool], p: u32, start_residue: u64, target: u64) {
    let p = u64::from(p);
    // 2i = target - start (mod p), and 2's inverse mod an odd p is (p + 1) / 2.
    let first = (target + p - start_residue) % p * p.div_ceil(2) % p;
    for i in (first as usize..dead.len()).step_by(p as usize) {
        dead[i] = true;
    }
}

/// Whether odd `n` is a strong probable prime to base 2: 2^d is computed left to right by
/// squaring, and doubling where d has a 1 bit, which costs an addition instead of a multiply.
fn passes_base_two<const LIMBS: usize>(n: &Uint<LIMBS>) -> bool {
    let Some(modulus) = Option::<Odd<Uint<LIMBS>>>::from(Odd::new(*n)) else {
        return false;
    };
    let params = FixedMontyParams::new_vartime(modulus);
    let one = FixedMontyForm::one(&params);
    let minus_one = one.neg();
    let n_minus_one = n.wrapping_sub(&Uint::ONE);
    let s = n_minus_one.trailing_zeros_vartime();
    let d = n_minus_one.wrapping_shr_vartime(s);
    let mut x = one;
    for bit in (0..d.bit_width_vartime()).rev() {
        x = x.square();
        if d.bit_vartime(bit) {
            x = x + x;
        }
    }
    if x == one || x == minus_one {
        return true;
    }
    for _ in 1..s {
        x = x.square();
        if x == minus_one {
            return true;
        }
        if x == one {
            return false;
        }
    }
    false
}

/// The odd primes below [`SIEVE_LIMIT`], and runs of them whose product fits a limb, so that a
/// start's residues cost one multi-limb division per run.
struct SmallPrimes {
    primes: Vec<u32>,
    groups: Vec<Group>,
}

struct Group {
    first: usize,
    end: usize,
    reciprocal: Reciprocal,
}

fn small_primes() -> &'static SmallPrimes {
    static SMALL: std::sync::OnceLock<SmallPrimes> = std::sync::OnceLock::new();
    SMALL.get_or_init(|| {
        let limit = SIEVE_LIMIT as usize;
        let mut composite = vec![false; limit];
        let mut primes = Vec::new();
        for n in 3..limit {
            if composite[n] || n % 2 == 0 {
                continue;
            }
            primes.push(n as u32);
            for multiple in (n * n..limit).step_by(2 * n) {
                composite[multiple] = true;
            }
        }
        let mut groups = Vec::new();
        let mut first = 0;
        while first < primes.len() {
            let (mut product, mut end) = (1u64, first);
            while let Some(next) = primes.get(end).and_then(|&p| product.checked_mul(p.into())) {
                product = next;
                end += 1;
            }
            // A product of odd primes is never zero.
            let Some(divisor) = NonZero::<Limb>::new(Limb(product)).into_option() else {
                break;
            };
            groups.push(Group {
                first,
                end,
                reciprocal: Reciprocal::new(divisor),
            });
            first = end;
        }
        SmallPrimes { primes, groups }
    })
}

#[cfg(test)]
mod tests {
    //! The fast paths held to crypto-primes' answers.

    use crypto_bigint::{Odd, U256, U1024};
    use crypto_primes::hazmat::MillerRabin;
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn base_two_test_agrees_with_crypto_primes_miller_rabin() {
        let mut rng = ChaCha20Rng::from_seed([5; 32]);
        // Random odd numbers (nearly all composite), and the strong base-2 pseudoprimes
        // 2047 = 23 * 89 and 3215031751 = 151 * 751 * 28351 among small numbers.
        let mut numbers: Vec<U256> = (0..200)
            .map(|_| U256::random_from_rng(&mut rng) | U256::ONE)
            .collect();
        numbers.extend([2047u64, 3_215_031_751, 65_537, 3, 5].map(U256::from_u64));
        // Primes, found by crypto-primes.
        numbers.extend((0..20).map(|_| {
            crypto_primes::random_prime::<U256, _>(&mut rng, crypto_primes::Flavor::Any, 256)
        }));
        for n in numbers {
            let theirs = MillerRabin::new(Odd::new(n).unwrap())
                .test_base_two()
                .is_probably_prime();
            assert_eq!(passes_base_two(&n), theirs, "{n}");
        }
    }

    #[test]
    fn the_sieve_strikes_no_prime_and_no_number_it_should_keep() {
        let mut rng = ChaCha20Rng::from_seed([6; 32]);
        let start = U256::random_from_rng(&mut rng) | U256::ONE;
        let mut dead = vec![false; WINDOW];
        sieve(&start, &mut dead);
        let small = small_primes();
        for (offset, struck) in dead.iter().enumerate().take(512) {
            let n = start.wrapping_add(&U256::from_u64(2 * offset as u64));
            let divisible = small
                .primes
                .iter()
                .any(|&p| n.rem_limb(NonZero::<Limb>::new_unwrap(Limb::from_u32(p))).0 == 0);
            let one_mod_e = n.rem_limb(EXPONENT_DIVISOR).0 == 1;
            assert_eq!(*struck, divisible || one_mod_e, "offset {offset}");
        }
        // About 1.12 / ln(2^18) = 9% of the window survives, as Mertens' product predicts.
        let survivors = dead.iter().filter(|d| !**d).count();
        assert!(
            (WINDOW / 20..WINDOW / 8).contains(&survivors),
            "{survivors}"
        );
    }

    #[test]
    fn random_primes_have_the_size_and_residues_asked_for() {
        let mut rng = ChaCha20Rng::from_seed([7; 32]);
        let p = random_prime::<16>(&mut rng);
        assert_eq!(p.bit_width_vartime(), U1024::BITS);
        assert!(p.bit_vartime(U1024::BITS - 2));
        assert!(crypto_primes::is_prime(crypto_primes::Flavor::Any, &p));
        assert_ne!(p.rem_limb(EXPONENT_DIVISOR).0, 1);
    }
}
