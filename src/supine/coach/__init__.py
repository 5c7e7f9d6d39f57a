"""The motion coach's runtime files: fetched from the npm registry, built, served by Supine."""
