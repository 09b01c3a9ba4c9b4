//! Chapter 2: Sockets and Patterns.

mod interrupt;
mod mspoller;
mod msreader;
mod mtserver;
mod pipeline_kill;
mod wuproxy;
