"""Step 12 of the data flow: saved reconciliations, run daily, with their history."""
