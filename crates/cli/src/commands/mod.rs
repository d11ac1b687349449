//! One module per subcommand.

pub mod bench;
pub mod broker;
pub mod cse;
pub mod demo;
pub mod gateway;
pub mod listen;
pub mod request;
