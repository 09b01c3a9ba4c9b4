//! ipc:// endpoints in a folder of their own, never the working directory.
//!
//! An ipc:// endpoint is a file: the socket that binds it makes it, and
//! libzmq leaves it behind when the socket closes. Chapter 3's brokers meet
//! over ipc:// files named after each broker (`DC1-state.ipc`): [`IpcDir`]
//! puts them in one folder (by default the same one for every broker, so
//! that brokers started by hand in three terminals find each other; the
//! runner gives each run one of its own) and removes the files it bound
//! when it is dropped.
//!
//! With the zmq crate alone: `socket.bind("ipc:///tmp/DC1-state.ipc")?`, and
//! `std::fs::remove_file` at the end.

use std::path::{Path, PathBuf};

// ANCHOR: ipc_dir
/// A folder for ipc:// endpoints. The files bound through it are removed
/// when it is dropped.
pub struct IpcDir {
    dir: PathBuf,
    bound: Vec<PathBuf>,
}

impl IpcDir {
    /// The folder brokers started by hand share: `zmq-workbook-ipc` in the
    /// system's temporary folder.
    pub fn default_path() -> PathBuf {
        std::env::temp_dir().join("zmq-workbook-ipc")
    }

    /// Use `dir` (made if it is missing).
    pub fn new(dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)
            .map_err(|error| anyhow::anyhow!("cannot make {}: {error}", dir.display()))?;
        Ok(IpcDir {
            dir: dir.to_path_buf(),
            bound: Vec::new(),
        })
    }

    /// Check a cluster's names: each broker's name starts its files' names
    /// and is its routing id to the others, so it must be a plain word and
    /// no two may be the same.
    pub fn check_names(me: &str, peers: &[String]) -> anyhow::Result<()> {
        let names = std::iter::once(me).chain(peers.iter().map(String::as_str));
        for (index, name) in names.clone().enumerate() {
            anyhow::ensure!(
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                "broker name {name:?}: use letters, digits, '-' and '_'"
            );
            anyhow::ensure!(
                !names.clone().take(index).any(|earlier| earlier == name),
                "broker name {name:?} is given twice"
            );
        }
        Ok(())
    }

    /// `ipc://DIR/FILE`.
    pub fn endpoint(&self, file: &str) -> String {
        format!("ipc://{}", self.dir.join(file).display())
    }

    /// Bind `socket` to the endpoint for `file`, and remove the file when
    /// this is dropped.
    pub fn bind(&mut self, socket: &zmq::Socket, file: &str) -> anyhow::Result<()> {
        crate::bind(socket, &self.endpoint(file))?;
        self.bound.push(self.dir.join(file));
        Ok(())
    }

    /// Connect `socket` to the endpoint for `file` (bound by a peer).
    pub fn connect(&self, socket: &zmq::Socket, file: &str) -> anyhow::Result<()> {
        crate::connect(socket, &self.endpoint(file))
    }
}

impl Drop for IpcDir {
    fn drop(&mut self) {
        for file in &self.bound {
            let _ = std::fs::remove_file(file);
        }
    }
}
// ANCHOR_END: ipc_dir

#[cfg(test)]
mod tests {
    use super::IpcDir;

    #[test]
    fn bound_files_are_removed_and_peers_meet_in_the_folder() {
        let temp = tempfile::tempdir().unwrap();
        let folder = temp.path().join("brokers");
        let context = zmq::Context::new();
        let (server, client) = (
            context.socket(zmq::PAIR).unwrap(),
            context.socket(zmq::PAIR).unwrap(),
        );
        {
            let mut ipc = IpcDir::new(&folder).unwrap();
            ipc.bind(&server, "DC1-test.ipc").unwrap();
            assert!(folder.join("DC1-test.ipc").exists());
            IpcDir::new(&folder)
                .unwrap()
                .connect(&client, "DC1-test.ipc")
                .unwrap();
            client.send("hi", 0).unwrap();
            assert_eq!(server.recv_string(0).unwrap().unwrap(), "hi");
        }
        assert!(!folder.join("DC1-test.ipc").exists(), "removed on drop");
        assert!(folder.exists(), "the folder stays, others may use it");
    }

    #[test]
    fn broker_names_are_plain_words_given_once() {
        let peers = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert!(IpcDir::check_names("DC1", &peers(&["DC2", "DC3"])).is_ok());
        assert!(IpcDir::check_names("DC1", &[]).is_ok());
        for (me, others) in [
            ("DC1", &["DC1"][..]),
            ("", &[]),
            ("a/b", &[]),
            ("DC1", &["DC2", "DC2"]),
        ] {
            assert!(
                IpcDir::check_names(me, &peers(others)).is_err(),
                "{me} {others:?}"
            );
        }
    }
}
