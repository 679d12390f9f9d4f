"""The HTTP API of Okoa (django-ninja): one NinjaAPI under ``/api/``, one router per app.

Requests authenticate with a personal API token (``Authorization: Bearer <secret>``); the token's
membership is the actor. One operation takes no token: the exchange inbox, where partner
installations post envelopes whose signature is the authentication (``routers/exchange.py``).
Records are reached only through the apps' ``access.py`` and changed only through their
``actions.py``, so the API follows exactly the rules of the pages.
"""
