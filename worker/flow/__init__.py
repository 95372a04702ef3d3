"""The flow of alerts (a watch-list's ``delivery:``): quiet hours, bursts, scheduled digests and urgent lists.

- :mod:`worker.flow.schedule` — clock arithmetic in any IANA zone: quiet windows across midnight and DST, the next
  scheduled digest. Pure: every function is given ``now``.
- :mod:`worker.flow.hold` — where the pipeline asks "send it now or hold it?", and holds it in the store.
- :mod:`worker.flow.flush` — which held groups are due, and turning each into one digest in the outbox.
- :mod:`worker.flow.send` — sending a digest one part per attempt, each part remembered.
- :mod:`worker.flow.why` — why an alert is held, for `khabardar alerts list`.

What a digest says (grouped by story and entity) is :mod:`worker.alerts.digest`; splitting it into numbered
messages that each fit a platform is :mod:`worker.alerts.parts`; each platform's payload is its channel's
``digest_payloads`` hook.
"""
