//! API diff between two versions of a spec (placeholder, being written).
