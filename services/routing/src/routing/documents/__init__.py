"""Printable documents: complaint record, work transmittal slip, work assignment notice."""
