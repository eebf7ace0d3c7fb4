"""Running the task queue in a test's own thread, as the consumer would."""


def run_the_queue(huey) -> int:
    """Do what the huey consumer does, here in the test's thread: run each task waiting."""
    count = 0
    while (task := huey.dequeue()) is not None:
        # Flagged immediate for the run only: a db_task then leaves the test's
        # database connection open (the live server shares it on SQLite).
        huey._immediate = True
        try:
            huey.execute(task)
        finally:
            huey._immediate = False
        count += 1
    return count
