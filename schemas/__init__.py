"""The JSON Schemas of the job documents, generated from botocore by scripts/generate_schema.py,
and the JSON Schema of the configuration (``sagelint config schema``)."""
