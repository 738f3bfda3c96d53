"""What happens to a case that the apps built on it act on, without cases knowing them.

A receiver runs inside the sender's transaction: if it fails, nothing is saved.
"""

from django.dispatch import Signal

# The day the person left protected housing changed (a stay added or corrected).
# Sent with request, case, before and after (dates or None).
exit_date_changed = Signal()
