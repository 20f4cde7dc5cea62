"""CSV and XLSX downloads of every dashboard table: the one writer of common.exports."""

from common.exports import FORMATS, table_response

__all__ = ["FORMATS", "table_response"]
