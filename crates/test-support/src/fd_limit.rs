//! Room for many sockets: the soft limit on open files.

use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};

use crate::Error;

/// Makes sure this process (and the processes it starts afterwards, a broker
/// say) may open at least `wanted` files, raising the soft limit up to the hard
/// one if needed. Returns the soft limit now in force; an error when even the
/// hard limit is lower than `wanted`.
pub fn ensure_open_files(wanted: u64) -> Result<u64, Error> {
    let limit = getrlimit(Resource::Nofile);
    let soft = limit.current.unwrap_or(u64::MAX);
    if soft >= wanted {
        return Ok(soft);
    }
    let hard = limit.maximum.unwrap_or(u64::MAX);
    if hard < wanted {
        return Err(Error::io("cannot raise the open-files limit")(
            std::io::Error::other(format!("{wanted} files wanted, the hard limit is {hard}")),
        ));
    }
    setrlimit(
        Resource::Nofile,
        Rlimit {
            current: Some(wanted),
            maximum: limit.maximum,
        },
    )
    .map_err(|e| Error::io("cannot raise the open-files limit")(e.into()))?;
    Ok(wanted)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_limit_already_high_enough_is_kept() {
        let soft = getrlimit(Resource::Nofile).current.unwrap_or(u64::MAX);
        assert_eq!(ensure_open_files(16).unwrap(), soft);
    }

    #[test]
    fn more_than_the_hard_limit_is_refused() {
        if let Some(hard) = getrlimit(Resource::Nofile).maximum {
            let refused = ensure_open_files(hard + 1).unwrap_err();
            assert!(refused.to_string().contains("hard limit"), "{refused}");
        }
    }
}
