"""Steps 9–10 of the data flow: approved fixes as a change set, written back safely."""
