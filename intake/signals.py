"""Events other areas react to, so that the patient side need not know them.

`intake_submitted` is sent after the submitting request has committed, with
`app` as sender and `intake_id=`. (The PDF summary does not hang on it: its
pending row commits with the submission and the job queue renders it.)
`intake_signed_off` is sent after a sign-off has committed (`intake_id=`).
"""

from blinker import Namespace

_signals = Namespace()
intake_submitted = _signals.signal("intake-submitted")
intake_signed_off = _signals.signal("intake-signed-off")
