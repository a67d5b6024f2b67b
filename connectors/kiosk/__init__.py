"""The reception kiosk: a big push-to-talk page served by the gateway at /kiosk."""
