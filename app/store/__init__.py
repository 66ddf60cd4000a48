"""Step 11 of the data flow: the workspace (SQLite by default, PostgreSQL when shared)."""
