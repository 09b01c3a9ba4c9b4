//! Chapter 3: Advanced Request-Reply Patterns.

mod asyncsrv;
mod identity;
mod rtdealer;
mod rtreq;
