"""Events other areas react to, so that the patient side need not know them.

`intake_submitted` is sent after the submitting request has committed, with
`app` as sender and `intake_id=`: the PDF summary is rendered from it, so a
slow or failed render never holds up or loses a submission.
`intake_signed_off` is sent after a sign-off has committed (`intake_id=`).
"""

from blinker import Namespace

_signals = Namespace()
intake_submitted = _signals.signal("intake-submitted")
intake_signed_off = _signals.signal("intake-signed-off")
