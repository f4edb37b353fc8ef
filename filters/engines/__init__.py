"""Engines that read Parts and report Hits: YARA over content, markings over text, file type."""
