//! Chapter 3: Advanced Request-Reply Patterns.

mod identity;
mod peering1;
mod peering2;
mod peering3;
