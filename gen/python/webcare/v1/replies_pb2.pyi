import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReplySent(_message.Message):
    __slots__ = ("event_id", "tenant_id", "occurred_at", "reply_id", "conversation_id", "agent_id", "channel", "external_id", "is_public", "requested_at", "text", "recipient", "channel_account_id", "negative_words", "template_id", "approved_by")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    REPLY_ID_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    IS_PUBLIC_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NEGATIVE_WORDS_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVED_BY_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    tenant_id: str
    occurred_at: _timestamp_pb2.Timestamp
    reply_id: str
    conversation_id: str
    agent_id: str
    channel: str
    external_id: str
    is_public: bool
    requested_at: _timestamp_pb2.Timestamp
    text: str
    recipient: str
    channel_account_id: str
    negative_words: _containers.RepeatedScalarFieldContainer[str]
    template_id: str
    approved_by: str
    def __init__(self, event_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reply_id: _Optional[str] = ..., conversation_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., channel: _Optional[str] = ..., external_id: _Optional[str] = ..., is_public: _Optional[bool] = ..., requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., text: _Optional[str] = ..., recipient: _Optional[str] = ..., channel_account_id: _Optional[str] = ..., negative_words: _Optional[_Iterable[str]] = ..., template_id: _Optional[str] = ..., approved_by: _Optional[str] = ...) -> None: ...

class ReplyFailed(_message.Message):
    __slots__ = ("event_id", "tenant_id", "occurred_at", "reply_id", "conversation_id", "agent_id", "channel", "reason", "permanent")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    REPLY_ID_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    PERMANENT_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    tenant_id: str
    occurred_at: _timestamp_pb2.Timestamp
    reply_id: str
    conversation_id: str
    agent_id: str
    channel: str
    reason: str
    permanent: bool
    def __init__(self, event_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reply_id: _Optional[str] = ..., conversation_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., channel: _Optional[str] = ..., reason: _Optional[str] = ..., permanent: _Optional[bool] = ...) -> None: ...

class DeliveryReceipt(_message.Message):
    __slots__ = ("event_id", "tenant_id", "occurred_at", "channel", "channel_account_id", "external_id", "status", "recipient", "reported_at", "reason", "error_code")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_FIELD_NUMBER: _ClassVar[int]
    REPORTED_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    tenant_id: str
    occurred_at: _timestamp_pb2.Timestamp
    channel: str
    channel_account_id: str
    external_id: str
    status: str
    recipient: str
    reported_at: _timestamp_pb2.Timestamp
    reason: str
    error_code: str
    def __init__(self, event_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., channel: _Optional[str] = ..., channel_account_id: _Optional[str] = ..., external_id: _Optional[str] = ..., status: _Optional[str] = ..., recipient: _Optional[str] = ..., reported_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ..., error_code: _Optional[str] = ...) -> None: ...

class ReplyDelivered(_message.Message):
    __slots__ = ("event_id", "tenant_id", "occurred_at", "reply_id", "conversation_id", "agent_id", "channel", "external_id", "status", "reported_at")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    REPLY_ID_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REPORTED_AT_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    tenant_id: str
    occurred_at: _timestamp_pb2.Timestamp
    reply_id: str
    conversation_id: str
    agent_id: str
    channel: str
    external_id: str
    status: str
    reported_at: _timestamp_pb2.Timestamp
    def __init__(self, event_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reply_id: _Optional[str] = ..., conversation_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., channel: _Optional[str] = ..., external_id: _Optional[str] = ..., status: _Optional[str] = ..., reported_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReplyReviewed(_message.Message):
    __slots__ = ("event_id", "tenant_id", "occurred_at", "review_id", "reply_id", "conversation_id", "agent_id", "reviewer_id", "product_knowledge", "wording", "empathy", "guideline_kept")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    REPLY_ID_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_KNOWLEDGE_FIELD_NUMBER: _ClassVar[int]
    WORDING_FIELD_NUMBER: _ClassVar[int]
    EMPATHY_FIELD_NUMBER: _ClassVar[int]
    GUIDELINE_KEPT_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    tenant_id: str
    occurred_at: _timestamp_pb2.Timestamp
    review_id: str
    reply_id: str
    conversation_id: str
    agent_id: str
    reviewer_id: str
    product_knowledge: int
    wording: int
    empathy: int
    guideline_kept: bool
    def __init__(self, event_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., review_id: _Optional[str] = ..., reply_id: _Optional[str] = ..., conversation_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., reviewer_id: _Optional[str] = ..., product_knowledge: _Optional[int] = ..., wording: _Optional[int] = ..., empathy: _Optional[int] = ..., guideline_kept: _Optional[bool] = ...) -> None: ...
