//! Chapter 3: Advanced Request-Reply Patterns.

mod identity;
mod lbbroker;
mod lbbroker2;
mod lbbroker3;
