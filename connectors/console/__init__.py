"""The call-centre console: staff sign-in, the live conversation list, human handover and the
assistant panel for phone calls. Served by the gateway under /console."""
