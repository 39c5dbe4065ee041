"""The message bus on RabbitMQ: outbox, relay, inbox, consumer, retries and parking."""
