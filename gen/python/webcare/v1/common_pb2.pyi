from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class Author(_message.Message):
    __slots__ = ("external_id", "handle", "name", "follower_count")
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    FOLLOWER_COUNT_FIELD_NUMBER: _ClassVar[int]
    external_id: str
    handle: str
    name: str
    follower_count: int
    def __init__(self, external_id: _Optional[str] = ..., handle: _Optional[str] = ..., name: _Optional[str] = ..., follower_count: _Optional[int] = ...) -> None: ...

class Sentiment(_message.Message):
    __slots__ = ("label", "score")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    label: str
    score: float
    def __init__(self, label: _Optional[str] = ..., score: _Optional[float] = ...) -> None: ...

class Category(_message.Message):
    __slots__ = ("primary", "confidence", "secondary", "secondary_confidence")
    PRIMARY_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    SECONDARY_FIELD_NUMBER: _ClassVar[int]
    SECONDARY_CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    primary: str
    confidence: float
    secondary: _containers.RepeatedScalarFieldContainer[str]
    secondary_confidence: _containers.RepeatedScalarFieldContainer[float]
    def __init__(self, primary: _Optional[str] = ..., confidence: _Optional[float] = ..., secondary: _Optional[_Iterable[str]] = ..., secondary_confidence: _Optional[_Iterable[float]] = ...) -> None: ...

class PrivateData(_message.Message):
    __slots__ = ("kind", "start", "end")
    KIND_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    kind: str
    start: int
    end: int
    def __init__(self, kind: _Optional[str] = ..., start: _Optional[int] = ..., end: _Optional[int] = ...) -> None: ...

class Attachment(_message.Message):
    __slots__ = ("kind", "mime_type", "url", "name", "size", "external_id", "latitude", "longitude")
    KIND_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    kind: str
    mime_type: str
    url: str
    name: str
    size: int
    external_id: str
    latitude: float
    longitude: float
    def __init__(self, kind: _Optional[str] = ..., mime_type: _Optional[str] = ..., url: _Optional[str] = ..., name: _Optional[str] = ..., size: _Optional[int] = ..., external_id: _Optional[str] = ..., latitude: _Optional[float] = ..., longitude: _Optional[float] = ...) -> None: ...
