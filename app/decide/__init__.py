"""Step 8 of the data flow: decisions people make in review, and the fixes they imply."""
