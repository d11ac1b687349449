//! `MemoryStore`: session state that lives as long as the process.

use super::{SessionStore, StoreImage, StoredMessage, StoredState};
use crate::Error;
use crate::codec::PacketId;

/// Keeps the session in memory: it survives reconnects, not a restart. The
/// default store.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    image: StoreImage,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl SessionStore for MemoryStore {
    fn load(&mut self) -> Result<StoredState, Error> {
        Ok(self.image.snapshot())
    }

    fn put_outgoing(&mut self, message: &StoredMessage) -> Result<(), Error> {
        self.image.put_outgoing(message.clone());
        Ok(())
    }

    fn mark_released(&mut self, pkid: PacketId) -> Result<(), Error> {
        self.image.mark_released(pkid);
        Ok(())
    }

    fn remove_outgoing(&mut self, pkid: PacketId) -> Result<(), Error> {
        self.image.remove_outgoing(pkid);
        Ok(())
    }

    fn put_incoming(&mut self, pkid: PacketId) -> Result<(), Error> {
        self.image.put_incoming(pkid);
        Ok(())
    }

    fn remove_incoming(&mut self, pkid: PacketId) -> Result<(), Error> {
        self.image.remove_incoming(pkid);
        Ok(())
    }

    fn clear_incoming(&mut self) -> Result<(), Error> {
        self.image.clear_incoming();
        Ok(())
    }
}
