"""Running the site: backups (export and import), the demo content of every app, and
their management commands. The one app allowed to name every other app's models."""
