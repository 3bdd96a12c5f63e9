"""The core's own plugins, registered exactly like third-party ones (datasette's pattern): the vocabulary
of skills and practices, and the built-in output formats. Nothing else in cpo-learn imports them."""
