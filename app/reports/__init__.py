"""Reports for people: formatted workbooks (run reports, change sets, audit exports)."""
