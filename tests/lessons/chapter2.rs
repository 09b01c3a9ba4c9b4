//! Chapter 2: Sockets and Patterns.

mod mspoller;
mod msreader;
mod mtrelay;
mod mtserver;
mod pipeline_kill;
mod psenv;
