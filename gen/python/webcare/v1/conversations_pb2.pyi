import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from webcare.v1 import common_pb2 as _common_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ConversationOpened(_message.Message):
    __slots__ = ("event_id", "tenant_id", "occurred_at", "conversation_id", "conversation_key", "channel", "customer", "is_public", "language", "category", "first_message_id", "first_message_at", "urgency", "channel_account_id", "first_message_external_id", "first_response_due_at", "sla_target", "subject", "queue", "proactive")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_KEY_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    IS_PUBLIC_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    FIRST_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    FIRST_MESSAGE_AT_FIELD_NUMBER: _ClassVar[int]
    URGENCY_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    FIRST_MESSAGE_EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    FIRST_RESPONSE_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    SLA_TARGET_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    PROACTIVE_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    tenant_id: str
    occurred_at: _timestamp_pb2.Timestamp
    conversation_id: str
    conversation_key: str
    channel: str
    customer: _common_pb2.Author
    is_public: bool
    language: str
    category: str
    first_message_id: str
    first_message_at: _timestamp_pb2.Timestamp
    urgency: int
    channel_account_id: str
    first_message_external_id: str
    first_response_due_at: _timestamp_pb2.Timestamp
    sla_target: str
    subject: str
    queue: str
    proactive: bool
    def __init__(self, event_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., conversation_id: _Optional[str] = ..., conversation_key: _Optional[str] = ..., channel: _Optional[str] = ..., customer: _Optional[_Union[_common_pb2.Author, _Mapping]] = ..., is_public: _Optional[bool] = ..., language: _Optional[str] = ..., category: _Optional[str] = ..., first_message_id: _Optional[str] = ..., first_message_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., urgency: _Optional[int] = ..., channel_account_id: _Optional[str] = ..., first_message_external_id: _Optional[str] = ..., first_response_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sla_target: _Optional[str] = ..., subject: _Optional[str] = ..., queue: _Optional[str] = ..., proactive: _Optional[bool] = ...) -> None: ...

class ConversationMessageAdded(_message.Message):
    __slots__ = ("event_id", "tenant_id", "occurred_at", "conversation_id", "message_id", "message_external_id", "sent_at", "community_member")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_MEMBER_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    tenant_id: str
    occurred_at: _timestamp_pb2.Timestamp
    conversation_id: str
    message_id: str
    message_external_id: str
    sent_at: _timestamp_pb2.Timestamp
    community_member: bool
    def __init__(self, event_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., conversation_id: _Optional[str] = ..., message_id: _Optional[str] = ..., message_external_id: _Optional[str] = ..., sent_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., community_member: _Optional[bool] = ...) -> None: ...

class ConversationOffered(_message.Message):
    __slots__ = ("event_id", "tenant_id", "occurred_at", "conversation_id", "agent_id", "reason", "expires_at", "waited_since")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    WAITED_SINCE_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    tenant_id: str
    occurred_at: _timestamp_pb2.Timestamp
    conversation_id: str
    agent_id: str
    reason: str
    expires_at: _timestamp_pb2.Timestamp
    waited_since: _timestamp_pb2.Timestamp
    def __init__(self, event_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., conversation_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., reason: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., waited_since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ConversationAssigned(_message.Message):
    __slots__ = ("event_id", "tenant_id", "occurred_at", "conversation_id", "agent_id", "reason", "waited_since")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    WAITED_SINCE_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    tenant_id: str
    occurred_at: _timestamp_pb2.Timestamp
    conversation_id: str
    agent_id: str
    reason: str
    waited_since: _timestamp_pb2.Timestamp
    def __init__(self, event_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., conversation_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., reason: _Optional[str] = ..., waited_since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ConversationEscalated(_message.Message):
    __slots__ = ("event_id", "tenant_id", "occurred_at", "conversation_id", "reason", "first_response_due_at", "agent_id")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    FIRST_RESPONSE_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    tenant_id: str
    occurred_at: _timestamp_pb2.Timestamp
    conversation_id: str
    reason: str
    first_response_due_at: _timestamp_pb2.Timestamp
    agent_id: str
    def __init__(self, event_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., conversation_id: _Optional[str] = ..., reason: _Optional[str] = ..., first_response_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., agent_id: _Optional[str] = ...) -> None: ...

class ConversationTransferred(_message.Message):
    __slots__ = ("event_id", "tenant_id", "occurred_at", "conversation_id", "from_agent_id", "to_agent_id", "to_queue", "note", "transferred_by")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    TO_AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    TO_QUEUE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    TRANSFERRED_BY_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    tenant_id: str
    occurred_at: _timestamp_pb2.Timestamp
    conversation_id: str
    from_agent_id: str
    to_agent_id: str
    to_queue: str
    note: str
    transferred_by: str
    def __init__(self, event_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., conversation_id: _Optional[str] = ..., from_agent_id: _Optional[str] = ..., to_agent_id: _Optional[str] = ..., to_queue: _Optional[str] = ..., note: _Optional[str] = ..., transferred_by: _Optional[str] = ...) -> None: ...

class ConversationReopened(_message.Message):
    __slots__ = ("event_id", "tenant_id", "occurred_at", "conversation_id", "last_agent_id", "reopened_by")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    LAST_AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    REOPENED_BY_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    tenant_id: str
    occurred_at: _timestamp_pb2.Timestamp
    conversation_id: str
    last_agent_id: str
    reopened_by: str
    def __init__(self, event_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., conversation_id: _Optional[str] = ..., last_agent_id: _Optional[str] = ..., reopened_by: _Optional[str] = ...) -> None: ...

class ConversationResolved(_message.Message):
    __slots__ = ("event_id", "tenant_id", "occurred_at", "conversation_id", "agent_id", "resolved_by")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_BY_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    tenant_id: str
    occurred_at: _timestamp_pb2.Timestamp
    conversation_id: str
    agent_id: str
    resolved_by: str
    def __init__(self, event_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., conversation_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., resolved_by: _Optional[str] = ...) -> None: ...

class ConversationFirstResponded(_message.Message):
    __slots__ = ("event_id", "tenant_id", "occurred_at", "conversation_id", "first_message_at", "responded_at", "elapsed_seconds", "business_seconds", "calendar_id", "agent_id")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    FIRST_MESSAGE_AT_FIELD_NUMBER: _ClassVar[int]
    RESPONDED_AT_FIELD_NUMBER: _ClassVar[int]
    ELAPSED_SECONDS_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_SECONDS_FIELD_NUMBER: _ClassVar[int]
    CALENDAR_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    tenant_id: str
    occurred_at: _timestamp_pb2.Timestamp
    conversation_id: str
    first_message_at: _timestamp_pb2.Timestamp
    responded_at: _timestamp_pb2.Timestamp
    elapsed_seconds: float
    business_seconds: float
    calendar_id: str
    agent_id: str
    def __init__(self, event_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., conversation_id: _Optional[str] = ..., first_message_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., responded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., elapsed_seconds: _Optional[float] = ..., business_seconds: _Optional[float] = ..., calendar_id: _Optional[str] = ..., agent_id: _Optional[str] = ...) -> None: ...
