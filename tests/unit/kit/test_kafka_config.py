"""How the Kafka bus reaches a secured cluster."""

from __future__ import annotations

from services.kit.bus.kafka import KafkaConfig


def test_kafka_client_settings_carry_sasl_and_tls() -> None:
    import ssl

    from services.kit.bus.kafka import KafkaConfig

    plain = KafkaConfig(bootstrap="k:9092").client_args()
    assert plain == {"bootstrap_servers": "k:9092", "security_protocol": "PLAINTEXT"}
    secure = KafkaConfig(
        bootstrap="k:9093",
        security_protocol="SASL_SSL",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="webcare",
        sasl_password="s3cret",
    ).client_args()
    assert isinstance(secure["ssl_context"], ssl.SSLContext)
    assert secure["sasl_mechanism"] == "SCRAM-SHA-512"
    assert secure["sasl_plain_username"] == "webcare"
    assert secure["sasl_plain_password"] == "s3cret"


def test_the_batch_a_consumer_takes_per_poll_is_a_setting() -> None:
    from services.kit.bus.kafka import KafkaBus
    from services.kit.config import KitSettings
    from services.kit.runtime import make_bus

    assert KafkaBus(KafkaConfig(bootstrap="k:9092")).max_batch == 2000
    bus = make_bus(KitSettings(kafka_max_batch=250), "kafka")
    assert isinstance(bus, KafkaBus) and bus.max_batch == 250
