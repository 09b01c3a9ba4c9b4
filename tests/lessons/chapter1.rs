//! Chapter 1: Basics.

mod hello;
mod pipeline;
mod version;
mod weather;
