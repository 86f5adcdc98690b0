//! RSA key generation for `genPrivateKey "rsa"` (4096 bits) and the certificate functions (2048
//! bits), which is most of a chart's render time when it makes keys; faster than the `rsa`
//! crate's own `PrivateKey::new`, whose primality test it still applies to every prime.
//!
//! Each prime is searched for from a random odd start with its top two bits set (so that the
//! modulus has exactly the bits asked for): a window of odd numbers after the start is sieved
//! with the odd primes below [`SIEVE_LIMITS`] (the `rsa` crate sieves with the first 2,047),
//! which leaves a fifth (1024-bit primes) to three tenths (2048-bit) fewer candidates to test,
//! or below the larger `IFMA_SIEVE_LIMITS` where the CPU has AVX-512 IFMA (`sieve_ifma`);
//! each survivor gets the Miller-Rabin test to base 2 of [`super::base_two`]; the one that
//! passes is then checked by the rest of `crypto-primes`' `is_prime`, the Baillie-PSW test the
//! `rsa` crate accepts its primes with (its Lucas test: its base-2 test is the one just run). The key is assembled by `rsa`'s `from_primes` (which computes d)
//! and checked with its `validate`.
//!
//! The base-2 test is variable-time in the candidate: the keys are generated locally, once,
//! by a command-line tool, from fresh random candidates, where a timing side channel has no
//! observer; that is the usual trade-off for key generation outside servers.

use chacha20::ChaCha20Rng;
use crypto_bigint::{BoxedUint, Limb, NonZero, Odd, Reciprocal, U1024, U2048, Uint};
use rand::{RngExt, SeedableRng};
use std::sync::OnceLock;

use super::base_two::passes_base_two;
use super::prime_search::Search;
use crate::random::Draw;

/// The public exponent sprig's keys (Go's `rsa.GenerateKey`) use.
const EXPONENT: u32 = 65_537;
/// The exponent as a divisor, checked non-zero when compiling.
const EXPONENT_DIVISOR: NonZero<Limb> = NonZero::<Limb>::new_unwrap(Limb::from_u32(EXPONENT));
/// The sieve's small primes are the odd primes below these limits, the larger one for primes
/// of 2048 bits and more: a larger limit leaves fewer of the window's odd numbers to test
/// (about 1.12/ln(limit) of them) for more sieving. A test costs about eight times more at
/// twice the bits while sieving costs twice more, hence the larger limit there. Measured
/// with seeded keys (the limit does not change which prime is found: the first prime of the
/// window that is not 1 mod 65537), these were the fastest once the base-2 tests ran eight at
/// once; 2^18 and 2^20 were with one at a time.
const SIEVE_LIMITS: [u32; 2] = [1 << 16, 1 << 17];
/// The same limits for the sieve on AVX-512 IFMA, which costs a fraction as much per prime.
/// Measured with seeded keys: 2^20 against 2^17 for 2048-bit primes, 0.84-0.86x CPU over twelve
/// 4096-bit keys (two seeds; 2^19 0.88-0.98x); 2^18 for 1024-bit primes, 0.78-0.96x over forty
/// `genCA`s (four seeds; 2^17 and 2^20 no better). 2^20 is the most `sieve_ifma` takes.
#[cfg(target_arch = "x86_64")]
const IFMA_SIEVE_LIMITS: [u64; 2] = [1 << 18, 1 << 20];
/// Odd numbers sieved after each random start: about six times the expected distance to a
/// prime for 2048-bit primes, so a fresh start is rarely needed.
pub(super) const WINDOW: usize = 4096;

/// A `bits`-bit RSA private key with exponent 65537 from `draw`. Sizes other than 2048 and 4096
/// (the ones sprig uses) go to the `rsa` crate's generator.
pub(super) fn generate(draw: &mut Draw, bits: usize) -> Result<rsa::PrivateKey, rsa::Error> {
    generate_with(draw, bits, Lanes::fastest())
}

/// [`generate`], with the base-2 tests run as `lanes` says (the key is the same either way).
pub(super) fn generate_with(
    draw: &mut Draw,
    bits: usize,
    lanes: Lanes,
) -> Result<rsa::PrivateKey, rsa::Error> {
    // 52-bit limbs for the eight-lane test: 20 hold 1040 bits, 40 hold 2080.
    let (p, q) = match bits {
        2048 => prime_pair::<{ U1024::LIMBS }, { 2 * U1024::LIMBS }, 20, 40>(draw, lanes),
        4096 => prime_pair::<{ U2048::LIMBS }, { 2 * U2048::LIMBS }, 40, 80>(draw, lanes),
        _ => return rsa::PrivateKey::new(draw, bits),
    };
    let key = rsa::PrivateKey::from_primes(vec![p, q], BoxedUint::from(u64::from(EXPONENT)))?;
    key.validate()?;
    Ok(key)
}

/// Two `64 * LIMBS`-bit primes p and q, neither 1 mod 65537 (so that 65537 is invertible mod
/// (p-1)(q-1)), with |p - q| above 2^(bits - 100) as FIPS 186-5 asks. Each is drawn from its
/// own generator seeded from `draw`, and q again from where its generator stopped while it is
/// too close to p.
fn prime_pair<const LIMBS: usize, const WIDE: usize, const L: usize, const WIDE52: usize>(
    draw: &mut Draw,
    lanes: Lanes,
) -> (BoxedUint, BoxedUint) {
    let seeds: [[u8; 32]; 2] = [draw.random(), draw.random()];
    let [p_search, q_search] = seeds
        .map(|seed| Search::<LIMBS, WIDE, L, WIDE52>::new(ChaCha20Rng::from_seed(seed), lanes));
    // A second thread starts on p while this one starts on q; each then helps with the other
    // (see `prime_search`): the same primes as one thread searching alone, in about half the
    // wall time. Without a second thread, this one searches for both.
    let helped = std::thread::scope(|scope| {
        let helper = std::thread::Builder::new().spawn_scoped(scope, || {
            p_search.run();
            q_search.run();
        });
        q_search.run();
        p_search.run();
        helper.map_or(true, |thread| thread.join().is_ok())
    });
    let (p, (mut q, mut q_rng)) = match [p_search.prime(), q_search.prime()] {
        [Some((p, _)), Some(q)] if helped => (p, q),
        // A helper that stopped half-way may have left a batch untested: search again here.
        _ => {
            let [p, q] = seeds.map(|seed| {
                random_prime_from::<LIMBS, WIDE, L, WIDE52>(ChaCha20Rng::from_seed(seed), lanes)
            });
            (p.0, q)
        }
    };
    loop {
        let distance = if p > q {
            p.wrapping_sub(&q)
        } else {
            q.wrapping_sub(&p)
        };
        if distance.bit_width_vartime() > Uint::<LIMBS>::BITS - 100 {
            return (BoxedUint::from(&p), BoxedUint::from(&q));
        }
        (q, q_rng) = random_prime_from::<LIMBS, WIDE, L, WIDE52>(q_rng, lanes);
    }
}

/// How the sieved candidates' base-2 tests run: one at a time, or eight at once (with AVX-512
/// IFMA where the CPU has it, else one at a time); the first candidate in window order that
/// passes is taken either way, so both give the same primes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Lanes {
    One,
    Eight,
}

impl Lanes {
    /// Eight where the CPU runs them at once.
    pub(super) fn fastest() -> Self {
        #[cfg(target_arch = "x86_64")]
        if super::base_two_ifma::available() {
            return Lanes::Eight;
        }
        Lanes::One
    }
}

/// A random prime of exactly `64 * LIMBS` bits, its top two bits set, not 1 mod 65537, searched
/// for on this thread; `rng` is left where the search stopped drawing from it.
#[cfg(test)]
pub(super) fn random_prime<
    const LIMBS: usize,
    const WIDE: usize,
    const L: usize,
    const WIDE52: usize,
>(
    rng: &mut ChaCha20Rng,
    lanes: Lanes,
) -> Uint<LIMBS> {
    let prime;
    (prime, *rng) = random_prime_from::<LIMBS, WIDE, L, WIDE52>(
        ChaCha20Rng::deserialize_state(&rng.serialize_state()),
        lanes,
    );
    prime
}

/// [`random_prime`] from `rng`, and the generator where the search stopped drawing from it.
fn random_prime_from<const LIMBS: usize, const WIDE: usize, const L: usize, const WIDE52: usize>(
    rng: ChaCha20Rng,
    lanes: Lanes,
) -> (Uint<LIMBS>, ChaCha20Rng) {
    let search = Search::<LIMBS, WIDE, L, WIDE52>::new(rng, lanes);
    loop {
        // Alone on the search, this thread stops only once it has found the prime.
        search.run();
        if let Some(found) = search.prime() {
            return found;
        }
    }
}

/// Whether `candidate`, odd and above 3, which passed the base-2 test, passes the rest of
/// `crypto_primes::is_prime`'s Baillie-PSW test (the strong base-2 test, then this one): its
/// Lucas test, with the same base and check, so that the base-2 test is not run twice. With
/// [`Lanes::Eight`], it runs on AVX-512 IFMA where the CPU has it (`L` 52-bit limbs, `WIDE52`
/// twice that), with the same answers.
pub(super) fn passes_lucas<const LIMBS: usize, const L: usize, const WIDE52: usize>(
    candidate: &Uint<LIMBS>,
    lanes: Lanes,
) -> bool {
    use crypto_primes::hazmat::{AStarBase, LucasCheck, lucas_test};
    #[cfg(target_arch = "x86_64")]
    if lanes == Lanes::Eight
        && let Some(passed) = super::lucas_ifma::passes_lucas::<LIMBS, L, WIDE52>(candidate)
    {
        return passed;
    }
    Option::<Odd<Uint<LIMBS>>>::from(Odd::new(*candidate))
        .is_some_and(|odd| !lucas_test(odd, AStarBase, LucasCheck::Bpsw21).is_composite())
}

/// Candidates tested at once by [`Lanes::Eight`].
pub(super) const LANES: usize = 8;

/// The base-2 test of eight candidates, with AVX-512 IFMA where the CPU has it.
pub(super) fn passes_base_two_x8<
    const LIMBS: usize,
    const WIDE: usize,
    const L: usize,
    const WIDE52: usize,
>(
    candidates: &[Uint<LIMBS>; LANES],
) -> [bool; LANES] {
    #[cfg(target_arch = "x86_64")]
    if let Some(passed) = super::base_two_ifma::passes_base_two::<LIMBS, L, WIDE52>(candidates) {
        return passed;
    }
    candidates.map(|candidate| passes_base_two::<LIMBS, WIDE>(&candidate))
}

/// Marks in `dead` the numbers `start + 2i` of the window that a small prime divides or that
/// are 1 mod 65537; `start` is odd. With [`Lanes::Eight`] on a CPU with AVX-512 IFMA, the small
/// primes are those below [`IFMA_SIEVE_LIMITS`] (see `sieve_ifma`), else below [`SIEVE_LIMITS`].
pub(super) fn sieve<const LIMBS: usize>(start: &Uint<LIMBS>, dead: &mut [bool], lanes: Lanes) {
    let size = usize::from(Uint::<LIMBS>::BITS >= 2048);
    dead.fill(false);
    #[cfg(target_arch = "x86_64")]
    if lanes == Lanes::Eight {
        let table = super::sieve_ifma::primes().below(IFMA_SIEVE_LIMITS[size]);
        let digits = super::sieve_ifma::digits(start);
        let mut offsets = vec![0; table.0.len()];
        if super::sieve_ifma::first_offsets(table, &digits, &mut offsets).is_some() {
            for (&p, &first) in table.0.iter().zip(&offsets) {
                for i in (first as usize..dead.len()).step_by(p as usize) {
                    dead[i] = true;
                }
            }
            strike(dead, EXPONENT, start.rem_limb(EXPONENT_DIVISOR).0, 1);
            return;
        }
    }
    let _ = lanes;
    let small = small_primes(size);
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

/// The odd primes below one of [`SIEVE_LIMITS`], and runs of them whose product fits a limb, so that a
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

/// The small primes below `SIEVE_LIMITS[size]`, computed once.
fn small_primes(size: usize) -> &'static SmallPrimes {
    static TABLES: [OnceLock<SmallPrimes>; 2] = [OnceLock::new(), OnceLock::new()];
    TABLES[size].get_or_init(|| {
        let limit = SIEVE_LIMITS[size] as usize;
        let mut composite = vec![false; limit];
        let mut primes = Vec::new();
        for n in (3..limit).step_by(2) {
            if composite[n] {
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

    use crypto_bigint::{Random, U256};
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn the_sieve_strikes_no_prime_and_no_number_it_should_keep() {
        let mut rng = ChaCha20Rng::from_seed([6; 32]);
        let start = U256::random_from_rng(&mut rng) | U256::ONE;
        let mut dead = vec![false; WINDOW];
        sieve(&start, &mut dead, Lanes::One);
        let small = small_primes(0);
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

    /// On AVX-512 IFMA the sieve strikes with the primes below its own limit (and the few
    /// after it that fill the last block), and nothing else.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_ifma_sieve_strikes_exactly_the_multiples_of_its_primes() {
        if !super::super::sieve_ifma::available() {
            return;
        }
        let mut rng = ChaCha20Rng::from_seed([12; 32]);
        let start = U256::random_from_rng(&mut rng) | U256::ONE;
        let mut dead = vec![false; WINDOW];
        sieve(&start, &mut dead, Lanes::Eight);
        let (primes, _) = super::super::sieve_ifma::primes().below(IFMA_SIEVE_LIMITS[0]);
        assert!(primes.len() > small_primes(0).primes.len());
        for (offset, struck) in dead.iter().enumerate().take(256) {
            let n = start.wrapping_add(&U256::from_u64(2 * offset as u64));
            let divisible = primes
                .iter()
                .any(|&p| n.rem_limb(NonZero::<Limb>::new_unwrap(Limb(p))).0 == 0);
            let one_mod_e = n.rem_limb(EXPONENT_DIVISOR).0 == 1;
            assert_eq!(*struck, divisible || one_mod_e, "offset {offset}");
        }
    }

    #[test]
    fn random_primes_have_the_size_and_residues_asked_for() {
        let mut rng = ChaCha20Rng::from_seed([7; 32]);
        let p = random_prime::<{ U1024::LIMBS }, { 2 * U1024::LIMBS }, 20, 40>(
            &mut rng,
            Lanes::fastest(),
        );
        assert_eq!(p.bit_width_vartime(), U1024::BITS);
        assert!(p.bit_vartime(U1024::BITS - 2));
        assert!(crypto_primes::is_prime(crypto_primes::Flavor::Any, &p));
        assert_ne!(p.rem_limb(EXPONENT_DIVISOR).0, 1);
    }

    #[test]
    fn a_seeded_key_is_the_same_tested_one_lane_or_eight_at_a_time() {
        for bits in [2048, 4096] {
            let mut keys = [Lanes::One, Lanes::Eight]
                .map(|lanes| generate_with(&mut ChaCha20Rng::from_seed([9; 32]), bits, lanes));
            let [Ok(one), Ok(eight)] = &mut keys else {
                panic!("{keys:?}");
            };
            assert_eq!(one, eight, "{bits} bits");
        }
    }

    #[test]
    fn base_two_then_lucas_is_crypto_primes_is_prime() {
        let mut rng = ChaCha20Rng::from_seed([10; 32]);
        // Primes, the strong base-2 pseudoprimes 2047, 3215031751 and 2^1021 - 1, and random
        // odd numbers.
        let mut numbers: Vec<U1024> = (0..4)
            .map(|_| {
                random_prime::<{ U1024::LIMBS }, { 2 * U1024::LIMBS }, 20, 40>(&mut rng, Lanes::One)
            })
            .collect();
        numbers.extend([2047u64, 3_215_031_751, 65_537].map(U1024::from_u64));
        numbers.push(
            U1024::ONE
                .wrapping_shl_vartime(1021)
                .wrapping_sub(&U1024::ONE),
        );
        numbers.extend((0..20).map(|_| U1024::random_from_rng(&mut rng) | U1024::ONE));
        for n in numbers {
            let ours = passes_base_two::<{ U1024::LIMBS }, { 2 * U1024::LIMBS }>(&n)
                && passes_lucas::<{ U1024::LIMBS }, 20, 40>(&n, Lanes::One);
            assert_eq!(
                ours,
                crypto_primes::is_prime(crypto_primes::Flavor::Any, &n),
                "{n}"
            );
        }
    }
}
