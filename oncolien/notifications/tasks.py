"""The transport of messages: huey tasks that send what `notify` queued (thin)."""

from huey.contrib.djhuey import db_task

from oncolien.notifications.services import delivery_attempt


@db_task(name="notifications.deliver")  # type: ignore[untyped-decorator]
def deliver(delivery_id: int) -> None:
    # Only the id travels through the queue; the body waits in the database.
    retry_at = delivery_attempt(delivery_id=delivery_id)
    if retry_at is not None:
        deliver.schedule((delivery_id,), eta=retry_at)
