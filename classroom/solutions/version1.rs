// version1: refuse to run on a libzmq that is too old.
//
// The page: "Version Reporting" (chapter 1). `zmq::version()` reports the
// libzmq this program is linked with, as (major, minor, patch), at run time.
// A program that relies on a newer libzmq's behaviour should check it before
// anything else, and say clearly why it stops. Fix `check_version` so that it
// accepts this libzmq or anything newer, and refuses anything older. Then fix
// `check_capability`: a libzmq may be built without some transports or
// security mechanisms, and `zmq::has` tells which.

/// Ok when the libzmq this program runs on is `required` or newer, as
/// (major, minor, patch); otherwise an error that names both versions.
fn check_version(required: (i32, i32, i32)) -> Result<(), String> {
    let (major, minor, patch) = zmq::version();
    let too_old = (major, minor, patch) < required;
    if too_old {
        let (needed_major, needed_minor, needed_patch) = required;
        return Err(format!(
            "this program needs libzmq {needed_major}.{needed_minor}.{needed_patch} \
             or newer; it runs on {major}.{minor}.{patch}"
        ));
    }
    Ok(())
}

/// Ok when this libzmq was built with `capability` ("ipc", "curve", …);
/// otherwise an error that names it.
fn check_capability(capability: &str) -> Result<(), String> {
    let present = zmq::has(capability) == Some(true);
    if !present {
        return Err(format!("this libzmq was built without {capability:?}"));
    }
    Ok(())
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show((major, minor, patch): (i32, i32, i32)) -> String {
        format!("{major}.{minor}.{patch}")
    }

    /// Versions just below this libzmq's, one position at a time.
    fn older() -> Vec<(i32, i32, i32)> {
        let (major, minor, patch) = zmq::version();
        let mut older = vec![(major - 1, 9, 9)];
        if minor > 0 {
            older.push((major, minor - 1, 9));
        }
        if patch > 0 {
            older.push((major, minor, patch - 1));
        }
        older
    }

    /// Versions just above this libzmq's, one position at a time.
    fn newer() -> Vec<(i32, i32, i32)> {
        let (major, minor, patch) = zmq::version();
        vec![
            (major, minor, patch + 1),
            (major, minor + 1, 0),
            (major + 1, 0, 0),
        ]
    }

    #[test]
    fn runs_on_this_version_and_when_an_older_one_is_required() {
        let here = zmq::version();
        let mut required = older();
        required.push(here);
        for version in required {
            if let Err(error) = check_version(version) {
                panic!(
                    "check_version({version:?}) on libzmq {}: expected Ok, since {} \
                     is at least {}; got Err({error:?})",
                    show(here),
                    show(here),
                    show(version)
                );
            }
        }
    }

    #[test]
    fn refuses_when_a_newer_version_is_required() {
        let here = zmq::version();
        for version in newer() {
            match check_version(version) {
                Ok(()) => panic!(
                    "check_version({version:?}) on libzmq {}: expected an error, since \
                     {} is older than {}; got Ok(())",
                    show(here),
                    show(here),
                    show(version)
                ),
                Err(error) => {
                    for named in [show(here), show(version)] {
                        assert!(
                            error.contains(&named),
                            "the error {error:?} should name {named}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn knows_what_this_libzmq_was_built_with() {
        // The libzmq the zmq crate builds has the ipc transport, but not
        // CURVE security.
        for (capability, expected) in [("ipc", true), ("curve", false)] {
            let answer = zmq::has(capability);
            match (check_capability(capability), expected) {
                (Ok(()), true) | (Err(_), false) => {}
                (got, _) => panic!(
                    "check_capability({capability:?}): zmq::has says {answer:?}, so \
                     expected {}; got {got:?}",
                    if expected { "Ok(())" } else { "an error" }
                ),
            }
        }
    }
}
