//! Chapter 3: Advanced Request-Reply Patterns.

mod asyncsrv;
mod identity;
mod lbbroker;
mod lbbroker2;
mod lbbroker3;
mod lbpipeline;
mod peering1;
mod peering2;
mod peering3;
mod rtdealer;
mod rtreq;
