"""The tablet app's exception root: every error raised by kivy_client (presenters and
platform services) derives from TabletError, with a message an officer can read."""


class TabletError(Exception):
    """Root of the tablet app's errors."""
