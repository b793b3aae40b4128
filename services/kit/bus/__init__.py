"""The event bus: one interface, an in-memory and an Apache Kafka implementation."""

from services.kit.bus.base import Bus, Handler, Record, Subscription

__all__ = ["Bus", "Handler", "Record", "Subscription"]
