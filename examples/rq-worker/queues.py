"""The job queues and their Redis connection; the web side enqueues with these (``high.enqueue(...)``)."""

import os

from redis import Redis
from rq import Queue

redis = Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))

high = Queue("high", connection=redis)
default = Queue(connection=redis)
low = Queue("low", connection=redis)
