"""What the comments app tells the rest of Agora, as django-contrib-comments does.

Both are sent once the change is committed, so a rolled-back write never reaches a receiver;
receivers get the committed comment (with its article loaded). `live` publishes live events
from them, `agora.jobs` queues webhooks and e-mail.

- `comment_posted(comment)`: a new comment was stored, whatever its status.
- `comment_changed(comment, change, before)`: `change` is "edited", "deleted", "voted", or
  "status" with the status `before`.
"""

from django.dispatch import Signal

# Sent on every post: the receivers of a sender are looked up once, not on every send
# (connecting or disconnecting a receiver clears that cache).
comment_posted = Signal(use_caching=True)
comment_changed = Signal(use_caching=True)
