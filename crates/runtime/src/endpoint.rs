//! TODO(runtime helper)
