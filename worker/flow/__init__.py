"""The flow of alerts (issue 9): quiet hours, bursts, scheduled digests and urgent lists.

- :mod:`worker.flow.schedule` — clock arithmetic in any IANA zone: quiet windows across midnight and DST, the next
  scheduled digest. Pure: every function is given ``now``.
- :mod:`worker.flow.hold` — where the pipeline asks "send it now or hold it?", and holds it in the store.
- :mod:`worker.flow.flush` — which held groups are due, and turning each into one digest in the outbox.
- :mod:`worker.flow.digest` — what a digest says, grouped by story and entity, before any platform's markup.
- :mod:`worker.flow.parts` — splitting a digest into numbered messages that each fit a platform's limits.
"""
