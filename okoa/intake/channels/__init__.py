"""Intake channels: how reports arrive from gateways and mailboxes, and how senders are told.

* ``ussd`` and ``sms``: Africa's Talking callbacks (``webhooks`` has the views, ``auth`` checks
  the gateway's secret and address);
* ``outbound``: acknowledgement SMS, queued in the database and sent through a ``gateway``
  (Africa's Talking, or the console in development);
* ``email``: the intake mailbox (IMAP over TLS), attachments sealed with the key ring;
* ``models``: the channels' own records, registered through ``okoa.intake.models``.

Every inbound message becomes a report in one transaction, through ``okoa.intake.actions``; the
acknowledgement (an SMS, a USSD screen, an email) goes out only after that transaction commits.
Keep this ``__init__`` free of imports: ``okoa.intake.models`` imports ``channels.models``.
"""
