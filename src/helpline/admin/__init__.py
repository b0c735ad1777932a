"""The content editor (/admin): signposting resources and topics, their versions, import and export,
and a JSON API. See docs/content-editor.md."""
