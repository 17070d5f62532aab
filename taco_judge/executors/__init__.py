"""Where judging runs: ``local`` (a pool of worker threads, each holding a warm jail session) or
``ray`` (the same workers as Ray tasks on a cluster). Executors return what they judged; they
never write: the caller records results in the store."""
