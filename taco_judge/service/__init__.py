"""The judge service: ``taco-judge serve``, an HTTP front end over one warm ``Judge`` (docs/service.md).

``wire`` is the request and response schema (no web framework needed to read it), ``core`` the
batching, back-pressure and cancellation over ``Judge.submit``, ``app`` the ASGI routes,
``telemetry`` the Prometheus counters and JSON logs, ``command`` the ``serve`` subcommand.
"""
