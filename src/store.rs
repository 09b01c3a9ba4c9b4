//! Storing what a case study receives: an SQLite database (the real one,
//! compiled into the program, no system library needed) at a path a flag
//! chooses, by default in the system's temporary folder, with one-line errors
//! when it cannot be opened or written.
//!
//! With rusqlite alone: `rusqlite::Connection::open(path)?`, then
//! `connection.transaction()?`, `transaction.execute(…)?`, `transaction.commit()?`.

use std::path::{Path, PathBuf};
use std::time::Duration;

// ANCHOR: store
/// An SQLite database that a case study stores what it receives in.
pub struct Store {
    connection: rusqlite::Connection,
    path: PathBuf,
}

impl Store {
    /// Open (or create) the database at `chosen`, or by default at
    /// `zmq-workbook-NAME.sqlite` in the temporary folder, and create its
    /// tables with `schema` (`CREATE TABLE IF NOT EXISTS …`): a database that
    /// is already there keeps what it holds.
    pub fn open(chosen: Option<&Path>, name: &str, schema: &str) -> anyhow::Result<Store> {
        let path = match chosen {
            Some(path) => path.to_path_buf(),
            None => std::env::temp_dir().join(format!("zmq-workbook-{name}.sqlite")),
        };
        let cannot = |error: rusqlite::Error| {
            anyhow::anyhow!("cannot open database {}: {error}", path.display())
        };
        let connection = rusqlite::Connection::open(&path).map_err(cannot)?;
        // Another program writing (the sqlite3 shell, a second copy) holds
        // the lock for a moment: wait that long for it, not for ever.
        connection.busy_timeout(BUSY_TIMEOUT).map_err(cannot)?;
        connection.execute_batch(schema).map_err(cannot)?;
        Ok(Store { connection, path })
    }

    /// Where the database is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Run `write` in a transaction of its own, and commit it: all of it is
    /// stored, or (on an error) none of it.
    pub fn write<T>(
        &mut self,
        write: impl FnOnce(&rusqlite::Transaction) -> rusqlite::Result<T>,
    ) -> anyhow::Result<T> {
        let path = &self.path;
        let cannot = |error: rusqlite::Error| {
            anyhow::anyhow!("cannot write to database {}: {error}", path.display())
        };
        let transaction = self.connection.transaction().map_err(cannot)?;
        let written = write(&transaction).map_err(cannot)?;
        transaction.commit().map_err(cannot)?;
        Ok(written)
    }

    /// Read from the database: `store.read(|db| db.query_row(…))`.
    pub fn read<T>(
        &self,
        read: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T>,
    ) -> anyhow::Result<T> {
        read(&self.connection).map_err(|error| {
            anyhow::anyhow!("cannot read database {}: {error}", self.path.display())
        })
    }
}
// ANCHOR_END: store

/// How long a write waits for another program's lock before it fails.
const BUSY_TIMEOUT: Duration = Duration::from_secs(2);
