"""``python -m voice --port 8300``: load the model once, then serve /stt, /tts, /health."""

from __future__ import annotations

import argparse
import logging

from voice.config import SttSettings, TtsSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m voice", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8300)
    parser.add_argument("--no-stt", action="store_true", help="serve TTS only (no model load)")
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )

    import uvicorn

    from voice.service import create_app
    from voice.stt import SpeechToText
    from voice.tts import TextToSpeech

    stt = None if args.no_stt else SpeechToText.load(SttSettings.from_env())
    if stt is not None:
        stt.normalize("")  # resolve the normaliser now, not on the first request
    app = create_app(stt, TextToSpeech(TtsSettings.from_env()))
    # ws="none": no websockets here, and rasa pins a websockets too old for uvicorn's auto pick
    uvicorn.run(
        app, host=args.host, port=args.port, log_level=args.log_level, access_log=False, ws="none"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
