//! Reading an export: each platform's reader turns its file into one `Export`, with the
//! bodies cleaned of the platform's furniture. Everything is read before anything is
//! written, so bad input stops the import with nothing changed.

pub mod ghost;
pub mod substack;
mod substack_embeds;
pub mod wordpress;
mod wpautop;
