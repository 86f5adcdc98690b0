//! "Did you mean": the near miss of a mistyped key, environment or field.

/// The candidate nearest to `word`, when it is near enough to be a typo of it (`nme` for
/// `name`, `protcol` for `protocol`, `replicsa` for `replicas`) or `word` is an abbreviation
/// of it (`repo` for `repository`).
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let length = word.chars().count();
    let allowed = match length {
        0..=3 => 1,
        4..=8 => 2,
        _ => 3,
    };
    let candidates: Vec<&str> = candidates.into_iter().collect();
    if candidates.contains(&word) {
        return None;
    }
    let typo = candidates
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(word, candidate), *candidate))
        .filter(|(distance, _)| *distance <= allowed)
        .min()
        .map(|(_, candidate)| candidate);
    typo.or_else(|| {
        candidates
            .iter()
            .filter(|candidate| length >= 3 && candidate.starts_with(word))
            .min_by_key(|candidate| (candidate.len(), **candidate))
            .copied()
    })
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn did_you_mean_takes_a_near_typo_or_an_abbreviation() {
        let keys = ["name", "namespace", "port", "protocol"];
        assert_eq!(did_you_mean("nme", keys), Some("name"));
        assert_eq!(did_you_mean("protcol", keys), Some("protocol"));
        assert_eq!(did_you_mean("replicas", keys), None);
        assert_eq!(
            did_you_mean("repo", ["repository", "tag"]),
            Some("repository")
        );
        assert_eq!(
            did_you_mean("name", keys),
            None,
            "a word that exists needs no suggestion"
        );
    }
}
