"""The subcommands of `taco-judge`, one module each (``add_parser`` and ``run``); ``cli`` dispatches."""
