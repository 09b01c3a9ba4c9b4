//! Build both implementations of the measuring tools: the Rust examples, and
//! libzmq's own C tools compiled from the libzmq source the zmq crate already
//! downloaded, linked against the very `libzmq.a` the examples link.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, bail};

/// The six tools, by the name both implementations give them.
pub const TOOLS: [&str; 6] = [
    "local_thr",
    "remote_thr",
    "local_lat",
    "remote_lat",
    "inproc_thr",
    "inproc_lat",
];

/// Where each implementation's binaries are.
#[derive(Clone, Debug)]
pub struct Binaries {
    pub rust: PathBuf,
    pub c: PathBuf,
}

/// What the build of the examples says about libzmq.
struct Libzmq {
    /// zmq-sys's build output: lib/libzmq.a, and the platform.hpp it generated.
    out_dir: PathBuf,
    /// The zeromq-src crate's libzmq source tree (vendor/), with perf/ in it.
    vendor: PathBuf,
}

/// Build the examples with cargo profile `profile` (the benchmark's own) and
/// the C tools.
pub fn build(profile: &str) -> anyhow::Result<Binaries> {
    let libzmq = build_examples(profile)?;
    let profile_dir = libzmq
        .out_dir
        .ancestors()
        .nth(3) // target/<profile>/build/zmq-sys-HASH/out
        .context("zmq-sys's out dir is not under target/<profile>/build")?
        .to_path_buf();
    let c = profile_dir.join("perf-c");
    std::fs::create_dir_all(&c).with_context(|| format!("cannot create {}", c.display()))?;
    for tool in TOOLS {
        compile_c_tool(&libzmq, tool, &c)?;
    }
    Ok(Binaries {
        rust: profile_dir.join("examples"),
        c,
    })
}

/// `cargo build` the examples the benchmark runs, reading where libzmq was built and where its
/// source is from cargo's JSON messages.
fn build_examples(profile: &str) -> anyhow::Result<Libzmq> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    // The examples are the root package's; cargo runs a benchmark in its own
    // package's directory, where a bare `--example` would look in this one.
    command
        .arg("build")
        .arg("--manifest-path")
        .arg(crate::workspace_root().join("Cargo.toml"))
        .args([
            "--package",
            "zmq-workbook",
            "--quiet",
            "--locked",
            "--message-format=json-render-diagnostics",
            "--profile",
            profile,
        ]);
    // The tools, and the pipeline lessons' processes for the scaling runs.
    let pipelines = [
        "taskvent",
        "taskwork",
        "lbtaskvent",
        "lbtaskwork",
        "tasksink",
    ];
    for example in TOOLS.iter().chain(&pipelines) {
        command.args(["--example", example]);
    }
    let output = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("cannot run cargo to build the examples")?;
    if !output.status.success() {
        bail!("building the examples failed");
    }
    parse_build_messages(&String::from_utf8_lossy(&output.stdout))
}

fn parse_build_messages(messages: &str) -> anyhow::Result<Libzmq> {
    let mut out_dir = None;
    let mut vendor = None;
    for line in messages.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let package = message["package_id"].as_str().unwrap_or_default();
        match message["reason"].as_str() {
            Some("build-script-executed") if package.contains("zmq-sys@") => {
                out_dir = message["out_dir"].as_str().map(PathBuf::from);
            }
            Some("compiler-artifact") if package.contains("zeromq-src@") => {
                vendor = message["manifest_path"]
                    .as_str()
                    .and_then(|manifest| Path::new(manifest).parent())
                    .map(|crate_dir| crate_dir.join("vendor"));
            }
            _ => {}
        }
    }
    Ok(Libzmq {
        out_dir: out_dir.context("cargo did not say where zmq-sys built libzmq")?,
        vendor: vendor.context("cargo did not say where the zeromq-src crate is")?,
    })
}

/// Compile vendor/perf/TOOL.cpp into `into`/TOOL, unless it is up to date.
fn compile_c_tool(libzmq: &Libzmq, tool: &str, into: &Path) -> anyhow::Result<()> {
    let source = libzmq.vendor.join("perf").join(format!("{tool}.cpp"));
    let library = libzmq.out_dir.join("lib").join("libzmq.a");
    let binary = into.join(tool);
    if is_newer(&binary, &[&source, &library]) {
        return Ok(());
    }
    let compiler = std::env::var_os("CXX").unwrap_or_else(|| "c++".into());
    let status = Command::new(&compiler)
        // The optimisation libzmq itself is built with in release.
        .arg("-O3")
        // The tools include "../include/zmq.h" next to them, and the inproc
        // ones "platform.hpp", which zmq-sys generated.
        .arg("-I")
        .arg(&libzmq.out_dir)
        .arg("-o")
        .arg(&binary)
        .arg(&source)
        .arg(&library)
        .arg("-lpthread")
        .status()
        .with_context(|| format!("cannot run the C++ compiler {compiler:?}"))?;
    if !status.success() {
        bail!("compiling {} failed", source.display());
    }
    Ok(())
}

/// `target` exists and was modified after every one of `sources`.
fn is_newer(target: &Path, sources: &[&Path]) -> bool {
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let Some(built) = modified(target) else {
        return false;
    };
    sources
        .iter()
        .all(|source| modified(source).is_some_and(|changed| changed < built))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_libzmq_in_cargos_messages() {
        let messages = concat!(
            r#"{"reason":"compiler-artifact","package_id":"registry+https://github.com/rust-lang/crates.io-index#zeromq-src@0.2.6+4.3.4","manifest_path":"/registry/zeromq-src-0.2.6+4.3.4/Cargo.toml","fresh":true}"#,
            "\n",
            r#"{"reason":"build-script-executed","package_id":"registry+https://github.com/rust-lang/crates.io-index#zmq-sys@0.12.0","out_dir":"/work/target/release/build/zmq-sys-abc/out"}"#,
            "\nnot json\n",
        );
        let libzmq = parse_build_messages(messages).unwrap();
        assert_eq!(
            libzmq.out_dir,
            Path::new("/work/target/release/build/zmq-sys-abc/out")
        );
        assert_eq!(
            libzmq.vendor,
            Path::new("/registry/zeromq-src-0.2.6+4.3.4/vendor")
        );
    }

    #[test]
    fn says_what_is_missing() {
        let error = parse_build_messages("").err().unwrap();
        assert!(error.to_string().contains("zmq-sys"), "{error}");
    }
}
