"""What the judge shows and writes: the terminal summary, progress and the run's files
(``terminal``), and the self-contained HTML report (``html``, built from ``model``, ``svg``,
``tables`` and ``markup``; imported on use, it is only needed for ``--html``)."""

from taco_judge.report.terminal import (
    ProgressReporter,
    atomic_writer,
    format_duration,
    print_files,
    render_summary,
    write_metrics,
    write_results,
)

__all__ = ["ProgressReporter", "atomic_writer", "format_duration", "print_files", "render_summary",
           "write_metrics", "write_results"]
