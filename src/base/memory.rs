//! Memory the process freed, given back to the system.

/// Gives the system back the pages of memory freed so far. A load reads every source and
/// parses it into short-lived pieces between the ones the site keeps; glibc keeps those
/// freed pages, so a large site's build would hold its load's peak through the render.
/// Elsewhere than glibc it does nothing.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists; it takes no pointer.
    unsafe {
        libc::malloc_trim(0);
    }
}
