import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from webcare.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MessageReceived(_message.Message):
    __slots__ = ("event_id", "tenant_id", "occurred_at", "message_id", "channel", "external_id", "conversation_key", "author", "text", "is_public", "channel_account_id", "in_reply_to", "sent_at", "attachments", "community_member", "proactive", "monitoring_rules", "lead", "subject", "rating", "delivery_id")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_KEY_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    IS_PUBLIC_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    IN_REPLY_TO_FIELD_NUMBER: _ClassVar[int]
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_MEMBER_FIELD_NUMBER: _ClassVar[int]
    PROACTIVE_FIELD_NUMBER: _ClassVar[int]
    MONITORING_RULES_FIELD_NUMBER: _ClassVar[int]
    LEAD_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    tenant_id: str
    occurred_at: _timestamp_pb2.Timestamp
    message_id: str
    channel: str
    external_id: str
    conversation_key: str
    author: _common_pb2.Author
    text: str
    is_public: bool
    channel_account_id: str
    in_reply_to: str
    sent_at: _timestamp_pb2.Timestamp
    attachments: _containers.RepeatedCompositeFieldContainer[_common_pb2.Attachment]
    community_member: bool
    proactive: bool
    monitoring_rules: _containers.RepeatedScalarFieldContainer[str]
    lead: bool
    subject: str
    rating: int
    delivery_id: str
    def __init__(self, event_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., message_id: _Optional[str] = ..., channel: _Optional[str] = ..., external_id: _Optional[str] = ..., conversation_key: _Optional[str] = ..., author: _Optional[_Union[_common_pb2.Author, _Mapping]] = ..., text: _Optional[str] = ..., is_public: _Optional[bool] = ..., channel_account_id: _Optional[str] = ..., in_reply_to: _Optional[str] = ..., sent_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., attachments: _Optional[_Iterable[_Union[_common_pb2.Attachment, _Mapping]]] = ..., community_member: _Optional[bool] = ..., proactive: _Optional[bool] = ..., monitoring_rules: _Optional[_Iterable[str]] = ..., lead: _Optional[bool] = ..., subject: _Optional[str] = ..., rating: _Optional[int] = ..., delivery_id: _Optional[str] = ...) -> None: ...

class MessageClassified(_message.Message):
    __slots__ = ("event_id", "tenant_id", "occurred_at", "message_id", "message", "language", "sentiment", "category", "urgency", "skills", "needs_triage", "model_version", "private_data", "redacted_preview", "move_to_private", "topics", "rules")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    SENTIMENT_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    URGENCY_FIELD_NUMBER: _ClassVar[int]
    SKILLS_FIELD_NUMBER: _ClassVar[int]
    NEEDS_TRIAGE_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    PRIVATE_DATA_FIELD_NUMBER: _ClassVar[int]
    REDACTED_PREVIEW_FIELD_NUMBER: _ClassVar[int]
    MOVE_TO_PRIVATE_FIELD_NUMBER: _ClassVar[int]
    TOPICS_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    tenant_id: str
    occurred_at: _timestamp_pb2.Timestamp
    message_id: str
    message: MessageReceived
    language: str
    sentiment: _common_pb2.Sentiment
    category: _common_pb2.Category
    urgency: int
    skills: _containers.RepeatedScalarFieldContainer[str]
    needs_triage: bool
    model_version: str
    private_data: _containers.RepeatedCompositeFieldContainer[_common_pb2.PrivateData]
    redacted_preview: str
    move_to_private: bool
    topics: _containers.RepeatedScalarFieldContainer[str]
    rules: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, event_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., message_id: _Optional[str] = ..., message: _Optional[_Union[MessageReceived, _Mapping]] = ..., language: _Optional[str] = ..., sentiment: _Optional[_Union[_common_pb2.Sentiment, _Mapping]] = ..., category: _Optional[_Union[_common_pb2.Category, _Mapping]] = ..., urgency: _Optional[int] = ..., skills: _Optional[_Iterable[str]] = ..., needs_triage: _Optional[bool] = ..., model_version: _Optional[str] = ..., private_data: _Optional[_Iterable[_Union[_common_pb2.PrivateData, _Mapping]]] = ..., redacted_preview: _Optional[str] = ..., move_to_private: _Optional[bool] = ..., topics: _Optional[_Iterable[str]] = ..., rules: _Optional[_Iterable[str]] = ...) -> None: ...
