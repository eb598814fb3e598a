"""PDF summaries and the clinic archive: rendering, storage, verification.

The domain side only: nothing here imports a blueprint or the app factory.
Staff download a summary through intake.staff.routes_documents; rendering is
not done in a request: a pending row committed with a submission or sign-off
is queued for `intake worker` (see intake.jobs).
"""
