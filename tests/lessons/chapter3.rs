//! Chapter 3: Advanced Request-Reply Patterns.

mod identity;
mod lbpipeline;
