"""DMS transfer (S3 staging): DMS transfer endpoints only stage DMS's own files.

There is nothing to carry over to Kafka Connect.
"""

from __future__ import annotations

from .engine import Engine, EngineName


class DmsTransfer(Engine):
    name = EngineName.DMS_TRANSFER
    DISPLAY_NAME = "DMS transfer (S3 staging)"
    NO_SOURCE_REASON = "DMS transfer endpoints only stage DMS's own files"
    TARGET_ALTERNATIVES = "no equivalent: Kafka topics replace the staging area"
