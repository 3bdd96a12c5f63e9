"""The core's own plugins, registered exactly like third-party ones (datasette's pattern)."""
