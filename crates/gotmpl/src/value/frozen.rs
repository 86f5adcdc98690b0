//! Private copies of frozen maps, one set per render.
//!
//! A host renders many templates from one set of data (Helm's `.Values` for every template of
//! a chart), on several threads at once, and each template must see only its own changes to
//! it (sprig's `set` on `.Values`). Copying the data for every render costs more than most
//! renders; instead the data is frozen once ([`Value::freeze`](super::Value::freeze)) and a
//! render copies a frozen map only when it changes it. The copies live in a thread-local table
//! for as long as the render's [`RenderScope`] does, keyed by the frozen map's address, so every
//! holder of the map in that render finds the same copy.

use std::cell::RefCell;

use super::Map;
use crate::HashMap;

thread_local! {
    /// The running render's copies (frozen map's address → copy); `None` outside a render.
    static COPIES: RefCell<Option<HashMap<usize, Map>>> = const { RefCell::new(None) };
}

/// The copies of one render: entered when a render starts, dropped when it ends. A render
/// started inside another on the same thread (a host function that renders, or a thread pool
/// that runs another render while one waits) gets copies of its own until it ends.
pub(crate) struct RenderScope {
    outer: Option<HashMap<usize, Map>>,
}

impl RenderScope {
    pub(crate) fn enter() -> RenderScope {
        let outer = COPIES.with(|copies| copies.replace(Some(HashMap::default())));
        RenderScope { outer }
    }
}

impl Drop for RenderScope {
    fn drop(&mut self) {
        let outer = self.outer.take();
        // The copies are dropped after the table is restored: dropping a value never reads
        // a map, but this keeps the table unborrowed while they go.
        let _ours = COPIES.with(|copies| copies.replace(outer));
    }
}

/// This render's copy of the frozen `map`, if it changed it.
pub(super) fn copy_of(map: &Map) -> Option<Map> {
    COPIES.with(|copies| copies.borrow().as_ref()?.get(&map.address()).cloned())
}

/// The copy of the frozen `map` that this render changes, made on first use; `None` outside a
/// render, where the map itself changes.
pub(super) fn copy_for_change(map: &Map) -> Option<Map> {
    COPIES.with(|copies| {
        let mut copies = copies.borrow_mut();
        let copies = copies.as_mut()?;
        let copy = copies
            .entry(map.address())
            .or_insert_with(|| Map::new(map.own_entries()));
        Some(copy.clone())
    })
}
