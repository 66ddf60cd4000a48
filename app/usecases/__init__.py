"""What a person does to a workspace, one use case per action — the command line and the
desktop app both call these and nothing beneath them to change anything.

Each use case checks who may do it (roles, four-eyes, from the workspace), runs as one
transaction with one audit entry where it changes the workspace alone, and takes the
workspace's write lease where it changes the systems (write-back, rollback, merge,
unmerge), so two clerks never interleave and a crash is settled by the next one.

- :mod:`.session`: open a workspace (settling what a crashed process left behind).
- :mod:`.runs`: run a saved job or tables already read; the run's counts.
- :mod:`.review`: the queue's filter; decide one or many groups, undo, bulk accept, trust.
- :mod:`.fixes`: approve or reject fixes, the four-eyes setting, users and rules.
- :mod:`.writing`: write back, preview, roll back; merges written and unmerged.
"""
