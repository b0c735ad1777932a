"""The helpline's custom actions. rasa-sdk imports every module here: no work at import."""
